"""News components: how intense each bubble mechanism is in the news, 0-100.

Counting unit: the STORY, not the article (see signals.news_stories: a story counts once,
as it stood at the time of the reading, with a bonus for distinct outlets).

Rates are measured over the days the news was actually collected: an "active" day is a UTC
day with at least one stored headline of any label. Intensity of a label at time t:

    I = 0.5 * weight over (t-7d, t] / active days in it
      + 0.5 * weight over (t-30d, t] / active days in it

Baseline B = weight over (t-120d, t-30d] / active days in it, once the headline history
reaches 30 days before the 30-day window. Value:

    value = clip(50 + 25 * log2((I + 0.25) / (B + 0.25)), 0, 100)

so the baseline rate reads 50 and every doubling adds 25 points; the 0.25 stories/day
prior keeps a single story against an empty baseline from reading 100. ai_demand lowers
risk, so its value is INVERTED (100 - value): it is high when demand evidence is weak.

Nothing stands in for missing evidence. With less than 60 days of headline history (a
fresh install) every news component is missing ("no baseline yet"), and when no
headline at all arrived for `silent_after_hours` (a feed outage) they are missing too
("feeds silent"): an absence of news is not a calm reading. A hole in collection does not
dilute the rates afterwards, because they are per active day.

Layoff events (layoffs.fyi rows, `layoff_event_series`) may be passed as a daily series;
they are complete from their first to their last day (every day active), so their
baseline starts at the first. After the last event plus `events_stale_after_days` the
import is stale and the events leave the value. The layoffs value is the mean of the
headline value and the event value, or whichever of the two exists.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Final

import numpy as np
import pandas as pd

from signals.labels import NEWS_COMPONENTS
from signals.models import HeadlineRef, Signal, StoredHeadline
from signals.news_stories import (
    Story,
    StoryChanges,
    StoryParams,
    story_changes,
    story_window_sums,
    window_sums,
)
from signals.news_stories import build_stories as _build_stories

COMPONENTS: Final[tuple[str, ...]] = NEWS_COMPONENTS
INVERTED: Final[frozenset[str]] = frozenset({"ai_demand"})
_DAY: Final[float] = 86400.0

__all__ = [
    "COMPONENTS",
    "INVERTED",
    "NewsParams",
    "Story",
    "build_stories",
    "layoff_event_series",
    "news_component_frame",
    "news_signals",
    "scale",
]


@dataclass(frozen=True, slots=True)
class NewsParams:
    """The documented constants of the news scale (see the module docstring)."""

    min_confidence: float = 0.35
    estimated_date_factor: float = 0.5
    outlet_bonus: float = 0.25
    max_outlet_factor: float = 2.0
    short_days: int = 7
    long_days: int = 30
    baseline_days: int = 90
    min_baseline_days: int = 30
    short_share: float = 0.5
    prior_rate: float = 0.25
    points_per_doubling: float = 25.0
    top_headlines: int = 3
    #: No headline of any label for this long: the feeds are silent, the news is missing.
    silent_after_hours: float = 48.0
    #: A layoffs.fyi import whose last event is older than this is stale.
    events_stale_after_days: int = 14

    def stories(self) -> StoryParams:
        return StoryParams(
            self.min_confidence,
            self.estimated_date_factor,
            self.outlet_bonus,
            self.max_outlet_factor,
        )


def build_stories(headlines: Iterable[StoredHeadline], params: NewsParams) -> list[Story]:
    """The stories of these headlines, each as all of its given members make it."""
    return _build_stories(headlines, params.stories())


def scale(intensity: np.ndarray, reference: np.ndarray, params: NewsParams) -> np.ndarray:
    """Map intensity vs reference rate (stories/day) to 0-100: 50 at par, +25 a doubling."""
    ratio = (intensity + params.prior_rate) / (reference + params.prior_rate)
    return np.clip(50.0 + params.points_per_doubling * np.log2(ratio), 0.0, 100.0)


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


def news_signals(
    headlines: Sequence[StoredHeadline],
    *,
    now: datetime,
    layoff_events: pd.Series | None = None,
    params: NewsParams | None = None,
) -> list[Signal]:
    """The six news Signals as of `now` from the stored headlines (and layoff events)."""
    params = params or NewsParams()
    known = [h for h in headlines if h.headline.published <= now]
    day = now.astimezone(UTC).date()
    frame = news_component_frame(
        known, start=day, end=day, now=now, layoff_events=layoff_events, params=params
    )
    stories = build_stories(known, params)
    out = []
    for name in COMPONENTS:
        value = frame[name].iloc[-1]
        value_or_none = None if pd.isna(value) else float(value)
        out.append(
            Signal(
                name=name,
                kind="news",
                value=value_or_none,
                detail=_detail(known, str(frame.attrs["detail"][name]), value_or_none),
                coverage=float(frame.attrs["coverage"][name]),
                headlines=_top_refs(stories, name, now, params),
            )
        )
    return out


def _detail(headlines: Sequence[StoredHeadline], detail: str, value: float | None) -> str:
    """The frame's detail, or why there is no headline value at all."""
    if value is not None or (headlines and any(h.score is not None for h in headlines)):
        return detail
    events = detail[detail.find("; layoff events") :] if "; layoff events" in detail else ""
    if not headlines:
        return "no headlines in the store yet" + events
    return f"{len(headlines)} headlines not yet scored by the classifier" + events


