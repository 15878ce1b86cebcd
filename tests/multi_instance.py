"""Several `bubble-monitor serve` processes on one PostgreSQL database: the scenario and its
figures, shared by tests/test_multi_instance.py and benchmarks/bench_multi_instance.py.

The database is seeded with the offline demo scenario, so the index job computes real
readings with no network; alerts go to the local Slack stand-in, which counts deliveries.
Every instance fires the index job every `interval` seconds, while a feeder thread stores
a new scored bubble-warning headline every second, so that nearly every run has a
breaking-news alert to send (and three instances to race for it). Once `runs_before_kill`
readings are in, the instance holding the job's lock (its run is open in job_runs) is
killed with SIGKILL mid-run, and the scenario measures how long until another instance
completes a run, then lets `runs_after_kill` more runs happen and stops the rest.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg

from tests.slack_server import CHANNEL, TOKEN, SlackStandIn

ROOT = Path(__file__).resolve().parents[1]
CONFIG = """\
basket: [NVDA, MSFT, AMD, AVGO, ORCL]
benchmarks: [SPY, RSP, QQQ, QQQE, HYG, LQD, ^VIX]
alerts:
  digest_time: "00:00"
  breaking_confidence: 0.5
  breaking_min_sources: 1
  breaking_cooldown_hours: 0
schedule:
  timezone: UTC
  prices: null
  prices_intraday: null
  news: null
  digest: null
  positioning: null
  filings: null
  models: null
  retention: null
  index: {{every: {interval}s}}
"""
_HEALTH = re.compile(r"health on http://127\.0\.0\.1:(\d+)/healthz")


@dataclass
class Figures:
    """What the scenario measured."""

    instances: int
    interval_s: int
    ok_runs: int = 0
    readings_written: int = 0
    duplicate_runs: int = 0
    duplicate_readings: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    alerts_sent: int = 0
    deliveries: int = 0
    duplicate_deliveries: int = 0
    takeover_s: float | None = None
    killed_run_outcome: str | None = None
    killed_run_error: str | None = None
    #: Seconds from the kill until the dead run's row was closed (by the takeover).
    killed_run_closed_s: float | None = None
    exit_codes: list[int | None] = field(default_factory=list)
    healthz: dict[str, Any] = field(default_factory=dict)
    serve_log: str = ""


def write_config(workdir: Path, interval: int) -> Path:
    path = workdir / "feeds.yaml"
    path.write_text(CONFIG.format(interval=interval))
    return path


def seed(pg_url: str, config_path: Path) -> None:
    """The demo scenario's prices, scored headlines and past readings, in the database."""
    from monitor.app import build
    from monitor.config.feeds_yaml import load_config
    from monitor.ops.demo import DEMO_NOW, seed_demo_history

    with build(load_config(config_path), {}, db=pg_url, clock=lambda: DEMO_NOW) as app:
        seed_demo_history(app)


def run_scenario(
    pg_url: str,
    workdir: Path,
    *,
    instances: int = 3,
    interval: int = 3,
    runs_before_kill: int = 3,
    runs_after_kill: int = 3,
    timeout: float = 180.0,
) -> Figures:
    config = write_config(workdir, interval)
    seed(pg_url, config)
    figures = Figures(instances, interval)
    start = datetime.now(UTC)
    stop_feeding = threading.Event()
    feeder = threading.Thread(target=_feed_breaking_news, args=(pg_url, stop_feeding))
    with SlackStandIn() as slack, psycopg.connect(pg_url, autocommit=True) as db:
        procs = [_spawn(pg_url, config, workdir, slack, n) for n in range(instances)]
        feeder.start()
        try:
            deadline = time.monotonic() + timeout
            _wait(lambda: _ok_runs(db, start) >= runs_before_kill, deadline, "first runs")
            figures.healthz = _healthz(workdir)
            killed_at, killed_run = _kill_holder(db, start, procs, deadline)
            after = _wait_first_ok_after(db, killed_at, deadline)
            figures.takeover_s = (after - killed_at).total_seconds()
            target = _ok_runs(db, start) + runs_after_kill - 1
            _wait(lambda: _ok_runs(db, start) >= target, deadline, "runs after the kill")
        finally:
            stop_feeding.set()
            feeder.join()
            figures.exit_codes = _stop(procs)
        _note_killed_run(db, killed_run, killed_at, figures)
        _count(db, start, interval, figures)
        _count_deliveries(db, slack, figures)
    figures.serve_log = "\n".join(
        (workdir / f"serve{n}.log").read_text(errors="replace") for n in range(instances)
    )
    return figures


