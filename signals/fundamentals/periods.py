"""One value per period from facts, and quarters whatever the fiscal calendar.

Per period the preferred tag wins (facts.CONCEPTS order), and within a tag the value
filed last among those given: pass only the facts known on a date (`facts.known_by`)
and a restatement counts only from its own filing date. Quarters come from filed
three-month values, from differences of year-to-date values with the same start (cash
flow statements in 10-Qs are year-to-date: H1 - Q1 = Q2, FY - 9M = Q4), and, where only
the year and three quarters were filed, as the year minus those three quarters. Each
derived value counts from the latest filing date of the values it was made of.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise
from typing import Final

from signals.fundamentals.facts import Fact

QUARTER_DAYS: Final = range(75, 106)  # 13 weeks = 91 days, 14 weeks = 98
YEAR_DAYS: Final = range(350, 381)  # 52 weeks = 364 days, 53 weeks = 371
DAY: Final = timedelta(days=1)

Period = tuple[date | None, date]


@dataclass(frozen=True, slots=True)
class Amount:
    value: float
    filed: date
    how: str = "filed"  # filed, year-to-date difference, year minus three quarters


def by_period(facts: Iterable[Fact], concept: str) -> dict[Period, Amount]:
    """The value of `concept` for each period: preferred tag first, then latest filed. A
    value re-reported unchanged (a comparative column) counts from its first filing."""
    groups: dict[Period, list[Fact]] = defaultdict(list)
    for fact in facts:
        if fact.concept == concept:
            groups[(fact.start, fact.end)].append(fact)
    out: dict[Period, Amount] = {}
    for key, group in groups.items():
        best = min(group, key=lambda f: (f.rank, -f.filed.toordinal(), f.accession))
        same = [f.filed for f in group if f.tag == best.tag and f.value == best.value]
        out[key] = Amount(best.value, min(same))
    return out


def days(period: Period) -> int:
    start, end = period
    return 0 if start is None else (end - start).days + 1


def annual(durations: Mapping[Period, Amount]) -> dict[Period, Amount]:
    return {p: a for p, a in durations.items() if days(p) in YEAR_DAYS}


def quarters(durations: Mapping[Period, Amount]) -> dict[Period, Amount]:
    """Three-month values: filed, year-to-date differences, then year minus three."""
    out = {p: a for p, a in durations.items() if days(p) in QUARTER_DAYS}
    by_start: dict[date, list[tuple[date, Amount]]] = defaultdict(list)
    for (start, end), amount in durations.items():
        if start is not None:
            by_start[start].append((end, amount))
    for ends in by_start.values():
        ends.sort(key=lambda e: e[0])
        for (end_a, a), (end_b, b) in pairwise(ends):
            key: Period = (end_a + DAY, end_b)
            if days(key) in QUARTER_DAYS and key not in out:
                out[key] = Amount(
                    b.value - a.value, max(a.filed, b.filed), "year-to-date difference"
                )
    for (start, end), year in annual(durations).items():
        assert start is not None
        chain = _chain_forward(out, start, 3)
        if len(chain) == 3 and (chain[-1][0][1] + DAY, end) not in out:
            key = (chain[-1][0][1] + DAY, end)
            if days(key) in QUARTER_DAYS:
                filed = max(year.filed, *(a.filed for _, a in chain))
                value = year.value - sum(a.value for _, a in chain)
                out[key] = Amount(value, filed, "year minus three quarters")
    return out


def _chain_forward(
    quarters_: Mapping[Period, Amount], start: date, count: int
) -> list[tuple[Period, Amount]]:
    """Up to `count` back-to-back quarters from `start`."""
    by_start = {p[0]: (p, a) for p, a in sorted(quarters_.items(), key=lambda i: i[1].filed)}
    chain: list[tuple[Period, Amount]] = []
    cursor = start
    while len(chain) < count and cursor in by_start:
        period, amount = by_start[cursor]
        chain.append((period, amount))
        cursor = period[1] + DAY
    return chain


def trailing(quarters_: Mapping[Period, Amount]) -> dict[date, Amount]:
    """At each quarter's end, the sum of the four back-to-back quarters ending there
    (each starting the day after the one before ended); no entry where there is a gap."""
    by_end = {p[1]: (p, a) for p, a in sorted(quarters_.items(), key=lambda i: i[1].filed)}
    out: dict[date, Amount] = {}
    for end in by_end:
        total, filed, cursor = 0.0, date.min, end
        for _ in range(4):
            if cursor not in by_end:
                break
            (start, _), amount = by_end[cursor]
            assert start is not None
            total += amount.value
            filed = max(filed, amount.filed)
            cursor = start - DAY
        else:
            out[end] = Amount(total, filed, "four quarters")
    return out


def instants(facts: Iterable[Fact], concept: str) -> dict[date, Amount]:
    return {end: a for (_, end), a in by_period(facts, concept).items()}


def fiscal_year_of_end(end: date) -> int:
    """A fiscal year is named by the calendar year it ends in; a 52/53-week year that ends
    in the first week of January is named by the year before (it is that year's)."""
    return end.year - 1 if end.month == 1 and end.day <= 7 else end.year


def fiscal_year_of(day: date, years: Iterable[Period]) -> int:
    """The fiscal year `day` falls in: the filed year containing it, else the year whose
    end it falls before, from the company's fiscal year-end month and day."""
    known = sorted(years, key=lambda p: p[1])
    for start, end in known:
        if start is not None and start <= day <= end:
            return fiscal_year_of_end(end)
    if not known:
        return fiscal_year_of_end(day)
    last = known[-1][1]
    for year in (day.year, day.year + 1):
        candidate = date(year, last.month, min(last.day, 28))
        if candidate >= day - timedelta(days=10):
            return fiscal_year_of_end(candidate)
    return fiscal_year_of_end(day)  # pragma: no cover - the loop always returns
