"""The job log stays bounded in a service that is never restarted.

Found on the qaops walk (2026-12-07): job_runs and work_units rows older than 90 days were
pruned only when `serve` started (docs/service.md: "rows older than 90 days are pruned at
start-up"). A service that runs for a year without a restart (the point of a service)
kept every run: about 45,000 rows a year with the default schedule, more on a shared
PostgreSQL store where every instance records its skips. The daily retention job now
prunes them too.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from monitor.config.feeds_yaml import Config, ScheduleConfig
from monitor.stages.retention import run_retention
from monitor.store import Store, work_claims
from monitor.store import jobs as job_log
from tests.fakes import make_app

NOW = datetime(2026, 12, 7, 3, 30, tzinfo=UTC)


def test_the_retention_job_prunes_job_runs_and_claims_older_than_the_job_log_keeps(
    db_path: Path,
) -> None:
    old, recent = NOW - timedelta(days=91), NOW - timedelta(days=89)
    with Store(db_path) as store:
        for at in (old, recent):
            run = job_log.start_run(store, "news", started_at=at)
            job_log.finish_run(store, run, finished_at=at, outcome="ok", error=None)
            work_claims.claim(store, f"news@{at.isoformat()}", job="news", slot=at,
                              instance="h:1", at=at)  # fmt: skip
        app = make_app(
            Config(basket=("NVDA",), schedule=ScheduleConfig()), store, clock=lambda: NOW
        )
        result = run_retention(app)
        runs = job_log.recent_runs(store, "news", limit=10)
        units = work_claims.units(store, "news")
    assert [r.started_at for r in runs] == [recent]
    assert [u for u, _ in units] == [f"news@{recent.isoformat()}"]
    assert result.summary()["job_runs_pruned"] == 1
