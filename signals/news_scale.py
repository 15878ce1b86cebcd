"""The news scale: its documented constants (`NewsParams`), when the news was collected
(`Collection`), the rates per active day and the 0-100 scale (see signals.news)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np

from signals.news_stories import StoryParams

DAY: Final[float] = 86400.0


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


def scale(intensity: np.ndarray, reference: np.ndarray, params: NewsParams) -> np.ndarray:
    """Map intensity vs reference rate (stories/day) to 0-100: 50 at par, +25 a doubling."""
    ratio = (intensity + params.prior_rate) / (reference + params.prior_rate)
    return np.clip(50.0 + params.points_per_doubling * np.log2(ratio), 0.0, 100.0)


@dataclass(frozen=True, slots=True)
class Collection:
    """When the news was collected, per end time: active days per window, silence."""

    short: np.ndarray
    long: np.ndarray
    base: np.ndarray
    silent_hours: np.ndarray  # hours since the newest headline (inf before any)
    history: np.ndarray  # days since the first headline


def rates(
    short: np.ndarray,
    long: np.ndarray,
    base: np.ndarray,
    seen: Collection,
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
