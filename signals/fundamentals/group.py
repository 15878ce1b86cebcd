"""A group of companies (the hyperscalers, a segment) summed by calendar quarter.

Fiscal calendars differ (Microsoft's year ends in June, Nvidia's in late January), so
each company's trailing-twelve-month row is placed in the calendar quarter that holds
the middle of its last fiscal quarter (the period end minus 45 days). A group point sums
the members present in that quarter; growth compares the same members a year apart.
Every measure is also ranked against the group's own history (a percentile), and is
`unfitted`: no evaluation has shown that it forecasts a crash.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

from signals.fundamentals.measures import Figures, Fundamentals

MID_QUARTER: Final = timedelta(days=45)
PriceAt = Callable[[str, date], float | None]


def calendar_quarter(end: date) -> str:
    mid = end - MID_QUARTER
    return f"{mid.year}Q{(mid.month - 1) // 3 + 1}"


@dataclass(frozen=True, slots=True)
class GroupPoint:
    """The group's trailing twelve months in one calendar quarter."""

    quarter: str
    members: tuple[str, ...]
    capex: float
    revenue: float
    free_cash_flow: float | None
    debt: float | None

    @property
    def capex_to_revenue(self) -> float | None:
        return self.capex / self.revenue if self.revenue > 0 else None


@dataclass(frozen=True, slots=True)
class Measure:
    name: str
    value: float | None
    percentile: float | None  # against the group's own history, 0-100
    history: int  # points the percentile ranks against
    status: str = "unfitted"


@dataclass(frozen=True, slots=True)
class GroupReading:
    members: tuple[str, ...]
    missing: tuple[str, ...]
    points: tuple[GroupPoint, ...]
    capex_growth: float | None  # a year, same members
    debt_growth: float | None
    baseline_year: int
    baseline_capex_to_revenue: float | None
    baseline_members: tuple[str, ...]
    price_to_sales: float | None
    measures: tuple[Measure, ...]

    @property
    def latest(self) -> GroupPoint | None:
        return self.points[-1] if self.points else None


def by_quarter(companies: Mapping[str, Fundamentals]) -> dict[str, dict[str, Figures]]:
    """quarter -> ticker -> that company's TTM row (the last one filed in the quarter)."""
    out: dict[str, dict[str, Figures]] = {}
    for ticker, company in companies.items():
        for row in company.ttm_history:
            if row.revenue is not None and row.capex is not None:
                out.setdefault(calendar_quarter(row.end), {})[ticker] = row
    return dict(sorted(out.items()))


def group_points(
    table: Mapping[str, Mapping[str, Figures]], members: Sequence[str]
) -> list[GroupPoint]:
    """Points where every one of `members` has a row (a full group, no jumps)."""
    points = []
    for quarter, rows in table.items():
        if not all(m in rows for m in members):
            continue
        picked = [rows[m] for m in members]
        points.append(_point(quarter, tuple(members), picked))
    return points


def _point(quarter: str, members: tuple[str, ...], rows: Sequence[Figures]) -> GroupPoint:
    free = [r.free_cash_flow for r in rows]
    debt = [r.debt for r in rows]
    return GroupPoint(
        quarter,
        members,
        sum(r.capex or 0.0 for r in rows),
        sum(r.revenue or 0.0 for r in rows),
        None if any(f is None for f in free) else sum(f or 0.0 for f in free),
        None if any(d is None for d in debt) else sum(d or 0.0 for d in debt),
    )


