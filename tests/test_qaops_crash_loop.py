"""A job that takes the process down with it every time shows in /healthz after restarts.

Found on the qaops walk (2026-12-07): a run cut short by the process dying (an OOM kill
under the unit's MemoryMax, a crash in a native library) is closed as `abandoned` at the
next start, and abandoned runs did not count as failures. Under systemd's
`Restart=on-failure` a job that kills the process on every run restarted it for ever, and
each new process answered /healthz 200 with no failure and the last error of some older
run: the crash loop was invisible to the probe.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from apscheduler.triggers.interval import IntervalTrigger

from monitor.app import App
from monitor.config.feeds_yaml import Config, ScheduleConfig
from monitor.service.runner import Runner
from monitor.stages.base import StageResult
from monitor.stages.schedule import JobPlan
from monitor.stages.score import ScoreResult
from monitor.store import Store
from monitor.store import jobs as job_log
from tests.fakes import make_app

START = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


def _runner(store: Store) -> Runner:
    def index(app: App) -> StageResult:
        return ScoreResult(0)

    app = make_app(Config(basket=("NVDA",), schedule=ScheduleConfig()), store, clock=lambda: START)
    plan = JobPlan("index", IntervalTrigger(hours=1, timezone=UTC), "every 1h")
    return Runner(app, [plan], timezone=UTC, jobs={"index": index})


def test_runs_cut_short_by_the_process_dying_count_as_failures_after_a_restart(
    db_path: Path,
) -> None:
    with Store(db_path) as store:
        ok = job_log.start_run(store, "index", started_at=START - timedelta(hours=4))
        job_log.finish_run(
            store, ok, finished_at=START - timedelta(hours=4), outcome="ok", error=None
        )
        for minutes in (30, 20, 10):  # three starts, each killed mid-run
            at = START - timedelta(minutes=minutes)
            job_log.close_abandoned(store, at=at)  # what the next start does
            job_log.start_run(store, "index", started_at=at)
        job_log.close_abandoned(store, at=START)

        runner = _runner(store)  # the fourth start
        healthy, doc = runner.health()
        index = doc["jobs"]["index"]
        assert not healthy and doc["failing_jobs"] == ["index"]
        assert index["consecutive_failures"] == 3
        assert index["last_outcome"] == "abandoned"
        assert "stopped before the run finished" in (index["last_error"] or "")

        assert runner.run_job("index", scheduled=False).outcome == "ok"
        assert runner.health()[0]
        assert _runner(store).health()[0]  # and after another restart
