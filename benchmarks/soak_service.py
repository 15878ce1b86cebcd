"""Soak benchmark for the service (run on demand, not a unit test).

Runs N fast job cycles through the service's Runner on a temporary database. A cycle is
the `news` job (collect from a local feed server that publishes a new headline every
`--new-every` cycles and keeps the latest 20, as a real feed does; score new headlines with
the real model; group stories), then the `index` job (compute and store a reading, decide
alerts; the console channel writes them to a null stream), each recorded in job_runs and
the metrics, then a scrape of /healthz and /metrics. The clock is simulated, one hour per
cycle by default, so 1,000 cycles age the store like six weeks of hourly runs. Prints RSS
at the start (after the first cycle, with the model loaded) and at the end, and timings.

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
import tracemalloc
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape

import httpx

from monitor.app import build
from monitor.config.feeds_yaml import parse_config
from monitor.notify import ConsoleNotifier, NotifierManager
from monitor.service.runner import Runner
from monitor.stages.schedule import plan_jobs
from monitor.store import Store
from monitor.web.app import build_app
from monitor.web.server import WebServer
from monitor.web.settings import service_settings

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


class SimClock:
    """Simulated time: each cycle moves it on by `step`, so 1,000 cycles cover weeks and
    the stored history (readings, alerts, headlines) ages as it would in production."""

    def __init__(self, step: timedelta) -> None:
        self.now = datetime.now(UTC) - 1000 * step
        self.step = step

    def __call__(self) -> datetime:
        return self.now

    def tick(self) -> None:
        self.now += self.step


class RollingFeed:
    """Serves the latest 20 of a growing list of generated headlines."""

    def __init__(self, clock: SimClock) -> None:
        self.count = 0
        self.clock = clock
        self.lock = threading.Lock()

    def publish(self) -> None:
        with self.lock:
            self.count += 1

    def body(self) -> bytes:
        with self.lock:
            now = self.clock()
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
    parser.add_argument(
        "--new-every", type=int, default=10, help="publish a new headline every N cycles"
    )
    parser.add_argument(
        "--step-minutes", type=float, default=60, help="simulated time per cycle (an index run)"
    )
    parser.add_argument("--head", type=Path, help="classifier head (default: the shipped one)")
    parser.add_argument(
        "--trace", action="store_true", help="print the Python allocations that grew most"
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")

    clock = SimClock(timedelta(minutes=args.step_minutes))
    feed = RollingFeed(clock)
    server = serve_feed(feed)
    url = f"http://127.0.0.1:{server.server_address[1]}/feed.xml"
    with tempfile.TemporaryDirectory(prefix="soak-") as tmp, Store(Path(tmp) / "soak.db") as store:
        config = parse_config(CONFIG.format(url=url), Path(tmp) / "feeds.yaml")
        notifier = NotifierManager([ConsoleNotifier(io.StringIO())])
        app = build(config, store=store, notifier=notifier, clock=clock)
        if args.head is not None:
            from monitor.reading.classifier_files import load_classifier

            head = args.head
            app.classifier_factory = lambda: load_classifier(head)
        runner = Runner(app, plan_jobs(config.schedule), timezone=UTC)
        web = service_settings(store.path, runner, token=None, clock=clock)
        health = WebServer(build_app(web), "127.0.0.1", 0)
        health.start()
        base = f"http://127.0.0.1:{health.address[1]}"
        rss_before = rss_mib()
        soak(runner, feed, base, args, rss_before)
        health.stop()
        db_mib = (Path(tmp) / "soak.db").stat().st_size / 2**20
        print(
            f"database {db_mib:.1f} MiB; job_runs rows {count(store, 'job_runs')}, "
            f"headlines {count(store, 'headlines')}, readings {count(store, 'index_readings')}"
        )
    server.shutdown()


def soak(
    runner: Runner, feed: RollingFeed, base: str, args: argparse.Namespace, rss_before: float
) -> None:
    cycles, every = args.cycles, args.report_every
    failures = 0
    durations: list[float] = []
    t_start = time.monotonic()
    rss_start = rss_after = 0.0
    with httpx.Client() as client:
        for cycle in range(1, cycles + 1):
            feed.clock.tick()
            if cycle % args.new_every == 1 or args.new_every == 1:
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
            if cycle == min(100, cycles) and args.trace:
                tracemalloc.start(8)
                baseline = tracemalloc.take_snapshot()
            if cycle % every == 0:
                recent = durations[-every:]
                print(
                    f"cycle {cycle:5d}: RSS {rss_mib():7.1f} MiB, "
                    f"cycle mean {1000 * sum(recent) / len(recent):6.1f} ms"
                )
    rss_after = rss_mib()
    if args.trace:
        grown = tracemalloc.take_snapshot().compare_to(baseline, "traceback")
        total = sum(d.size_diff for d in grown) / 2**20
        print(f"Python allocations since cycle 100: {total:+.2f} MiB")
        for diff in grown[:5]:
            print(f"  {diff.size_diff / 1024:+8.1f} KiB  {diff.traceback.format()[-1].strip()}")
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
