"""Per-segment readings (signals.segments) and the GSY-style spread (signals.spread)."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pandas as pd
import pytest

from signals.index import MARKET_COMPONENTS
from signals.segments import NO_DATA, SegmentNews, SegmentSpec, segment_reading
from signals.spread import describe_spread, spread_frame, spread_reading

WEIGHTS = {name: 1.0 for name in (*MARKET_COMPONENTS, "layoffs", "ai_demand")}
N = 800


def closes() -> pd.DataFrame:
    """LLM names double every year, applied AI drifts, SPY and RSP wander, with benchmarks."""
    rng = np.random.default_rng(7)
    days = pd.bdate_range("2023-01-02", periods=N)
    t = np.arange(N)
    walk = lambda vol: np.exp(np.cumsum(rng.normal(0, vol, N)))  # noqa: E731
    return pd.DataFrame(
        {
            "BOOM": 10 * np.exp(t * np.log(2) / 252) * walk(0.01),
            "BOOM2": 20 * np.exp(t * np.log(2) / 252) * walk(0.01),
            "CALM": 50 * walk(0.01),
            "SPY": 400 * walk(0.008),
            "RSP": 150 * walk(0.008),
            "XBI": 90 * np.ones(N),
        },
        index=days,
    )


NOW = datetime(2026, 1, 20, 21, 30, tzinfo=UTC)


def test_spread_is_the_runups_net_of_each_other() -> None:
    frame = closes()
    spread = spread_frame(frame, ["BOOM"], ["CALM"], horizon=504)
    day = frame.index[-1]
    expected_a = frame["BOOM"].iloc[-1] / frame["BOOM"].iloc[-1 - 504] - 1
    expected_b = frame["CALM"].iloc[-1] / frame["CALM"].iloc[-1 - 504] - 1
    assert spread.loc[day, "runup_a"] == pytest.approx(expected_a)
    assert spread.loc[day, "net"] == pytest.approx(expected_a - expected_b)
    assert spread["runup_a"].iloc[:504].isna().all()  # no two-year run-up before two years
    # The first 252 run-ups have no history to rank against.
    first = spread["net"].first_valid_index()
    assert spread.loc[first:, "percentile"].iloc[:251].isna().all()
    assert 0 <= spread["percentile"].iloc[-1] <= 100


def test_spread_uses_no_later_closes() -> None:
    frame = closes()
    full = spread_frame(frame, ["BOOM"], ["CALM"])
    cut = spread_frame(frame.iloc[:700], ["BOOM"], ["CALM"])
    pd.testing.assert_frame_equal(full.iloc[:700], cut)


def test_spread_reading_and_its_line() -> None:
    reading = spread_reading(closes(), ("llm", "applied_ai"), ["BOOM", "BOOM2"], ["CALM"])
    assert reading is not None and reading.net is not None and reading.runup_a is not None
    assert reading.runup_a > 2.0  # doubling a year: about +300% over two years
    assert reading.net == pytest.approx(reading.runup_a - (reading.runup_b or 0.0))
    line = describe_spread(reading)
    assert line.startswith("LLM +") and "over 2 years: net +" in line
    short = spread_reading(closes().iloc[:300], ("llm", "applied_ai"), ["BOOM"], ["CALM"])
    assert short is not None and short.net is None
    assert "no 2-year run-up yet" in describe_spread(short)


def test_market_only_segment_reading_with_benchmark() -> None:
    spec = SegmentSpec("llm", ("BOOM", "BOOM2"), ("SPY", "SPY"), "SPY", has_news=False)
    frame = closes()
    reading = segment_reading(frame, spec, SegmentNews(), WEIGHTS, now=NOW)
    assert {c.name for c in reading.components} == set(MARKET_COMPONENTS)
    assert reading.index is not None and 0 <= reading.index <= 100
    assert reading.runup is not None and reading.runup > 2.0
    spy = frame["SPY"].iloc[-1] / frame["SPY"].iloc[-1 - 504] - 1
    assert reading.runup_net == pytest.approx(reading.runup - spy)
    explosive = next(c for c in reading.components if c.name == "explosiveness")
    assert explosive.value is not None
    assert reading.probability is None and reading.froth is None  # no fitted model here


def test_segment_without_prices_or_news_has_no_value_and_says_why() -> None:
    spec = SegmentSpec("ghost", ("NOPE",), benchmark="SPY")
    reading = segment_reading(closes(), spec, SegmentNews(), WEIGHTS, now=NOW)
    assert reading.index is None and reading.regime == NO_DATA
    assert reading.notes == ("segment ghost: no prices of its tickers and no attributed headlines",)


def test_segment_news_without_headlines_is_named_missing() -> None:
    spec = SegmentSpec("applied_ai", ("CALM",), ("XBI",), "SPY")
    reading = segment_reading(closes(), spec, SegmentNews(), WEIGHTS, now=NOW)
    news = {c.name: c for c in reading.components if c.kind == "news"}
    assert news["layoffs"].value is None
    assert news["layoffs"].detail == "no headlines attributed to applied AI"
    assert reading.index is not None  # the market components carry the reading
    assert reading.headlines == 0


def test_change_is_against_the_same_segment_before() -> None:
    spec = SegmentSpec("llm", ("BOOM",), ("SPY",), "SPY", has_news=False)
    frame = closes()
    first = segment_reading(frame.iloc[:-5], spec, SegmentNews(), WEIGHTS, now=NOW)
    second = segment_reading(frame, spec, SegmentNews(), WEIGHTS, now=NOW, previous=first)
    assert first.index is not None and second.index is not None
    assert second.change == pytest.approx(second.index - first.index)


def test_with_the_crash_model_a_segment_gets_the_fitted_reading() -> None:
    """The same reading as the headline basket's (signals.basket): the fitted probability,
    its change against the same segment before; under a year of prices, v1 and a note."""
    from monitor.reading.crash_model import live_model

    model = live_model("6m")
    spec = SegmentSpec("llm", ("BOOM",), ("SPY",), "SPY", has_news=False)
    previous = segment_reading(closes(), spec, SegmentNews(), WEIGHTS, now=NOW)
    reading = segment_reading(
        closes(), spec, SegmentNews(), WEIGHTS, now=NOW, previous=previous, model=model
    )
    assert previous.probability is None and previous.index is not None
    assert reading.probability is not None and reading.base_rate is not None
    assert reading.change == pytest.approx((reading.index or 0.0) - previous.index)
    assert any(c.name == "runup_1y" for c in reading.components)
    short = segment_reading(
        closes().iloc[-200:], spec, SegmentNews(), WEIGHTS, now=NOW, model=model
    )
    assert short.probability is None and short.index is not None
    assert any("index v2 not available" in n for n in short.notes)


def test_a_segment_reading_is_the_basket_reading_built_in_its_own_shape() -> None:
    """signals.basket builds the segment's reading straight into its SegmentReading: the
    parts are those of the basket reading of the same tickers, nothing dropped on the way,
    and the segment's own facts (tickers, benchmark, run-ups) stay."""
    from monitor.reading.crash_model import live_model
    from signals.basket import basket_reading, closes_fitted
    from signals.index import index_shape
    from signals.regime import basket_drawdown

    model = live_model("6m")
    frame = closes()
    spec = SegmentSpec("llm", ("BOOM",), ("SPY",), "SPY", has_news=False)
    market_weights = {k: w for k, w in WEIGHTS.items() if k in MARKET_COMPONENTS}
    segment = segment_reading(frame, spec, SegmentNews(), WEIGHTS, now=NOW, model=model)
    basket = basket_reading(
        index_shape(NOW),
        [],
        market_weights,
        previous=None,
        model=model,
        fitted=closes_fitted(frame, ["BOOM"], model, now=NOW, name="llm"),
        market=tuple,
        drawdown=basket_drawdown(frame, ["BOOM"]),
    )
    parts = ("index", "regime", "change", "probability", "base_rate", "froth", "stress")
    for part in (*parts, "components", "top_headlines", "stale", "notes"):
        assert getattr(segment, part) == getattr(basket, part), part
    assert segment.probability is not None and segment.stale  # runup_5y: no five years
    assert (segment.tickers, segment.benchmark) == (("BOOM",), "SPY")
    assert segment.runup is not None and segment.runup_net is not None


