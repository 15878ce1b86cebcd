"""The service's job threads on one store, and taking a job over from a dead instance.

- Jobs run on threads of their own: one job failing mid-transaction never costs another
  job its writes, on SQLite and on PostgreSQL, and the store holds at most one connection
  per job thread plus the main thread's (on PostgreSQL counted by the server itself).
- A killed instance's open `job_runs` row is closed as `abandoned` by the instance that
  takes its job over (kill -9 of a real holder process), never a run whose holder lives;
  twin jobs that share one lock are closed together.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest
from apscheduler.triggers.interval import IntervalTrigger

from monitor.app import App
from monitor.config.feeds_yaml import Config, ScheduleConfig
from monitor.service.exactly_once import HELD
from monitor.service.runner import Runner
from monitor.stages.schedule import JobPlan
from monitor.stages.score import ScoreResult
from monitor.store import Store
from monitor.store import jobs as job_log
from monitor.store.pg_connect import APPLICATION_NAME
from tests.conftest import wait_for
from tests.fakes import make_app

ROOT = Path(__file__).resolve().parents[1]
T0 = datetime(2026, 3, 2, 14, 7, 30, tzinfo=UTC)
TIMEOUT = 10.0
#: On PostgreSQL the runner first loads the classifier on a worker thread (a standby's
#: warm-up), which can take a while on a busy machine; the jobs wait for that thread.
WARM_UP = 30.0
Job = Callable[[App], ScoreResult]


def _runner(
    store: Store, jobs: dict[str, Job], instance: str = "b:2", *, live: bool = False
) -> Runner:
    """A runner of `jobs` as instance `instance`; `live` runs on the wall clock (for a
    started scheduler), else at T0."""
    config = Config(basket=("NVDA",), schedule=ScheduleConfig(prices=None, prices_intraday=None))
    clock = (lambda: datetime.now(UTC)) if live else (lambda: T0)
    ctx = make_app(config, store, clock=clock)
    plans = [JobPlan(n, IntervalTrigger(hours=1, timezone=UTC), "every 1h") for n in jobs]
    runner = Runner(ctx, plans, timezone=UTC, jobs=jobs)  # type: ignore[arg-type]
    runner.once.instance = instance
    return runner


def _count_open(store: Store, job: str) -> int:
    return int(store.conn.execute("SELECT COUNT(*) FROM job_runs WHERE job = ? AND outcome "
                                  "IS NULL", (job,)).fetchone()[0])  # fmt: skip


@pytest.fixture(params=["sqlite", "postgresql"])
def target(request: pytest.FixtureRequest, db_path: Path) -> str | Path:
    """Both backends for every test that asks (its own parameter, so that conftest's
    BUBBLE_MONITOR_TEST_BACKENDS=all, which parametrises `store`, never doubles it)."""
    return str(request.getfixturevalue("pg_url")) if request.param == "postgresql" else db_path


@pytest.fixture
def both(target: str | Path) -> Iterator[Store]:
    with Store(target) as store:
        yield store


def test_a_job_failing_mid_transaction_never_costs_another_job_its_writes(
    both: Store, stopper: list[Runner]
) -> None:
    """Two scheduled jobs on their own threads: `writer` opens a transaction and writes,
    `breaker` meanwhile runs a statement that fails; the writer's run commits and is ok,
    the breaker's is recorded as an error."""
    breaker_running, writer_inside, breaker_done = (threading.Event() for _ in range(3))

    def writer(app: App) -> ScoreResult:
        # The breaker's run is open first: on SQLite, its start (a write) would otherwise
        # queue behind the writer's transaction, SQLite having one writer at a time.
        breaker_running.wait(WARM_UP)
        with app.store.transaction() as conn:
            conn.execute("INSERT INTO job_runs (job, started_at) VALUES ('probe', ?)",
                         (T0.isoformat(),))  # fmt: skip
            writer_inside.set()
            breaker_done.wait(TIMEOUT)
            conn.execute("INSERT INTO job_runs (job, started_at) VALUES ('probe', ?)",
                         (T0.isoformat(),))  # fmt: skip
        return ScoreResult(2)

    def breaker(app: App) -> ScoreResult:
        breaker_running.set()
        writer_inside.wait(TIMEOUT)
        try:
            app.store.conn.execute("SELECT no_such_column FROM job_runs")
        finally:
            breaker_done.set()
        return ScoreResult(0)

    runner = _runner(both, {"writer": writer, "breaker": breaker}, live=True)
    stopper.append(runner)
    runner.start()
    wait_for(lambda: all(runner.status[j].last_outcome for j in ("writer", "breaker")), WARM_UP)
    assert runner.status["writer"].last_outcome == "ok", runner.status["writer"].last_error
    assert runner.status["breaker"].last_outcome == "error"
    assert "no_such_column" in str(runner.status["breaker"].last_error)
    assert _count_open(both, "probe") == 2


