"""The price tables of the store: idempotent upserts, wide closes, ticker freshness."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from monitor.store import Store
from monitor.store.prices import (
    load_closes,
    merge_bars,
    record_ticker_result,
    ticker_freshness,
    ticker_states,
    upsert_bars,
)
from signals.models import PriceBar

T0 = datetime(2025, 1, 8, 21, 0, tzinfo=UTC)


def bar(ticker: str, day: int, close: float, source: str = "yfinance") -> PriceBar:
    return PriceBar(ticker, date(2025, 1, day), close, source)


def test_upsert_is_idempotent_and_revises_changed_closes(store: Store) -> None:
    bars = [bar("NVDA", 2, 138.31), bar("NVDA", 3, 144.47), bar("SPY", 2, 584.64)]
    assert upsert_bars(store, bars, fetched_at=T0) == 3
    assert upsert_bars(store, bars, fetched_at=T0) == 0
    counts = merge_bars(store, [bar("NVDA", 3, 144.50), bar("NVDA", 6, 149.43)], fetched_at=T0)
    assert (counts["NVDA"].new, counts["NVDA"].updated, counts["NVDA"].unchanged) == (1, 1, 0)
    rows = store.conn.execute("SELECT COUNT(*) FROM prices").fetchone()[0]
    assert rows == 4
    close = store.conn.execute(
        "SELECT close FROM prices WHERE ticker='NVDA' AND day='2025-01-03'"
    ).fetchone()[0]
    assert close == 144.50


def test_writes_survive_reopening_the_file(store_target: Path | str) -> None:
    with Store(store_target) as s:
        upsert_bars(s, [bar("NVDA", 2, 1.5)], fetched_at=T0)
    with Store(store_target) as s:
        assert load_closes(s)["NVDA"].tolist() == [1.5]


def test_non_finite_closes_are_refused(store: Store) -> None:
    with pytest.raises(ValueError, match="not finite"):
        upsert_bars(store, [bar("NVDA", 2, math.nan)], fetched_at=T0)
    assert store.conn.execute("SELECT COUNT(*) FROM prices").fetchone()[0] == 0


def test_a_failed_caller_transaction_rolls_back_the_bars(store: Store) -> None:
    with pytest.raises(RuntimeError), store.transaction():
        upsert_bars(store, [bar("NVDA", 2, 1.0)], fetched_at=T0)
        raise RuntimeError("crash mid-stage")
    assert store.conn.execute("SELECT COUNT(*) FROM prices").fetchone()[0] == 0


def test_load_closes_is_wide_with_nan_for_absent_days(store: Store) -> None:
    upsert_bars(
        store,
        [bar("NVDA", 2, 1.0), bar("NVDA", 3, 2.0), bar("^VIX", 3, 17.0), bar("SPY", 6, 5.0)],
        fetched_at=T0,
    )
    wide = load_closes(store)
    assert list(wide.columns) == ["NVDA", "SPY", "^VIX"]
    assert [d.date() for d in wide.index] == [date(2025, 1, 2), date(2025, 1, 3), date(2025, 1, 6)]
    assert str(wide.dtypes.unique()[0]) == "float64"
    assert wide["^VIX"].isna().tolist() == [True, False, True]
    picked = load_closes(store, ["^VIX", "MSFT"], since=date(2025, 1, 3))
    assert list(picked.columns) == ["^VIX", "MSFT"]
    assert picked["^VIX"].tolist() == [17.0]
    assert picked["MSFT"].isna().all()


def test_load_closes_of_an_empty_store(store: Store) -> None:
    wide = load_closes(store, ["NVDA"])
    assert wide.empty and list(wide.columns) == ["NVDA"]
    assert len(load_closes(store).columns) == 0


def test_ticker_state_counts_failures_and_resets_on_success(store: Store) -> None:
    record_ticker_result(store, "NVDA", attempted_at=T0, ok=False, error="empty frame")
    record_ticker_result(store, "NVDA", attempted_at=T0, ok=False, error="rate limited")
    state = ticker_states(store)["NVDA"]
    assert (state.consecutive_failures, state.last_error, state.last_success) == (
        2,
        "rate limited",
        None,
    )
    record_ticker_result(store, "NVDA", attempted_at=T0, ok=True, last_day=date(2025, 1, 8))
    record_ticker_result(store, "NVDA", attempted_at=T0, ok=True, last_day=date(2025, 1, 6))
    state = ticker_states(store)["NVDA"]
    assert state.consecutive_failures == 0 and state.last_error is None
    assert state.last_success == T0 and state.last_attempt == T0
    assert state.last_day == date(2025, 1, 8)  # never moves backwards


def test_freshness_counts_calendar_days_to_now(store: Store) -> None:
    upsert_bars(store, [bar("NVDA", 3, 1.0), bar("SPY", 8, 2.0)], fetched_at=T0)
    record_ticker_result(store, "NVDA", attempted_at=T0, ok=False, error="empty frame")
    monday = datetime(2025, 1, 6, 21, 0, tzinfo=UTC)  # Friday's close is 3 days old
    fresh = ticker_freshness(store, ["NVDA", "SPY", "AMD"], now=monday, stale_after_days=4)
    assert [f.stale for f in fresh] == [False, False, True]
    later = datetime(2025, 1, 10, 21, 0, tzinfo=UTC)
    nvda, spy, amd = ticker_freshness(store, ["NVDA", "SPY", "AMD"], now=later, stale_after_days=4)
    assert nvda.stale and nvda.age_days == 7
    assert "2025-01-03" in nvda.reason and "empty frame" in nvda.reason
    assert not spy.stale
    assert amd.last_day is None and amd.reason == "no stored closes"
