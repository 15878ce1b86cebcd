"""Layoff events (layoffs.fyi rows) in the layoffs component: a daily weight series, and
its value beside the headlines' (see signals.news for the rules)."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime

import numpy as np
import pandas as pd

from signals.news_scale import DAY, Collection, NewsParams, rates, scale
from signals.news_stories import StoryChanges, story_window_sums


def layoff_event_series(events: Iterable[tuple[date, int | None]]) -> pd.Series:
    """A daily series of layoff-event weights from (day, total_laid_off) rows.

    Each event weighs log10(total_laid_off) / 2 clipped to [0.5, 2] (100 people = 1,
    10,000 = 2), or 1 when the number is unknown. Days without events are 0.
    """
    weights: dict[pd.Timestamp, float] = defaultdict(float)
    for day, total in events:
        w = 1.0 if not total or total <= 0 else min(2.0, max(0.5, math.log10(total) / 2.0))
        weights[pd.Timestamp(day)] += w
    if not weights:
        return pd.Series(dtype=float)
    series = pd.Series(weights).sort_index()
    return series.reindex(pd.date_range(series.index[0], series.index[-1], freq="D"), fill_value=0)


def with_events(
    values: np.ndarray, detail: str, events: pd.Series, ends: np.ndarray, params: NewsParams
) -> tuple[np.ndarray, str]:
    """The layoffs values with the events' value joined in (their mean, or whichever
    exists), and the detail with a note on the events."""
    stamps = pd.DatetimeIndex(events.index)
    if stamps.tz is None:
        stamps = stamps.tz_localize(UTC)
    # An event dated day d is known by the end of d: stamp it at noon of its day.
    times = stamps.as_unit("s").asi8.astype(float) + 43200.0
    weights = events.to_numpy(dtype=float)
    # The import is complete from its first day on: each day since is active. It is stale
    # at E when its newest event before E is older than `events_stale_after_days`.
    newest = np.searchsorted(times, ends, side="right")
    last = np.where(newest > 0, times[np.maximum(newest - 1, 0)], -np.inf)
    stale = (ends - last) > params.events_stale_after_days * DAY
    seen = Collection(
        short=_event_days(times, ends, 0, params.short_days),
        long=_event_days(times, ends, 0, params.long_days),
        base=_event_days(times, ends, params.long_days, params.long_days + params.baseline_days),
        silent_hours=np.zeros(len(ends)),
        history=np.maximum(0.0, (ends - times[0]) / DAY),
    )
    s, lg = params.short_days, params.long_days
    zero = np.zeros(len(times))
    as_changes = StoryChanges(times, zero + times, weights)
    long = story_window_sums(as_changes, ends, 0, lg)
    intensity, base_rate = rates(
        story_window_sums(as_changes, ends, 0, s),
        long,
        story_window_sums(as_changes, ends, lg, lg + params.baseline_days),
        seen,
        params,
    )
    event_values = np.where(stale, np.nan, scale(intensity, base_rate, params))
    both = np.where(
        np.isnan(values),
        event_values,
        np.where(np.isnan(event_values), values, (values + event_values) / 2.0),
    )
    return both, detail + _event_note(last[-1], stale[-1], ends[-1], long, base_rate, params)


def _event_days(times: np.ndarray, ends: np.ndarray, lo: float, hi: float) -> np.ndarray:
    """Days of (E-hi, E-lo] since the import's first day."""
    first = times[0] - 43200.0
    top = ends - lo * DAY
    bottom = np.maximum(ends - hi * DAY, first)
    return np.asarray(np.maximum(0.0, np.floor((top - bottom) / DAY + 1e-9)), dtype=float)


def _event_note(
    last: float,
    stale: bool,
    end: float,
    long: np.ndarray,
    base_rate: np.ndarray,
    params: NewsParams,
) -> str:
    if stale:
        if math.isinf(last):
            return "; layoff events: none yet"
        last_day = datetime.fromtimestamp(last, UTC).date()
        age = int((end - last) // DAY)
        return (
            f"; layoff events: stale, the newest layoffs.fyi event is {last_day} ({age} days "
            f"old, over {params.events_stale_after_days}): not used; import a newer "
            "layoffs.fyi export (`bubble-monitor import-layoffs FILE`) to use it"
        )
    if math.isnan(base_rate[-1]):
        return "; layoff events: no baseline yet (60 days of history needed)"
    return f"; layoff events: {long[-1]:.1f} weighted in {params.long_days} d"
