"""News components: how intense each bubble mechanism is in the news, 0-100.

Counting unit: the STORY, not the article. Headlines the store grouped into one story
(`story_id`) count once. A story's label is the label with the largest summed classifier
confidence among its headlines ("other" stories are ignored); its weight is

    weight = confidence * min(1 + 0.25 * (outlets - 1), 2.0) * (0.5 if the date is estimated)

with confidence the best confidence of that label in the story (stories below 0.35 weigh
0) and `outlets` the number of distinct outlets reporting it (so wide coverage adds at most
double weight).

Intensity of a label at time t (stories' weight per day):

    I = 0.5 * rate over (t-7d, t] + 0.5 * rate over (t-30d, t]

Baseline B = the rate over the 90 days before the 30-day window, (t-120d, t-30d]. With at
least 30 days of baseline history the scale is relative to B; with less, a documented fixed
reference rate per label (FIXED_RATES) stands in. Value:

    value = clip(50 + 25 * log2((I + 0.25) / (B + 0.25)), 0, 100)

so the baseline rate reads 50 and every doubling adds 25 points; the 0.25 stories/day
prior keeps a single story against an empty baseline from reading 100. ai_demand lowers
risk, so its value is INVERTED (100 - value): it is high when demand evidence is weak.

Layoff events (layoffs.fyi rows, `layoff_event_series`) may be passed as a daily series;
they are complete from their first day, so their baseline starts there. The layoffs value
is then the mean of the headline value and the event value (or the event value alone when
there are no headlines).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Final

import numpy as np
import pandas as pd

from signals.labels import NEWS_COMPONENTS
from signals.models import HeadlineRef, Signal, StoredHeadline

COMPONENTS: Final[tuple[str, ...]] = NEWS_COMPONENTS
INVERTED: Final[frozenset[str]] = frozenset({"ai_demand"})
#: Confidence-weighted stories per day that read 50 while there is too little history,
#: set for the default feeds in feeds.yaml (about a dozen items a day per search feed).
FIXED_RATES: Final[Mapping[str, float]] = {
    "layoffs": 3.0,
    "circular_deal": 1.0,
    "funding_round": 4.0,
    "capex_debt": 2.0,
    "bubble_warning": 2.0,
    "ai_demand": 1.5,
}
#: layoffs.fyi averages about two events a day over 2020-2026.
FIXED_EVENT_RATE: Final[float] = 2.0


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
    fixed_rates: Mapping[str, float] = field(default_factory=lambda: dict(FIXED_RATES))


@dataclass(frozen=True, slots=True)
class Story:
    """One de-duplicated story: its label, weight, first publication and best headline."""

    key: int
    label: str
    weight: float
    published: datetime
    ref: HeadlineRef


def build_stories(headlines: Iterable[StoredHeadline], params: NewsParams) -> list[Story]:
    """Group scored headlines by story and label each story once (see module docstring)."""
    groups: dict[int, list[StoredHeadline]] = defaultdict(list)
    for h in headlines:
        if h.score is not None:
            groups[h.story_id if h.story_id > 0 else -h.id].append(h)
    stories = [_story(key, members, params) for key, members in groups.items()]
    return [s for s in stories if s is not None]


def _story(key: int, members: list[StoredHeadline], params: NewsParams) -> Story | None:
    totals: dict[str, float] = defaultdict(float)
    for h in members:
        assert h.score is not None
        totals[h.score.label] += h.score.confidence
    label = max(sorted(totals), key=lambda name: totals[name])
    if label not in COMPONENTS:
        return None
    best = max((h for h in members if h.score and h.score.label == label), key=_confidence)
    confidence = _confidence(best)
    outlets = max(max(h.sources for h in members), len({h.headline.source for h in members}))
    weight = confidence if confidence >= params.min_confidence else 0.0
    weight *= min(1.0 + params.outlet_bonus * (outlets - 1), params.max_outlet_factor)
    if all(h.headline.published_estimated for h in members):
        weight *= params.estimated_date_factor
    item = best.headline
    ref = HeadlineRef(item.title, item.url, item.source, label, confidence, item.published, outlets)
    return Story(key, label, weight, min(h.headline.published for h in members), ref)


def _confidence(h: StoredHeadline) -> float:
    return h.score.confidence if h.score is not None else 0.0


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
    day = now.astimezone(UTC).date()
    frame = news_component_frame(
        headlines, start=day, end=day, now=now, layoff_events=layoff_events, params=params
    )
    stories = [s for s in build_stories(headlines, params) if s.published <= now]
    unscored = sum(1 for h in headlines if h.score is None)
    out = []
    for name in COMPONENTS:
        value = frame[name].iloc[-1]
        value_or_none = None if pd.isna(value) else float(value)
        out.append(
            Signal(
                name=name,
                kind="news",
                value=value_or_none,
                detail=str(frame.attrs["detail"][name])
                if value_or_none is not None
                else _why_missing(headlines, unscored),
                coverage=float(frame.attrs["coverage"][name]),
                headlines=_top_refs(stories, name, now, params),
            )
        )
    return out


def _why_missing(headlines: Sequence[StoredHeadline], unscored: int) -> str:
    if not headlines:
        return "no headlines in the store yet"
    if unscored == len(headlines):
        return f"{unscored} headlines not yet scored by the classifier"
    return "no headline history before this time"


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

    The value of day d uses only stories published before the end of d (UTC), or before
    `now` for the last day when given. Columns are COMPONENTS, values 0-100 or NaN before
    any headline exists. attrs["detail"] / attrs["coverage"] describe the last row.
    """
    params = params or NewsParams()
    cutoff = now or datetime.combine(end + timedelta(days=1), time(), UTC)
    # Window sums only count stories up to each day's end, so later ones never leak back.
    stories = build_stories(headlines, params)
    first_seen = min((h.headline.published for h in headlines), default=None)
    days = pd.date_range(start, end, freq="D")
    ends = np.array([_day_end(d, cutoff, end) for d in days])
    history = _history_days(first_seen, ends)
    frame = pd.DataFrame(index=days, columns=list(COMPONENTS), dtype=float)
    details: dict[str, str] = {}
    coverage: dict[str, float] = {}
    for name in COMPONENTS:
        times = np.array([s.published.timestamp() for s in stories if s.label == name])
        weights = np.array([s.weight for s in stories if s.label == name])
        values, details[name] = _label_values(name, times, weights, ends, history, params)
        if name == "layoffs" and layoff_events is not None and len(layoff_events):
            values, details[name] = _with_events(values, details[name], layoff_events, ends, params)
        frame[name] = values
        coverage[name] = float(min(1.0, max(0.0, history[-1] / params.long_days)))
        if name == "layoffs" and layoff_events is not None and len(layoff_events):
            first_event = pd.Timestamp(layoff_events.index[0]).date()
            event_days = (end - first_event).days + 1
            coverage[name] = max(coverage[name], min(1.0, event_days / params.long_days))
    frame.attrs["detail"] = details
    frame.attrs["coverage"] = coverage
    return frame


