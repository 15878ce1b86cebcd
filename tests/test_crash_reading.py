"""The live v2 reading of one basket (pure): what it says and what never moves it."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pandas as pd
import pytest

from monitor.reading.crash_model import load_model
from signals.crash.reading import (
    UNFITTED_WEIGHT,
    NotEnoughHistoryError,
    crash_reading,
    describe,
    gsy_flag,
    unit_base_rate,
)
from signals.crash.regimes import regime_v3
from signals.models import Signal

MODEL = load_model(24)
NOW = datetime(2026, 6, 30, 21, 0, tzinfo=UTC)


def closes(boom: float = 0.0, days: int = 1400) -> tuple[pd.DataFrame, pd.Series]:
    """Two stocks and SPY; `boom` adds a daily log drift to the stocks' last two years."""
    rng = np.random.default_rng(5)
    index = pd.bdate_range(end=NOW.date(), periods=days)
    drift = np.zeros(days)
    drift[-504:] = boom
    stocks = np.exp(np.cumsum(rng.normal(0.0003, 0.02, (days, 2)) + drift[:, None], axis=0))
    spy = pd.Series(np.exp(np.cumsum(rng.normal(0.0003, 0.01, days))), index=index)
    return pd.DataFrame(100 * stocks, index=index, columns=["AAA", "BBB"]), 100 * spy


def test_a_boom_raises_the_probability_froth_and_index() -> None:
    calm_prices, spy = closes(0.0)
    boom_prices, _ = closes(0.003)  # about +110% a year for two years
    calm = crash_reading(calm_prices, benchmark=spy, news=[], model=MODEL, now=NOW)
    boom = crash_reading(boom_prices, benchmark=spy, news=[], model=MODEL, now=NOW)
    assert boom.probability > calm.probability
    assert boom.froth > calm.froth and boom.froth >= 95
    assert boom.index == pytest.approx(100 * boom.probability)
    # v3: the base rate of units as volatile, the regime from the probability against it.
    values = {c.name: c.value for c in boom.components if c.value is not None}
    assert boom.base_rate == unit_base_rate(MODEL, values["volatility"])
    flag = gsy_flag({k: values[k] for k in ("runup_2y", "runup_2y_net") if k in values})
    assert boom.regime == regime_v3(
        boom.probability, boom.base_rate, flag=flag, drawdown=values["drawdown"]
    )
    assert len(boom.drivers) == 3 and "run-up" in boom.drivers[0]


def test_contributions_add_up_to_the_index() -> None:
    prices, spy = closes(0.002)
    news = [Signal("layoffs", "news", 90.0, "many"), Signal("ai_demand", "news", None, "none")]
    r = crash_reading(prices, benchmark=spy, news=news, model=MODEL, now=NOW)
    assert sum(c.contribution for c in r.components) == pytest.approx(r.index)


def test_unfitted_news_moves_the_index_a_little_and_the_probability_never() -> None:
    prices, spy = closes(0.002)
    quiet = crash_reading(prices, benchmark=spy, news=[], model=MODEL, now=NOW)
    loud_news = [Signal(n, "news", 100.0, "x") for n in ("layoffs", "bubble_warning")]
    loud = crash_reading(prices, benchmark=spy, news=loud_news, model=MODEL, now=NOW)
    assert loud.probability == quiet.probability
    assert loud.index - quiet.index == pytest.approx(2 * UNFITTED_WEIGHT * 50)
    marked = [c for c in loud.components if c.unfitted and c.axis == "news"]
    assert [c.name for c in marked] == ["layoffs", "bubble_warning"]


def test_prices_after_now_are_never_used() -> None:
    prices, spy = closes(0.002)
    earlier = NOW.replace(month=3)
    cut = prices.loc[prices.index <= pd.Timestamp(earlier.date())]
    a = crash_reading(prices, benchmark=spy, news=[], model=MODEL, now=earlier)
    b = crash_reading(cut, benchmark=spy, news=[], model=MODEL, now=earlier)
    assert a.probability == pytest.approx(b.probability, abs=1e-12)
    assert a.froth == pytest.approx(b.froth) and a.stress == pytest.approx(b.stress)


def test_short_history_is_refused_and_missing_features_are_named() -> None:
    prices, spy = closes(0.0, days=200)
    with pytest.raises(NotEnoughHistoryError, match="less than a year"):
        crash_reading(prices, benchmark=spy, news=[], model=MODEL, now=NOW)
    prices, spy = closes(0.0, days=600)
    r = crash_reading(prices, benchmark=spy, news=[], model=MODEL, now=NOW)
    assert "runup_5y" in r.missing and "psy" in r.missing
    by = {c.name: c for c in r.components}
    assert by["runup_5y"].value is None and by["runup_5y"].contribution == 0.0


def test_drivers_are_words() -> None:
    assert describe("runup_2y", np.log(3.0)) == "2-year run-up +200%"
    assert describe("drawdown", 0.25) == "25% below the 1-year high"
    assert describe("psy", None).endswith("counted as its historical mean)")


def test_the_history_agrees_with_the_live_reading_day_by_day() -> None:
    from signals.crash.history import crash_history

    prices, spy = closes(0.002)
    history = crash_history(prices, benchmark=spy, model=MODEL)
    for day in (prices.index[300], prices.index[900], prices.index[-1]):
        now = datetime.combine(day.date(), NOW.timetz())
        live = crash_reading(prices, benchmark=spy, news=[], model=MODEL, now=now)
        row = history.loc[day]
        assert row["probability"] == pytest.approx(live.probability, abs=1e-12)
        assert row["froth"] == pytest.approx(live.froth)
        assert row["regime_v2"] == live.regime
        assert row["base_rate"] == pytest.approx(live.base_rate)
        assert row["index_v2"] == pytest.approx(live.index)
    assert history["probability"].iloc[:200].isna().all()  # under a year of prices
    assert (history["regime_v2"].iloc[:200] == "").all()


def test_the_run_ups_are_one_driver_with_their_log_odds_summed() -> None:
    """Run-ups and acceleration are linear in the same yearly returns: alone the 2-year one
    lowers the odds here, together they raise them, and the reading says only the latter."""
    import math

    from signals.crash.reading import CrashComponent, drivers

    def part(name: str, value: float, log_odds: float, axis: str = "froth") -> CrashComponent:
        return CrashComponent(name, axis, value, 0.1, 0.0, describe(name, value), False, log_odds)  # type: ignore[arg-type]

    components = [
        part("runup_1y", math.log(2.02), 1.80),
        part("runup_2y", math.log(2.21), -0.75),
        part("acceleration", 0.61, -0.83),
        part("drawdown", 0.03, -0.25, "stress"),
        part("volatility", 0.17, 0.19),
        part("psy", 1.1, 0.05),
    ]
    out = drivers(components)
    assert out[0] == "3% below the 1-year high lowers the crash odds x0.78"
    assert out[1] == (
        "the run-up (1-year +102%, 2-year +121%, acceleration +61 pts) raises the crash odds "
        f"x{math.exp(1.80 - 0.75 - 0.83):.2f}"
    )
    assert sum("run-up" in d for d in out) == 1 and len(out) == 3
