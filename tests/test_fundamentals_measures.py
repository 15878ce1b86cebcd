"""Pure fundamentals: companyfacts -> facts -> quarterly, annual and TTM measures, on small
hand-made bodies (tests/fundamentals_fixtures.py)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from signals.fundamentals.facts import FactsError, parse_companyfacts
from signals.fundamentals.measures import fundamentals
from signals.fundamentals.periods import fiscal_year_of_end
from tests.fundamentals_fixtures import body, june_company, row


def test_year_to_date_cash_flows_become_quarters_and_q4_is_the_year_minus_nine_months() -> None:
    parsed = parse_companyfacts(june_company(), "june.json")
    company = fundamentals(parsed.cik, parsed.facts)
    (year,) = company.annual
    assert (year.fiscal_year, year.revenue, year.capex) == (2025, 280e9, 65e9)
    assert year.free_cash_flow == 136e9 - 65e9 and year.debt == 43e9
    capex = [q.capex for q in company.quarterly]
    assert capex == [15e9, 16e9, 17e9, 17e9]  # 31-15, 48-31, 65-48
    revenue = [q.revenue for q in company.quarterly]
    assert revenue == [65e9, 70e9, 70e9, 75e9]  # Q4 = 280 - (65 + 70 + 70)
    assert [q.fiscal_year for q in company.quarterly] == [2025] * 4
    q4 = company.quarterly[-1]
    assert q4.filed == date(2025, 7, 30) and q4.start == date(2025, 4, 1)
    ttm = company.ttm
    assert ttm is not None and (ttm.revenue, ttm.capex, ttm.operating_cash_flow) == (
        280e9,
        65e9,
        136e9,
    )


def test_a_derived_quarter_is_not_known_before_the_later_of_its_two_filings() -> None:
    parsed = parse_companyfacts(june_company(), "june.json")
    before = fundamentals(parsed.cik, parsed.facts, as_of=date(2025, 7, 29))
    assert before.annual == () and len(before.quarterly) == 3 and before.ttm is None
    after = fundamentals(parsed.cik, parsed.facts, as_of=date(2025, 7, 30))
    assert len(after.quarterly) == 4 and after.ttm is not None


def test_tag_fallback_per_period_and_the_preferred_tag_wins_where_both_are_filed() -> None:
    old = row("2018-12-31", 10e9, "2019-02-01", start="2018-01-01", form="10-K")
    both_new = row("2019-12-31", 12e9, "2020-02-01", start="2019-01-01", form="10-K")
    both_old = row("2019-12-31", 11e9, "2020-02-01", start="2019-01-01", form="10-K")
    parsed = parse_companyfacts(
        body(
            1,
            {
                "us-gaap:SalesRevenueNet": {"USD": [old, both_old]},
                "us-gaap:Revenues": {"USD": [both_new]},
            },
        ),
        "x.json",
    )
    rows = fundamentals(1, parsed.facts).annual
    assert [(r.fiscal_year, r.revenue) for r in rows] == [(2018, 10e9), (2019, 12e9)]


def test_capex_under_productive_assets_when_the_plant_tag_is_absent() -> None:
    capex = row("2025-01-26", 3.236e9, "2025-02-26", start="2024-01-29", form="10-K")
    parsed = parse_companyfacts(
        body(2, {"us-gaap:PaymentsToAcquireProductiveAssets": {"USD": [capex]}}), "x"
    )
    (year,) = fundamentals(2, parsed.facts).annual
    assert year.capex == 3.236e9 and year.fiscal_year == 2025 and year.revenue is None


def test_wrong_units_missing_tags_and_a_fact_without_filed_are_named_and_dropped() -> None:
    good = row("2024-12-31", 5e9, "2025-02-01", start="2024-01-01", form="10-K")
    no_filed = row("2023-12-31", 4e9, None, start="2023-01-01", form="10-K")
    parsed = parse_companyfacts(
        body(
            3,
            {
                "us-gaap:Revenues": {"USD": [good, no_filed]},
                "us-gaap:PaymentsToAcquirePropertyPlantAndEquipment": {"EUR": [good]},
            },
        ),
        "x.json",
    )
    assert [f.value for f in parsed.facts] == [5e9]
    assert any("in EUR, not USD" in p for p in parsed.problems)
    assert any("us-gaap:Revenues: 1 value(s) without" in p for p in parsed.problems)
    (year,) = fundamentals(3, parsed.facts).annual
    assert year.capex is None and year.free_cash_flow is None and year.debt is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (b"<html>Not Found</html>", "not JSON"),
        (b"[]", "not a companyfacts document"),
        (json.dumps({"facts": {}}).encode(), "'cik' is missing"),
    ],
)
def test_a_body_that_is_not_companyfacts_names_its_source(text: bytes, message: str) -> None:
    with pytest.raises(FactsError, match=f"CIK1.json: {message}"):
        parse_companyfacts(text, "CIK1.json")


def test_debt_is_long_term_with_current_portion_plus_commercial_paper() -> None:
    parsed = parse_companyfacts(
        body(
            4,
            {
                "us-gaap:LongTermDebtNoncurrent": {"USD": [row("2025-03-31", 70e9, "2025-05-01")]},
                "us-gaap:LongTermDebtCurrent": {"USD": [row("2025-03-31", 10e9, "2025-05-01")]},
                "us-gaap:CommercialPaper": {"USD": [row("2025-03-31", 2e9, "2025-05-01")]},
                "us-gaap:Revenues": {
                    "USD": [row("2025-03-31", 1e9, "2025-05-01", start="2025-01-01")]
                },
            },
        ),
        "x",
    )
    (quarter,) = fundamentals(4, parsed.facts).quarterly
    assert quarter.debt == 82e9


def test_a_restated_value_counts_only_from_its_own_filing_date() -> None:
    original = row("2024-12-31", 100e9, "2025-02-01", start="2024-01-01", form="10-K")
    amended = row(
        "2024-12-31",
        90e9,
        "2025-06-15",
        start="2024-01-01",
        accn="0000000001-25-000099",
        form="10-K/A",
    )
    parsed = parse_companyfacts(body(5, {"us-gaap:Revenues": {"USD": [original, amended]}}), "x")
    assert len(parsed.facts) == 2  # both kept, each with its own filing date

    def revenue(day: date) -> float | None:
        years = fundamentals(5, parsed.facts, as_of=day).annual
        return years[0].revenue if years else None

    assert revenue(date(2025, 1, 31)) is None
    assert revenue(date(2025, 2, 1)) == 100e9
    assert revenue(date(2025, 6, 14)) == 100e9
    assert revenue(date(2025, 6, 15)) == 90e9


def test_an_unchanged_comparative_keeps_its_first_filing_date() -> None:
    first = row("2024-12-31", 7e9, "2025-02-01", start="2024-01-01", form="10-K")
    again = row("2024-12-31", 7e9, "2026-02-01", start="2024-01-01", accn="a2", form="10-K")
    parsed = parse_companyfacts(body(6, {"us-gaap:Revenues": {"USD": [first, again]}}), "x")
    (year,) = fundamentals(6, parsed.facts).annual
    assert year.filed == date(2025, 2, 1)


@pytest.mark.parametrize(
    ("end", "year"),
    [
        (date(2025, 1, 26), 2025),  # Nvidia: fiscal 2025 ends in late January 2025
        (date(2025, 6, 30), 2025),  # Microsoft
        (date(2025, 9, 27), 2025),  # Apple
        (date(2026, 1, 3), 2025),  # a 53-week year spilling into January
    ],
)
def test_fiscal_year_is_named_by_the_year_it_ends_in(end: date, year: int) -> None:
    assert fiscal_year_of_end(end) == year
