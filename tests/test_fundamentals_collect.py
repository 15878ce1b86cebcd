"""`collect fundamentals`: the real httpx client against the local EDGAR stand-in
(tests/edgar_server.py) serving small hand-made companyfacts bodies and a ticker table."""

from __future__ import annotations

import gzip
import json
import math
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Response

from monitor.config.fundamentals import FundamentalsConfig
from monitor.errors import ParseError
from monitor.sources.edgar.client import MAX_BYTES, EdgarClient, SecSettings
from monitor.sources.edgar.fundamentals import collect_fundamentals
from monitor.store import Store
from monitor.store.fundamentals import facts_overview, load_facts
from tests.edgar_server import EdgarStandIn, too_many
from tests.fundamentals_fixtures import body, june_company, row

NOW = datetime(2025, 12, 1, 12, tzinfo=UTC)
AGENT = "Test Runner test@example.com"
TICKERS = {
    "0": {"cik_str": 789019, "ticker": "MSFT", "title": "MICROSOFT CORP"},
    "1": {"cik_str": 1652044, "ticker": "GOOGL", "title": "Alphabet Inc."},
    "2": {"cik_str": 1018724, "ticker": "AMZN", "title": "AMAZON COM INC"},
}


def facts_path(cik: int) -> str:
    return f"/api/xbrl/companyfacts/CIK{cik:010d}.json"


@pytest.fixture
def edgar(httpserver: HTTPServer) -> Iterator[EdgarStandIn]:
    stand_in = EdgarStandIn(httpserver).start()
    stand_in.bodies["/files/company_tickers.json"] = json.dumps(TICKERS).encode()
    stand_in.bodies[facts_path(789019)] = june_company(789019)
    stand_in.bodies[facts_path(1652044)] = june_company(1652044).replace(b"June Co", b"Alpha")
    stand_in.bodies[facts_path(1018724)] = june_company(1018724).replace(b"June Co", b"Amzn")
    yield stand_in


def client_for(edgar: EdgarStandIn, agent: str = AGENT) -> EdgarClient:
    settings = SecSettings(agent, edgar.data_url, edgar.archives_url)
    return EdgarClient(settings, sleep=lambda _: None)


def run(store: Store, edgar: EdgarStandIn, tickers: tuple[str, ...], **config: object):  # type: ignore[no-untyped-def]
    settings = FundamentalsConfig.model_validate(config)
    return collect_fundamentals(store, settings, tickers, client_for(edgar), now=NOW)


def test_first_run_one_request_per_company_then_304s(store: Store, edgar: EdgarStandIn) -> None:
    first = run(store, edgar, ("MSFT", "GOOGL", "AMZN"))
    assert [c.status for c in first.companies] == ["new", "new", "new"]
    assert edgar.paths() == [
        "/files/company_tickers.json",
        facts_path(789019),
        facts_path(1652044),
        facts_path(1018724),
    ]
    assert facts_overview(store)[:2] == (3 * 13, 3)
    edgar.seen.clear()
    second = run(store, edgar, ("MSFT", "GOOGL", "AMZN"))
    assert [c.status for c in second.companies] == ["unchanged"] * 3
    # CIKs come from the store now: no ticker table, one conditional GET each, all 304.
    assert edgar.paths() == [facts_path(789019), facts_path(1652044), facts_path(1018724)]
    assert all(s.headers.get("If-None-Match") for s in edgar.seen)
    assert facts_overview(store)[0] == 3 * 13


def test_a_run_counts_its_own_requests_on_the_apps_kept_client(
    store: Store, edgar: EdgarStandIn
) -> None:
    """The App keeps one EDGAR client across runs (and shares it with the filings stage):
    a run's `requests` are that run's, not the client's total."""
    settings = FundamentalsConfig.model_validate({})
    client = client_for(edgar)
    first = collect_fundamentals(store, settings, ("MSFT", "GOOGL"), client, now=NOW)
    second = collect_fundamentals(store, settings, ("MSFT", "GOOGL"), client, now=NOW)
    assert (first.requests, second.requests, client.requests) == (3, 2, 5)


