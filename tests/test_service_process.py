"""`bubble-monitor serve` as a real subprocess against local feed and Slack servers.

Healthy within seconds, refuses a second instance on the same database, exits 0 soon
after SIGTERM, and survives kill -9: after a restart nothing is lost or doubled and the
database passes PRAGMA integrity_check. Prices are disabled in the fixture feeds.yaml,
so the service never reaches yfinance; the real classifier model is used.
"""

from __future__ import annotations

import json
import math
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pandas as pd
import pytest

from monitor.config.feeds_yaml import load_config
from monitor.errors import StoreError
from monitor.service.lifecycle import InstanceLock, lock_path
from monitor.store import Store
from monitor.store.prices import upsert_bars
from signals.models import PriceBar

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "service"
#: Unique headlines in bubble.xml + layoffs.xml (the Amazon story is in both feeds).
UNIQUE_HEADLINES = 9
WEBHOOK_SECRET = "T0LOCAL/B0LOCAL/s3cr3tW3bh00kP4th"
#: A hang detector, not a speed target: the first news run loads the model and scores; on
#: a 2-core machine at load 11 (helpers and the suite at once) it took more than 40 s.
STARTUP_TIMEOUT = 120.0


class _LocalServer:
    """A stdlib HTTP server on 127.0.0.1 for one test module, with a request log."""

    def __init__(self, handler: Callable[[BaseHTTPRequestHandler], tuple[int, str, bytes]]):
        self.requests: list[tuple[str, str, bytes]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def _respond(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                outer.requests.append((self.command, self.path, body))
                status, content_type, payload = handler(self)
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = _respond  # noqa: N815

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, args=(0.1,), daemon=True).start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _feed_response(request: BaseHTTPRequestHandler) -> tuple[int, str, bytes]:
    name = request.path.rsplit("/", 1)[-1]
    path = FIXTURES / name
    if not name.endswith(".xml") or not path.is_file():
        return 500, "text/plain", b"feed server error"
    now = datetime.now(UTC)
    text = re.sub(
        r"\{\{hours_ago:(\d+)\}\}",
        lambda m: format_datetime(now - timedelta(hours=int(m.group(1)))),
        path.read_text(encoding="utf-8"),
    )
    text = re.sub(
        r"\{\{iso_hours_ago:(\d+)\}\}",
        lambda m: (now - timedelta(hours=int(m.group(1)))).strftime("%Y-%m-%dT%H:%M:%SZ"),
        text,
    )
    return 200, "application/rss+xml", text.encode()


def _slack_response(request: BaseHTTPRequestHandler) -> tuple[int, str, bytes]:
    if "/services/" in request.path:  # incoming webhook
        return 200, "text/plain", b"ok"
    return 200, "application/json", json.dumps({"ok": True, "ts": "1.0", "channel": "C1"}).encode()


@pytest.fixture(scope="module")
def feed_server() -> Iterator[_LocalServer]:
    server = _LocalServer(_feed_response)
    yield server
    server.close()


@pytest.fixture(scope="module")
def slack_server() -> Iterator[_LocalServer]:
    server = _LocalServer(_slack_response)
    yield server
    server.close()


@pytest.fixture
def feeds_file(tmp_path: Path, feed_server: _LocalServer) -> Path:
    path = tmp_path / "feeds.yaml"
    text = (FIXTURES / "feeds.yaml").read_text(encoding="utf-8")
    path.write_text(text.replace("{base}", feed_server.base), encoding="utf-8")
    return path


def _seed_prices(db: Path, feeds: Path) -> None:
    """A year of closes for the basket: the service's prices job cannot reach Yahoo here,
    and news alone has no baseline on a fresh install, so the index needs market data."""
    config = load_config(feeds)
    days = pd.bdate_range(end=datetime.now(UTC).date(), periods=300)
    bars = [
        PriceBar(ticker, day.date(), 100.0 * math.exp(i / 400))
        for ticker in config.tickers
        for i, day in enumerate(days)
    ]
    with Store(db) as store:
        upsert_bars(store, bars, fetched_at=datetime.now(UTC))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Service:
    """One `python -m monitor serve` process, its health port and its log file."""

    def __init__(self, db: Path, feeds: Path, slack: _LocalServer, log: Path) -> None:
        self.port = _free_port()
        self.log = log
        env = {
            k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "BUBBLE_MONITOR_"))
        }
        env.update(
            SLACK_WEBHOOK_URL=f"{slack.base}/services/{WEBHOOK_SECRET}",
            BUBBLE_MONITOR_DATA_DIR=str(db.parent / "data-dir"),
            HF_HUB_OFFLINE="1",
            TOKENIZERS_PARALLELISM="false",
        )
        self.args = [sys.executable, "-m", "monitor", "serve", "--db", str(db)]
        self.args += ["--feeds", str(feeds), "--log-format", "json"]
        with log.open("ab") as out:
            self.proc = subprocess.Popen(
                [*self.args, "--health-port", str(self.port)],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=out,
            )
        self.env = env

    def health(self) -> tuple[int, dict[str, Any]] | None:
        try:
            r = httpx.get(f"http://127.0.0.1:{self.port}/healthz", timeout=2)
        except httpx.TransportError:
            return None
        return r.status_code, r.json()

    def wait_until(self, check: Callable[[dict[str, Any]], bool], timeout: float) -> float:
        """Seconds until /healthz is 200 and `check(doc)` holds; fails on exit or timeout."""
        t0 = time.monotonic()
        while time.monotonic() - t0 < timeout:
            if self.proc.poll() is not None:
                pytest.fail(f"serve exited with {self.proc.returncode}:\n{self.log_text()}")
            got = self.health()
            if got is not None and got[0] == 200 and check(got[1]):
                return time.monotonic() - t0
            time.sleep(0.1)
        pytest.fail(f"serve not ready in {timeout}s; health {self.health()}\n{self.log_text()}")

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")[-4000:]

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(5)


