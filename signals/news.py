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
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Final

import numpy as np
import pandas as pd

from signals.labels import NEWS_COMPONENTS
from signals.models import HeadlineRef, Signal, StoredHeadline
from signals.news_events import layoff_event_series, with_events
from signals.news_scale import DAY, Collection, NewsParams, rates, scale
from signals.news_stories import (
    Story,
    StoryChanges,
    story_changes,
    story_window_sums,
    window_sums,
)
from signals.news_stories import build_stories as _build_stories

COMPONENTS: Final[tuple[str, ...]] = NEWS_COMPONENTS
INVERTED: Final[frozenset[str]] = frozenset({"ai_demand"})

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


def build_stories(headlines: Iterable[StoredHeadline], params: NewsParams) -> list[Story]:
    """The stories of these headlines, each as all of its given members make it."""
    return _build_stories(headlines, params.stories())


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
            values, details[name] = with_events(values, details[name], events, ends, params)
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
) -> Collection:
    """Active days (a UTC day with any headline, scored or not) and silence per end."""
    times = np.sort(np.array([h.headline.published.timestamp() for h in headlines], dtype=float))
    if not len(times):
        none = np.zeros(len(ends))
        return Collection(none, none, none, np.full(len(ends), np.inf), none)
    day_numbers = np.floor(times / DAY)
    # Each active day is marked at its first headline, so it counts from that moment on.
    firsts = times[np.concatenate([[True], day_numbers[1:] != day_numbers[:-1]])]
    ones = np.ones(len(firsts))
    s, lg = params.short_days, params.long_days
    newest = np.searchsorted(times, ends, side="right")
    last = np.where(newest > 0, times[np.maximum(newest - 1, 0)], -np.inf)
    return Collection(
        short=window_sums(firsts, ones, ends, 0, s),
        long=window_sums(firsts, ones, ends, 0, lg),
        base=window_sums(firsts, ones, ends, lg, lg + params.baseline_days),
        silent_hours=(ends - last) / 3600.0,
        history=np.maximum(0.0, (ends - times[0]) / DAY),
    )


def _label_values(
    name: str, changes: StoryChanges, ends: np.ndarray, seen: Collection, params: NewsParams
) -> tuple[np.ndarray, str]:
    s, lg = params.short_days, params.long_days
    short = story_window_sums(changes, ends, 0, s)
    long = story_window_sums(changes, ends, 0, lg)
    base = story_window_sums(changes, ends, lg, lg + params.baseline_days)
    intensity, base_rate = rates(short, long, base, seen, params)
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
    seen: Collection,
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
