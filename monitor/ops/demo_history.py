"""The demo's past: one reading for every simulated session, each marked simulated.

`report --demo` stores the scenario, then calls `seed_daily_readings`, so `history`, the
dashboard's chart with its 1M/6M/1Y/All ranges and the 1-month and 1-year changes have
years of content. The inputs are computed once as daily series (monitor.ops.unit_series);
per day only the reading is left, built by the live reading's own function
(signals.basket.basket_reading over signals.crash.reading.reading_from_features), for
the basket and each segment.

What a history reading leaves out (the live reading of the last day has it): the top
headlines of each day and the news details (the frame's rows carry values, not
sentences); smart money is read daily over the last 40 sessions and weekly before. Their
context says `"simulated": true`, like the last reading's.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Final

import pandas as pd

from monitor.config.feeds_yaml import Config
from monitor.ops.unit_series import UnitSeries, unit_series
from monitor.present.smart_money_json import view_to_dict
from monitor.reading.segments import alias_table, spec_of
from monitor.reading.smart_money import smart_money_view
from monitor.stages.as_of import READING_TIME  # each day at its close, as live readings
from monitor.store import Store
from monitor.store.readings import save_reading
from signals.attribution import attribute, segment_view
from signals.basket import basket_reading
from signals.crash.model import CrashModel
from signals.crash.reading import CrashReading, reading_from_features
from signals.index import (
    MARKET_COMPONENTS,
    Earlier,
    NoComponentsError,
    R,
    Shape,
    active_weights,
    index_shape,
)
from signals.models import (
    IndexReading,
    SegmentReading,
    Signal,
    SpreadReading,
    StoredHeadline,
)
from signals.segments import NO_DATA, segment_shape
from signals.spread import GSY_HORIZON, SPREAD_PAIR, spread_frame

#: The context key that marks a reading computed from the simulated scenario.
SIMULATED = "simulated"
NEWS_DETAIL = "{name}: replayed from the daily news series (headline details on the last day)"


def seed_daily_readings(
    store: Store,
    config: Config,
    closes: pd.DataFrame,
    headlines: Sequence[StoredHeadline],
    *,
    model: CrashModel,
    until: datetime,
    layoff_events: pd.Series | None = None,
    on_saved: Callable[[IndexReading], None] = lambda _: None,
) -> int:
    """Store a reading for every session of `closes` before `until` from the first on which
    the crash model can read the basket (a year of prices), each also to `on_saved` (the
    demo's cache); returns how many. Idempotent (readings are keyed by their time)."""
    days = [d for d in closes.index if d.date() < until.date()]
    if not days:
        return 0
    span = (days[0].date(), days[-1].date())
    basket = unit_series(
        "basket", closes, config.basket, headlines=headlines, layoff_events=layoff_events, days=span
    )
    table = alias_table(config)
    attributed = attribute(headlines, {s.name: s.news for s in config.segments}, table)
    segments = []
    for segment in config.segments:
        spec = spec_of(segment)
        view = None if segment.news == "none" else segment_view(headlines, attributed[segment.name])
        bench = spec.member_benchmarks or ((spec.benchmark,) if spec.benchmark else ())
        segments.append(
            unit_series(
                segment.name,
                closes,
                spec.tickers,
                headlines=view,
                layoff_events=layoff_events if segment.news == "all" else None,
                days=span,
                benchmarks=bench,
                benchmark=spec.benchmark,
            )
        )
    spread = _spread(config, closes)
    weights = active_weights(config.index.weights, ())
    previous: IndexReading | None = None
    count = 0
    smart = _SmartMoney(store, config, days)
    with store.transaction():
        for day in days:
            reading = _reading_on(day, basket, segments, weights, model, previous, smart)
            if reading is None:
                continue
            reading = replace(reading, spread=_spread_on(spread, day))
            save_reading(store, reading, computed_at=reading.as_of)
            on_saved(reading)
            previous, count = reading, count + 1
    return count


def _reading_on(
    day: pd.Timestamp,
    basket: UnitSeries,
    segments: Sequence[UnitSeries],
    weights: Mapping[str, float],
    model: CrashModel,
    previous: IndexReading | None,
    smart: _SmartMoney,
) -> IndexReading | None:
    # The history starts when the crash model can read the basket (a year of prices):
    # before that a reading would rest on one or two v1 components alone.
    if math.isnan(basket.features_on(day).get("runup_1y", math.nan)):
        return None
    now = datetime.combine(day.date(), READING_TIME, UTC)
    extra, context = smart.on(now)
    mine = active_weights(weights, extra) if extra else weights
    reading = _unit_reading(index_shape(now), basket, day, now, mine, model, previous, extra)
    if reading is None:
        return None
    before = {s.name: s for s in previous.segments} if previous is not None else {}
    parts = tuple(
        _segment_reading(unit, day, now, weights, model, before.get(unit.name)) for unit in segments
    )
    return replace(reading, segments=parts, context={**context, SIMULATED: True})


class _SmartMoney:
    """Smart money for the basket: read from the store every day of the last DAILY
    sessions (what the 1M view and the 1-month change look at), and every EVERY sessions
    before, reused in between (a view of a few days before: older data, never later).
    Short interest settles twice a month and 13F filings come quarterly, so a week's
    reuse changes little and spares a store read per day."""

    EVERY: Final = 5
    DAILY: Final = 40

    def __init__(self, store: Store, config: Config, days: Sequence[pd.Timestamp]) -> None:
        self.store, self.config = store, config
        self.daily_from = days[-self.DAILY].date() if len(days) >= self.DAILY else date.min
        self.count = 0
        self.last: tuple[list[Signal], dict[str, object]] = ([], {})

    def on(self, now: datetime) -> tuple[list[Signal], dict[str, object]]:
        if self.count % self.EVERY == 0 or now.date() >= self.daily_from:
            view = smart_money_view(self.store, self.config, now=now)
            self.last = (list(view.reading_signals()), dict(view_to_dict(view)))
        self.count += 1
        return self.last


def _unit_reading(
    shape: Shape[R],
    unit: UnitSeries,
    day: pd.Timestamp,
    now: datetime,
    weights: Mapping[str, float],
    model: CrashModel,
    previous: Earlier | None,
    extra: Sequence[Signal] = (),
) -> R | None:
    """The unit's reading on `day` (with `extra` signals: smart money), built by `shape`
    as the live one is (signals.basket): fitted once a year of prices gives its run-up,
    else v1; None when nothing has a value."""
    features = unit.features_on(day)
    fitted = None
    if not pd.isna(features.get("runup_1y", float("nan"))):

        def fitted(news: Sequence[Signal]) -> CrashReading:
            return reading_from_features(features, news=news, model=model, now=now, name=unit.name)

    try:
        return basket_reading(
            shape,
            [*_news_on(unit, day), *extra],
            weights,
            previous=previous,
            model=model,
            fitted=fitted,
            market=lambda: unit.market_signals_on(day),
            drawdown=unit.drawdown_on(day),
        )
    except NoComponentsError:
        return None


def _news_on(unit: UnitSeries, day: pd.Timestamp) -> list[Signal]:
    out: list[Signal] = []
    for name, value in unit.news_on(day).items():
        present = not math.isnan(value)
        detail = NEWS_DETAIL.format(name=name.replace("_", " "))
        out.append(Signal(name, "news", value if present else None, detail, float(present)))
    return out


def _segment_reading(
    unit: UnitSeries,
    day: pd.Timestamp,
    now: datetime,
    weights: Mapping[str, float],
    model: CrashModel,
    previous: SegmentReading | None,
) -> SegmentReading:
    used = (
        weights
        if unit.news is not None
        else {k: w for k, w in weights.items() if k in MARKET_COMPONENTS}
    )
    base = SegmentReading(
        name=unit.name,
        index=None,
        regime=NO_DATA,
        change=None,
        components=(),
        tickers=unit.tickers,
        benchmark=unit.benchmark,
        runup=_at(unit.runup, day),
        runup_net=unit.value_on(unit.runup_net, day),
    )
    reading = _unit_reading(segment_shape(base), unit, day, now, used, model, previous)
    return base if reading is None else reading


def _at(series: pd.Series, day: pd.Timestamp) -> float | None:
    value = series.get(day)
    return None if value is None or pd.isna(value) else float(value)


def _spread(config: Config, closes: pd.DataFrame) -> pd.DataFrame | None:
    by_name = {s.name: s for s in config.segments}
    a, b = SPREAD_PAIR
    if a not in by_name or b not in by_name:
        return None
    return spread_frame(closes, by_name[a].symbols, by_name[b].symbols)


def _spread_on(frame: pd.DataFrame | None, day: pd.Timestamp) -> SpreadReading | None:
    if frame is None:
        return None
    a, b = SPREAD_PAIR
    return SpreadReading(
        a=a,
        b=b,
        day=day.date(),
        horizon=GSY_HORIZON,
        runup_a=_at(frame["runup_a"], day),
        runup_b=_at(frame["runup_b"], day),
        net=_at(frame["net"], day),
        percentile=_at(frame["percentile"], day),
    )


def mark_simulated(store: Store, reading: IndexReading) -> IndexReading:
    """The demo's last (live) reading, marked simulated like its history, and stored so."""
    marked = replace(reading, context={**reading.context, SIMULATED: True})
    save_reading(store, marked, computed_at=reading.as_of)
    return marked
