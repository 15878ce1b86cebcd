"""The fundamentals in words: amounts as $130.5B, shares as 42% of revenue, growth signed,
and the dashboard's context card showing those rows instead of raw JSON numbers."""

from __future__ import annotations

from typing import Any

from monitor.reading.fundamentals_text import growth, money, share, summary_rows
from monitor.web.blocks_context import context


def test_amounts_read_with_a_scale_suffix() -> None:
    assert money(130_497_000_000) == "$130.5B"  # Nvidia's fiscal 2025 revenue
    assert money(1_164_204_900_000) == "$1.16T"
    assert money(86_074_800_000) == "$86.1B"
    assert money(-3_200_000_000) == "-$3.2B"
    assert money(850_000_000) == "$850.0M"
    assert money(12_345) == "$12,345"
    assert share(0.4213) == "42%" and growth(0.3225) == "+32% a year"
    assert growth(-0.05) == "-5% a year"


def group(**overrides: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "members": ["MSFT", "GOOGL"],
        "missing": ["ORCL"],
        "quarter": "2025Q4",
        "capex_ttm": 130.5e9,
        "revenue_ttm": 310.0e9,
        "capex_to_revenue": 0.4210,
        "capex_growth": 0.5,
        "debt": 200e9,
        "debt_growth": None,
        "free_cash_flow_ttm": -2.5e9,
        "price_to_sales": 9.04,
        "baseline_year": 2019,
        "baseline_capex_to_revenue": 0.12,
        "components": [
            {"name": "capex_to_revenue", "percentile": 97.4, "history": 39},
            {"name": "price_to_sales", "percentile": None, "history": 0},
        ],
    }
    return doc | overrides


def fundamentals(**overrides: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "line": "hyperscaler capex $130.5B over twelve months",
        "as_of": "2026-02-01",
        "hyperscalers": group(),
        "segments": [
            {
                "name": "llm",
                "quarter": "2025Q4",
                "capex_ttm": 60e9,
                "capex_to_revenue": 0.3,
                "capex_growth": None,
            },
            {"name": "applied_ai", "quarter": None, "capex_ttm": None},
            {
                "name": "market",
                "cape": 38.24,
                "month": "2026-07",
                "percentile": 97.2,
                "since": 1881,
            },
        ],
        "not_covered": {"TSM": "foreign private issuer"},
    }
    return doc | overrides


def test_rows_say_each_figure_as_people_read_it() -> None:
    rows = dict(summary_rows(fundamentals()))
    assert rows["hyperscalers"] == "MSFT, GOOGL, twelve months to 2025Q4; missing ORCL"
    assert rows["capex"] == "$130.5B, +50% a year"
    assert rows["capex / revenue"] == "42% of revenue, against 12% in 2019"
    assert rows["revenue"] == "$310.0B"
    assert rows["free cash flow after capex"] == "-$2.5B"
    assert rows["debt"] == "$200.0B"  # no growth without a year-ago figure
    assert rows["price / sales"] == "9.0x"
    assert rows["percentile in own history"] == "capex / revenue 97 (39 quarters)"
    assert rows["LLM"] == "capex $60.0B, 30% of revenue (to 2025Q4)"
    assert rows["applied AI"] == "no SEC figures for its members"
    assert rows["market"] == "CAPE 38.2 (2026-07), percentile 97 since 1881"
    assert rows["not covered"] == "TSM" and rows["as of"] == "2026-02-01"


def test_a_group_with_nothing_filed_and_a_missing_cape_say_so() -> None:
    empty = group(quarter=None, capex_ttm=None, members=["MSFT"])
    market = {"name": "market", "cape": None, "missing": "no CAPE source"}
    rows = dict(summary_rows(fundamentals(hyperscalers=empty, segments=[market])))
    assert rows["hyperscalers"] == "MSFT: no twelve months filed yet"
    assert "capex" not in rows
    assert rows["market"] == "CAPE missing: no CAPE source"


def test_the_context_card_shows_the_worded_rows_not_raw_numbers() -> None:
    (card,) = [b for b in context({"context": {"fundamentals": fundamentals()}}) if b.present]
    assert card.title == "Fundamentals (SEC filings)"
    assert card.line == "hyperscaler capex $130.5B over twelve months"
    assert ("capex", "$130.5B, +50% a year") in card.rows
    texts = " ".join(v for _, v in card.rows)
    assert "e+" not in texts and "130500000000" not in texts and "0.421" not in texts