@pytest.fixture
def services() -> Iterator[list[Service]]:
    started: list[Service] = []
    yield started
    for s in started:
        s.stop()


def _ran_ok(*jobs: str) -> Callable[[dict[str, Any]], bool]:
    return lambda doc: all(doc["jobs"][j]["last_ok"] is not None for j in jobs)


def _counts(db: Path) -> dict[str, Any]:
    conn = sqlite3.connect(db)

    def one(sql: str) -> Any:
        return conn.execute(sql).fetchone()[0]

    try:
        return {
            "integrity": one("PRAGMA integrity_check"),
            "headlines": one("SELECT COUNT(*) FROM headlines"),
            "distinct_urls": one("SELECT COUNT(DISTINCT url_key) FROM headlines"),
            "scores": one("SELECT COUNT(*) FROM headline_scores"),
            "unscored": one(
                "SELECT COUNT(*) FROM headlines h LEFT JOIN headline_scores s "
                "ON s.headline_id = h.id WHERE s.headline_id IS NULL"
            ),
            "readings": one("SELECT COUNT(*) FROM index_readings"),
            "index_runs": one(
                "SELECT COUNT(*) FROM job_runs WHERE job IN ('index', 'digest') "
                "AND outcome IN ('ok', 'abandoned')"
            ),
            "index_ok": one(
                "SELECT COUNT(*) FROM job_runs WHERE job IN ('index', 'digest') AND outcome = 'ok'"
            ),
            "alerts": one("SELECT COUNT(*) FROM alerts"),
            "alerts_sent": one("SELECT COUNT(*) FROM alerts WHERE sent_at IS NOT NULL"),
            "open_runs": one("SELECT COUNT(*) FROM job_runs WHERE finished_at IS NULL"),
            "abandoned": one("SELECT COUNT(*) FROM job_runs WHERE outcome = 'abandoned'"),
        }
    finally:
        conn.close()