def test_foreign_filers_are_named_not_fetched_and_a_cik_from_config_skips_the_table(
    store: Store, edgar: EdgarStandIn
) -> None:
    result = run(store, edgar, ("TSM", "9984.T", "MSFT", "ZZZZ"), ciks={"MSFT": 789019})
    by = {c.ticker: c for c in result.companies}
    assert by["TSM"].status == "not_covered" and "20-F" in by["TSM"].reason
    assert by["9984.T"].status == "not_covered" and "not an SEC filer" in by["9984.T"].reason
    assert by["ZZZZ"].status == "not_covered" and "ticker table" in by["ZZZZ"].reason
    assert by["MSFT"].status == "new"
    assert facts_path(789019) in edgar.paths()


def test_429_is_retried_after_its_retry_after(store: Store, edgar: EdgarStandIn) -> None:
    edgar.script(facts_path(789019), too_many(2))
    result = run(store, edgar, ("MSFT",), ciks={"MSFT": 789019})
    assert result.companies[0].status == "new"
    assert edgar.paths().count(facts_path(789019)) == 2


def test_403_without_a_declared_user_agent_is_explained(store: Store, edgar: EdgarStandIn) -> None:
    settings = FundamentalsConfig(ciks={"MSFT": 789019})
    client = client_for(edgar, agent="python-httpx")
    result = collect_fundamentals(store, settings, ("MSFT",), client, now=NOW)
    (company,) = result.companies
    assert company.status == "failed" and "403" in company.reason
    assert "BUBBLE_MONITOR_SEC_USER_AGENT" in company.reason
    assert facts_overview(store)[0] == 0


def test_a_body_over_the_size_cap_fails_that_company_only(
    store: Store, edgar: EdgarStandIn
) -> None:
    edgar.bodies[facts_path(1652044)] = b" " * (MAX_BYTES + 1)
    result = run(store, edgar, ("MSFT", "GOOGL", "AMZN"))
    by = {c.ticker: c for c in result.companies}
    assert by["GOOGL"].status == "failed" and "over the 50,000,000 cap" in by["GOOGL"].reason
    assert by["MSFT"].status == "new" and by["AMZN"].status == "new"


def test_a_broken_body_is_named_stores_nothing_and_is_fetched_again(
    store: Store, edgar: EdgarStandIn
) -> None:
    edgar.script(facts_path(789019), Response("{not json", status=200))
    first = run(store, edgar, ("MSFT",), ciks={"MSFT": 789019})
    assert first.companies[0].status == "failed" and "not JSON" in first.companies[0].reason
    assert facts_overview(store)[0] == 0
    second = run(store, edgar, ("MSFT",), ciks={"MSFT": 789019})
    assert second.companies[0].status == "new"  # no validators were kept: a full GET


def test_a_new_filing_adds_rows_and_keeps_the_restated_original(
    store: Store, edgar: EdgarStandIn
) -> None:
    run(store, edgar, ("MSFT",), ciks={"MSFT": 789019})
    restated = row(
        "2025-06-30", 270e9, "2025-10-01", start="2024-07-01", accn="a-k/a", form="10-K/A"
    )
    original = json.loads(edgar.bodies[facts_path(789019)])
    units = original["facts"]["us-gaap"]["RevenueFromContractWithCustomerExcludingAssessedTax"]
    units["units"]["USD"].append(restated)
    edgar.bodies[facts_path(789019)] = json.dumps(original).encode()
    result = run(store, edgar, ("MSFT",), ciks={"MSFT": 789019})
    assert result.companies[0].status == "new" and result.companies[0].new_facts == 1
    values = sorted(
        f.value
        for f in load_facts(store, 789019)
        if f.end.isoformat() == "2025-06-30" and f.concept == "revenue"
    )
    assert values == [270e9, 280e9]


