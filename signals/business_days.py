"""US business days for publication lags: weekdays on which both the NYSE and the Federal
Reserve are open.

FINRA counts its short-interest schedule in business days. Its settlement dates follow
the securities-settlement calendar (Federal Reserve holidays such as Columbus Day and
Veterans Day) and its publication follows the exchanges (Good Friday). A day closed on
either calendar is not counted, so a lag counted here errs a day late, never early: a
reading may miss a figure for a day, but never sees one before it was public.

Holidays come from pandas' US federal rules plus Good Friday and the NYSE's unscheduled
closures since 2007 (when FINRA went twice-monthly). Pure: no clock, no I/O.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache
from typing import Final

from pandas.tseries.holiday import AbstractHolidayCalendar, GoodFriday, USFederalHolidayCalendar

#: Days the NYSE closed that no rule predicts (national mourning, Hurricane Sandy).
UNSCHEDULED_CLOSURES: Final[frozenset[date]] = frozenset(
    {
        date(2007, 1, 2),  # President Ford
        date(2012, 10, 29),  # Hurricane Sandy
        date(2012, 10, 30),
        date(2018, 12, 5),  # President G. H. W. Bush
        date(2025, 1, 9),  # President Carter
    }
)


_CLOSED = AbstractHolidayCalendar(
    name="us-nyse-or-fed-closed", rules=[*USFederalHolidayCalendar.rules, GoodFriday]
)


@lru_cache(maxsize=64)
def us_holidays(year: int) -> frozenset[date]:
    """Every weekday of `year` on which the NYSE or the Federal Reserve is closed."""
    days = _CLOSED.holidays(date(year, 1, 1), date(year, 12, 31))
    # New Year's Day on a Saturday: the federal rule observes it on Friday 31 December,
    # but the NYSE (year-end) and the Fed (Saturday holidays) both stay open.
    ruled = {d.date() for d in days} - {date(year, 12, 31)}
    return frozenset(ruled | {d for d in UNSCHEDULED_CLOSURES if d.year == year})


def is_business_day(day: date) -> bool:
    return day.weekday() < 5 and day not in us_holidays(day.year)


def add_business_days(day: date, count: int) -> date:
    """The `count`-th business day after `day` (`day` itself is never counted)."""
    if count < 0:
        raise ValueError(f"count must be >= 0, got {count}")
    out = day
    while count:
        out += timedelta(days=1)
        count -= is_business_day(out)
    return out
