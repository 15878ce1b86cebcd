"""The alert stage: run the policy on stored readings, claim each alert, send, record.

Each alert is claimed by its dedup_key in the store before it is sent, so a re-run, a
second process or a restart never sends it twice. When every channel fails the claim is
released and the next run tries again; when one channel delivers, it counts as sent.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, time, timedelta
from uuid import uuid4
from zoneinfo import ZoneInfo

from monitor.config.feeds_yaml import Config
from monitor.config.secrets import CHANNEL_ENV, TOKEN_ENV, WEBHOOK_ENV
from monitor.errors import NotifyError
from monitor.notify import ConsoleNotifier, Notifier, NotifierManager
from monitor.notify.base import SIMULATED_TITLE, Delivery
from monitor.store import Store
from monitor.store.alerts import (
    claim_alert,
    cut_off_claims,
    last_alert,
    mark_sent,
    release_alert,
    sent_alerts,
)
from monitor.store.headlines import list_headlines
from monitor.store.readings import readings_between
from signals.alerts import AlertSettings, SentAlert, decide
from signals.models import Alert, IndexReading, StoredHeadline

log = logging.getLogger(__name__)

#: Readings and alerts the policy looks back on (the jump window is 24 h; a week of
#: readings gives the hysteresis state a stable start).
LOOKBACK = timedelta(days=7)
CHART_DAYS = 90
#: Longer than any send takes (two 60 s Retry-After waits, 20 s timeouts, the chart): a
#: claim older than this, neither confirmed nor released, was cut off mid-send.
SEND_DEADLINE = timedelta(minutes=10)
MERGED = "merged"


def alert_settings(config: Config) -> AlertSettings:
    """The policy's settings from feeds.yaml `alerts:` and `schedule.timezone`."""
    a = config.alerts
    hours, minutes = (int(p) for p in a.digest_time.split(":"))
    return AlertSettings(
        digest_time=time(hours, minutes),
        tz=ZoneInfo(config.schedule.timezone),
        jump_points=a.jump_points,
        hysteresis=a.hysteresis,
        breaking_confidence=a.breaking_confidence,
        breaking_min_sources=a.breaking_min_sources,
        breaking_cooldown_hours=a.breaking_cooldown_hours,
    )


def dispatch(
    store: Store,
    config: Config,
    reading: IndexReading,
    notifier: Notifier | NotifierManager,
    *,
    now: datetime,
    history: Sequence[IndexReading] | None = None,
    headlines: Sequence[StoredHeadline] | None = None,
    on_warning: Callable[[str], object] | None = None,
) -> list[Alert]:
    """Decide, claim and send the alerts due now; return those delivered. A channel that
    delivered an alert without its chart, and an earlier send cut off mid-way (claimed,
    never confirmed: not resent), tell `on_warning` (the job log keeps it).

    `history` (readings before `reading`, at least the last CHART_DAYS) and `headlines`
    (at least the last 24 hours) are what the index stage already read; the store is
    read for them only when they are not given."""
    if history is None:
        history = readings_between(store, now - timedelta(days=CHART_DAYS), now)
    if headlines is None:
        headlines = list_headlines(store, since=now - timedelta(hours=24))
    for cut in cut_off_claims(store, before=now - SEND_DEADLINE):
        if on_warning is not None:
            on_warning(_cut_off(cut))
    past = [r for r in history if now - LOOKBACK <= r.as_of < reading.as_of]
    recent = [h for h in headlines if h.headline.published >= now - timedelta(hours=24)]
    alerts = decide([*past, reading], _sent(store, now), recent, alert_settings(config), now=now)
    alerts = [_with_fresh(store, a, now) for a in alerts]
    manager = _manager(notifier)
    chart_history = [r for r in history if r.as_of < reading.as_of]
    delivered = []
    for alert in _merge(store, alerts, now):
        delivery = _send(store, manager, alert, now, chart_history)
        if delivery.ok:
            delivered.append(alert)
        for channel, warning in delivery.warnings.items():
            if on_warning is not None:
                on_warning(f"{alert.kind} via {channel}: {warning}")
    return delivered


def require_slack(notifier: Notifier | NotifierManager) -> NotifierManager:
    """The channels, or NotifyError when the only one is the console: `report --slack`
    asked for Slack, and the console channel would print its message into the report's own
    output (breaking `--json`), claim the day's no-reading message for the console, and say
    nothing about no message going anywhere. Checked before the run collects anything."""
    manager = _manager(notifier)
    if manager.notifiers and all(isinstance(n, ConsoleNotifier) for n in manager.notifiers):
        raise NotifyError(
            f"report not sent: Slack is not configured: set {TOKEN_ENV} and {CHANNEL_ENV} "
            f"(a bot), or {WEBHOOK_ENV} (docs/slack.md)"
        )
    return manager