def test_a_company_without_us_gaap_revenue_is_not_covered_and_costs_a_304_next(
    store: Store, edgar: EdgarStandIn
) -> None:
    edgar.bodies[facts_path(1018724)] = body(1018724, {"ifrs-full:Revenue": {"TWD": []}})
    first = run(store, edgar, ("AMZN",), ciks={"AMZN": 1018724})
    assert first.companies[0].status == "not_covered"
    second = run(store, edgar, ("AMZN",), ciks={"AMZN": 1018724})
    assert second.companies[0].status == "unchanged"
    assert edgar.seen[-1].headers.get("If-None-Match")


def test_a_streamed_or_compressed_body_past_the_cap_is_refused_without_being_held(
    store: Store, edgar: EdgarStandIn
) -> None:
    chunk = b"0" * 1_000_000
    streamed = Response((chunk for _ in range(60)), status=200, content_type="application/json")
    bomb = gzip.compress(b"0" * (MAX_BYTES + 1_000_000))  # about 50 KB on the wire
    gzipped = Response(bomb, status=200, headers={"Content-Encoding": "gzip"})
    edgar.script(facts_path(789019), streamed)
    edgar.script(facts_path(1652044), gzipped)
    result = run(store, edgar, ("MSFT", "GOOGL", "AMZN"))
    by = {c.ticker: c for c in result.companies}
    assert by["MSFT"].status == "failed" and "stopped reading" in by["MSFT"].reason
    assert by["GOOGL"].status == "failed" and "stopped reading" in by["GOOGL"].reason
    assert len(bomb) < 1_000_000 and by["AMZN"].status == "new"


def _with_revenue(cik: int, literal: bytes) -> bytes:
    """June Co's body with its first revenue value replaced by a raw JSON literal."""
    data = json.loads(june_company(cik))
    tag = data["facts"]["us-gaap"]["RevenueFromContractWithCustomerExcludingAssessedTax"]
    next(iter(tag["units"].values()))[0]["val"] = "PLACEHOLDER"
    return json.dumps(data).encode().replace(b'"PLACEHOLDER"', literal)


@pytest.mark.parametrize(
    ("broken", "reason"),
    [
        (b"[" * 100_000 + b"]" * 100_000, "not JSON (nested too deeply)"),
        (b'{"cik": 1e999, "facts": {}}', "'cik' is missing or not a number"),
    ],
)
def test_a_hostile_body_fails_that_company_only(
    store: Store, edgar: EdgarStandIn, broken: bytes, reason: str
) -> None:
    # Before: RecursionError / OverflowError escaped and stopped the whole collect, so the
    # companies after it were never fetched.
    edgar.bodies[facts_path(789019)] = broken
    result = run(store, edgar, ("MSFT", "GOOGL"))
    by = {c.ticker: c for c in result.companies}
    assert by["MSFT"].status == "failed" and reason in by["MSFT"].reason
    assert by["GOOGL"].status == "new"


def test_an_infinite_value_is_dropped_not_stored(store: Store, edgar: EdgarStandIn) -> None:
    # JSON's 1e999 reads as inf; it was stored as a revenue of infinity.
    edgar.bodies[facts_path(789019)] = _with_revenue(789019, b"1e999")
    result = run(store, edgar, ("MSFT",), ciks={"MSFT": 789019})
    assert result.companies[0].status == "new"
    assert "1 value(s) without a usable filed/end/val" in result.companies[0].reason
    values = [f.value for f in load_facts(store, 789019)]
    assert values and all(math.isfinite(v) for v in values)


def test_a_ticker_table_row_with_an_impossible_cik_hides_no_other_row() -> None:
    from monitor.sources.edgar.companyfacts import parse_tickers

    body = (
        b'{"0": {"cik_str": 1e999, "ticker": "BAD", "title": "Bad"},'
        b' "1": {"cik_str": 789019, "ticker": "MSFT", "title": "MICROSOFT CORP"}}'
    )
    assert set(parse_tickers(body, "company_tickers.json")) == {"MSFT"}
    with pytest.raises(ParseError, match="nested too deeply"):
        parse_tickers(b"[" * 100_000 + b"]" * 100_000, "company_tickers.json")