def _feed_breaking_news(pg_url: str, stop: threading.Event) -> None:
    from monitor.store import Store
    from monitor.store.headlines import insert_headlines
    from monitor.store.scores import save_scores
    from signals.models import Headline, HeadlineScore

    score = HeadlineScore("bubble_warning", 0.97, {"bubble_warning": 0.97}, "feeder")
    with Store(pg_url) as store:
        n = 0
        while not stop.wait(1.0):
            n += 1
            now = datetime.now(UTC)
            news = Headline(f"Fund manager {n} warns AI stocks are a bubble",
                            f"https://news.test/{n}", "Wire", "feeder", now)  # fmt: skip
            save_scores(store, [(i, score) for i in insert_headlines(store, [news],
                        fetched_at=now)], scored_at=now)  # fmt: skip


def _spawn(pg_url: str, config: Path, workdir: Path, slack: SlackStandIn, n: int) -> Any:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_CHANNEL": CHANNEL,
        "BUBBLE_MONITOR_SLACK_BASE_URL": slack.base_url,
        "BUBBLE_MONITOR_DATA_DIR": str(workdir / f"data{n}"),
        "HF_HUB_OFFLINE": "1",
        "TOKENIZERS_PARALLELISM": "false",
    }
    log = (workdir / f"serve{n}.log").open("w")
    command = [sys.executable, "-m", "monitor", "serve", "--db", pg_url, "--feeds", str(config),
               "--health-port", "0"]  # fmt: skip
    return subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=workdir)


def _wait(check: Any, deadline: float, what: str) -> None:
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def _ok_runs(db: psycopg.Connection[Any], start: datetime) -> int:
    row = db.execute(
        "SELECT COUNT(*) FROM job_runs WHERE job = 'index' AND outcome = 'ok' AND started_at >= %s",
        (start.isoformat(),),
    ).fetchone()
    return int(row[0]) if row else 0


def _kill_holder(
    db: psycopg.Connection[Any], start: datetime, procs: list[Any], deadline: float
) -> tuple[datetime, int]:
    """SIGKILL the instance whose index run is open (it holds the lock) the moment it is."""
    pids = {p.pid for p in procs}
    while time.monotonic() < deadline:
        row = db.execute(
            "SELECT id, instance FROM job_runs WHERE job = 'index' AND outcome IS NULL "
            "AND started_at >= %s ORDER BY id DESC LIMIT 1",
            (start.isoformat(),),
        ).fetchone()
        pid = int(str(row[1]).rsplit(":", 1)[1]) if row else None
        if row and pid in pids:
            os.kill(pid, signal.SIGKILL)
            return datetime.now(UTC), int(row[0])
        time.sleep(0.01)
    raise AssertionError("never saw an index run in progress to kill")


def _wait_first_ok_after(db: psycopg.Connection[Any], killed: datetime, deadline: float) -> Any:
    while time.monotonic() < deadline:
        row = db.execute(
            "SELECT MIN(finished_at) FROM job_runs WHERE job = 'index' AND outcome = 'ok' "
            "AND started_at > %s",
            (killed.isoformat(),),
        ).fetchone()
        if row and row[0]:
            return datetime.fromisoformat(row[0])
        time.sleep(0.05)
    raise AssertionError("no instance took over after the kill")