def test_segment_news_counts_its_stories_over_the_days_the_feeds_collected() -> None:
    """A segment with one story in two months still has news components: the other
    headlines (unscored in its view) keep the days active and the feeds not silent."""
    from datetime import timedelta

    from signals.attribution import segment_view
    from signals.models import Headline, HeadlineScore, StoredHeadline

    score = HeadlineScore("capex_debt", 0.9, {"capex_debt": 0.9}, "t")

    def item(i: int) -> StoredHeadline:
        when = NOW - timedelta(hours=6 * i)
        headline = Headline(f"S{i}", f"https://x.invalid/{i}", "X", "f", when)
        return StoredHeadline(i, headline, i, score)

    every = [item(i) for i in range(1, 500)]
    mine = [every[3]]
    spec = SegmentSpec("applied_ai", ("CALM",), ("XBI",), "SPY")
    view = SegmentNews(segment_view(every, mine), None, attributed=1)
    reading = segment_reading(closes(), spec, view, WEIGHTS, now=NOW)
    news = {c.name: c for c in reading.components if c.kind == "news"}
    assert news["layoffs"].value is not None  # measured, not "feeds silent"
    assert reading.headlines == 1
    alone = segment_reading(closes(), spec, SegmentNews(mine, None, 1), WEIGHTS, now=NOW)
    alone_news = {c.name: c for c in alone.components if c.kind == "news"}
    assert alone_news["layoffs"].value is None  # its own headline alone: too little history