def _top_refs(
    stories: Sequence[Story], label: str, now: datetime, params: NewsParams
) -> tuple[HeadlineRef, ...]:
    """The heaviest stories of the short window (or the long one when it is empty)."""
    mine = [s for s in stories if s.label == label and s.weight > 0]
    for days in (params.short_days, params.long_days):
        recent = [s for s in mine if s.published > now - timedelta(days=days)]
        if recent:
            recent.sort(key=lambda s: (-s.weight, -s.published.timestamp()))
            return tuple(s.ref for s in recent[: params.top_headlines])
    return ()


@dataclass(frozen=True, slots=True)
class _Collection:
    """When the news was collected, per end time: active days per window, silence."""

    short: np.ndarray
    long: np.ndarray
    base: np.ndarray
    silent_hours: np.ndarray  # hours since the newest headline (inf before any)
    history: np.ndarray  # days since the first headline


def news_component_frame(
    headlines: Sequence[StoredHeadline],
    *,
    start: date,
    end: date,
    now: datetime | None = None,
    layoff_events: pd.Series | None = None,
    params: NewsParams | None = None,
) -> pd.DataFrame:
    """Daily news components over [start, end] for the backtest, without look-ahead.

    The value of day d uses only headlines published before the end of d (UTC), or before
    `now` for the last day when given; a story counts as its members by then made it.
    Columns are COMPONENTS, values 0-100 or NaN (missing: no headline yet, no baseline,
    feeds silent). attrs["detail"] / attrs["coverage"] describe the last row.
    """
    params = params or NewsParams()
    cutoff = now or datetime.combine(end + timedelta(days=1), time(), UTC)
    days = pd.date_range(start, end, freq="D")
    ends = np.array([_day_end(d, cutoff, end) for d in days])
    seen = _collection(headlines, ends, params)
    changes = story_changes(headlines, params.stories())
    events = layoff_events if layoff_events is not None and len(layoff_events) else None
    frame = pd.DataFrame(index=days, columns=list(COMPONENTS), dtype=float)
    details: dict[str, str] = {}
    coverage: dict[str, float] = {}
    for name in COMPONENTS:
        values, details[name] = _label_values(name, changes[name], ends, seen, params)
        coverage[name] = float(min(1.0, max(0.0, seen.history[-1] / params.long_days)))
        if name == "layoffs" and events is not None:
            values, details[name] = _with_events(values, details[name], events, ends, params)
            first_event = pd.Timestamp(events.index[0]).date()
            event_days = (end - first_event).days + 1
            coverage[name] = max(coverage[name], min(1.0, event_days / params.long_days))
        frame[name] = values
    frame.attrs["detail"] = details
    frame.attrs["coverage"] = coverage
    return frame


def _day_end(day: pd.Timestamp, cutoff: datetime, end: date) -> float:
    if day.date() == end:
        return cutoff.timestamp()
    return datetime.combine(day.date() + timedelta(days=1), time(), UTC).timestamp()


def _collection(
    headlines: Sequence[StoredHeadline], ends: np.ndarray, params: NewsParams
) -> _Collection:
    """Active days (a UTC day with any headline, scored or not) and silence per end."""
    times = np.sort(np.array([h.headline.published.timestamp() for h in headlines], dtype=float))
    if not len(times):
        none = np.zeros(len(ends))
        return _Collection(none, none, none, np.full(len(ends), np.inf), none)
    day_numbers = np.floor(times / _DAY)
    # Each active day is marked at its first headline, so it counts from that moment on.
    firsts = times[np.concatenate([[True], day_numbers[1:] != day_numbers[:-1]])]
    ones = np.ones(len(firsts))
    s, lg = params.short_days, params.long_days
    newest = np.searchsorted(times, ends, side="right")
    last = np.where(newest > 0, times[np.maximum(newest - 1, 0)], -np.inf)
    return _Collection(
        short=window_sums(firsts, ones, ends, 0, s),
        long=window_sums(firsts, ones, ends, 0, lg),
        base=window_sums(firsts, ones, ends, lg, lg + params.baseline_days),
        silent_hours=(ends - last) / 3600.0,
        history=np.maximum(0.0, (ends - times[0]) / _DAY),
    )


