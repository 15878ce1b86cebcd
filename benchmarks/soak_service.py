"""Soak benchmark for the service (run on demand, not a unit test).

Runs N fast job cycles through the service's Runner on a temporary database: each cycle
is the `news` job (collect from a local feed server that publishes one new headline per
cycle and keeps the latest 20, as a real feed does; score with the real model; group
stories) then the `index` job (compute and store a reading, decide alerts; the console
channel writes them to a null stream), each recorded in job_runs and the metrics, plus a
scrape of /healthz and /metrics. Prints RSS at the start (after the first cycle, with the
model loaded) and at the end, its trend, and timings.

    .venv/bin/python benchmarks/soak_service.py --cycles 1000
"""

from __future__ import annotations

import argparse
import io
import logging
import os
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape

import httpx

from monitor.config import parse_config
from monitor.notify import ConsoleNotifier
from monitor.pipeline import Context
from monitor.service.health import HealthServer
from monitor.service.runner import Runner
from monitor.service.schedule import plan_jobs
from monitor.store import Store

COMPANIES = ("Nvidia", "OpenAI", "CoreWeave", "Oracle", "Meta", "Microsoft", "AMD", "Intel")
TEMPLATES = (
    "{a} cuts {n} jobs as it shifts spending to AI",
    "{a} invests ${n} million in {b}, which buys its chips",
    "{a} raises ${n} million in a bond sale to fund data centers",
    "Investor warns {a} shares are in an AI bubble after {n}% run",
    "{a} revenue jumps {n}% on AI demand",
    "{a} opens a new office in city number {n}",
)


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class RollingFeed:
    """Serves the latest 20 of a growing list of generated headlines."""

    def __init__(self) -> None:
        self.count = 0
        self.lock = threading.Lock()

    def publish(self) -> None:
        with self.lock:
            self.count += 1

    def body(self) -> bytes:
        now = datetime.now(UTC)
        with self.lock:
            numbers = range(max(0, self.count - 20), self.count)
        items = "".join(self._item(i, now) for i in numbers)
        return (
            '<?xml version="1.0"?><rss version="2.0"><channel><title>soak</title>'
            f"{items}</channel></rss>"
        ).encode()

    def _item(self, i: int, now: datetime) -> str:
        a, b = COMPANIES[i % 8], COMPANIES[(i * 3 + 1) % 8]
        title = TEMPLATES[i % len(TEMPLATES)].format(a=a, b=b, n=100 + i)
        published = format_datetime(now - timedelta(minutes=5))
        return (
            f"<item><title>{escape(title)} - Wire {i % 5}</title>"
            f"<link>https://example.com/soak/{i}</link><pubDate>{published}</pubDate></item>"
        )


def serve_feed(feed: RollingFeed) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = feed.body()
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, args=(0.1,), daemon=True).start()
    return server


CONFIG = """
basket: [NVDA]
feeds:
  - name: soak
    url: "{url}"
schedule:
  timezone: UTC
  prices: null
  prices_intraday: null
  news: {{every: 1s}}
  index: {{every: 1s}}
  digest: null
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cycles", type=int, default=1000)
    parser.add_argument("--report-every", type=int, default=100)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")

    feed = RollingFeed()
    server = serve_feed(feed)
    url = f"http://127.0.0.1:{server.server_address[1]}/feed.xml"
    with tempfile.TemporaryDirectory(prefix="soak-") as tmp, Store(Path(tmp) / "soak.db") as store:
        config = parse_config(CONFIG.format(url=url), Path(tmp) / "feeds.yaml")
        notifier = ConsoleNotifier(io.StringIO())
        ctx = Context(config, store, notifier=notifier)
        runner = Runner(ctx, plan_jobs(config.schedule), timezone=UTC)
        health = HealthServer("127.0.0.1", 0, runner.health, runner.metrics)
        health.start()
        base = f"http://127.0.0.1:{health.address[1]}"
        rss_before = rss_mib()
        soak(runner, feed, base, args.cycles, args.report_every, rss_before)
        health.stop()
        db_mib = (Path(tmp) / "soak.db").stat().st_size / 2**20
        print(
            f"database {db_mib:.1f} MiB; job_runs rows {count(store, 'job_runs')}, "
            f"headlines {count(store, 'headlines')}, readings {count(store, 'index_readings')}"
        )
    server.shutdown()


def soak(
    runner: Runner, feed: RollingFeed, base: str, cycles: int, every: int, rss_before: float
) -> None:
    failures = 0
    durations: list[float] = []
    t_start = time.monotonic()
    rss_start = rss_after = 0.0
    with httpx.Client() as client:
        for cycle in range(1, cycles + 1):
            feed.publish()
            t0 = time.monotonic()
            outcomes = [runner.run_job("news"), runner.run_job("index")]
            durations.append(time.monotonic() - t0)
            failures += sum(o.outcome != "ok" for o in outcomes)
            if client.get(f"{base}/healthz").status_code != 200 or not client.get(
                f"{base}/metrics"
            ).text.startswith("#"):
                failures += 1
            if cycle == 1:
                rss_start = rss_mib()
                print(
                    f"RSS before the first cycle {rss_before:.1f} MiB; "
                    f"after cycle 1 (model loaded) {rss_start:.1f} MiB"
                )
            if cycle % every == 0:
                recent = durations[-every:]
                print(
                    f"cycle {cycle:5d}: RSS {rss_mib():7.1f} MiB, "
                    f"cycle mean {1000 * sum(recent) / len(recent):6.1f} ms"
                )
    rss_after = rss_mib()
    elapsed = time.monotonic() - t_start
    ordered = sorted(durations)
    print(
        f"{cycles} cycles in {elapsed:.1f}s; failures {failures}; "
        f"cycle median {1000 * ordered[len(ordered) // 2]:.1f} ms, "
        f"p95 {1000 * ordered[int(len(ordered) * 0.95)]:.1f} ms"
    )
    print(
        f"RSS start {rss_start:.1f} MiB, end {rss_after:.1f} MiB, "
        f"growth {rss_after - rss_start:+.1f} MiB"
    )


def count(store: Store, table: str) -> int:
    return int(store.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])


if __name__ == "__main__":
    main()