def _healthz(workdir: Path) -> dict[str, Any]:
    import json

    text = (workdir / "serve0.log").read_text(errors="replace")
    match = _HEALTH.search(text)
    if match is None:
        return {}
    with urllib.request.urlopen(f"http://127.0.0.1:{match.group(1)}/healthz", timeout=5) as r:
        return dict(json.loads(r.read()))


def _stop(procs: list[Any]) -> list[int | None]:
    for p in procs:
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
    codes = []
    for p in procs:
        try:
            codes.append(p.wait(30))
        except subprocess.TimeoutExpired:
            p.kill()
            codes.append(None)
    return codes


def _note_killed_run(
    db: psycopg.Connection[Any], run_id: int, killed_at: datetime, f: Figures
) -> None:
    row = db.execute(
        "SELECT outcome, error, finished_at FROM job_runs WHERE id = %s", (run_id,)
    ).fetchone()
    if row is None:
        return
    f.killed_run_outcome, f.killed_run_error = row[0], row[1]
    if row[2]:
        f.killed_run_closed_s = (datetime.fromisoformat(row[2]) - killed_at).total_seconds()


def _count(db: psycopg.Connection[Any], start: datetime, interval: int, f: Figures) -> None:
    """Runs doubled: two ok runs of one unit (job@slot, from each run's own job_runs row,
    not from work_units, whose key would hide them). Readings doubled: two readings
    inside one run (a reading's computed_at is the moment its run computed it; its as_of
    is its data's time, which a later run on the same data replaces in place)."""
    runs = db.execute(
        "SELECT id, started_at, finished_at, outcome, error, details FROM job_runs "
        "WHERE job = 'index' AND started_at >= %s ORDER BY started_at",
        (start.isoformat(),),
    ).fetchall()
    ok = [r for r in runs if r[3] == "ok"]
    per_unit = Counter(json.loads(r[5] or "{}").get("unit") for r in ok)
    f.ok_runs = len(ok)
    f.duplicate_runs = sum(n - 1 for n in per_unit.values()) + per_unit[None]
    f.skipped = Counter(re.sub(r" \(.*\)$", "", r[4]) for r in runs if r[3] == "skipped")
    readings = db.execute(
        "SELECT computed_at FROM index_readings WHERE computed_at >= %s", (start.isoformat(),)
    ).fetchall()
    f.readings_written = len(readings)
    # Finished runs first: the killed run's span (open, or closed at the takeover) must not
    # swallow the readings of the runs that overlap it.
    cut = ("abandoned", None)
    spans = [(r[0], r[1], r[2]) for r in ok] + [(r[0], r[1], r[2]) for r in runs if r[3] in cut]
    per_run = Counter(_run_of(str(r[0]), spans) for r in readings)
    f.duplicate_readings = sum(n - 1 for n in per_run.values()) + per_run[None]


def _run_of(computed_at: str, spans: list[tuple[int, str, str | None]]) -> int | None:
    """The run that computed a reading at `computed_at` (None: no run did, a fault)."""
    moment = datetime.fromisoformat(computed_at)
    for run_id, started, finished in spans:
        end = datetime.fromisoformat(finished) if finished else datetime.max.replace(tzinfo=UTC)
        if datetime.fromisoformat(started) <= moment <= end:
            return run_id
    return None


def _count_deliveries(db: psycopg.Connection[Any], slack: SlackStandIn, f: Figures) -> None:
    row = db.execute("SELECT COUNT(*) FROM alerts WHERE sent_at IS NOT NULL").fetchone()
    f.alerts_sent = int(row[0]) if row else 0
    texts = Counter(str(m.get("text")) for m in slack.messages)
    f.deliveries = sum(texts.values())
    f.duplicate_deliveries = sum(n - 1 for n in texts.values())