def _rates(
    short: np.ndarray,
    long: np.ndarray,
    base: np.ndarray,
    seen: _Collection,
    params: NewsParams,
) -> tuple[np.ndarray, np.ndarray]:
    """(intensity, baseline rate) per end: weights per active day; NaN where unknown."""
    with np.errstate(divide="ignore", invalid="ignore"):
        rate_s = np.where(seen.short > 0, short / seen.short, np.nan)
        rate_l = np.where(seen.long > 0, long / seen.long, np.nan)
        # A baseline needs `min_baseline_days` of history before the long window; its rate
        # is per collected day, like the intensity, so a hole in collection is no signal.
        enough = seen.history - params.long_days >= params.min_baseline_days
        base_rate = np.where(enough & (seen.base > 0), base / np.maximum(seen.base, 1.0), np.nan)
    intensity = params.short_share * rate_s + (1 - params.short_share) * rate_l
    silent = seen.silent_hours > params.silent_after_hours
    return np.where(silent, np.nan, intensity), base_rate


def _label_values(
    name: str, changes: StoryChanges, ends: np.ndarray, seen: _Collection, params: NewsParams
) -> tuple[np.ndarray, str]:
    s, lg = params.short_days, params.long_days
    short = story_window_sums(changes, ends, 0, s)
    long = story_window_sums(changes, ends, 0, lg)
    base = story_window_sums(changes, ends, lg, lg + params.baseline_days)
    intensity, base_rate = _rates(short, long, base, seen, params)
    values = scale(intensity, base_rate, params)
    if name in INVERTED:
        values = 100.0 - values
    return values, _label_detail(
        name, short[-1], long[-1], intensity[-1], base_rate[-1], seen, params
    )


def _label_detail(
    name: str,
    short: float,
    long: float,
    intensity: float,
    base_rate: float,
    seen: _Collection,
    params: NewsParams,
) -> str:
    if seen.silent_hours[-1] > params.silent_after_hours:
        hours = seen.silent_hours[-1]
        age = "no headline yet" if math.isinf(hours) else f"newest headline {hours:.0f} h old"
        return (
            f"feeds silent ({age}; over {params.silent_after_hours:.0f} h): missing, not a "
            "calm reading"
        )
    if math.isnan(base_rate):
        needed = params.long_days + params.min_baseline_days
        return f"no baseline yet: {seen.history[-1]:.0f} of {needed} days of headline history"
    detail = (
        f"{short:.1f} weighted stories in {params.short_days} d, {long:.1f} in "
        f"{params.long_days} d: {intensity:.2f}/collected day vs baseline {base_rate:.2f}/day "
        f"over {seen.base[-1]:.0f} collected days"
    )
    if name in INVERTED:
        detail += "; inverted (weak demand news = high risk)"
    return detail


def _with_events(
    values: np.ndarray, detail: str, events: pd.Series, ends: np.ndarray, params: NewsParams
) -> tuple[np.ndarray, str]:
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
    stale = (ends - last) > params.events_stale_after_days * _DAY
    seen = _Collection(
        short=_event_days(times, ends, 0, params.short_days),
        long=_event_days(times, ends, 0, params.long_days),
        base=_event_days(times, ends, params.long_days, params.long_days + params.baseline_days),
        silent_hours=np.zeros(len(ends)),
        history=np.maximum(0.0, (ends - times[0]) / _DAY),
    )
    s, lg = params.short_days, params.long_days
    zero = np.zeros(len(times))
    as_changes = StoryChanges(times, zero + times, weights)
    long = story_window_sums(as_changes, ends, 0, lg)
    intensity, base_rate = _rates(
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
    top = ends - lo * _DAY
    bottom = np.maximum(ends - hi * _DAY, first)
    return np.asarray(np.maximum(0.0, np.floor((top - bottom) / _DAY + 1e-9)), dtype=float)


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
        age = int((end - last) // _DAY)
        return (
            f"; layoff events: stale, the newest layoffs.fyi event is {last_day} ({age} days "
            f"old, over {params.events_stale_after_days}): not used; re-import to use it"
        )
    if math.isnan(base_rate[-1]):
        return "; layoff events: no baseline yet (60 days of history needed)"
    return f"; layoff events: {long[-1]:.1f} weighted in {params.long_days} d"
