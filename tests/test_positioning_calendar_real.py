"""The publication calendar against the US trading calendar the project already has: the
days the real price file (../shared/data) has US closes, 2015-01-02 .. 2026-07-13.

What the calendar's definition (a weekday both the NYSE and the Fed are open) implies:
every weekday the NYSE was shut (no SPY close) is not a business day, and every traded
weekday that is not one is a Federal Reserve holiday alone (Columbus Day, Veterans Day,
Juneteenth 2021 before the NYSE kept it), where settlement stops and the rule errs late.
The first run also found 2021-12-31, a federal observance of a Saturday New Year's Day
that neither the NYSE nor the Fed keeps; the calendar was corrected, not the test.
"""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

from signals.business_days import is_business_day

PRICES = "ai_stocks_daily_adjclose_2015_2026.csv"


def _fed_only(day: date) -> bool:
    columbus = day.month == 10 and day.weekday() == 0 and 8 <= day.day <= 14
    veterans = day.month == 11 and 10 <= day.day <= 12  # the 11th, or its Friday/Monday
    return columbus or veterans or day == date(2021, 6, 18)


def test_business_days_match_the_real_us_trading_days(shared_data: Path) -> None:
    with (shared_data / PRICES).open(newline="") as f:
        traded = {date.fromisoformat(r["date"]) for r in csv.DictReader(f) if r["SPY"]}
    weekdays = [
        d
        for n in range((max(traded) - min(traded)).days + 1)
        if (d := min(traded) + timedelta(days=n)).weekday() < 5
    ]
    shut = [d for d in weekdays if d not in traded]
    assert len(shut) > 90  # eleven years of NYSE holidays and closures
    assert [d for d in shut if is_business_day(d)] == []
    fed_only = [d for d in weekdays if d in traded and not is_business_day(d)]
    assert [d for d in fed_only if not _fed_only(d)] == []
    assert len(fed_only) == 23  # 11 Columbus Days, 11 Veterans Days, 2021-06-18
