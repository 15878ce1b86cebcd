"""/metrics after a restart still says when each job last succeeded.

Found on the qaops walk (2026-12-07): `bubble_monitor_job_last_success_timestamp_seconds`
came back only with each job's first success after a start, so after a restart at 10:00
the daily `prices` job (16:15) had no series for six hours: a Prometheus rule such as
`time() - bubble_monitor_job_last_success_timestamp_seconds{job="prices"} > 86400 * 2`
went blind exactly when a deploy might have broken something. /healthz already seeds
its `last_ok` from the job log; the gauge now does too.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from apscheduler.triggers.cron import CronTrigger

from monitor.app import App
from monitor.config.feeds_yaml import Config, ScheduleConfig
from monitor.service.runner import Runner
from monitor.stages.base import StageResult
from monitor.stages.schedule import JobPlan
from monitor.stages.score import ScoreResult
from monitor.store import Store
from monitor.store import jobs as job_log
from tests.fakes import make_app

NOW = datetime(2026, 12, 7, 15, 0, tzinfo=UTC)


def test_the_last_success_gauge_is_seeded_from_the_job_log_at_start(db_path: Path) -> None:
    finished = NOW - timedelta(hours=22, minutes=44)
    with Store(db_path) as store:
        run = job_log.start_run(store, "prices", started_at=finished - timedelta(seconds=40))
        job_log.finish_run(store, run, finished_at=finished, outcome="ok", error=None)

        def prices(app: App) -> StageResult:
            return ScoreResult(0)

        app = make_app(
            Config(basket=("NVDA",), schedule=ScheduleConfig()), store, clock=lambda: NOW
        )
        plans = [
            JobPlan("prices", CronTrigger(hour=16, minute=15, timezone=UTC), "cron"),
            JobPlan("models", CronTrigger(hour=6, timezone=UTC), "cron"),
        ]
        runner = Runner(app, plans, timezone=UTC, jobs={"prices": prices, "models": prices})
        text = runner.metrics.render().decode()
    assert _value(text) == finished.timestamp()
    assert 'last_success_timestamp_seconds{job="models"}' not in text  # never succeeded


def _value(text: str) -> float:
    for row in text.splitlines():
        if row.startswith('bubble_monitor_job_last_success_timestamp_seconds{job="prices"}'):
            return float(row.rsplit(" ", 1)[1])
    return -1.0