def test_serve_is_healthy_single_and_stops_on_sigterm(
    tmp_path: Path, feeds_file: Path, slack_server: _LocalServer, services: list[Service]
) -> None:
    db = tmp_path / "monitor.db"
    _seed_prices(db, feeds_file)
    service = Service(db, feeds_file, slack_server, tmp_path / "serve.log")
    services.append(service)
    service.wait_until(lambda doc: True, timeout=STARTUP_TIMEOUT)
    service.wait_until(_ran_ok("news", "index"), timeout=STARTUP_TIMEOUT)
    status, doc = service.health() or (0, {})
    assert status == 200 and doc["status"] == "ok"
    assert set(doc["jobs"]) == {"news", "index", "digest", "retention"}  # prices disabled
    assert doc["jobs"]["digest"]["next_run"] is not None

    metrics = httpx.get(f"http://127.0.0.1:{service.port}/metrics").text
    assert re.search(r"^bubble_monitor_index \d", metrics, re.M)
    assert f"bubble_monitor_headlines_ingested_total {UNIQUE_HEADLINES}.0" in metrics
    assert 'bubble_monitor_feed_failures_total{feed="local-dead"} 1.0' in metrics

    # The same port serves the dashboard and its API from what the jobs stored.
    base = f"http://127.0.0.1:{service.port}"
    reading = httpx.get(f"{base}/api/reading").json()
    page = httpx.get(f"{base}/")
    assert page.status_code == 200
    gauge = re.search(r'id="gauge-value"[^>]*>([^<]+)</text>', page.text)
    assert gauge is not None and gauge.group(1) == f"{reading['index']:.1f}"
    assert httpx.get(f"{base}/api/health").json()["jobs"]["news"]["last_ok"] is not None

    second = subprocess.run(
        [*service.args], cwd=ROOT, env=service.env, capture_output=True, text=True, timeout=60
    )
    assert second.returncode == 2
    assert f"already running on {db}" in second.stderr
    assert f"pid {service.proc.pid}" in second.stderr

    t0 = time.monotonic()
    service.proc.send_signal(signal.SIGTERM)
    assert service.proc.wait(15) == 0
    elapsed = time.monotonic() - t0
    assert elapsed < 10, f"took {elapsed:.1f}s to stop"

    text = service.log.read_text(encoding="utf-8").splitlines()
    assert all(line.startswith("{") for line in text), text  # --log-format json: JSON only
    lines = [json.loads(line) for line in text]
    assert any(line["message"].startswith("stopped cleanly") for line in lines)
    # APScheduler's start-up and shutdown lines repeat ours ("job news scheduled ..."):
    # one line per job run and per event, as docs/service.md says; its warnings stay.
    chatter = [x for x in lines if x["logger"].startswith("apscheduler") and x["level"] == "info"]
    assert not chatter, chatter
    runs = [line for line in lines if line.get("job") and "duration_s" in line]
    assert runs and all(line["outcome"] in {"ok", "error"} for line in runs)
    log_text = service.log.read_text(encoding="utf-8")
    assert WEBHOOK_SECRET not in log_text and "s3cr3t" not in log_text
    assert _counts(db)["open_runs"] == 0
    with InstanceLock(db):  # released on a clean exit
        assert lock_path(db).exists()


