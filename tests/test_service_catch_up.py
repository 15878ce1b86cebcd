"""Cron slots missed while the service was down run once soon after start.

Before: APScheduler keeps jobs in memory, so a service restarted at 16:30 waited until the
next weekday's 16:15 for the price run it had missed (the digest, filings and retention
likewise); interval jobs alone ran at start."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from apscheduler.triggers.interval import IntervalTrigger

from monitor.app import App
from monitor.config.feeds_yaml import Config, ScheduleConfig
from monitor.service.catch_up import missed_runs, runs_at_start
from monitor.service.runner import Runner
from monitor.stages.base import StageResult
from monitor.stages.jobs import SAME_WORK
from monitor.stages.schedule import JobPlan, cron_trigger
from monitor.stages.score import ScoreResult
from monitor.store import Store
from monitor.store import jobs as job_log
from tests.conftest import wait_for
from tests.fakes import make_app

NOW = datetime(2026, 3, 4, 16, 30, tzinfo=UTC)  # a Wednesday, 15 minutes after the slot


def _cron(name: str, expr: str) -> JobPlan:
    return JobPlan(name, cron_trigger(expr, UTC), expr)


def _every(name: str) -> JobPlan:
    return JobPlan(name, IntervalTrigger(hours=1, timezone=UTC), "every 1h")


def test_a_slot_passed_since_the_last_run_is_missed_and_one_after_it_is_not() -> None:
    plans = [_cron("prices", "15 16 * * mon-fri"), _cron("filings", "0 7 * * *")]
    last = {"prices": NOW - timedelta(days=1), "filings": NOW.replace(hour=7, minute=2)}
    [missed] = missed_runs(plans, last, NOW, SAME_WORK)
    assert (missed.job, missed.slot) == ("prices", NOW.replace(minute=15))
    assert "missed its 2026-03-04 16:15 UTC run (last ran 2026-03-03 16:30 UTC)" in (
        missed.describe()
    )


def test_a_job_that_never_ran_catches_up_and_a_weekend_is_not_a_miss() -> None:
    plans = [_cron("prices", "15 16 * * mon-fri"), _cron("models", "0 6 * * mon")]
    saturday = datetime(2026, 3, 7, 12, 0, tzinfo=UTC)
    friday_run = datetime(2026, 3, 6, 16, 16, tzinfo=UTC)
    found = missed_runs(plans, {"prices": friday_run, "models": None}, saturday, SAME_WORK)
    assert [(m.job, m.last_run) for m in found] == [("models", None)]
    assert "never ran" in found[0].describe()


def test_twins_are_left_to_the_job_that_does_the_same_work() -> None:
    """digest is the index run (an interval job that runs at start anyway); prices_intraday
    is prices: catching both up would download the same prices twice."""
    plans = [
        _cron("prices", "15 16 * * mon-fri"),
        _cron("prices_intraday", "0 10-15 * * mon-fri"),
        _every("index"),
        _cron("digest", "0 9 * * *"),
    ]
    found = missed_runs(plans, {}, NOW, SAME_WORK)
    assert [m.job for m in found] == ["prices"]
    alone = [p for p in plans if p.name != "prices"]
    assert [m.job for m in missed_runs(alone, {}, NOW, SAME_WORK)] == ["prices_intraday"]


def test_start_up_runs_are_staggered_in_pipeline_order(caplog: pytest.LogCaptureFixture) -> None:
    plans = [_every("news"), _cron("prices", "15 16 * * mon-fri"), _every("index")]
    with caplog.at_level(logging.INFO, logger="monitor.service"):
        starts = runs_at_start(plans, {}, NOW, SAME_WORK, 1, timedelta(seconds=1))
    assert starts == {
        "news": NOW + timedelta(seconds=1),
        "prices": NOW + timedelta(seconds=2),
        "index": NOW + timedelta(seconds=3),
    }
    assert any("job prices missed its" in r.getMessage() for r in caplog.records)


def test_a_restarted_service_runs_the_missed_slot_once_and_not_the_others(
    store: Store, stopper: list[Runner]
) -> None:
    """Real scheduler, real SQLite job log: a daily job whose slot passed an hour ago and
    last ran two days ago runs within seconds; one that ran after its slot waits."""
    now = datetime.now(UTC)
    hour = (now - timedelta(hours=1)).hour
    daily = f"0 {hour} * * *"
    slot = now.replace(minute=0, second=0, microsecond=0) - timedelta(hours=1)
    for job, at in (("behind", slot - timedelta(days=2)), ("current", slot + timedelta(minutes=1))):
        run = job_log.start_run(store, job, started_at=at)
        job_log.finish_run(store, run, finished_at=at, outcome="ok")
    ran: list[str] = []

    def job(name: str) -> Callable[[App], StageResult]:
        def run(app: App) -> StageResult:
            ran.append(name)
            return ScoreResult(0)

        return run

    app = make_app(Config(basket=("NVDA",), schedule=ScheduleConfig()), store)
    plans = [_cron("behind", daily), _cron("current", daily)]
    runner = Runner(
        app, plans, timezone=UTC, jobs={"behind": job("behind"), "current": job("current")}
    )
    stopper.append(runner)
    runner.start()
    wait_for(lambda: ran == ["behind"])
    time.sleep(1.5)  # a wrongly caught-up "current" would start a second after "behind"
    runner.shutdown(5)
    assert ran == ["behind"]
    [latest, _] = job_log.recent_runs(store, "behind")
    assert latest.outcome == "ok" and latest.started_at >= now - timedelta(seconds=1)