def _day_end(day: pd.Timestamp, cutoff: datetime, end: date) -> float:
    if day.date() == end:
        return cutoff.timestamp()
    return datetime.combine(day.date() + timedelta(days=1), time(), UTC).timestamp()


def _history_days(first_seen: datetime | None, ends: np.ndarray) -> np.ndarray:
    if first_seen is None:
        return np.zeros(len(ends))
    return np.maximum(0.0, (ends - first_seen.timestamp()) / 86400.0)


def _window_sums(
    times: np.ndarray, weights: np.ndarray, ends: np.ndarray, lo_days: float, hi_days: float
) -> np.ndarray:
    """Sum of weights with time in (end - hi_days, end - lo_days] for each end."""
    order = np.argsort(times)
    t, cum = times[order], np.concatenate([[0.0], np.cumsum(weights[order])])
    upper = np.searchsorted(t, ends - lo_days * 86400.0, side="right")
    lower = np.searchsorted(t, ends - hi_days * 86400.0, side="right")
    return np.asarray(cum[upper] - cum[lower], dtype=float)


def _intensity(
    times: np.ndarray,
    weights: np.ndarray,
    ends: np.ndarray,
    history: np.ndarray,
    params: NewsParams,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(intensity, baseline rate or NaN, short count, long count) per end time."""
    s, lg = params.short_days, params.long_days
    short = _window_sums(times, weights, ends, 0, s)
    long = _window_sums(times, weights, ends, 0, lg)
    base = _window_sums(times, weights, ends, lg, lg + params.baseline_days)
    # Over a history shorter than a window the rate is taken over the days covered.
    rate_s = short / np.clip(history, 1.0, s)
    rate_l = long / np.clip(history, 1.0, lg)
    base_days = np.clip(history - lg, 0.0, params.baseline_days)
    with np.errstate(divide="ignore", invalid="ignore"):
        base_rate = np.where(base_days >= params.min_baseline_days, base / base_days, np.nan)
    intensity = params.short_share * rate_s + (1 - params.short_share) * rate_l
    return intensity, base_rate, short, long


def _label_values(
    name: str,
    times: np.ndarray,
    weights: np.ndarray,
    ends: np.ndarray,
    history: np.ndarray,
    params: NewsParams,
) -> tuple[np.ndarray, str]:
    intensity, base_rate, short, long = _intensity(times, weights, ends, history, params)
    fixed = params.fixed_rates.get(name, 1.0)
    reference = np.where(np.isnan(base_rate), fixed, base_rate)
    values = scale(intensity, reference, params)
    if name in INVERTED:
        values = 100.0 - values
    values = np.where(history > 0, values, np.nan)
    scale_text = (
        f"fixed scale {fixed:.2g}/day, too little history"
        if np.isnan(base_rate[-1])
        else f"baseline {base_rate[-1]:.2f}/day over the previous {params.baseline_days} d"
    )
    detail = (
        f"{short[-1]:.1f} weighted stories in {params.short_days} d, {long[-1]:.1f} in "
        f"{params.long_days} d: {intensity[-1]:.2f}/day vs {scale_text}"
    )
    if name in INVERTED:
        detail += "; inverted (weak demand news = high risk)"
    return values, detail


def _with_events(
    values: np.ndarray, detail: str, events: pd.Series, ends: np.ndarray, params: NewsParams
) -> tuple[np.ndarray, str]:
    stamps = pd.DatetimeIndex(events.index)
    if stamps.tz is None:
        stamps = stamps.tz_localize(UTC)
    # An event dated day d is known by the end of d: stamp it at noon of its day.
    times = stamps.as_unit("s").asi8.astype(float) + 43200.0
    weights = events.to_numpy(dtype=float)
    history = np.maximum(0.0, (ends - float(stamps[0].timestamp())) / 86400.0)
    intensity, base_rate, _, long = _intensity(times, weights, ends, history, params)
    reference = np.where(np.isnan(base_rate), FIXED_EVENT_RATE, base_rate)
    event_values = np.where(history > 0, scale(intensity, reference, params), np.nan)
    both = np.where(
        np.isnan(values),
        event_values,
        np.where(np.isnan(event_values), values, (values + event_values) / 2.0),
    )
    note = f"; layoff events: {long[-1]:.1f} weighted in {params.long_days} d"
    return both, detail + note
