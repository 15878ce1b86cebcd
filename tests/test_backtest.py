"""The backtest: the replayed index agrees with live combine, never looks ahead, reweights
missing inputs, accepts one series, names bad lines, feeds headlines on their dates, and
stands high before the peak of a planted bubble."""

from __future__ import annotations

from datetime import UTC, date, datetime

import numpy as np
import pandas as pd
import pytest

from signals.backtest import find_episodes, index_series, run_backtest
from signals.index import combine
from signals.models import Signal
from signals.regime import basket_drawdown

WEIGHTS = {
    "overextension": 1.5,
    "explosiveness": 1.5,
    "concentration": 1.0,
    "fragility": 1.0,
    "credit": 0.75,
    "layoffs": 0.75,
}


def synthetic_closes(days: int = 420, seed: int = 3) -> pd.DataFrame:
    """Three tickers: a steady rise, a sharp fall in the last fifth, and a late listing."""
    rng = np.random.default_rng(seed)
    index = pd.bdate_range("2020-01-01", periods=days)
    drift = np.where(np.arange(days) < days * 0.8, 0.002, -0.01)
    paths = {}
    for ticker in ("AAA", "BBB", "CCC"):
        paths[ticker] = 100 * np.exp(np.cumsum(drift + rng.normal(0, 0.01, days)))
    closes = pd.DataFrame(paths, index=index)
    closes.iloc[:100, 2] = np.nan
    return closes


def synthetic_components(days: pd.DatetimeIndex, seed: int = 5) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        rng.uniform(-10, 110, (len(days), 5)),
        index=days,
        columns=["overextension", "explosiveness", "fragility", "credit", "layoffs"],
    )
    frame = frame.mask(rng.uniform(size=frame.shape) < 0.3)  # holes in single cells
    frame.iloc[:30, 0:2] = np.nan
    return frame


def test_index_and_regime_equal_combine_on_every_day() -> None:
    closes = synthetic_closes()
    components = synthetic_components(pd.DatetimeIndex(closes.index))
    components.iloc[7] = np.nan  # a day without any component: no reading
    result = run_backtest(components, WEIGHTS, closes=closes, basket=["AAA", "BBB", "CCC"])
    checked = 0
    for day in components.index:
        row = components.loc[day]
        signals = [
            Signal(str(n), "market", None if np.isnan(v) else float(v), "") for n, v in row.items()
        ]
        got = result.frame.loc[day]
        if row.isna().all():
            assert np.isnan(got["index"]) and got["regime"] == ""
            continue
        reading = combine(
            signals,
            WEIGHTS,
            as_of=datetime.combine(day.date(), datetime.min.time(), UTC),
            previous=None,
            drawdown=basket_drawdown(closes, ["AAA", "BBB", "CCC"], as_of=day.date()),
        )
        assert got["index"] == pytest.approx(reading.index, abs=1e-9)
        assert got["regime"] == reading.regime
        checked += 1
    assert checked == int(components.notna().any(axis=1).sum()) > 400
    assert "bursting" in set(result.frame["regime"])  # the fall after the rise is seen


def test_missing_component_listed_empty_and_weight_spread() -> None:
    days = pd.bdate_range("2021-01-01", periods=5)
    components = pd.DataFrame({"overextension": [80.0] * 5, "layoffs": [20.0] * 5}, index=days)
    result = run_backtest(components, WEIGHTS)
    assert result.missing == ("explosiveness", "concentration", "fragility", "credit")
    assert list(result.frame.columns) == [
        "index",
        "regime",
        "overextension",
        "explosiveness",
        "concentration",
        "fragility",
        "credit",
        "layoffs",
    ]
    assert result.frame["concentration"].isna().all()
    expected = (80 * 1.5 + 20 * 0.75) / (1.5 + 0.75)
    assert result.frame["index"].to_numpy() == pytest.approx([expected] * 5)
    assert result.coverage["overextension"] == 1.0 and result.coverage["credit"] == 0.0


def test_unweighted_component_is_kept_but_not_counted() -> None:
    days = pd.bdate_range("2021-01-01", periods=3)
    components = pd.DataFrame({"overextension": [40.0] * 3, "extra": [100.0] * 3}, index=days)
    index = index_series(components, {"overextension": 1.0})
    assert index.to_numpy() == pytest.approx([40.0] * 3)


def test_values_are_clipped_like_combine() -> None:
    days = pd.bdate_range("2021-01-01", periods=1)
    components = pd.DataFrame({"overextension": [140.0], "credit": [-20.0]}, index=days)
    index = index_series(components, {"overextension": 1.0, "credit": 1.0})
    assert index.iloc[0] == pytest.approx(50.0)


def test_start_keeps_history_for_trailing_windows_but_drops_rows() -> None:
    closes = synthetic_closes()
    components = synthetic_components(pd.DatetimeIndex(closes.index))
    basket = ["AAA", "BBB", "CCC"]
    full = run_backtest(components, WEIGHTS, closes=closes, basket=basket)
    late = run_backtest(components, WEIGHTS, closes=closes, basket=basket, start=date(2021, 1, 4))
    assert late.frame.index[0] == pd.Timestamp("2021-01-04")
    pd.testing.assert_frame_equal(late.frame, full.frame.loc["2021-01-04":])


def test_episodes_bridge_short_gaps_and_drop_short_runs() -> None:
    days = pd.bdate_range("2022-01-03", periods=60)
    labels = ["calm"] * 60
    for i in range(5, 20):  # 15 days, with a 3-day dip inside
        labels[i] = "bubble"
    for i in (11, 12, 13):
        labels[i] = "frothy"
    for i in range(22, 30):  # 8 days of bursting after a 2-day gap: joins the run
        labels[i] = "bursting"
    for i in range(45, 50):  # 5 days alone: too short
        labels[i] = "bubble"
    values = pd.Series(np.linspace(50, 80, 60), index=days)
    values.iloc[18] = 99.0
    episodes = find_episodes(values, pd.Series(labels, index=days))
    assert len(episodes) == 1
    only = episodes[0]
    assert (only.start, only.end, only.days) == (days[5].date(), days[29].date(), 25)
    assert only.peak == days[18].date() and only.peak_index == 99.0
