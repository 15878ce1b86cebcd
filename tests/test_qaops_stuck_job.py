"""A job whose run never ends turns /healthz 503 instead of reading healthy for ever.

Found on the qaops walk (2026-12-07): a run that hangs (a database or server that stops
answering without closing the connection, say) holds its job's only instance; every later
turn is recorded `skipped: the previous run was still going`, which is not a failure, so
the job's failure count never grows and /healthz kept answering 200 `ok` with
`"running": true` for as long as the run hung: hours, with no news, reading or alert.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

from apscheduler.triggers.interval import IntervalTrigger

from monitor.app import App
from monitor.config.feeds_yaml import Config, ScheduleConfig
from monitor.service.job_status import STUCK_AFTER
from monitor.service.runner import Runner
from monitor.stages.base import StageResult
from monitor.stages.schedule import JobPlan
from monitor.stages.score import ScoreResult
from monitor.store import Store
from tests.conftest import wait_for
from tests.fakes import make_app

START = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


def test_a_run_going_on_past_the_stuck_limit_is_failing_until_it_ends(db_path: Path) -> None:
    release = threading.Event()
    clock = {"now": START}

    def hangs(app: App) -> StageResult:
        release.wait(20)
        return ScoreResult(0)

    config = Config(basket=("NVDA",), schedule=ScheduleConfig())
    with Store(db_path) as store:
        app = make_app(config, store, clock=lambda: clock["now"])
        plan = JobPlan("news", IntervalTrigger(minutes=15, timezone=UTC), "every 15m")
        runner = Runner(app, [plan], timezone=UTC, jobs={"news": hangs})
        worker = threading.Thread(target=runner.run_job, args=("news", False))
        worker.start()
        try:
            wait_for(lambda: runner.status["news"].running_since is not None)
            clock["now"] = START + STUCK_AFTER - timedelta(minutes=1)
            healthy, doc = runner.health()
            assert healthy and doc["jobs"]["news"]["stuck"] is False

            clock["now"] = START + STUCK_AFTER + timedelta(minutes=1)
            healthy, doc = runner.health()
            assert not healthy and doc["status"] == "failing"
            assert doc["failing_jobs"] == ["news"]
            assert doc["jobs"]["news"]["running"] is True and doc["jobs"]["news"]["stuck"] is True
        finally:
            release.set()
            worker.join(10)
        assert runner.health()[0]  # the run ended: healthy again
