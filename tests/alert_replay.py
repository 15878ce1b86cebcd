"""The alert policy replayed as dispatch runs it: after each reading, on the readings of the
last 7 days (or all of them), with the alerts sent before. Shared by the policy, replay and
flag-hold tests."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from signals.alerts import AlertSettings, SentAlert, decide
from signals.models import Alert, IndexReading

WEEK = timedelta(days=7)


def replay_alerts(
    series: list[IndexReading],
    settings: AlertSettings,
    *,
    window: timedelta | None = WEEK,
    sent: Iterable[SentAlert] = (),
) -> list[tuple[IndexReading, Alert]]:
    """Each alert with the reading whose run sent it; `window` None: every reading so far."""
    past = list(sent)
    out: list[tuple[IndexReading, Alert]] = []
    for i, current in enumerate(series):
        now = current.as_of
        seen = [r for r in series[: i + 1] if window is None or r.as_of >= now - window]
        new = decide(seen, past, [], settings, now=now)
        out += [(current, a) for a in new]
        past += [SentAlert(a.dedup_key, a.kind, now, now, now, _regime(a)) for a in new]
    return out


def _regime(alert: Alert) -> str | None:
    return alert.dedup_key.split(":")[1] if alert.kind == "regime_change" else None
