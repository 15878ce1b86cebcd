"""Readings and alert claims on a real SQLite file: JSON round trip, idempotency, dedup."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from monitor.store import Store
from monitor.store.alerts import (
    claim_alert,
    last_alert,
    mark_sent,
    release_alert,
    sent_alerts,
)
from monitor.store.readings import (
    latest_reading,
    list_readings,
    reading_from_dict,
    reading_to_dict,
    readings_between,
    save_reading,
)
from signals.models import Alert, Component, HeadlineRef, IndexReading

T0 = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)


def reading(at: datetime, index: float = 55.0, regime: str = "frothy") -> IndexReading:
    return IndexReading(
        as_of=at,
        index=index,
        regime=regime,
        change=None if at == T0 else 1.5,
        components=(
            Component("overextension", "market", 60.0, 0.6, 36.0, "NVDA +30% vs 200d", 0.9),
            Component("credit", "market", None, 0.0, 0.0, "no input", 0.0),
            Component("layoffs", "news", 47.5, 0.4, 19.0, "3 stories"),
        ),
        top_headlines=(
            HeadlineRef("Big <cuts> & more", "https://x/1", "Reuters", "layoffs", 0.91, at, 3),
        ),
        stale=("credit", "NVDA"),
        notes=("missing: credit",),
    )


def test_reading_round_trips_through_json() -> None:
    r = reading(T0 + timedelta(hours=1))
    assert reading_from_dict(reading_to_dict(r)) == r


def test_save_is_idempotent_by_as_of_and_reads_back(store: Store, db_path: Path) -> None:
    save_reading(store, reading(T0), computed_at=T0)
    save_reading(store, reading(T0, index=56.0), computed_at=T0 + timedelta(minutes=1))
    save_reading(store, reading(T0 + timedelta(hours=1), 60.0), computed_at=T0)
    assert store.conn.execute("SELECT COUNT(*) FROM index_readings").fetchone()[0] == 2
    with Store(db_path) as again:
        latest = latest_reading(again)
        assert latest is not None and latest.index == 60.0
        before = latest_reading(again, before=T0 + timedelta(hours=1))
        assert before is not None and before.index == 56.0
        assert latest_reading(again, before=T0) is None
        assert [r.index for r in readings_between(again, T0, T0)] == [56.0]
        assert [r.index for r in list_readings(again)] == [56.0, 60.0]
        assert [r.index for r in list_readings(again, limit=1)] == [60.0]


def test_as_of_in_other_time_zone_is_stored_as_utc(store: Store) -> None:
    from zoneinfo import ZoneInfo

    local = T0.astimezone(ZoneInfo("America/New_York"))
    save_reading(store, reading(local), computed_at=T0)
    assert store.conn.execute("SELECT as_of FROM index_readings").fetchone()[0] == T0.isoformat()


def alert(key: str, kind: str = "digest", r: IndexReading | None = None) -> Alert:
    return Alert(kind, key, "title", "text", r)  # type: ignore[arg-type]


def test_claim_is_once_per_key_even_after_reopening(store: Store, db_path: Path) -> None:
    assert claim_alert(store, alert("digest:2026-03-02"), now=T0) is True
    assert claim_alert(store, alert("digest:2026-03-02"), now=T0) is False
    mark_sent(store, "digest:2026-03-02", channels=["slack", "console"], sent_at=T0)
    with Store(db_path) as again:
        assert claim_alert(again, alert("digest:2026-03-02"), now=T0) is False
        (sent,) = sent_alerts(again)
        assert sent.sent_at == T0 and sent.kind == "digest"
        row = again.conn.execute("SELECT channel FROM alerts").fetchone()
        assert row[0] == "slack,console"


def test_release_only_drops_unsent_claims(store: Store) -> None:
    claim_alert(store, alert("a"), now=T0)
    claim_alert(store, alert("b"), now=T0)
    mark_sent(store, "b", channels=["slack"], sent_at=T0)
    release_alert(store, "a")
    release_alert(store, "b")
    assert [a.dedup_key for a in sent_alerts(store)] == ["b"]
    assert claim_alert(store, alert("a"), now=T0) is True


def test_regime_alerts_remember_the_announced_regime(store: Store) -> None:
    r = reading(T0, 70.0, "bubble")
    claim_alert(store, alert(f"regime:bubble:{T0.isoformat()}", "regime_change", r), now=T0)
    claim_alert(store, alert(f"jump:{T0.isoformat()}", "jump", r), now=T0)
    last = last_alert(store, "regime_change")
    assert last is not None and last.regime == "bubble" and last.reading_as_of == T0
    assert last_alert(store, "breaking") is None
    assert len(sent_alerts(store, since=T0 + timedelta(seconds=1))) == 0
