"""Readings and alert claims on a real SQLite file: JSON round trip, idempotency, dedup."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from monitor.config.feeds_yaml import Config
from monitor.errors import StoreError
from monitor.reading.crash_model import load_model
from monitor.stages.index import compute_reading
from monitor.store import Store
from monitor.store.alerts import (
    claim_alert,
    last_alert,
    mark_sent,
    release_alert,
    sent_alerts,
)
from monitor.store.headlines import insert_headlines
from monitor.store.payload import reading_from_payload, reading_to_payload
from monitor.store.prices import upsert_bars
from monitor.store.readings import (
    latest_reading,
    list_readings,
    readings_between,
    save_reading,
)
from monitor.store.scores import save_scores
from signals.crash.model import CrashModel
from signals.models import (
    Alert,
    Component,
    Headline,
    HeadlineRef,
    HeadlineScore,
    IndexReading,
    PriceBar,
)

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
    assert reading_from_payload(reading_to_payload(r)) == r


def test_save_is_idempotent_by_as_of_and_reads_back(store: Store, store_target: Path | str) -> None:
    save_reading(store, reading(T0), computed_at=T0)
    save_reading(store, reading(T0, index=56.0), computed_at=T0 + timedelta(minutes=1))
    save_reading(store, reading(T0 + timedelta(hours=1), 60.0), computed_at=T0)
    assert store.conn.execute("SELECT COUNT(*) FROM index_readings").fetchone()[0] == 2
    with Store(store_target) as again:
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


def test_claim_is_once_per_key_even_after_reopening(store: Store, store_target: Path | str) -> None:
    assert claim_alert(store, alert("digest:2026-03-02"), now=T0) is True
    assert claim_alert(store, alert("digest:2026-03-02"), now=T0) is False
    mark_sent(store, "digest:2026-03-02", channels=["slack", "console"], sent_at=T0)
    with Store(store_target) as again:
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


# -- compute_reading: the stage on a real store ------------------------------------------


def _fill_prices(store: Store, tickers: tuple[str, ...], days: int, end: date) -> None:
    rng = np.random.default_rng(7)
    index = pd.bdate_range(end=end, periods=days)
    bars = []
    for k, ticker in enumerate(tickers):
        path = 100 * np.exp(np.cumsum(rng.normal(0.0008 * (k + 1), 0.02, days)))
        bars += [PriceBar(ticker, d.date(), float(c)) for d, c in zip(index, path, strict=True)]
    upsert_bars(store, bars, fetched_at=NOW_RC)


def _fill_headlines(store: Store, now: datetime) -> None:
    items = [
        Headline(
            f"Firm {i} cuts 1,000 jobs",
            f"https://n.example/{i}",
            "Reuters",
            "f",
            now - timedelta(days=i % 70, hours=1),
        )
        for i in range(140)  # 70 days: news needs 60 days of history for a baseline
    ]
    ids = insert_headlines(store, items, fetched_at=now)
    score = HeadlineScore("layoffs", 0.9, {"layoffs": 0.9}, "test")
    save_scores(store, [(i, score) for i in ids], scored_at=now)


NOW_RC = datetime(2026, 3, 2, 21, 0, tzinfo=UTC)
CONFIG = Config(basket=("AAA", "BBB"), benchmarks=("SPY",))


def test_compute_reading_from_prices_and_headlines_is_saved_once(store: Store) -> None:
    _fill_prices(store, ("AAA", "BBB", "SPY"), 600, NOW_RC.date())
    _fill_headlines(store, NOW_RC)
    reading = compute_reading(store, CONFIG, now=NOW_RC)
    by = {c.name: c for c in reading.components}
    assert by["runup_1y"].value is not None and by["layoffs"].value is not None
    assert by["layoffs"].unfitted and not by["runup_1y"].unfitted
    assert reading.probability is not None and reading.base_rate is not None
    assert sum(c.contribution for c in reading.components) == pytest.approx(reading.index)
    assert reading.change is None
    assert latest_reading(store) == reading
    again = compute_reading(store, CONFIG, now=NOW_RC)
    assert again == reading
    assert store.conn.execute("SELECT COUNT(*) FROM index_readings").fetchone()[0] == 1
    later = compute_reading(store, CONFIG, now=NOW_RC + timedelta(hours=1))
    assert later.change == pytest.approx(later.index - reading.index)


def test_compute_reading_names_stale_tickers(store: Store) -> None:
    _fill_prices(store, ("AAA", "BBB"), 600, NOW_RC.date())
    _fill_prices(store, ("SPY",), 600, NOW_RC.date() - timedelta(days=20))
    reading = compute_reading(store, CONFIG, now=NOW_RC)
    assert "SPY" in reading.stale
    assert any("SPY" in note for note in reading.notes)


def test_compute_reading_from_news_alone(store: Store) -> None:
    _fill_headlines(store, NOW_RC)
    reading = compute_reading(store, CONFIG, now=NOW_RC)
    assert all(c.value is None for c in reading.components if c.kind == "market")
    assert any("news components alone" in n for n in reading.notes)
    assert reading.top_headlines and reading.top_headlines[0].label == "layoffs"


def test_compute_reading_with_nothing_is_a_clear_error(store: Store) -> None:
    with pytest.raises(StoreError, match="bubble-monitor collect"):
        compute_reading(store, CONFIG, now=NOW_RC)


def test_compute_reading_v2_regime_comes_from_froth_and_stress(store: Store) -> None:
    # Two tickers rise for two years, then fall 20% in the last 15 sessions: the fall
    # raises stress, and the regime is the one the two axes give (signals.crash.regimes).
    from signals.crash.regimes import regime

    index = pd.bdate_range(end=NOW_RC.date(), periods=600)
    path = np.concatenate([np.linspace(50, 200, 585), np.linspace(196, 160, 15)])
    bars = [
        PriceBar(t, d.date(), float(c))
        for t in ("AAA", "BBB")
        for d, c in zip(index, path, strict=True)
    ]
    upsert_bars(store, bars, fetched_at=NOW_RC)
    peak_day = index[584].to_pydatetime().replace(tzinfo=UTC) + timedelta(hours=21)
    at_peak = compute_reading(store, CONFIG, now=peak_day)
    result = compute_reading(store, CONFIG, now=NOW_RC)
    assert at_peak.stress is not None and result.stress is not None
    assert result.froth is not None and at_peak.froth is not None
    assert result.stress > at_peak.stress + 30
    assert result.regime == regime(result.froth, result.stress)
    assert at_peak.regime == regime(at_peak.froth, at_peak.stress)
    assert result.change == pytest.approx(result.index - at_peak.index)


def test_imported_layoff_events_feed_the_live_layoffs_component(store: Store) -> None:
    from monitor.store.layoffs import LayoffEvent, upsert_layoff_events

    _fill_prices(store, ("AAA", "BBB", "SPY"), 300, NOW_RC.date())
    without = compute_reading(store, CONFIG, now=NOW_RC)
    assert {c.name: c for c in without.components}["layoffs"].value is None
    start = NOW_RC.date() - timedelta(days=400)
    events = [
        LayoffEvent(f"Co{i}", start + timedelta(days=3 * i), 500 + 50 * (i % 7)) for i in range(130)
    ]
    upsert_layoff_events(store, events)
    later = NOW_RC + timedelta(hours=1)
    with_events = {c.name: c for c in compute_reading(store, CONFIG, now=later).components}
    assert with_events["layoffs"].value is not None


def test_live_reading_ranks_against_all_stored_history(store: Store) -> None:
    # Ten years stored: the reading must use all of it, as the backtest does, not 800 days.
    _fill_prices(store, ("AAA", "BBB", "SPY"), 2600, NOW_RC.date())
    from monitor.stages.index import _closes

    closes = _closes(store, CONFIG, NOW_RC)
    assert len(closes) == 2600


def _broken_model(tmp_path: Path) -> Callable[[str], CrashModel]:
    """A model loader over a crash-model JSON that is not one (a real file, really read)."""
    bad = tmp_path / "model_6m.json"
    bad.write_text('{"format": 1, "horizon_months": 6', encoding="utf-8")
    return lambda choice: load_model(path=bad)


def test_a_bad_model_file_degrades_the_reading_and_names_the_file(
    store: Store, tmp_path: Path
) -> None:
    _fill_prices(store, ("AAA", "BBB", "SPY"), 600, NOW_RC.date())
    _fill_headlines(store, NOW_RC)
    reading = compute_reading(store, CONFIG, now=NOW_RC, crash_model=_broken_model(tmp_path))
    assert reading.probability is None and reading.index is not None
    assert {c.name for c in reading.components} >= {"overextension", "layoffs"}
    (note,) = [n for n in reading.notes if "crash model not used" in n]
    assert str(tmp_path / "model_6m.json") in note
    assert latest_reading(store) == reading


def test_a_news_only_reading_never_reads_the_model(store: Store, tmp_path: Path) -> None:
    _fill_headlines(store, NOW_RC)
    reading = compute_reading(store, CONFIG, now=NOW_RC, crash_model=_broken_model(tmp_path))
    assert reading.top_headlines and not any("crash model" in n for n in reading.notes)
