"""Every source reports its total failure one way: the stage returns its result, whose
`total_failure()` names it, and never raises for it. So the job log, /healthz and the
metrics show the same for each source: an error naming the source and its first failure,
the run's details kept, one failure counted. Each source fails for real here (a closed
port on 127.0.0.1 for the feeds and SEC EDGAR; Yahoo stand-ins that answer nothing; the
Hub switched off, as in every test)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

import pandas as pd
import pytest
from apscheduler.triggers.interval import IntervalTrigger

from monitor.app import App, build
from monitor.config.feeds_yaml import Config, FeedConfig, NewsConfig
from monitor.config.fundamentals import FundamentalsConfig
from monitor.config.smart_money import ModelMixConfig, SmartMoneyConfig
from monitor.errors import CollectError
from monitor.service.job_status import problems
from monitor.service.runner import Runner
from monitor.sources.yahoo.download import ERRORS_ATTR
from monitor.stages.base import SourceResult
from monitor.stages.jobs import default_jobs
from monitor.stages.schedule import JobPlan
from monitor.store import Store
from monitor.store import jobs as job_log

NOW = datetime(2025, 3, 7, 17, 0, tzinfo=UTC)
CLOSED = "http://127.0.0.1:9"  # the discard port: nothing listens, a connection is refused
ENV = {
    "BUBBLE_MONITOR_SEC_USER_AGENT": "Test Runner test@example.com",
    "BUBBLE_MONITOR_SEC_DATA_URL": CLOSED,
    "BUBBLE_MONITOR_SEC_ARCHIVES_URL": f"{CLOSED}/Archives",
}


def _config() -> Config:
    config = Config(
        basket=("NVDA", "MSFT"),
        feeds=(FeedConfig(name="closed", url=f"{CLOSED}/rss"),),  # type: ignore[arg-type]
        news=NewsConfig(timeout_seconds=2.0),
        smart_money=SmartMoneyConfig(sec_max_retries=0, sec_timeout_seconds=2.0),
        fundamentals=FundamentalsConfig(hyperscalers=("MSFT",), segments=(), ciks={"MSFT": 789019}),
        model_mix=ModelMixConfig(),
    )
    return config.model_copy(update={"prices": config.prices.model_copy(update={"max_retries": 0})})


def _yahoo_down(tickers: Sequence[str], *, start: date, end: date) -> pd.DataFrame:
    frame = pd.DataFrame()
    frame.attrs[ERRORS_ATTR] = {t: "curl: (7) Failed to connect" for t in tickers}
    return frame


def _info_down(ticker: str) -> dict[str, Any]:
    raise CollectError(f"{ticker}: curl: (7) Failed to connect")


def _app(store: Store) -> App:
    return build(
        _config(),
        ENV,
        store=store,
        clock=lambda: NOW,
        downloader=_yahoo_down,
        info_fetcher=_info_down,
    )


#: Each source job and what its total failure says.
SOURCES = {
    "prices": "all 2 tickers failed (first: NVDA: ",
    "news": "the one feed asked failed (first: closed: ",
    "positioning": "short interest failed for every ticker (first: NVDA: ",
    "filings": "13F filings failed for every fund (first: ",
    "fundamentals": "fundamentals failed for every company (first: MSFT: ",
    "models": "the Hugging Face Hub is switched off",  # tests run with HF_HUB_OFFLINE=1
}


@pytest.mark.parametrize("job", sorted(SOURCES))
def test_a_source_that_failed_entirely_is_one_failed_job(store: Store, job: str) -> None:
    results: list[Any] = []

    def stage(app: App) -> Any:
        results.append(default_jobs()[job](app))  # never raises for its source's failure
        return results[-1]

    plan = JobPlan(job, IntervalTrigger(seconds=3600, timezone=UTC), "every 3600s")
    runner = Runner(_app(store), [plan], timezone=UTC, jobs={job: stage})
    outcome = runner.run_job(job, scheduled=False)
    [result] = results
    assert isinstance(result, SourceResult)
    assert SOURCES[job] in (result.total_failure() or "")
    assert outcome.outcome == "error"
    assert outcome.error is not None and outcome.error.startswith(SOURCES[job].split(" (")[0])
    [run] = job_log.recent_runs(store, job)
    assert run.outcome == "error" and run.error == outcome.error
    # the run's details are kept, not lost to a raise, with each failed feed or ticker named
    assert run.details == result.summary() | problems(result)
    health = runner.health()[1]["jobs"][job]
    assert health["consecutive_failures"] == 1 and health["last_error"] == outcome.error
    text = runner.metrics.render().decode()
    assert f'bubble_monitor_job_runs_total{{job="{job}",outcome="error"}} 1.0' in text


def test_the_collect_command_still_stops_on_a_source_that_failed_entirely(store: Store) -> None:
    """The command's behaviour is kept: `collect positioning` stops with the reason (the
    CLI's exit status 2), and `collect all` reports it as a failed stage and goes on."""
    from monitor.cli.collect_smart_money import collect_all_smart_money, collect_smart_money

    app = _app(store)
    with pytest.raises(CollectError, match="short interest failed for every ticker"):
        collect_smart_money(app, "positioning")
    out = collect_all_smart_money(app)
    assert "short interest failed for every ticker" in out["positioning"]["failed_stage"]
    assert "13F filings failed for every fund" in out["filings"]["failed_stage"]
    assert "the Hugging Face Hub is switched off" in out["models"]["failed_stage"]
