"""Fundamentals in operations: the doctor's check, the service job (off without EDGAR's
User-Agent), `collect fundamentals` and `collect all` from the CLI, and feeds.yaml."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from typer.testing import CliRunner

from monitor.cli.app import app
from monitor.config.feeds_yaml import ScheduleConfig, load_config, parse_config
from monitor.errors import ConfigError
from monitor.ops.doctor_fundamentals import fundamentals_check
from monitor.stages.schedule import plan_jobs, without_unconfigured
from monitor.store import Store
from monitor.store.fundamentals import Company, save_company, save_facts
from signals.fundamentals.facts import Fact
from tests.edgar_server import EdgarStandIn
from tests.fundamentals_fixtures import june_company

runner = CliRunner()
NOW = datetime(2026, 3, 1, tzinfo=UTC)


def test_doctor_says_what_is_missing_then_what_is_stored(tmp_path: Path) -> None:
    config = load_config(None)
    with Store(tmp_path / "m.db") as store:
        status, detail = fundamentals_check(store, config, NOW)
        assert status == "warn" and "run `bubble-monitor collect fundamentals`" in detail
        assert "CAPE missing (set fundamentals.cape_csv)" in detail
        fact = Fact(
            1,
            "revenue",
            "us-gaap:Revenues",
            date(2025, 10, 1),
            date(2025, 12, 31),
            1e9,
            "a",
            "10-Q",
            date(2026, 2, 1),
        )
        save_facts(store, [fact], source="sec", fetched_at=NOW)
        save_company(store, Company("MSFT", 1, "Microsoft", "sec"), fetched_at=NOW)
        status, detail = fundamentals_check(store, config, NOW)
        assert status == "warn" and "1 facts of 1 companies" in detail
        assert "hyperscalers not stored: GOOGL, AMZN, META, ORCL" in detail


def test_the_doctor_command_lists_the_fundamentals_check(tmp_path: Path) -> None:
    Store(tmp_path / "m.db").close()
    result = runner.invoke(
        app, ["doctor", "--skip-model", "--json", "--db", str(tmp_path / "m.db")]
    )
    checks = {c["name"]: c for c in json.loads(result.stdout)}
    assert checks["fundamentals"]["status"] == "warn"


def test_the_service_job_runs_only_with_the_sec_user_agent() -> None:
    plans = plan_jobs(ScheduleConfig())
    assert "fundamentals" in [p.name for p in plans]
    kept = [p.name for p in without_unconfigured(plans, {})]
    assert "fundamentals" not in kept and "filings" not in kept and "index" in kept
    env = {"BUBBLE_MONITOR_SEC_USER_AGENT": "Jane Doe jane@example.com"}
    assert "fundamentals" in [p.name for p in without_unconfigured(plans, env)]


def test_feeds_yaml_fundamentals_section_is_validated(tmp_path: Path) -> None:
    text = "basket: [NVDA]\nfundamentals:\n  hyperscalers: [MSFT]\n  cape_file: x.csv\n"
    with pytest.raises(ConfigError, match=r"feeds.yaml:4: fundamentals.cape_file: unknown key"):
        parse_config(text, tmp_path / "feeds.yaml")
    ok = parse_config(
        "basket: [NVDA]\nfundamentals: {hyperscalers: [MSFT, META]}\n", tmp_path / "f"
    )
    assert ok.fundamentals.hyperscalers == ("MSFT", "META")


def test_collect_fundamentals_from_the_cli_against_the_stand_in(
    httpserver: HTTPServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    edgar = EdgarStandIn(httpserver).start()
    edgar.bodies["/api/xbrl/companyfacts/CIK0000789019.json"] = june_company(789019)
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text(
        "segments:\n  - name: llm\n    tickers: {MSFT: cloud}\n    news: all\n"
        "fundamentals:\n  hyperscalers: [MSFT]\n  ciks: {MSFT: 789019}\n"
    )
    monkeypatch.setenv("BUBBLE_MONITOR_SEC_USER_AGENT", "Jane Doe jane@example.com")
    monkeypatch.setenv("BUBBLE_MONITOR_SEC_DATA_URL", edgar.data_url)
    monkeypatch.setenv("BUBBLE_MONITOR_SEC_ARCHIVES_URL", edgar.archives_url)
    args = [
        "collect",
        "fundamentals",
        "--json",
        "--db",
        str(tmp_path / "m.db"),
        "--feeds",
        str(feeds),
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)["fundamentals"]
    assert doc["requests"] == 1 and doc["companies"][0]["status"] == "new"
    again = json.loads(runner.invoke(app, args).stdout)["fundamentals"]
    assert again["companies"][0]["status"] == "unchanged"
    shown = runner.invoke(
        app, ["fundamentals", "--db", str(tmp_path / "m.db"), "--feeds", str(feeds)]
    )
    assert shown.exit_code == 0 and "MSFT (CIK 789019)" in shown.stdout and "FY2025" in shown.stdout


def test_collect_all_skips_fundamentals_without_the_user_agent(tmp_path: Path) -> None:
    from monitor.app import build
    from monitor.cli.cmd_collect import _fundamentals

    with build(load_config(None), db=tmp_path / "m.db", env={}) as app_:
        out = _fundamentals(app_, skip_without_agent=True)
    assert "BUBBLE_MONITOR_SEC_USER_AGENT is not set" in out["fundamentals"]["skipped"]


def test_doctor_reads_the_cape_file_as_a_reading_would(tmp_path: Path) -> None:
    """qainput: a folder or an unreadable file as fundamentals.cape_csv read 'CAPE from
    PATH' (ok) while every reading's CAPE line was missing."""
    from monitor.config.feeds_yaml import FundamentalsConfig

    def check(path: Path) -> tuple[str, str]:
        config = load_config(None)
        config = config.model_copy(update={"fundamentals": FundamentalsConfig(cape_csv=path)})
        with Store(tmp_path / "m.db") as store:
            return fundamentals_check(store, config, NOW)

    status, detail = check(tmp_path)
    assert status == "warn" and f"fundamentals.cape_csv {tmp_path}: cannot read" in detail
    latin = tmp_path / "latin.csv"
    latin.write_bytes(b"date,cape\n2020-01,caf\xe9\n")
    status, detail = check(latin)
    assert status == "warn" and f"fundamentals.cape_csv {latin}: cannot read" in detail
    good = tmp_path / "cape.csv"
    good.write_text("date,cape\n2025-11,38.5\n2025-12,39.0\n")
    status, detail = check(good)
    assert f"CAPE from {good} (2 months to 2025-12, last 39.0)" in detail
