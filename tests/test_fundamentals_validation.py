"""Real SEC companyfacts bodies (../shared/data/sec: Nvidia, Apple, Marvell) served by the
local EDGAR stand-in, collected into a store: the annual figures equal the values the
companies filed, and the table in docs/fundamentals.md matches. Skips without ../shared."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from typer.testing import CliRunner

from monitor.cli.app import app
from monitor.config.fundamentals import FundamentalsConfig
from monitor.reading.fundamentals import stored_companies
from monitor.sources.edgar.client import EdgarClient, SecSettings
from monitor.sources.edgar.fundamentals import collect_fundamentals
from monitor.store import Store
from signals.fundamentals.facts import CONCEPT_BY_NAME
from tests.edgar_server import EdgarStandIn

pytestmark = pytest.mark.validation

DOC = Path(__file__).resolve().parents[1] / "docs" / "fundamentals.md"
NOW = datetime(2026, 7, 10, tzinfo=UTC)
RECORDED = {
    "NVDA": (1045810, "companyfacts_CIK0001045810_2026-07-09.json", "Nvidia (NVDA)"),
    "AAPL": (320193, "companyfacts_CIK0000320193_2026-03-21.json", "Apple (AAPL)"),
    "MRVL": (1835632, "companyfacts_CIK0001835632_2026-06-08.json", "Marvell (MRVL)"),
}


@pytest.fixture
def collected(shared_data: Path, httpserver: HTTPServer, db_path: Path) -> Iterator[Store]:
    edgar = EdgarStandIn(httpserver).start()
    table = {
        str(i): {"cik_str": cik, "ticker": t, "title": t}
        for i, (t, (cik, _, _)) in enumerate(RECORDED.items())
    }
    edgar.bodies["/files/company_tickers.json"] = json.dumps(table).encode()
    for cik, name, _ in RECORDED.values():
        path = f"/api/xbrl/companyfacts/CIK{cik:010d}.json"
        edgar.bodies[path] = (shared_data / "sec" / name).read_bytes()
    settings = SecSettings("Test Runner test@example.com", edgar.data_url, edgar.archives_url)
    client = EdgarClient(settings, sleep=lambda _: None)
    with Store(db_path) as store:
        result = collect_fundamentals(store, FundamentalsConfig(), tuple(RECORDED), client, now=NOW)
        assert [c.status for c in result.companies] == ["new"] * 3
        assert result.requests == 4  # the ticker table, then one per company
        yield store


def _filed_values(shared_data: Path, name: str, concept: str) -> dict[tuple[str, str], set[float]]:
    """(start, end) -> every value filed in a 10-K under the concept's tags."""
    data = json.loads((shared_data / "sec" / name).read_bytes())
    out: dict[tuple[str, str], set[float]] = {}
    for tag in CONCEPT_BY_NAME[concept].tags:
        taxonomy, local = tag.split(":")
        entry = data["facts"].get(taxonomy, {}).get(local, {})
        for r in entry.get("units", {}).get("USD", []):
            if r.get("form", "").startswith("10-K") and "start" in r:
                out.setdefault((r["start"], r["end"]), set()).add(float(r["val"]))
    return out


def test_nvidia_fiscal_2025_revenue_is_the_filed_130_497_billion(collected: Store) -> None:
    found, _ = stored_companies(collected, ("NVDA",), None)
    year = next(r for r in found["NVDA"].annual if r.fiscal_year == 2025)
    assert year.revenue == 130_497_000_000 and year.end == date(2025, 1, 26)
    assert year.capex == 3_236_000_000 and year.operating_cash_flow == 64_089_000_000


@pytest.mark.parametrize("ticker", list(RECORDED))
def test_every_annual_figure_is_a_value_filed_in_a_10k(
    collected: Store, shared_data: Path, ticker: str
) -> None:
    _, name, _ = RECORDED[ticker]
    found, _ = stored_companies(collected, (ticker,), None)
    checked = 0
    for concept in ("revenue", "capex", "operating_cash_flow"):
        filed = _filed_values(shared_data, name, concept)
        for row in found[ticker].annual:
            value = getattr(row, concept)
            if value is None:
                continue
            assert row.start is not None
            key = (row.start.isoformat(), row.end.isoformat())
            assert value in filed[key], (ticker, concept, row.fiscal_year)
            checked += 1
    assert checked >= 15


def _doc_rows() -> list[list[str]]:
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## Recorded companies", 1)[1].split("\n## ", 1)[0]
    return [
        [c.strip() for c in line.strip("|").split("|")]
        for line in section.splitlines()
        if re.match(r"^\| (Nvidia|Apple|Marvell)", line)
    ]


def _millions(value: float | None) -> str:
    return "" if value is None else f"{value / 1e6:,.0f}"