def send_report(
    store: Store,
    config: Config,
    reading: IndexReading,
    notifier: Notifier | NotifierManager,
    *,
    now: datetime | None = None,
) -> Delivery:
    """Send a reading now (`report --slack`), recorded like any alert; NotifyError when
    no channel delivered it, or when Slack is not configured (the only channel is the
    console): the user asked for Slack, so a silent failure would mislead.

    Every request is its own alert: the key carries a request id, because a fixed clock
    (the demo's) would otherwise give a second request the first one's key, and the
    claim would refuse it as already sent."""
    from signals.alerts import summary

    manager = require_slack(notifier)
    now = now or datetime.now(UTC)
    alert = Alert(
        "report",
        f"report:{reading.as_of.isoformat()}:{now.isoformat()}:{uuid4().hex[:12]}",
        f"AI bubble index report: {reading.index:.0f} ({reading.regime})",
        summary(reading),
        reading,
    )
    alert = _with_fresh(store, alert, now)
    delivery = _send(store, manager, alert, now, retried_later=False)
    if not delivery.ok:
        reasons = "; ".join(f"{k}: {v}" for k, v in delivery.failed.items())
        # "not sent" would be wrong when Slack may have posted it: the user would resend.
        outcome = "report may have been sent" if delivery.uncertain else "report not sent"
        raise NotifyError(f"{outcome} ({reasons or 'no channel took it'})")
    return delivery


def _cut_off(claim: SentAlert) -> str:
    at = claim.created_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return (
        f"{claim.dedup_key} claimed at {at} and never confirmed sent (the process stopped "
        "mid-send?): not resent, since Slack may have posted it; check the channel"
    )


def _with_fresh(store: Store, alert: Alert, now: datetime) -> Alert:
    """A reading's alert whose news components cite no headline (they are warming up)
    carries the newest headlines, so the channel still hears the news."""
    if alert.reading is None or alert.reading.top_headlines or alert.headlines:
        return alert
    from dataclasses import replace

    from monitor.present.report_view import fresh_refs

    return replace(alert, headlines=fresh_refs(store, now))


def _sent(store: Store, now: datetime) -> list[SentAlert]:
    sent = sent_alerts(store, since=now - LOOKBACK)
    regime = last_alert(store, "regime_change")
    if regime is not None and all(a.dedup_key != regime.dedup_key for a in sent):
        sent.insert(0, regime)
    return sent


def _manager(notifier: Notifier | NotifierManager) -> NotifierManager:
    return notifier if isinstance(notifier, NotifierManager) else NotifierManager([notifier])


def _merge(store: Store, alerts: list[Alert], now: datetime) -> list[Alert]:
    """A jump at the reading that also changed the regime goes out as the regime alert
    only; the jump's key is recorded as merged so it is not sent on a later run."""
    if not any(a.kind == "regime_change" for a in alerts):
        return alerts
    for jump in (a for a in alerts if a.kind == "jump"):
        if claim_alert(store, jump, now=now):
            mark_sent(store, jump.dedup_key, channels=[MERGED], sent_at=now)
    return [a for a in alerts if a.kind != "jump"]


def _send(
    store: Store,
    manager: NotifierManager,
    alert: Alert,
    now: datetime,
    history: Sequence[IndexReading] | None = None,
    *,
    retried_later: bool = True,
) -> Delivery:
    """Claim, deliver, record. A policy alert that no channel took is released so the next
    run retries it, unless a channel may have delivered it (UncertainDeliveryError); a
    one-off report is not (its key is unique), and its caller says why."""
    if not claim_alert(store, alert, now=now):
        return Delivery()
    alert = _said_simulated(alert)
    delivery = manager.deliver(alert, lambda: _chart(store, alert, now, history))
    if delivery.ok:
        mark_sent(store, alert.dedup_key, channels=delivery.sent, sent_at=now)
    elif delivery.uncertain:
        # Slack may have posted it (answer lost, channel not checkable): the claim stays,
        # so no run resends it; the job log names it (and later as a cut-off claim).
        log.warning("alert %s may have been posted; not resent: check the channel", alert.dedup_key)
    else:
        release_alert(store, alert.dedup_key)
        if retried_later:
            log.warning("alert %s not delivered; will retry on the next run", alert.dedup_key)
    return delivery


def _said_simulated(alert: Alert) -> Alert:
    """An alert on a simulated reading (the demo's) says so first, in every channel: a
    `report --demo --slack` post looked like a real reading in the team's channel."""
    if alert.reading is None or not alert.reading.context.get("simulated"):
        return alert
    from dataclasses import replace

    return replace(alert, title=f"{SIMULATED_TITLE}: {alert.title}")


def _chart(
    store: Store, alert: Alert, now: datetime, history: Sequence[IndexReading] | None
) -> bytes | None:
    if alert.reading is None:
        return None
    from monitor.present.chart import index_chart_png

    start = now - timedelta(days=CHART_DAYS)
    if history is None:
        history = readings_between(store, start, now)
    shown = [r for r in history if r.as_of >= start]
    if all(r.as_of != alert.reading.as_of for r in shown):
        shown.append(alert.reading)
    return index_chart_png(shown)
