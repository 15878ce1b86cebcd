"""`doctor` checks EDGAR's User-Agent, and feeds.yaml's smart-money section names its errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from monitor.cli.app import app
from monitor.config.feeds_yaml import parse_config
from monitor.errors import ConfigError

runner = CliRunner()


def sec_check(tmp_path: Path) -> tuple[int, dict[str, str]]:
    args = ["doctor", "--skip-model", "--json", "--db", str(tmp_path / "m.db")]
    result = runner.invoke(app, args)
    return result.exit_code, {c["name"]: c for c in json.loads(result.stdout)}["sec"]


def test_doctor_warns_without_the_sec_user_agent(tmp_path: Path) -> None:
    code, check = sec_check(tmp_path)
    assert code == 0 and check["status"] == "warn"
    assert "BUBBLE_MONITOR_SEC_USER_AGENT not set" in check["detail"]


def test_doctor_fails_on_an_anonymous_user_agent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BUBBLE_MONITOR_SEC_USER_AGENT", "curl/8.0")
    code, check = sec_check(tmp_path)
    assert code == 1 and check["status"] == "fail" and "a name and an e-mail" in check["detail"]


def test_doctor_accepts_a_declared_user_agent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BUBBLE_MONITOR_SEC_USER_AGENT", "Jane Doe jane@example.com")
    monkeypatch.setenv("BUBBLE_MONITOR_SEC_DATA_URL", "http://127.0.0.1:9/mirror/")
    _, check = sec_check(tmp_path)
    assert check["status"] == "ok" and "http://127.0.0.1:9/mirror," in check["detail"]


def test_a_bad_cusip_in_feeds_yaml_is_named_with_its_line(tmp_path: Path) -> None:
    text = 'basket: [NVDA]\nsmart_money:\n  cusips:\n    "67066G105": NVDA\n'
    expected = r"feeds.yaml:4: smart_money.cusips: .*check digit wrong.*67066G105"
    with pytest.raises(ConfigError, match=expected):
        parse_config(text, tmp_path / "feeds.yaml")


def test_the_bundled_fund_list_parses_and_explains_itself() -> None:
    from monitor.config.feeds_yaml import load_config

    funds = load_config().smart_money.funds
    assert funds[0].name == "Scion Asset Management" and funds[0].cik == 1649339
    assert len(funds) >= 4 and all(f.why for f in funds)


def test_serve_leaves_the_filings_job_out_without_the_user_agent() -> None:
    from monitor.config.feeds_yaml import ScheduleConfig
    from monitor.stages.schedule import plan_jobs, without_unconfigured

    plans = plan_jobs(ScheduleConfig())
    assert "filings" not in [p.name for p in without_unconfigured(plans, {})]
    assert "positioning" in [p.name for p in without_unconfigured(plans, {})]
    env = {"BUBBLE_MONITOR_SEC_USER_AGENT": "Jane Doe jane@example.com"}
    assert "filings" in [p.name for p in without_unconfigured(plans, env)]


def test_doctor_says_which_smart_money_data_is_missing_or_stale(tmp_path: Path) -> None:
    from datetime import UTC, date, datetime

    from monitor.ops.doctor_smart_money import smart_money_check
    from monitor.store import Store
    from monitor.store.positioning import upsert_short_interest
    from signals.positioning import ShortInterest

    now = datetime(2026, 3, 1, tzinfo=UTC)
    with Store(tmp_path / "m.db") as store:
        status, detail = smart_money_check(store, now)
        assert status == "warn" and "run `collect positioning`" in detail
        assert "run `collect filings`" in detail and "run `collect models`" in detail
        old = ShortInterest("NVDA", date(2026, 1, 15), shares_short=1)
        upsert_short_interest(store, [old], fetched_at=now)
        _, detail = smart_money_check(store, now)
        assert "short interest last settled 2026-01-15: stale" in detail
        # First seen long after FINRA's 7th business day (MLK day skipped): the schedule.
        assert "settled 2026-01-15, public 2026-01-27" in detail
        fresh = ShortInterest("NVDA", date(2026, 2, 27), shares_short=1)
        upsert_short_interest(store, [fresh], fetched_at=now)
        _, detail = smart_money_check(store, now)
        # Seen on 03-01, before the schedule's 03-10: public from the sighting.
        assert "settled 2026-02-27, public 2026-03-01" in detail
    args = ["doctor", "--skip-model", "--json", "--db", str(tmp_path / "m.db")]
    checks = {c["name"]: c for c in json.loads(runner.invoke(app, args).stdout)}
    assert checks["smart_money"]["status"] == "warn"
