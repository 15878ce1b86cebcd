"""The demo's SIMULATED fundamentals: invented quarterly filings for the hyperscaler group.

Capex runs at about 12% of revenue until 2022, then climbs to about 35% by 2026 (roughly
the shape the real filings show); revenue grows 12% a year; debt grows with capex. Every
company is stored under an invented CIK (990000001...) with source `simulated`, so the
reading marks its fundamentals line SIMULATED; no value here was ever filed.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from monitor.store import Store
from monitor.store.fundamentals import Company, save_company, save_facts
from signals.fundamentals.facts import Fact

FIRST_YEAR = 2016
FILING_LAG = timedelta(days=35)
#: Quarterly revenue in the first simulated quarter, by ticker (others: 10 B); no two alike,
#: or two companies print the same rows (MSFT and GOOGL did).
_SIZES = {"MSFT": 22e9, "GOOGL": 20e9, "AMZN": 35e9, "META": 7e9, "ORCL": 9e9}


def seed_fundamentals(store: Store, tickers: Sequence[str], now: datetime) -> None:
    with store.transaction():
        for i, ticker in enumerate(tickers):
            cik = 990_000_001 + i
            facts = _facts(cik, _SIZES.get(ticker, 10e9), now.date())
            save_facts(store, facts, source="simulated", fetched_at=now)
            company = Company(ticker, cik, f"SIMULATED {ticker}", "simulated")
            save_company(store, company, fetched_at=now)


def _capex_share(year: float) -> float:
    """12% of revenue to 2022, rising linearly to 35% at the start of 2026 and beyond."""
    return 0.12 + 0.23 * min(1.0, max(0.0, (year - 2022.5) / 3.5))


def _facts(cik: int, first_quarter_revenue: float, today: date) -> list[Fact]:
    facts: list[Fact] = []
    debt = first_quarter_revenue * 0.8
    for n in range((today.year - FIRST_YEAR + 1) * 4):
        year, quarter = FIRST_YEAR + n // 4, n % 4 + 1
        start = date(year, 3 * quarter - 2, 1)
        end = date(year, 3 * quarter, calendar.monthrange(year, 3 * quarter)[1])
        filed = end + FILING_LAG
        if filed > today:
            break
        revenue = first_quarter_revenue * 1.12 ** (n / 4)
        capex = revenue * _capex_share(year + quarter / 4)
        cash = revenue * 0.42
        debt += capex * 0.25
        accession = f"SIM-{cik}-{year}Q{quarter}"
        form = "10-K" if quarter == 4 else "10-Q"
        made = _Filing(cik, accession, form, filed, end)
        facts += [
            made.fact("revenue", "us-gaap:Revenues", revenue, start),
            made.fact("capex", "us-gaap:PaymentsToAcquirePropertyPlantAndEquipment", capex, start),
            made.fact(
                "operating_cash_flow",
                "us-gaap:NetCashProvidedByUsedInOperatingActivities",
                cash,
                start,
            ),
            made.fact("long_term_debt", "us-gaap:LongTermDebt", debt, None),
            made.fact("shares", "dei:EntityCommonStockSharesOutstanding", 5e9, None),
        ]
    return facts


@dataclass(frozen=True, slots=True)
class _Filing:
    cik: int
    accession: str
    form: str
    filed: date
    end: date

    def fact(self, concept: str, tag: str, value: float, start: date | None) -> Fact:
        return Fact(
            self.cik,
            concept,
            tag,
            start,
            self.end,
            round(value, -5),
            self.accession,
            self.form,
            self.filed,
        )
