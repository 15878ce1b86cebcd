"""A company's standard measures, annual, quarterly and trailing twelve months, as known
on a date: revenue, capital expenditure, operating cash flow, free cash flow after capex
(operating cash flow - capex), total debt and shares outstanding.

Total debt at an instant is long-term debt with its current portion (`LongTermDebt`, else
`LongTermDebtNoncurrent` + `LongTermDebtCurrent`) plus commercial paper and other
short-term borrowings where filed for the same instant. A row counts from the latest
filing date of the values in it.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

from signals.fundamentals.facts import Fact, known_by
from signals.fundamentals.periods import (
    Amount,
    Period,
    annual,
    by_period,
    fiscal_year_of,
    fiscal_year_of_end,
    instants,
    quarters,
    trailing,
)

FLOWS: Final = ("revenue", "capex", "operating_cash_flow")
#: How far after a period's end a share count (the cover page's date) still belongs to it.
SHARES_LAG: Final = timedelta(days=100)


@dataclass(frozen=True, slots=True)
class Figures:
    """One period's measures in USD (shares in shares); None where not filed."""

    fiscal_year: int
    start: date | None
    end: date
    filed: date
    revenue: float | None
    capex: float | None
    operating_cash_flow: float | None
    free_cash_flow: float | None
    debt: float | None
    shares: float | None


@dataclass(frozen=True, slots=True)
class Fundamentals:
    cik: int
    annual: tuple[Figures, ...]
    quarterly: tuple[Figures, ...]
    ttm_history: tuple[Figures, ...]  # trailing twelve months at each quarter's end

    @property
    def ttm(self) -> Figures | None:
        return self.ttm_history[-1] if self.ttm_history else None


def fundamentals(cik: int, facts: Iterable[Fact], as_of: date | None = None) -> Fundamentals:
    """Every measure from `facts` known on `as_of` (all of them when None)."""
    known = list(facts) if as_of is None else known_by(list(facts), as_of)
    durations = {c: by_period(known, c) for c in FLOWS}
    yearly = {c: annual(d) for c, d in durations.items()}
    quarterly = {c: quarters(d) for c, d in durations.items()}
    balances = _Balances(debt_by_instant(known), instants(known, "shares"))
    years = sorted({p for d in yearly.values() for p in d}, key=lambda p: p[1])
    quarter_periods = sorted({p for d in quarterly.values() for p in d}, key=lambda p: p[1])
    annual_rows = [balances.figures(p, {c: yearly[c].get(p) for c in FLOWS}, years) for p in years]
    quarter_rows = [
        balances.figures(p, {c: quarterly[c].get(p) for c in FLOWS}, years) for p in quarter_periods
    ]
    trailing_sums = {c: trailing(quarterly[c]) for c in FLOWS}
    ttm = []
    for _, end in quarter_periods:
        amounts = {c: trailing_sums[c].get(end) for c in FLOWS}
        if amounts["revenue"] is not None or amounts["capex"] is not None:
            ttm.append(balances.figures((end - timedelta(days=364), end), amounts, years))
    return Fundamentals(cik, tuple(annual_rows), tuple(quarter_rows), tuple(ttm))


def debt_by_instant(known: list[Fact]) -> dict[date, Amount]:
    """Total debt at each instant where long-term debt was filed (see the docstring)."""
    long_term = instants(known, "long_term_debt")
    noncurrent = instants(known, "long_term_debt_noncurrent")
    current = instants(known, "long_term_debt_current")
    short = [instants(known, "commercial_paper"), instants(known, "short_term_borrowings")]
    out: dict[date, Amount] = {}
    for day in sorted({*long_term, *noncurrent}):
        parts = [long_term[day]] if day in long_term else [noncurrent[day]]
        if day not in long_term and day in current:
            parts.append(current[day])
        parts.extend(s[day] for s in short if day in s)
        out[day] = Amount(sum(p.value for p in parts), max(p.filed for p in parts), "sum")
    return out


@dataclass(frozen=True, slots=True)
class _Balances:
    """Debt and share counts by instant, joined to a period's flows to make its row."""

    debt: Mapping[date, Amount]
    shares: Mapping[date, Amount]

    def figures(
        self, period: Period, amounts: Mapping[str, Amount | None], years: list[Period]
    ) -> Figures:
        end = period[1]
        return _figures(period, amounts, self.debt.get(end), _shares(self.shares, end), years)


def _figures(
    period: Period,
    amounts: Mapping[str, Amount | None],
    debt: Amount | None,
    shares: Amount | None,
    years: list[Period],
) -> Figures:
    start, end = period
    revenue, capex, cash = (amounts[c] for c in FLOWS)
    free = None if capex is None or cash is None else cash.value - capex.value
    filed = max((a.filed for a in (*amounts.values(), debt) if a is not None), default=end)
    fiscal_year = fiscal_year_of_end(end) if period in years else fiscal_year_of(end, years)
    return Figures(
        fiscal_year,
        start,
        end,
        filed,
        None if revenue is None else revenue.value,
        None if capex is None else capex.value,
        None if cash is None else cash.value,
        free,
        None if debt is None else debt.value,
        None if shares is None else shares.value,
    )


def _shares(shares: Mapping[date, Amount], end: date) -> Amount | None:
    """The latest share count dated from the period's end to SHARES_LAG after it."""
    days = sorted(shares)
    last = bisect_right(days, end + SHARES_LAG) - 1
    if last < 0 or days[last] < end - timedelta(days=7):
        return None
    return shares[days[last]]
