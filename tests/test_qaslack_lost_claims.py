"""An alert whose send was cut off (the process killed between the claim and Slack's
answer) is not resent, to avoid a duplicate; the job log now says so once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from monitor.config.feeds_yaml import Config
from monitor.notify import NotifierManager
from monitor.stages.alerts import dispatch
from monitor.store import Store
from monitor.store.alerts import claim_alert, sent_alerts
from monitor.store.readings import save_reading
from signals.models import Alert, Component, IndexReading
from tests.fakes import Recorder

CONFIG = Config(basket=("NVDA",))
T0 = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)  # 10:00 New York: the digest is due


def reading(at: datetime) -> IndexReading:
    comp = Component("overextension", "market", 40.0, 1.0, 40.0, "detail")
    return IndexReading(at, 40.0, "warming", None, (comp,))


def run(store: Store, at: datetime, recorder: Recorder) -> list[str]:
    r = reading(at)
    save_reading(store, r, computed_at=at)
    warnings: list[str] = []
    dispatch(store, CONFIG, r, NotifierManager([recorder]), now=at, on_warning=warnings.append)
    return warnings


def test_a_send_cut_off_is_named_once_and_not_repeated(store: Store) -> None:
    # The service was killed while posting the digest: claimed, never confirmed.
    cut = Alert("digest", "digest:2026-03-02", "Daily digest", "text", reading(T0))
    assert claim_alert(store, cut, now=T0)
    recorder = Recorder()
    recorder.wants_chart = False  # the chart is not what this is about
    assert run(store, T0 + timedelta(minutes=2), recorder) == []  # may still be sending
    (warning,) = run(store, T0 + timedelta(hours=1), recorder)
    assert warning.startswith("digest:2026-03-02 claimed at 2026-03-02 15:00 UTC")
    assert "never confirmed" in warning and "not resent" in warning
    assert run(store, T0 + timedelta(hours=2), recorder) == []  # said once
    assert recorder.sent == []  # and not resent: Slack may have posted it
    (row,) = sent_alerts(store)
    assert row.sent_at is None
