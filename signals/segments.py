"""One reading per segment: the per-basket computation run on each segment's own tickers
and its own news.

`segment_reading` is the one per-basket step: the same reading as the headline basket's
(signals.basket), on the segment's tickers and the news components of the headlines
attributed to it: fitted with the crash model once it has a year of prices, else v1
(signals.index `combine`). Market-wide inputs (concentration SPY/RSP, credit HYG/LQD, VIX) are
the same for every segment; overextension, explosiveness and the basket's volatility and
drawdown are the segment's own.

News: a segment's news components count only the stories attributed to it, but measure
their rates over the days the feeds were collecting (every headline), so a segment with
little news reads a low rate, not "feeds silent" (signals.attribution.segment_view).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import pandas as pd

from signals.basket import basket_reading, closes_fitted
from signals.crash.model import CrashModel
from signals.crash.relative import display_name
from signals.index import MARKET_COMPONENTS, NoComponentsError, Shape
from signals.market import market_signals
from signals.models import SegmentReading, Signal, StoredHeadline
from signals.news import news_signals
from signals.regime import basket_drawdown
from signals.spread import GSY_HORIZON, last_value, runup_series

NO_DATA = "no data"


@dataclass(frozen=True, slots=True)
class SegmentSpec:
    """What a segment is: its tickers, each member's benchmark, the segment benchmark."""

    name: str
    tickers: tuple[str, ...]
    member_benchmarks: tuple[str, ...] = ()
    benchmark: str | None = None
    has_news: bool = True


@dataclass(frozen=True, slots=True)
class SegmentNews:
    """A segment's view of the news (signals.attribution.segment_view): every headline,
    those not attributed to it without their score; `attributed` counts the others."""

    headlines: Sequence[StoredHeadline] = ()
    layoff_events: pd.Series | None = None
    attributed: int = 0


def segment_reading(
    closes: pd.DataFrame,
    spec: SegmentSpec,
    news: SegmentNews,
    weights: Mapping[str, float],
    *,
    now: datetime,
    previous: SegmentReading | None = None,
    stale: Sequence[str] = (),
    model: CrashModel | None = None,
) -> SegmentReading:
    """The segment's reading as of `now` from closes in dollars (up to `now` only), fitted
    with `model` (the live crash model) when it is given and a year of prices allows."""
    used_weights = (
        weights if spec.has_news else {k: w for k, w in weights.items() if k in MARKET_COMPONENTS}
    )
    mine = [t for t in spec.tickers if t in closes]
    base = _no_data(closes, spec, news, stale)
    fitted = None
    if model is not None:
        fitted = closes_fitted(closes, spec.tickers, model, now=now, name=spec.name)
    try:
        return basket_reading(
            segment_shape(base),
            _news(spec, news, now),
            used_weights,
            previous=previous,
            model=model,
            fitted=fitted,
            market=lambda: _market(closes, spec),
            stale=base.stale,
            drawdown=basket_drawdown(closes, mine) if mine else None,
        )
    except NoComponentsError:
        note = f"segment {spec.name}: no prices of its tickers and no attributed headlines"
        return replace(base, notes=(note,))


def segment_shape(base: SegmentReading) -> Shape[SegmentReading]:
    """Builds a segment's computed reading straight into its SegmentReading: `base` (the
    segment with no data yet: what it holds, its run-ups) with the computed parts. The
    crash model's drivers, target and caution are the basket's reading's to show."""

    def shape(
        *,
        drivers: tuple[str, ...] = (),
        target: str | None = None,
        validated: bool | None = None,
        caution: str | None = None,
        **parts: Any,
    ) -> SegmentReading:
        return replace(base, **parts)

    return shape


def _no_data(
    closes: pd.DataFrame, spec: SegmentSpec, news: SegmentNews, stale: Sequence[str]
) -> SegmentReading:
    """The segment before its index: what it holds, its run-ups and its stale tickers."""
    runup, runup_net = _runups(closes, spec)
    return SegmentReading(
        name=spec.name,
        index=None,
        regime=NO_DATA,
        change=None,
        components=(),
        tickers=spec.tickers,
        benchmark=spec.benchmark,
        runup=runup,
        runup_net=runup_net,
        headlines=news.attributed,
        stale=tuple(s for s in stale if s in spec.tickers),
    )


def _market(closes: pd.DataFrame, spec: SegmentSpec) -> list[Signal]:
    mine = [t for t in spec.tickers if t in closes and closes[t].notna().any()]
    if not mine:
        return []
    return market_signals(closes, mine)


def _news(spec: SegmentSpec, news: SegmentNews, now: datetime) -> list[Signal]:
    if not spec.has_news:
        return []
    signals = news_signals(news.headlines, now=now, layoff_events=news.layoff_events)
    if news.attributed or news.layoff_events is not None:
        return signals
    why = f"no headlines attributed to {display_name(spec.name)}"
    return [replace(s, detail=why) for s in signals]


def _runups(closes: pd.DataFrame, spec: SegmentSpec) -> tuple[float | None, float | None]:
    raw = runup_series(closes, spec.tickers, GSY_HORIZON)
    benchmarks = spec.member_benchmarks or ((spec.benchmark,) if spec.benchmark else ())
    if not benchmarks or set(benchmarks) <= set(spec.tickers):
        return last_value(raw), None  # a segment is no benchmark of itself
    bench = runup_series(closes, list(benchmarks), GSY_HORIZON)
    return last_value(raw), last_value(raw - bench)