def read_group(
    companies: Mapping[str, Fundamentals],
    members: Sequence[str],
    *,
    baseline_year: int = 2019,
    price_at: PriceAt | None = None,
    as_of: date | None = None,
) -> GroupReading:
    """The group's latest point, its growth, its baseline year and percentiles."""
    table = by_quarter(companies)
    latest_quarter = next(reversed(table), None)
    present = [m for m in members if latest_quarter and m in table[latest_quarter]]
    present = present or [m for m in members if m in companies and companies[m].ttm]
    missing = tuple(m for m in members if m not in present)
    points = group_points(table, present) if present else []
    year_ago = _year_ago(table, points, present)
    baseline_rows = table.get(f"{baseline_year}Q4", {})
    base_members = tuple(m for m in present if m in baseline_rows)
    base = _point(f"{baseline_year}Q4", base_members, [baseline_rows[m] for m in base_members])
    latest = points[-1] if points else None
    growth = _growth(latest, year_ago, "capex")
    debt_growth = _growth(latest, year_ago, "debt")
    ps = _price_to_sales(companies, present, price_at, as_of) if price_at and as_of else None
    measures = _measures(points, table, present, growth, debt_growth)
    if price_at is not None:
        past = [_past_price_to_sales(table[p.quarter], present, price_at) for p in points]
        measures = (*measures, _measure("price_to_sales", ps, past))
    return GroupReading(
        tuple(present),
        missing,
        tuple(points),
        growth,
        debt_growth,
        baseline_year,
        base.capex_to_revenue if base_members else None,
        base_members,
        ps,
        measures,
    )


def _year_ago(
    table: Mapping[str, Mapping[str, Figures]], points: Sequence[GroupPoint], members: Sequence[str]
) -> GroupPoint | None:
    if not points:
        return None
    year, q = points[-1].quarter.split("Q")
    rows = table.get(f"{int(year) - 1}Q{q}", {})
    if not all(m in rows for m in members):
        return None
    return _point(f"{int(year) - 1}Q{q}", tuple(members), [rows[m] for m in members])


def _growth(now: GroupPoint | None, before: GroupPoint | None, what: str) -> float | None:
    if now is None or before is None:
        return None
    a, b = getattr(now, what), getattr(before, what)
    if a is None or b is None or b <= 0:
        return None
    return float(a / b - 1.0)


def _price_to_sales(
    companies: Mapping[str, Fundamentals], members: Sequence[str], price_at: PriceAt, as_of: date
) -> float | None:
    """Market value (shares x price on `as_of`) over trailing revenue, for the group."""
    value, revenue = 0.0, 0.0
    for ticker in members:
        ttm = companies[ticker].ttm
        price = price_at(ticker, as_of)
        if ttm is None or ttm.shares is None or ttm.revenue is None or price is None:
            return None
        value += ttm.shares * price
        revenue += ttm.revenue
    return value / revenue if revenue > 0 else None


def _past_price_to_sales(
    rows: Mapping[str, Figures], members: Sequence[str], price_at: PriceAt
) -> float | None:
    """Price/sales at a past quarter: each member's shares x its price on its period end."""
    value, revenue = 0.0, 0.0
    for ticker in members:
        row = rows[ticker]
        price = price_at(ticker, row.end)
        if row.shares is None or row.revenue is None or price is None:
            return None
        value += row.shares * price
        revenue += row.revenue
    return value / revenue if revenue > 0 else None


def _measures(
    points: Sequence[GroupPoint],
    table: Mapping[str, Mapping[str, Figures]],
    members: Sequence[str],
    growth: float | None,
    debt_growth: float | None,
) -> tuple[Measure, ...]:
    ratios = [p.capex_to_revenue for p in points]
    growths = [
        _growth(p, _year_ago(table, points[: i + 1], members), "capex")
        for i, p in enumerate(points)
    ]
    debts = [
        _growth(p, _year_ago(table, points[: i + 1], members), "debt") for i, p in enumerate(points)
    ]
    latest = points[-1] if points else None
    return (
        _measure("capex_to_revenue", None if latest is None else latest.capex_to_revenue, ratios),
        _measure("capex_growth", growth, growths),
        _measure("debt_growth", debt_growth, debts),
    )


def _measure(name: str, value: float | None, history: Sequence[float | None]) -> Measure:
    known = [h for h in history if h is not None]
    return Measure(name, value, percentile(value, known), len(known))


def percentile(value: float | None, history: Sequence[float]) -> float | None:
    """The share of `history` at or below `value`, in percent (None without history)."""
    if value is None or not history:
        return None
    return 100.0 * sum(1 for h in history if h <= value) / len(history)
