"""The standard models: one shape per kind of data, shared by every source and consumer.

Frozen dataclasses so that a value read from the store, a feed or the demo cannot be
mutated behind the back of the stage that produced it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

ComponentKind = Literal["market", "news"]
AlertKind = Literal["digest", "regime_change", "jump", "breaking", "report", "no_reading"]


@dataclass(frozen=True, slots=True)
class PriceBar:
    """One daily close of one ticker (adjusted for splits and dividends)."""

    ticker: str
    day: date
    close: float
    source: str = "yfinance"


@dataclass(frozen=True, slots=True)
class Headline:
    """One news item as collected from a feed, cleaned but not yet classified.

    `published` is timezone-aware UTC. When a feed gives no date the fetch time is used
    and `published_estimated` says so, so that the news components can discount it.
    """

    title: str
    url: str
    source: str
    feed: str
    published: datetime
    published_estimated: bool = False
    summary: str = ""


@dataclass(frozen=True, slots=True)
class HeadlineScore:
    """The classifier's verdict on one headline text."""

    label: str
    confidence: float
    scores: Mapping[str, float]
    model_id: str


@dataclass(frozen=True, slots=True)
class StoredHeadline:
    """A headline as held in the store: with its row id, story and (once scored) label."""

    id: int
    headline: Headline
    story_id: int
    score: HeadlineScore | None = None
    sources: int = 1


@dataclass(frozen=True, slots=True)
class HeadlineRef:
    """A headline cited by a reading as one that moved a news component."""

    title: str
    url: str
    source: str
    label: str
    confidence: float
    published: datetime | None = None
    sources: int = 1


@dataclass(frozen=True, slots=True)
class Signal:
    """A component's value before weighting: what a market or news function returns.

    `value` is 0-100 (higher = more bubble risk) or None when its inputs are missing;
    `coverage` is the share of the intended inputs that were present (0-1).
    """

    name: str
    kind: ComponentKind
    value: float | None
    detail: str
    coverage: float = 1.0
    headlines: tuple[HeadlineRef, ...] = ()


@dataclass(frozen=True, slots=True)
class Component:
    """One input of the index, 0-100 (higher = more bubble risk).

    `value` is None when the inputs are missing or stale; the index then spreads the
    weight over the others and names the component in `IndexReading.stale`.
    `weight` is the effective weight after redistribution; `contribution` is
    value * weight / sum(effective weights), so contributions add up to the index.
    In a v2 reading (signals.crash.reading) `value` is the feature in its own unit, the
    contribution is in index points, and `unfitted` marks a component the fitted model
    does not use (news labels), which never moves the probability.
    """

    name: str
    kind: ComponentKind
    value: float | None
    weight: float
    contribution: float
    detail: str
    coverage: float = 1.0
    unfitted: bool = False


@dataclass(frozen=True, slots=True)
class SegmentReading:
    """One segment's reading (feeds.yaml `segments:`): its own index and components.

    `probability`, `base_rate`, `froth` and `stress` are None until a fitted model gives
    them; `index` is None when no component of the segment has a value. `runup` is the
    segment's two-year return, `runup_net` the same net of its benchmark (GSY style).
    """

    name: str
    index: float | None
    regime: str
    change: float | None
    components: tuple[Component, ...]
    tickers: tuple[str, ...] = ()
    benchmark: str | None = None
    probability: float | None = None
    base_rate: float | None = None
    froth: float | None = None
    stress: float | None = None
    runup: float | None = None
    runup_net: float | None = None
    headlines: int = 0
    top_headlines: tuple[HeadlineRef, ...] = ()
    stale: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SpreadReading:
    """The run-up of one segment net of another (LLM minus applied AI), on one day.

    Run-ups are `horizon` sessions long; `net` = `runup_a` - `runup_b`; `percentile` ranks
    `net` among its own past values (None while that history is short).
    """

    a: str
    b: str
    day: date
    horizon: int
    runup_a: float | None
    runup_b: float | None
    net: float | None
    percentile: float | None


@dataclass(frozen=True, slots=True)
class IndexReading:
    """One computed value of the bubble-risk index, with everything needed to explain it."""

    as_of: datetime
    index: float
    regime: str
    change: float | None
    components: tuple[Component, ...]
    top_headlines: tuple[HeadlineRef, ...] = ()
    stale: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)
    #: Index v2 (None on a v1 reading): the fitted crash probability and its context.
    probability: float | None = None
    base_rate: float | None = None
    froth: float | None = None
    stress: float | None = None
    drivers: tuple[str, ...] = ()
    #: What the probability is of, e.g. "40% drawdown within 24m".
    target: str | None = None
    #: Whether the model passed its pre-committed hold-out (None on a v1 reading), and if
    #: not, the caution every rendering of the reading shows.
    validated: bool | None = None
    caution: str | None = None
    # Shown beside the reading, not part of it: smart money and model mix (JSON types).
    context: Mapping[str, Any] = field(default_factory=dict)
    segments: tuple[SegmentReading, ...] = ()
    spread: SpreadReading | None = None


@dataclass(frozen=True, slots=True)
class Alert:
    """A message the alert policy decided to send; `dedup_key` makes sending idempotent."""

    kind: AlertKind
    dedup_key: str
    title: str
    text: str
    reading: IndexReading | None = None
    headlines: tuple[HeadlineRef, ...] = ()