def test_kill_9_then_restart_loses_and_doubles_nothing(
    tmp_path: Path, feeds_file: Path, slack_server: _LocalServer, services: list[Service]
) -> None:
    db = tmp_path / "monitor.db"
    log = tmp_path / "serve.log"
    posts_before = len(slack_server.requests)

    _seed_prices(db, feeds_file)
    first = Service(db, feeds_file, slack_server, log)
    services.append(first)
    first.wait_until(lambda doc: doc["jobs"]["news"]["running"], timeout=STARTUP_TIMEOUT)
    first.proc.kill()  # in the middle of the first news run (model loading, fetching)
    first.proc.wait(5)

    second = Service(db, feeds_file, slack_server, log)  # the lock died with the process
    services.append(second)
    second.wait_until(_ran_ok("news", "index"), timeout=STARTUP_TIMEOUT)
    time.sleep(1.0)  # let it be in or between runs: "at any moment"
    second.proc.kill()
    second.proc.wait(5)

    third = Service(db, feeds_file, slack_server, log)
    services.append(third)
    started = datetime.now(UTC)
    third.wait_until(
        lambda doc: all(
            (doc["jobs"][j]["last_ok"] or "") > started.isoformat() for j in ("news", "index")
        ),
        timeout=STARTUP_TIMEOUT,
    )
    third.proc.send_signal(signal.SIGTERM)
    assert third.proc.wait(15) == 0

    counts = _counts(db)
    assert counts["integrity"] == "ok"
    assert counts["headlines"] == counts["distinct_urls"] == UNIQUE_HEADLINES
    assert counts["scores"] == UNIQUE_HEADLINES and counts["unscored"] == 0
    # Readings are dated by their data: a run on the same data replaces its reading, so
    # there can be fewer readings than ok runs, never more than runs.
    assert counts["index_ok"] >= 1 and 1 <= counts["readings"] <= counts["index_runs"]
    assert counts["open_runs"] == 0 and counts["abandoned"] >= 1
    slack_posts = [r for r in slack_server.requests[posts_before:] if r[0] == "POST"]
    # Each alert is claimed before it is sent: a post without its claim would be a double.
    assert counts["alerts_sent"] <= len(slack_posts) <= counts["alerts"]


def test_lock_refuses_a_second_holder_naming_the_pid(tmp_path: Path) -> None:
    db = tmp_path / "monitor.db"
    with (
        InstanceLock(db),
        pytest.raises(StoreError, match=rf"pid {os.getpid()}\) is already running on"),
    ):
        InstanceLock(db).acquire()
    with InstanceLock(db):  # released by the first holder's exit
        pass


def test_lock_is_released_when_its_holder_is_killed(tmp_path: Path) -> None:
    db = tmp_path / "monitor.db"
    code = (
        "import sys, time; from pathlib import Path; "
        "from monitor.service.lifecycle import InstanceLock; "
        f"InstanceLock(Path({str(db)!r})).acquire(); print('locked', flush=True); time.sleep(60)"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        with pytest.raises(StoreError, match=f"pid {holder.pid}"):
            InstanceLock(db).acquire()
    finally:
        holder.kill()
        holder.wait(5)
    with InstanceLock(db):
        assert lock_path(db).read_text().strip() == str(os.getpid())


def _serve_cli(*args: str) -> tuple[int, str]:
    from typer.testing import CliRunner

    from monitor.cli.app import app

    result = CliRunner().invoke(app, ["serve", *args])
    return result.exit_code, result.output


def test_a_bad_schedule_stops_serve_naming_the_line(tmp_path: Path) -> None:
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text("basket: [NVDA]\nschedule:\n  news: {cron: '0 9 * * 1-8'}\n")
    code, output = _serve_cli("--db", str(tmp_path / "m.db"), "--feeds", str(feeds))
    assert code == 2
    assert f"error: {feeds}:3: schedule.news: " in output and "8 is not 0-7" in output
    assert not (tmp_path / "m.db").exists()


def test_serve_with_every_job_disabled_refuses_to_start(tmp_path: Path) -> None:
    feeds = tmp_path / "feeds.yaml"
    names = (
        "prices",
        "prices_intraday",
        "news",
        "positioning",
        "filings",
        "fundamentals",
        "models",
        "index",
    )
    jobs = "".join(f"  {j}: null\n" for j in names)
    feeds.write_text(f"basket: [NVDA]\nschedule:\n{jobs}  digest: null\n  retention: null\n")
    code, output = _serve_cli("--db", str(tmp_path / "m.db"), "--feeds", str(feeds), "--once")
    assert code == 2 and "every job is disabled" in output
