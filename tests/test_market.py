"""Market components on synthetic prices whose answer is known."""

from __future__ import annotations

from datetime import UTC, date, datetime

import numpy as np
import pandas as pd
import pytest

from signals.market import (
    COMPONENTS,
    market_component_frame,
    market_components,
    market_signals,
    percentile,
)

DAYS = pd.bdate_range("2020-01-01", periods=700)


def _walk(seed: int, sd: float = 0.01, n: int = 700) -> np.ndarray:
    return 100.0 * np.exp(np.cumsum(np.random.default_rng(seed).normal(0.0, sd, n)))


def _market(seed: int = 0) -> pd.DataFrame:
    """Three basket stocks and every benchmark: random walks, the benchmarks calmer."""
    names = ["AAA", "BBB", "CCC", "SPY", "RSP", "QQQ", "QQQE", "HYG", "LQD", "VIXY"]
    sd = {n: 0.01 if len(n) == 3 and n[0] == n[1] else 0.003 for n in names}
    return pd.DataFrame({n: _walk(seed + i, sd[n]) for i, n in enumerate(names)}, index=DAYS)


def test_percentile_is_rank_among_values_so_far() -> None:
    up = percentile(pd.Series(np.arange(300.0)), 252)
    assert up.iloc[:251].isna().all() and (up.iloc[251:] == 100.0).all()
    down = percentile(pd.Series(-np.arange(300.0)), 252)
    assert down.iloc[-1] == pytest.approx(100.0 / 300)


def test_overextension_tops_out_on_a_late_rally_and_counts_missing_tickers() -> None:
    closes = _market()
    rally = np.exp(np.linspace(0, 0.6, 60))
    for t in ("AAA", "BBB", "CCC"):
        closes.loc[DAYS[-60:], t] *= rally
    comps = market_components(closes, ["AAA", "BBB", "CCC", "ZZZ"])
    assert comps.values["overextension"].iloc[-1] == 100.0
    assert comps.coverage["overextension"].iloc[-1] == pytest.approx(0.75)
    assert comps.raw["basket_vs_ma"].iloc[-1] > 0.3


def test_a_gap_in_one_ticker_lowers_coverage_and_is_not_filled() -> None:
    closes = _market()
    closes.loc[DAYS[400], "BBB"] = np.nan
    comps = market_components(closes, ["AAA", "BBB", "CCC"])
    assert comps.coverage["overextension"].iloc[400] == pytest.approx(2 / 3)
    assert comps.coverage["overextension"].iloc[401] == 1.0
    # The basket's move on the gap day is the mean of the two priced stocks.
    level = comps.raw["basket_vs_ma"]  # only defined where the basket is
    assert level.notna().iloc[400]


def test_explosiveness_flags_the_ticker_in_a_bubble() -> None:
    closes = _market()
    boom = np.cumsum(0.002 * 1.09 ** np.arange(45))
    closes.loc[DAYS[-45:], "AAA"] = closes["AAA"].iloc[-46] * np.exp(boom)
    calm = market_components(_market(), ["AAA", "BBB", "CCC"])
    comps = market_components(closes, ["AAA", "BBB", "CCC"])
    assert comps.raw["explosive_flagged"].iloc[-1] >= 1
    assert comps.explosive_ratio["AAA"].iloc[-1] > 1.5
    assert comps.values["explosiveness"].iloc[-1] > 40
    assert calm.values["explosiveness"].iloc[-1] < 30
    sig = {s.name: s for s in market_signals(closes, ["AAA", "BBB", "CCC"])}
    assert "strongest AAA" in sig["explosiveness"].detail


def test_explosiveness_ignores_a_crash() -> None:
    closes = _market()
    bust = -np.cumsum(0.002 * 1.09 ** np.arange(45))
    closes.loc[DAYS[-45:], "AAA"] = closes["AAA"].iloc[-46] * np.exp(bust)
    comps = market_components(closes, ["AAA", "BBB", "CCC"])
    assert comps.explosive_ratio["AAA"].iloc[-1] < 1.0


def test_concentration_rises_when_cap_weighted_beats_equal_weighted() -> None:
    closes = _market().drop(columns=["QQQ"])
    closes.loc[DAYS[-126:], "SPY"] *= np.exp(np.linspace(0, 0.3, 126))
    comps = market_components(closes, ["AAA"])
    assert comps.values["concentration"].iloc[-1] > 95
    assert comps.coverage["concentration"].iloc[-1] == 0.5


def test_fragility_accepts_vixy_and_rises_in_a_crash() -> None:
    closes = _market()
    crash = np.exp(np.linspace(0, -0.5, 20))
    for t in ("AAA", "BBB", "CCC"):
        closes.loc[DAYS[-20:], t] *= crash * np.exp(np.random.default_rng(1).normal(0, 0.04, 20))
    closes.loc[DAYS[-20:], "VIXY"] *= np.exp(np.linspace(0, 1.0, 20))
    comps = market_components(closes, ["AAA", "BBB", "CCC"])
    assert comps.values["fragility"].iloc[-1] > 95
    assert comps.coverage["fragility"].iloc[-1] == 1.0
    sig = {s.name: s for s in market_signals(closes, ["AAA", "BBB", "CCC"])}
    assert "VIXY " in sig["fragility"].detail and "above its 50-day mean" in sig["fragility"].detail
    without = market_components(closes.drop(columns=["VIXY"]), ["AAA", "BBB", "CCC"])
    assert without.coverage["fragility"].iloc[-1] == pytest.approx(2 / 3)


def test_credit_signals_junk_lagging_investment_grade() -> None:
    closes = _market()
    closes.loc[DAYS[-40:], "HYG"] *= np.exp(np.linspace(0, -0.15, 40))
    sig = {s.name: s for s in market_signals(closes, ["AAA"])}
    assert sig["credit"].value is not None and sig["credit"].value > 95
    assert "junk lagging" in sig["credit"].detail


def test_truncating_the_history_does_not_change_earlier_rows() -> None:
    closes = _market(seed=3)
    full = market_component_frame(closes, ["AAA", "BBB", "CCC"])
    cut = market_component_frame(closes.iloc[:520], ["AAA", "BBB", "CCC"])
    pd.testing.assert_frame_equal(full.iloc[:520], cut)
    assert full.iloc[519].notna().all()


def test_market_signals_reads_the_row_at_as_of_and_reports_missing_inputs() -> None:
    closes = _market(seed=5).drop(columns=["HYG"])
    frame = market_component_frame(closes, ["AAA", "BBB"])
    day = DAYS[600]
    signals = market_signals(closes, ["AAA", "BBB"], as_of=day.date())
    assert [s.name for s in signals] == list(COMPONENTS)
    assert all(s.kind == "market" for s in signals)
    by_name = {s.name: s for s in signals}
    assert by_name["overextension"].value == pytest.approx(frame.at[day, "overextension"])
    assert by_name["credit"].value is None and by_name["credit"].coverage == 0.0
    assert "HYG/LQD" in by_name["credit"].detail
    assert all(s.detail and "\n" not in s.detail for s in signals)
    aware = market_signals(closes, ["AAA", "BBB"], as_of=datetime(2022, 4, 20, 21, tzinfo=UTC))
    assert aware == market_signals(closes, ["AAA", "BBB"], as_of=date(2022, 4, 20))
    empty = market_signals(closes.iloc[:0], ["AAA"])
    assert all(s.value is None for s in empty)
