"""The index replayed over history: one reading per day from daily component frames.

Input: daily component frames (market, news), each row computed only from data up to
that day, and the configured weights. Output: the index and regime of every day, exactly
as `signals.index.combine` would give them for that day's components (the weighted mean
over the components present, weights spread over them; a test checks the two agree), and
the regime from `signals.regime.regime` with the basket's drawdown as of that day and,
as a live reading takes it from the store, the highest earlier reading since the basket's
peak (`recent_high`).

The weighted mean and the drawdown are vectorised; only the regime label is a call per
day (cheap), so the band edges live in one place, signals.regime.

Episodes: runs of days whose regime is one of HIGH_REGIMES lasting at least
`min_days` trading days, with gaps of up to `max_gap` days bridged (a reading that dips
under the band edge for a day or two does not end an episode).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Final

import numpy as np
import pandas as pd
from numpy.lib.stride_tricks import sliding_window_view

from signals.index import MARKET_COMPONENTS
from signals.labels import NEWS_COMPONENTS
from signals.regime import (
    BANDS,
    BURSTING,
    PEAK_WINDOW_DAYS,
    Drawdown,
    equal_weight_index,
    regime,
)

#: The top band ("bubble") and "bursting": the readings that make an episode.
HIGH_REGIMES: Final[tuple[str, ...]] = (BANDS[-1][1], BURSTING)
EPISODE_MIN_DAYS: Final[int] = 10
EPISODE_MAX_GAP: Final[int] = 5


@dataclass(frozen=True, slots=True)
class Episode:
    """A run of high-risk readings: first and last day, and the day of the highest index."""

    start: date
    end: date
    peak: date
    peak_index: float
    days: int


@dataclass(frozen=True, slots=True)
class Backtest:
    """The replayed index: `frame` has index, regime and one column per component.

    `missing` names components with a weight that had no value on any day (their weight
    went to the others throughout); `coverage` is the share of days each component had a
    value. `warmup_end` is the first day on which every market component that has values
    in the run has one: before it the index rests on fewer inputs than it will later
    (the 200-day average and a year of percentile history are still filling).
    """

    frame: pd.DataFrame
    components: tuple[str, ...]
    missing: tuple[str, ...]
    coverage: Mapping[str, float]
    episodes: tuple[Episode, ...]
    warmup_end: date | None = None


def component_order(names: Sequence[str]) -> list[str]:
    """Market components, then news ones, then anything else, each in its usual order."""
    known = [*MARKET_COMPONENTS, *NEWS_COMPONENTS]
    return [n for n in known if n in names] + sorted(n for n in names if n not in known)


def join_components(days: pd.DatetimeIndex, *frames: pd.DataFrame | None) -> pd.DataFrame:
    """The component frames on `days`; a frame's value of day d is its row on or before d.

    Taking the last row on or before each day (never a later one) keeps a weekly or
    calendar-day frame free of look-ahead on a trading-day calendar.
    """
    parts = []
    for frame in frames:
        if frame is None or frame.empty:
            continue
        ordered = frame.sort_index().astype(float)
        parts.append(
            ordered.reindex(days, method="ffill") if not ordered.index.equals(days) else ordered
        )
    if not parts:
        return pd.DataFrame(index=days)
    joined = pd.concat(parts, axis=1)
    return joined.loc[:, ~joined.columns.duplicated()]


def index_series(components: pd.DataFrame, weights: Mapping[str, float]) -> pd.Series:
    """The weighted mean of each day's present components, 0-100; NaN where none is present.

    Same rule as signals.index.combine: values clipped to 0-100, components without a
    positive weight ignored, the weights of missing ones spread over the present ones.
    """
    names = [n for n in components.columns if float(weights.get(n, 0.0)) > 0]
    if not names:
        return pd.Series(np.nan, index=components.index, name="index")
    values = components[names].to_numpy(dtype=float).clip(0.0, 100.0)
    w = np.array([float(weights[n]) for n in names])
    present = ~np.isnan(values)
    total = (present * w).sum(axis=1)
    weighted = np.where(present, values, 0.0) @ w
    with np.errstate(invalid="ignore", divide="ignore"):
        index = np.where(total > 0, weighted / total, np.nan)
    return pd.Series(index, index=components.index, name="index")


def drawdowns(
    closes: pd.DataFrame, basket: Sequence[str], days: pd.DatetimeIndex
) -> list[Drawdown | None]:
    """signals.regime.basket_drawdown for every day at once (None before any basket close)."""
    series = equal_weight_index(closes, list(basket))
    if series is None:
        return [None] * len(days)
    level = series.to_numpy(dtype=float)
    n, w = level.size, PEAK_WINDOW_DAYS
    padded = np.concatenate([np.full(w - 1, -np.inf), level])
    # First maximum of the trailing window, as np.argmax in basket_drawdown picks it.
    peak_at = np.arange(n) - (w - 1) + sliding_window_view(padded, w).argmax(axis=1)
    peak = level[peak_at]
    with np.errstate(invalid="ignore", divide="ignore"):
        depth = np.where(peak > 0, np.maximum(0.0, 1.0 - level / peak), 0.0)
    stamps = series.index
    out: list[Drawdown | None] = [None] * len(days)
    pos = np.searchsorted(stamps.to_numpy(), days.to_numpy(), side="right") - 1
    for i, p in enumerate(pos.tolist()):
        if p >= 0:
            out[i] = Drawdown(
                day=stamps[p].date(),
                depth=float(depth[p]),
                peak_day=stamps[peak_at[p]].date(),
                days_since_peak=int(p - peak_at[p]),
            )
    return out


def regimes(index: pd.Series, drawdown: Sequence[Drawdown | None]) -> pd.Series:
    """The regime of every reading (signals.regime.regime); empty where the index is NaN.

    `recent_high` is what a live reading gets from the store: the highest earlier reading
    since the basket's peak day (only looked up while the drawdown is fresh).
    """
    values = index.to_numpy(dtype=float)
    days = pd.DatetimeIndex(index.index)
    labels = []
    for i, (value, dd) in enumerate(zip(values, drawdown, strict=True)):
        if np.isnan(value):
            labels.append("")
            continue
        labels.append(regime(float(value), dd, recent_high=_high_since(values, days, i, dd)))
    return pd.Series(labels, index=index.index, name="regime", dtype=object)


def _high_since(
    values: np.ndarray, days: pd.DatetimeIndex, i: int, dd: Drawdown | None
) -> float | None:
    """The highest reading before day i on or after the basket's peak day, or None."""
    if dd is None or not dd.fresh:
        return None
    first = int(days.searchsorted(pd.Timestamp(dd.peak_day), side="left"))
    earlier = values[first:i]
    earlier = earlier[~np.isnan(earlier)]
    return float(earlier.max()) if earlier.size else None


