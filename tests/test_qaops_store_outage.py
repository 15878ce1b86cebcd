"""The service while its database is away: /healthz says so, and it recovers by itself.

Found by running `serve` on PostgreSQL and stopping the server mid-run (qaops walk,
2026-12-07): every run failed before it could be recorded, the exception escaped to
APScheduler (a full traceback per run in the log) and the job's status was never
updated, so /healthz kept answering 200 "ok" with no failures for as long as the
database was down. A liveness probe could not see the outage.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC
from pathlib import Path

import psycopg
import pytest
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
from tests.pg_server import PgServer

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "Sup3rS3cretPw"


def _admin(server: PgServer, *statements: str) -> None:
    with psycopg.connect(server.url, autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement.encode())


@pytest.fixture
def pg_store(pg_server_session: PgServer, pg_url: str) -> Iterator[tuple[Store, str]]:
    name = pg_url.rsplit("/", 1)[-1]
    with Store(pg_url) as store:
        yield store, name
    _admin(pg_server_session, f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')


def _runner(store: Store) -> Runner:
    config = Config(basket=("NVDA",), schedule=ScheduleConfig(prices=None, prices_intraday=None))
    app: App = make_app(config, store)
    plan = JobPlan("news", IntervalTrigger(seconds=3600, timezone=UTC), "every 3600s")

    def job(c: App) -> StageResult:
        return ScoreResult(1)

    return Runner(app, [plan], timezone=UTC, jobs={"news": job})


def _take_database_away(server: PgServer, name: str) -> None:
    _admin(
        server,
        f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false',
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        f"WHERE datname = '{name}' AND pid <> pg_backend_pid()",
    )


def test_runs_while_the_database_is_away_fail_in_health_and_recover(
    pg_server_session: PgServer, pg_store: tuple[Store, str]
) -> None:
    store, name = pg_store
    runner = _runner(store)
    assert runner.run_job("news", scheduled=False).outcome == "ok"

    _take_database_away(pg_server_session, name)
    outcomes = [runner.run_job("news", scheduled=False) for _ in range(3)]
    assert [o.outcome for o in outcomes] == ["error"] * 3
    assert all("could not reach the store postgresql://" in (o.error or "") for o in outcomes)
    assert "cannot connect to PostgreSQL" in (outcomes[-1].error or "")
    healthy, doc = runner.health()
    assert not healthy
    assert doc["status"] == "failing" and doc["failing_jobs"] == ["news"]
    news = doc["jobs"]["news"]
    assert news["consecutive_failures"] == 3 and news["last_outcome"] == "error"
    assert "could not reach the store" in news["last_error"]
    assert "not currently accepting connections" in news["last_error"]
    assert news["running"] is False

    _admin(pg_server_session, f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
    assert runner.run_job("news", scheduled=False).outcome == "ok"
    healthy, doc = runner.health()
    assert healthy and doc["jobs"]["news"]["consecutive_failures"] == 0
    runs = job_log.recent_runs(store, "news", limit=10)
    assert [r.outcome for r in runs] == ["ok", "ok"]  # the outage's runs could not be stored
    assert all(r.finished_at is not None for r in runs)


def _closed_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_exits_1_not_2_when_the_database_server_is_not_up_yet(tmp_path: Path) -> None:
    """The systemd unit restarts on failure except on status 2 (a bad config, a second
    instance). A host that booted the monitor before its PostgreSQL server got status 2
    for the refused connection, so systemd never started it again."""
    url = f"postgresql://bubble:{PASSWORD}@127.0.0.1:{_closed_port()}/bubble"
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text(
        "basket: [NVDA]\nfeeds: []\nschedule: {prices: null, prices_intraday: null, "
        "positioning: null, filings: null, fundamentals: null, models: null, "
        "news: null, digest: null, retention: null, index: {every: 1h}}\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, "-m", "monitor", "serve", "--db", url, "--feeds", str(feeds)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
    )
    assert done.returncode == 1, done.stderr
    assert "cannot connect to PostgreSQL at postgresql://bubble:***@127.0.0.1" in done.stderr
    assert "started again" in done.stderr
    assert PASSWORD not in done.stdout + done.stderr


def test_a_url_libpq_cannot_parse_still_exits_2(tmp_path: Path) -> None:
    """A mistyped URL will not fix itself: no restart loop for it."""
    done = subprocess.run(
        [sys.executable, "-m", "monitor", "serve", "--db", "postgresql://bubble@[::1/bubble"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
    )
    assert done.returncode == 2, done.stderr
    assert "error: cannot connect to PostgreSQL" in done.stderr


def test_connections_notice_a_vanished_server_host_within_a_minute(pg_url: str) -> None:
    """Found on the walk: sessions used the kernel's TCP defaults, so a server host that
    vanished without closing its connections (a failover, a power cut) left a job's
    statement waiting about two hours before the run could fail."""
    from monitor.store.pg_connect import connect

    with connect(pg_url) as conn:
        dsn = conn.info.dsn
    for option in ("keepalives=1", "keepalives_idle=30", "keepalives_interval=10"):
        assert option in dsn
    assert "keepalives_count=3" in dsn and "tcp_user_timeout=60000" in dsn
    with connect(f"{pg_url}?keepalives_idle=5") as conn:  # the URL's own setting wins
        assert "keepalives_idle=5" in conn.info.dsn


def test_serve_once_beside_a_running_instance_is_not_a_failure(pg_url: str) -> None:
    """`serve --once` (cron) on a team's shared database while a service runs: a job the
    service is running at that moment is skipped (`held by another instance`: the work is
    being done), which made `--once` exit 1 as if the job had failed."""
    from monitor.config.feeds_yaml import parse_config
    from monitor.service.lifecycle import run_service

    config = parse_config(
        "basket: [NVDA]\nschedule: {prices: null, prices_intraday: null, positioning: null, "
        "filings: null, fundamentals: null, models: null, news: null, digest: null, "
        "retention: null, index: {every: 1h}}\n",
        Path("feeds.yaml"),
    )
    Store(pg_url).close()
    with Store(pg_url) as other, other.hold_unit("job:index") as held:
        assert held
        code = run_service(config, pg_url, once=True, make_app=lambda c, s: make_app(c, s))
    assert code == 0
