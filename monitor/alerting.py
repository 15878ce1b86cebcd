"""The alert stage: run the policy on stored readings, claim each alert, send, record.

Each alert is claimed by its dedup_key in the store before it is sent, so a re-run, a
second process or a restart never sends it twice. When every channel fails the claim is
released and the next run tries again; when one channel delivers, it counts as sent.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from monitor.config import Config
from monitor.errors import NotifyError
from monitor.notify import Notifier, NotifierManager, build_notifier
from monitor.notify.base import Delivery
from monitor.store import Store
from monitor.store.alerts import claim_alert, last_alert, mark_sent, release_alert, sent_alerts
from monitor.store.headlines import list_headlines
from monitor.store.readings import readings_between
from signals.alerts import AlertSettings, SentAlert, decide
from signals.models import Alert, IndexReading

log = logging.getLogger(__name__)

#: Readings and alerts the policy looks back on (the jump window is 24 h; a week of
#: readings gives the hysteresis state a stable start).
LOOKBACK = timedelta(days=7)
CHART_DAYS = 90
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
    notifier: Notifier | None,
    *,
    now: datetime,
) -> list[Alert]:
    """Decide, claim and send the alerts due now; return those delivered."""
    readings = [r for r in readings_between(store, now - LOOKBACK, now) if r.as_of < reading.as_of]
    readings.append(reading)
    alerts = decide(
        readings,
        _sent(store, now),
        list_headlines(store, since=now - timedelta(hours=24)),
        alert_settings(config),
        now=now,
    )
    if any(a.reading is not None for a in alerts):
        lines = _context(store, config, reading)
        alerts = [replace(a, context=lines) if a.reading is not None else a for a in alerts]
    manager = _manager(notifier)
    return [a for a in _merge(store, alerts, now) if _send(store, manager, a, now).ok]


def _context(store: Store, config: Config, reading: IndexReading) -> tuple[str, ...]:
    """Smart money and model mix under a reading (empty until they are collected)."""
    from monitor.smart_money import smart_money_view
    from monitor.smart_money_report import context_lines

    return context_lines(smart_money_view(store, config, now=reading.as_of))


def send_report(
    store: Store,
    config: Config,
    reading: IndexReading,
    notifier: Notifier | None = None,
    *,
    now: datetime | None = None,
) -> Delivery:
    """Send a reading now (`report --slack`), recorded like any alert; NotifyError when
    no channel delivered it (the user asked for it, so a silent failure would mislead)."""
    from signals.alerts import summary

    now = now or datetime.now(UTC)
    alert = Alert(
        "report",
        f"report:{reading.as_of.isoformat()}:{now.isoformat()}",
        f"AI bubble index report: {reading.index:.0f} ({reading.regime})",
        summary(reading),
        reading,
        context=_context(store, config, reading),
    )
    delivery = _send(store, _manager(notifier), alert, now)
    if not delivery.ok:
        reasons = "; ".join(f"{k}: {v}" for k, v in delivery.failed.items())
        raise NotifyError(f"report not sent ({reasons})")
    return delivery


def _sent(store: Store, now: datetime) -> list[SentAlert]:
    sent = sent_alerts(store, since=now - LOOKBACK)
    regime = last_alert(store, "regime_change")
    if regime is not None and all(a.dedup_key != regime.dedup_key for a in sent):
        sent.insert(0, regime)
    return sent


def _manager(notifier: Notifier | None) -> NotifierManager:
    if notifier is None:
        return build_notifier()
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


def _send(store: Store, manager: NotifierManager, alert: Alert, now: datetime) -> Delivery:
    if not claim_alert(store, alert, now=now):
        return Delivery()
    delivery = manager.deliver(alert, lambda: _chart(store, alert, now))
    if delivery.ok:
        mark_sent(store, alert.dedup_key, channels=delivery.sent, sent_at=now)
    else:
        release_alert(store, alert.dedup_key)
        log.warning("alert %s not delivered; will retry on the next run", alert.dedup_key)
    return delivery


def _chart(store: Store, alert: Alert, now: datetime) -> bytes | None:
    if alert.reading is None:
        return None
    from monitor.charts import index_chart_png

    history = readings_between(store, now - timedelta(days=CHART_DAYS), now)
    if all(r.as_of != alert.reading.as_of for r in history):
        history.append(alert.reading)
    return index_chart_png(history)