def find_episodes(
    index: pd.Series,
    regime_labels: pd.Series,
    *,
    high: Sequence[str] = HIGH_REGIMES,
    min_days: int = EPISODE_MIN_DAYS,
    max_gap: int = EPISODE_MAX_GAP,
) -> list[Episode]:
    """Runs of high regimes (see module docstring), oldest first."""
    flags = regime_labels.isin(list(high)).to_numpy()
    runs: list[list[int]] = []
    for i in np.flatnonzero(flags).tolist():
        if runs and i - runs[-1][1] <= max_gap + 1:
            runs[-1][1] = i
        else:
            runs.append([i, i])
    values = index.to_numpy(dtype=float)
    stamps = index.index
    episodes = []
    for lo, hi in runs:
        if hi - lo + 1 < min_days:
            continue
        top = lo + int(np.nanargmax(values[lo : hi + 1]))
        episodes.append(
            Episode(
                start=stamps[lo].date(),
                end=stamps[hi].date(),
                peak=stamps[top].date(),
                peak_index=float(values[top]),
                days=hi - lo + 1,
            )
        )
    return episodes


def run_backtest(
    components: pd.DataFrame,
    weights: Mapping[str, float],
    *,
    closes: pd.DataFrame | None = None,
    basket: Sequence[str] = (),
    start: date | None = None,
) -> Backtest:
    """Index, regime and episodes for every row of `components` (index = days) from `start`.

    Rows before `start` are computed and dropped, so they only serve as history.
    `closes` and `basket` give the basket drawdown that turns a high reading into
    "bursting"; without them the bands stand alone.
    """
    days = pd.DatetimeIndex(components.index)
    weighted = [n for n in weights if float(weights[n]) > 0]
    # A weighted component without a column is missing every day: listed, empty.
    names = component_order(list(dict.fromkeys([*map(str, components.columns), *weighted])))
    ordered = components.reindex(columns=names).astype(float)
    index = index_series(ordered, weights)
    dd = drawdowns(closes, basket, days) if closes is not None and basket else [None] * len(days)
    labels = regimes(index, dd)
    frame = pd.concat([index, labels, ordered], axis=1)
    frame.index.name = "date"
    if start is not None:
        frame = frame.loc[frame.index >= pd.Timestamp(start)]
    coverage = {n: float(frame[n].notna().mean()) if len(frame) else 0.0 for n in names}
    never = [n for n in weighted if coverage.get(n, 0.0) == 0.0]
    return Backtest(
        frame=frame,
        components=tuple(names),
        missing=tuple(component_order(never)),
        coverage={n: coverage.get(n, 0.0) for n in component_order(weighted)},
        episodes=tuple(find_episodes(frame["index"], frame["regime"])),
        warmup_end=warmup_end(frame),
    )


def warmup_end(frame: pd.DataFrame) -> date | None:
    """The first day with every market component that ever has a value (see Backtest)."""
    market = [n for n in MARKET_COMPONENTS if n in frame and frame[n].notna().any()]
    if not market:
        return None
    complete = frame[market].notna().all(axis=1)
    return (
        pd.DatetimeIndex(frame.index)[int(complete.to_numpy().argmax())].date()
        if complete.any()
        else None
    )