def test_job_threads_hold_at_most_one_connection_each_plus_the_main_one(
    both: Store, target: str | Path, stopper: list[Runner]
) -> None:
    """Four jobs at once, each reading and writing, over several turns: the store never
    holds more connections than jobs + 1, and they are all closed with it."""
    jobs = ("a", "b", "c", "d")
    together = threading.Barrier(len(jobs), timeout=WARM_UP)
    seen: list[int] = []

    def job(app: App) -> ScoreResult:
        job_log.recent_runs(app.store)
        together.wait()  # all four threads inside a run at the same moment
        seen.append(_connections(app.store, target))
        return ScoreResult(1)

    runner = _runner(both, {name: job for name in jobs}, live=True)
    stopper.append(runner)
    runner.start()
    for turn in (1, 2, 3):  # later turns run on the same worker threads: nothing new opens
        done = turn * len(jobs)
        wait_for(lambda: len(seen) == done and runner.idle.is_set(), WARM_UP)  # noqa: B023
        together.reset()
        for name in jobs:  # not a slot's run (that one is done): a forced one, run now
            runner.scheduler.modify_job(name, kwargs={"scheduled": False},
                                        next_run_time=datetime.now(UTC))  # fmt: skip
    wait_for(lambda: all(runner.status[j].last_outcome == "ok" for j in jobs))
    print(f"\nconnections seen by {len(jobs)} jobs at once: {sorted(set(seen))}")  # docs quote
    assert max(seen) <= len(jobs) + 1, seen
    runner.shutdown(5)
    both.close()
    assert both.open_connections() == 0
    if isinstance(target, str):
        # The server ends a session's backend after the client has closed it, not with it:
        # under load pg_stat_activity still listed one (a leak would stay past the wait).
        wait_for(lambda: _server_sessions(target) == 0, 5.0)


def _connections(store: Store, target: str | Path) -> int:
    """Connections of this store: the server's own count on PostgreSQL (the sessions of this
    test's database that bubble-monitor opened; the counting ones are not), the store's
    on SQLite."""
    if isinstance(target, str):
        return _server_sessions(target)
    return store.open_connections()


def _server_sessions(url: str) -> int:
    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute(
            "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND application_name = %s",
            (APPLICATION_NAME,),
        ).fetchone()
    return int(row[0]) if row else 0


HOLDER = """
import sys, time
from datetime import UTC, datetime
from monitor.store import Store
from monitor.store import jobs as job_log
store = Store(sys.argv[1])
with store.hold_unit("job:prices") as got:
    job_log.start_run(store, sys.argv[2], started_at=datetime.now(UTC), instance="holder:1")
    print("running" if got else "refused", flush=True)
    time.sleep(60)
"""


def _holder(pg_url: str, job: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, pg_url, job], env=env,
                            stdout=subprocess.PIPE, text=True)  # fmt: skip
    assert proc.stdout is not None and proc.stdout.readline().strip() == "running"
    return proc


@pytest.mark.parametrize("dead_job", ["prices", "prices_intraday"])
def test_the_instance_taking_over_closes_a_killed_holders_run(pg_url: str, dead_job: str) -> None:
    """A holder process runs `dead_job` (prices, or its twin on the same lock) and is
    killed with SIGKILL; the next instance to take the lock closes the open row as
    abandoned, saying who closed it, before its own run, which succeeds."""
    holder = _holder(pg_url, dead_job)
    try:
        with Store(pg_url) as store:
            runner = _runner(store, {"prices": lambda app: ScoreResult(1)})
            assert runner.run_job("prices").error == HELD  # alive: its run stays open
            assert job_log.open_run_jobs(store) == [dead_job]
            os.kill(holder.pid, signal.SIGKILL)
            holder.wait(TIMEOUT)
            wait_for(lambda: runner.run_job("prices", scheduled=False).outcome == "ok")
            dead = [r for r in job_log.recent_runs(store, dead_job) if r.instance == "holder:1"]
            assert [(r.outcome, r.finished_at) for r in dead] == [("abandoned", T0)]
            assert dead[0].error == (f"{job_log.STOPPED}; closed by b:2, which took the job over")
            assert job_log.open_run_jobs(store) == []
    finally:
        holder.kill()
        holder.wait(TIMEOUT)


def test_a_live_holders_open_run_is_never_closed(pg_url: str) -> None:
    """Another instance (another session of this test) holds the lock and has a run open:
    a takeover attempt skips and leaves the run open; start-up closes it neither."""
    with Store(pg_url) as sa, Store(pg_url) as sb:
        with sa.hold_unit("job:prices"):
            job_log.start_run(sa, "prices", started_at=T0, instance="a:1")
            runner = _runner(sb, {"prices": lambda app: ScoreResult(1)})
            assert runner.run_job("prices").error == HELD
            assert runner.once.close_abandoned(at=T0) == 0
            assert job_log.open_run_jobs(sb) == ["prices"]
        assert runner.run_job("prices").outcome == "ok"  # a:1's lock gone: taken over
        outcomes = sorted(r.outcome or "" for r in job_log.recent_runs(sb, "prices"))
        assert outcomes == ["abandoned", "ok", "skipped"]


def test_takeover_on_sqlite_leaves_a_twin_jobs_open_run_alone(db_path: Path) -> None:
    """One instance owns a SQLite file and twin jobs run side by side on it, so a run's
    start never closes the twin's open run; only the next start-up does."""
    with Store(db_path) as store:
        job_log.start_run(store, "prices_intraday", started_at=T0, instance="b:2")
        runner = _runner(store, {"prices": lambda app: ScoreResult(1)})
        assert runner.run_job("prices").outcome == "ok"
        assert job_log.open_run_jobs(store) == ["prices_intraday"]
        assert runner.once.close_abandoned(at=T0) == 1