def test_the_table_in_the_docs_matches_the_collected_figures(collected: Store) -> None:
    rows = _doc_rows()
    assert len(rows) == 12
    found, _ = stored_companies(collected, tuple(RECORDED), None)
    labels = {label: t for t, (_, _, label) in RECORDED.items()}
    for company, year, end, *amounts, share in rows:
        annual = {r.fiscal_year: r for r in found[labels[company]].annual}
        row = annual[int(year)]
        assert row.end.isoformat() == end
        values = (row.revenue, row.capex, row.operating_cash_flow, row.free_cash_flow, row.debt)
        assert [_millions(v) for v in values] == amounts, (company, year)
        assert row.revenue and row.capex and share == f"{row.capex / row.revenue:.1%}"


def test_a_real_re_presentation_counts_from_its_own_filing_date(collected: Store) -> None:
    """Nvidia's fiscal 2015 revenue was filed as 4,681,507,000 (2015-03-12) and re-filed
    rounded as 4,682,000,000 (2016-03-17): each is used only from its own filing date."""

    def revenue(day: date) -> float | None:
        found, _ = stored_companies(collected, ("NVDA",), day)
        years = {r.fiscal_year: r for r in found["NVDA"].annual}
        return years[2015].revenue if 2015 in years else None

    assert revenue(date(2015, 3, 11)) is None
    assert revenue(date(2015, 3, 12)) == 4_681_507_000
    assert revenue(date(2016, 3, 16)) == 4_681_507_000
    assert revenue(date(2016, 3, 17)) == 4_682_000_000


def test_cli_fundamentals_json_has_the_shape_of_the_issue(collected: Store, db_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["fundamentals", "NVDA", "MRVL", "--db", str(db_path), "--json"]
    )
    assert result.exit_code == 0, result.output
    doc: dict[str, Any] = json.loads(result.stdout)
    assert list(doc) == ["NVDA", "MRVL"]
    keys = [
        "fiscal_year",
        "end",
        "filed",
        "revenue",
        "capex",
        "operating_cash_flow",
        "free_cash_flow",
        "debt",
    ]
    nvda = doc["NVDA"]
    assert set(nvda) == {"cik", "annual", "quarterly", "ttm"} and nvda["cik"] == 1045810
    assert all(list(r) == keys for r in (*nvda["annual"], *nvda["quarterly"], nvda["ttm"]))
    fy2025 = next(r for r in nvda["annual"] if r["fiscal_year"] == 2025)
    assert fy2025["revenue"] == 130_497_000_000 and fy2025["filed"] == "2025-02-26"
    assert nvda["ttm"]["end"] == "2026-04-26" and nvda["ttm"]["revenue"] == 253_491_000_000
    early = CliRunner().invoke(
        app, ["fundamentals", "NVDA", "--as-of", "2025-02-25", "--db", str(db_path), "--json"]
    )
    years = [r["fiscal_year"] for r in json.loads(early.stdout)["NVDA"]["annual"]]
    assert 2025 not in years and 2024 in years


def test_shillers_cape_loads_as_a_user_supplied_csv_with_its_percentile(
    shared_data: Path,
) -> None:
    """The README's checks (CAPE 1929-09 32.56, 2000-03 43.22, 2026-07 41.37) through the
    loader a user's `fundamentals.cape_csv` goes through; percentiles as in the docs."""
    from monitor.reading.cape_source import load_cape_csv
    from signals.fundamentals.cape import cape_reading

    series = load_cape_csv(shared_data / "shiller_ie_data_monthly_1871_2026.csv")
    latest = cape_reading(series, date(2026, 8, 1))
    assert latest is not None and latest.month == date(2026, 7, 1)
    assert round(latest.value, 2) == 41.37 and round(latest.percentile, 1) == 99.1
    assert latest.months == 1747
    dotcom = cape_reading(series, date(2000, 4, 1))
    assert dotcom is not None and round(dotcom.value, 2) == 43.22
    assert round(dotcom.percentile, 1) == 99.8
    crash = cape_reading(series, date(1929, 10, 1))
    assert crash is not None and round(crash.value, 2) == 32.56 and crash.percentile == 100.0


def test_three_fiscal_calendars_align_by_calendar_quarter(collected: Store) -> None:
    """Nvidia (year to late January), Apple (to late September) and Marvell (to about
    February 1) as one group: the latest calendar quarter holds the two that had filed it
    and names Apple missing (recorded in March 2026, before its next 10-Q)."""
    from signals.fundamentals.group import read_group

    found, _ = stored_companies(collected, tuple(RECORDED), None)
    group = read_group(found, ["NVDA", "AAPL", "MRVL"])
    assert group.members == ("NVDA", "MRVL") and group.missing == ("AAPL",)
    latest = group.latest
    assert latest is not None and latest.quarter == "2026Q1"
    assert latest.capex == 6_572_000_000 + 391_000_000
    assert latest.revenue == 253_491_000_000 + 8_717_100_000
    assert group.capex_growth == pytest.approx(0.580, abs=0.001)
    # No 2019 baseline: Nvidia's capex for fiscal 2013-2021 is under no capex tag, and
    # Marvell's current CIK files from 2021; the line then leaves the comparison out.
    assert group.baseline_members == () and group.baseline_capex_to_revenue is None
