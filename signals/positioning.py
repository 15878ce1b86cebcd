"""Short interest as a bubble signal: the `positioning` component of a segment.

Short sellers are the market's visible bet on a fall. Each name is compared with its own
history only (a 3% short interest is high for Microsoft and low for a meme stock), on two
measures: short interest as a share of the float, and days to cover (shares short over
average daily volume). A segment's value is the mean over its names of the percentile
rank of today's figures within each name's stored settlement dates, 0-100, higher when
more of the segment is shorted than usual. Missing fields stay missing: a name without
enough history is left out and counted, never filled with zero.

A settlement date's figures are not public on that date: FINRA publishes them on the
7th US business day after it (`PUBLICATION_LAG`). A record is known from its
`published` date, and a reading as of day D sees only records published by D
(`published_by`), so a re-computed history never knows short interest before the
market did.

Pure: data in, a Signal out; no clock, no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from statistics import median
from typing import Final

from signals.business_days import add_business_days
from signals.models import Signal

#: Settlement dates (twice a month) a name needs before its percentile means anything:
#: three months of history.
MIN_HISTORY: Final[int] = 6

#: US business days from a settlement date to FINRA's publication of its figures: FINRA
#: compiles the reports (due on the 2nd business day) and provides them for publication
#: on the 7th business day after the settlement date.
PUBLICATION_LAG: Final[int] = 7


@lru_cache(maxsize=4096)
def publication_date(settlement: date) -> date:
    """The day FINRA's schedule makes a settlement date's short interest public (cached:
    a history of readings asks for the same few settlement dates tens of thousands of
    times, ~1 s of the demo's first run)."""
    return add_business_days(settlement, PUBLICATION_LAG)


@dataclass(frozen=True, slots=True)
class ShortInterest:
    """One settlement date of one ticker, as Yahoo reports FINRA's short-interest data.

    Every figure is optional: Yahoo omits fields for some listings, and a missing figure
    must never read as zero short interest.
    """

    ticker: str
    settlement: date
    shares_short: int | None = None
    shares_short_prior: int | None = None
    percent_of_float: float | None = None  # a fraction: 0.021 is 2.1% of the float
    float_shares: int | None = None
    days_to_cover: float | None = None
    first_seen: date | None = None  # the UTC day our collector first stored it

    @property
    def published(self) -> date:
        """When the figures became public: FINRA's schedule, or the day we first saw them
        if that was earlier (an observation is never pushed later by the rule)."""
        scheduled = publication_date(self.settlement)
        if self.first_seen is None:
            return scheduled
        # A sighting dated before the settlement itself is a wrong clock, not news.
        return max(self.settlement, min(scheduled, self.first_seen))

    @property
    def short_share_of_float(self) -> float | None:
        """Yahoo's figure, else shares short over float shares when both are present."""
        if self.percent_of_float is not None:
            return self.percent_of_float
        if self.shares_short is not None and self.float_shares:
            return self.shares_short / self.float_shares
        return None


@dataclass(frozen=True, slots=True)
class NamePositioning:
    """Where one ticker's latest short interest sits in its own history."""

    ticker: str
    settlement: date
    published: date
    share_of_float: float | None
    days_to_cover: float | None
    percentile: float | None  # 0-100 across both measures; None without enough history
    history: int


def published_by(records: Sequence[ShortInterest], day: date) -> list[ShortInterest]:
    """The records public on `day` (published on or before it)."""
    return [r for r in records if r.published <= day]


def percentile_rank(history: Sequence[float], value: float) -> float:
    """The share of `history` at or below `value`, ties counted half, as 0-100."""
    below = sum(1 for h in history if h < value)
    equal = sum(1 for h in history if h == value)
    return 100.0 * (below + 0.5 * equal) / len(history)


def name_positioning(records: Sequence[ShortInterest]) -> NamePositioning | None:
    """Rank the latest settlement of one ticker against all of its stored settlements."""
    if not records:
        return None
    ordered = sorted(records, key=lambda r: r.settlement)
    latest = ordered[-1]
    ranks = []
    for measure in (_share_of_float, _days_to_cover):
        series = [v for v in (measure(r) for r in ordered) if v is not None]
        today = measure(latest)
        if today is not None and len(series) >= MIN_HISTORY:
            ranks.append(percentile_rank(series, today))
    return NamePositioning(
        ticker=latest.ticker,
        settlement=latest.settlement,
        published=latest.published,
        share_of_float=latest.short_share_of_float,
        days_to_cover=latest.days_to_cover,
        percentile=sum(ranks) / len(ranks) if ranks else None,
        history=len(ordered),
    )


def positioning_signal(
    records: Mapping[str, Sequence[ShortInterest]], tickers: Sequence[str], *, segment: str
) -> Signal:
    """The `positioning` component of one segment's `tickers`."""
    names = [p for t in tickers if (p := name_positioning(records.get(t, ()))) is not None]
    ranked = [p for p in names if p.percentile is not None]
    coverage = len(ranked) / len(tickers) if tickers else 0.0
    if not ranked:
        return Signal(
            "positioning",
            "market",
            None,
            f"{segment}: short interest for {len(names)} of {len(tickers)} names, none with "
            f"{MIN_HISTORY} settlement dates of history yet (context only)",
            coverage=coverage,
        )
    value = sum(p.percentile for p in ranked if p.percentile is not None) / len(ranked)
    return Signal("positioning", "market", value, _detail(segment, ranked, tickers), coverage)


def _detail(segment: str, ranked: Sequence[NamePositioning], tickers: Sequence[str]) -> str:
    shares = [p.share_of_float for p in ranked if p.share_of_float is not None]
    covers = [p.days_to_cover for p in ranked if p.days_to_cover is not None]
    above = sum(1 for p in ranked if p.percentile is not None and p.percentile > 50)
    parts = [f"{segment}: {above} of {len(ranked)} names shorted more than their own median"]
    if shares:
        parts.append(f"median short interest {100 * median(shares):.1f}% of float")
    if covers:
        parts.append(f"{median(covers):.1f} days to cover")
    newest = max(ranked, key=lambda p: p.settlement)
    parts.append(f"settled {newest.settlement}, public {newest.published}")
    if len(ranked) < len(tickers):
        parts.append(f"{len(tickers) - len(ranked)} names without {MIN_HISTORY} dates left out")
    return "; ".join(parts)


def _share_of_float(r: ShortInterest) -> float | None:
    return r.short_share_of_float


def _days_to_cover(r: ShortInterest) -> float | None:
    return r.days_to_cover
