"""`collect filings`: the real httpx client against a local EDGAR stand-in (edgar_server)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from pytest_httpserver import HTTPServer
from typer.testing import CliRunner

from monitor.cli.app import app
from monitor.config.smart_money import FundConfig, SmartMoneyConfig
from monitor.errors import ConfigError
from monitor.sources.edgar.client import EdgarClient, SecSettings, sec_settings
from monitor.sources.edgar.collect import collect_filings
from monitor.store import Store
from monitor.store.filings import load_filings
from signals.thirteenf import effective_holdings
from tests.edgar_server import EdgarStandIn, too_many

NOW = datetime(2025, 12, 1, 12, tzinfo=UTC)
AGENT = "Test Runner test@example.com"
SCION = FundConfig(cik=1649339, name="Scion Asset Management")
DUQUESNE = FundConfig(cik=1536411, name="Duquesne Family Office")
COATUE = FundConfig(cik=1135730, name="Coatue Management")
AI = frozenset({"NVDA", "PLTR", "AVGO", "MSFT"})


@pytest.fixture
def edgar(httpserver: HTTPServer) -> Iterator[EdgarStandIn]:
    yield EdgarStandIn(httpserver).start()


def client_for(edgar: EdgarStandIn, *, agent: str = AGENT, **kwargs: object) -> EdgarClient:
    settings = SecSettings(agent, edgar.data_url, edgar.archives_url)
    waits: list[float] = []
    client = EdgarClient(settings, sleep=waits.append, **kwargs)  # type: ignore[arg-type]
    client.waits = waits  # type: ignore[attr-defined]
    return client


def config(*funds: FundConfig) -> SmartMoneyConfig:
    return SmartMoneyConfig(funds=funds)


def test_scion_puts_become_explained_events(store: Store, edgar: EdgarStandIn) -> None:
    result = collect_filings(store, config(SCION), client_for(edgar), now=NOW, tickers=AI)
    (fund,) = result.funds
    assert fund.status == "new" and fund.errors == () and fund.warning == ""
    assert fund.new_filings == ("0001649339-22-000003", "0001649339-25-000007")  # oldest first
    assert (
        "Scion Asset Management reported puts on 1,000,000 NVDA shares, notional $186.6M, "
        "in its 13F for 2025-09-30" in fund.events
    )
    assert fund.events[0].startswith("Scion Asset Management reported puts on 5,000,000 PLTR")
    # The 13F-NT (a notice, no holdings) is not fetched.
    assert not any("000164933925000009" in p for p in edgar.paths())


def test_values_in_thousands_before_2023_and_dollars_after(
    store: Store, edgar: EdgarStandIn
) -> None:
    collect_filings(store, config(SCION), client_for(edgar), now=NOW, tickers=AI)
    by_period = {q.period: q for q in effective_holdings(load_filings(store))}
    old = {h.cusip: h for h in by_period[date(2022, 9, 30)].holdings}
    new = {h.cusip: h for h in by_period[date(2025, 9, 30)].holdings}
    assert old["67066G104"].value_usd == 12_139_000  # <value>12139</value>, in thousands
    assert new["67066G104"].value_usd == 186_580_000  # <value>186580000</value>, in dollars
    assert new["67066G104"].put_call == "put" and new["717081103"].put_call == "call"
    assert new["717081103"].ticker is None  # Pfizer is not in the CUSIP table: unmapped
    assert new["406216101"].put_call is None


def test_a_restatement_replaces_the_original(store: Store, edgar: EdgarStandIn) -> None:
    result = collect_filings(store, config(DUQUESNE), client_for(edgar), now=NOW, tickers=AI)
    assert result.funds[0].status == "new" and len(result.funds[0].new_filings) == 3
    quarters = {q.period: q for q in effective_holdings(load_filings(store))}
    q3 = quarters[date(2025, 9, 30)]
    assert [f.form for f in q3.filings] == ["13F-HR", "13F-HR/A"]
    assert q3.filings[-1].amendment_type == "RESTATEMENT"
    held = {(h.ticker, h.put_call): h.shares for h in q3.holdings}
    assert held == {("NVDA", None): 250_000, ("AVGO", "put"): 100_000}
    assert any(e.endswith("in its 13F for 2025-09-30") for e in result.funds[0].events)


def test_a_second_run_is_a_conditional_get_and_changes_nothing(
    store: Store, edgar: EdgarStandIn
) -> None:
    client = client_for(edgar)  # one client for both runs, as the App keeps it
    collect_filings(store, config(SCION), client, now=NOW)
    before = len(edgar.seen)
    again = collect_filings(store, config(SCION), client, now=NOW)
    assert again.funds[0].status == "unchanged" and again.requests == 1
    (last,) = edgar.seen[before:]
    assert last.headers.get("If-None-Match", "").startswith('"')
    assert last.headers.get("If-Modified-Since")
    assert len(load_filings(store)) == 2


def test_malformed_xml_is_named_skipped_and_retried_next_time(
    store: Store, edgar: EdgarStandIn
) -> None:
    result = collect_filings(store, config(COATUE, SCION), client_for(edgar), now=NOW)
    coatue, scion = result.funds
    assert coatue.status == "partial" and scion.status == "new"  # one bad fund stops nothing
    (error,) = coatue.errors
    assert "0001135730-25-000021" in error and "infotable.xml" in error and "malformed XML" in error
    assert coatue.warning == ""
    assert {f.cik for f, _ in load_filings(store)} == {1649339}
    # No validators were saved for Coatue, so the next run asks again (no 304).
    collect_filings(store, config(COATUE), client_for(edgar), now=NOW)
    asked = [s for s in edgar.seen if s.path == "/submissions/CIK0001135730.json"]
    assert len(asked) == 2 and "If-None-Match" not in asked[1].headers
    assert edgar.paths()[-1].endswith("/000113573025000021/infotable.xml")  # tried again


def test_429_is_retried_after_retry_after(store: Store, edgar: EdgarStandIn) -> None:
    edgar.script("/submissions/CIK0001649339.json", too_many(2), too_many(1))
    client = client_for(edgar)
    result = collect_filings(store, config(SCION), client, now=NOW)
    assert result.funds[0].status == "new"
    assert 2.0 in client.waits and 1.0 in client.waits  # type: ignore[attr-defined]


def test_429_that_never_ends_fails_the_fund_not_the_run(store: Store, edgar: EdgarStandIn) -> None:
    edgar.script("/submissions/CIK0001649339.json", *(too_many(1) for _ in range(4)))
    result = collect_filings(
        store, config(SCION, DUQUESNE), client_for(edgar, max_retries=3), now=NOW
    )
    scion, duquesne = result.funds
    assert scion.status == "failed" and "HTTP 429 after 4 attempts" in scion.errors[0]
    assert duquesne.status == "new"


def test_edgar_answers_403_without_a_user_agent(store: Store, edgar: EdgarStandIn) -> None:
    result = collect_filings(store, config(SCION), client_for(edgar, agent=""), now=NOW)
    assert result.funds[0].status == "failed"
    assert "403" in result.funds[0].errors[0]
    assert "BUBBLE_MONITOR_SEC_USER_AGENT" in result.funds[0].errors[0]


def test_requests_are_paced_under_the_limit(store: Store, edgar: EdgarStandIn) -> None:
    now = [100.0]
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    settings = SecSettings(AGENT, edgar.data_url, edgar.archives_url)
    client = EdgarClient(settings, requests_per_second=8.0, sleep=sleep, clock=lambda: now[0])
    collect_filings(store, config(SCION), client, now=NOW)
    assert client.requests == 7  # submissions + (index, cover, table) x 2 filings
    # The clock stands still during a request, so each later one waits a full 1/8 s.
    assert waits == pytest.approx([0.125] * 6)


def test_a_wrong_cik_is_flagged_by_edgars_name(store: Store, edgar: EdgarStandIn) -> None:
    wrong = FundConfig(cik=1649339, name="Bridgewater Associates")
    result = collect_filings(store, config(wrong), client_for(edgar), now=NOW)
    assert "CIK 1649339 is 'Scion Asset Management, LLC' at EDGAR" in result.funds[0].warning


def test_settings_refuse_a_missing_or_anonymous_user_agent() -> None:
    with pytest.raises(ConfigError, match="BUBBLE_MONITOR_SEC_USER_AGENT is not set"):
        sec_settings({})
    with pytest.raises(ConfigError, match="a name and an e-mail"):
        sec_settings({"BUBBLE_MONITOR_SEC_USER_AGENT": "python-requests/2.32"})
    with pytest.raises(ConfigError, match="BUBBLE_MONITOR_SEC_DATA_URL must be an http"):
        sec_settings(
            {"BUBBLE_MONITOR_SEC_USER_AGENT": AGENT, "BUBBLE_MONITOR_SEC_DATA_URL": "ftp:x"}
        )
    ok = sec_settings({"BUBBLE_MONITOR_SEC_USER_AGENT": AGENT})
    assert ok.submissions_url(1649339) == "https://data.sec.gov/submissions/CIK0001649339.json"
    assert ok.filing_url(1649339, "0001649339-25-000007", "primary_doc.xml") == (
        "https://www.sec.gov/Archives/edgar/data/1649339/000164933925000007/primary_doc.xml"
    )


def test_cli_collect_filings_end_to_end(
    tmp_path: object, edgar: EdgarStandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pathlib import Path

    folder = Path(str(tmp_path))
    feeds = folder / "feeds.yaml"
    feeds.write_text(
        "basket: [NVDA, PLTR]\nsmart_money:\n  funds:\n"
        "    - {cik: 1649339, name: Scion Asset Management}\n"
        "  sec_requests_per_second: 10\n"
    )
    db = folder / "m.db"
    args = ["collect", "filings", "--json", "--db", str(db), "--feeds", str(feeds)]
    refused = CliRunner().invoke(app, args)
    assert refused.exit_code == 2 and "BUBBLE_MONITOR_SEC_USER_AGENT is not set" in refused.output
    assert edgar.seen == []  # refused before any request
    monkeypatch.setenv("BUBBLE_MONITOR_SEC_USER_AGENT", AGENT)
    monkeypatch.setenv("BUBBLE_MONITOR_SEC_DATA_URL", edgar.data_url)
    monkeypatch.setenv("BUBBLE_MONITOR_SEC_ARCHIVES_URL", edgar.archives_url)
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)["filings"]
    assert out["funds"][0]["status"] == "new" and out["failed"] == 0
    assert any("puts on 1,000,000 NVDA shares, notional $186.6M" in e for e in out["events"])
    assert all(s.headers["User-Agent"] == AGENT for s in edgar.seen)
    report = CliRunner().invoke(
        app, ["report", "--no-collect", "--json", "--db", str(db), "--feeds", str(feeds)]
    )
    # No prices or headlines: the report refuses, but smart money alone is not an index.
    assert report.exit_code == 2
    with Store(db) as store:
        assert len(load_filings(store)) == 2


SCION_TABLE = "/Archives/edgar/data/1649339/000164933925000007/46994.xml"


@pytest.mark.parametrize(
    ("path", "body", "named"),
    [
        # int(inf) shares raised OverflowError out of the collect.
        (SCION_TABLE, None, "sshPrnamt: must be a non-negative number, got 'inf'"),
        # RecursionError out of json.loads.
        ("/submissions/CIK0001649339.json", b"[" * 100_000 + b"]" * 100_000,
         "not valid JSON: nested too deeply"),
    ],
)  # fmt: skip
def test_a_hostile_edgar_body_fails_that_fund_only(
    store: Store, edgar: EdgarStandIn, path: str, body: bytes | None, named: str
) -> None:
    if body is None:
        table = edgar.folder / "archives" / path.removeprefix("/Archives/edgar/data/")
        body = table.read_bytes().replace(b"<sshPrnamt>1000000<", b"<sshPrnamt>inf<", 1)
    edgar.bodies[path] = body
    result = collect_filings(store, config(SCION, DUQUESNE), client_for(edgar), now=NOW)
    scion, duquesne = result.funds
    assert scion.status in ("partial", "failed") and duquesne.status == "new"
    assert named in " ".join([*scion.errors, scion.warning]), (scion.errors, scion.warning)
    assert all(h.value_usd < float("inf") for _, hs in load_filings(store) for h in hs)
