"""The market's CAPE (Shiller's cyclically adjusted P/E) and its percentile since 1881,
the first month with ten years of earnings behind it, as context for the market segment."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Final

from signals.fundamentals.group import percentile

SINCE: Final = date(1881, 1, 1)


@dataclass(frozen=True, slots=True)
class CapeReading:
    month: date
    value: float
    percentile: float  # share of months since 1881 at or below it, in percent
    months: int


def cape_reading(series: Sequence[tuple[date, float]], as_of: date) -> CapeReading | None:
    """The latest CAPE of a month that ended before `as_of`, ranked against every month
    since 1881 (a month's price is the average of its days: it is known once it is over)."""
    known = sorted((d, v) for d, v in series if d >= SINCE and _next_month(d) <= as_of and v == v)
    if not known:
        return None
    month, value = known[-1]
    ranked = percentile(value, [v for _, v in known])
    assert ranked is not None
    return CapeReading(month, value, ranked, len(known))


def _next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)
