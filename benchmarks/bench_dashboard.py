"""Benchmark the dashboard: server time of `/` (and /api/history) on five years of daily
readings, and the page's weight.

    .venv/bin/python benchmarks/bench_dashboard.py [--years 5] [--headlines-per-day 40] [--runs 30]

Builds a database with one reading a day (11 components and 10 cited headlines each, the
shape `report --json` stores) and N scored headlines a day, then times each endpoint
through Starlette's TestClient (the ASGI app in this process: server time with no network
in it), after one warm-up request. Prints the median and the 95th percentile, and the
bytes of the page with its scripts, styles and the history JSON, raw and gzipped.
Target: `/` under 300 ms; the whole page under 300 KB.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from starlette.testclient import TestClient  # noqa: E402

from monitor.config.feeds_yaml import load_config  # noqa: E402
from monitor.store import Store  # noqa: E402
from monitor.store.headlines import insert_headlines  # noqa: E402
from monitor.store.scores import save_scores  # noqa: E402
from monitor.web.app import build_app  # noqa: E402
from monitor.web.settings import dashboard_settings  # noqa: E402
from signals.labels import LABELS, NEWS_COMPONENTS  # noqa: E402
from signals.models import Headline, HeadlineScore  # noqa: E402

END = datetime(2026, 10, 30, 21, 30, tzinfo=UTC)
MARKET = ("overextension", "explosiveness", "concentration", "fragility", "credit")


def reading(as_of: datetime, n: int) -> dict[str, object]:
    names = (*MARKET, *NEWS_COMPONENTS)
    value = 50 + 30 * ((n % 400) / 400)
    return {
        "as_of": as_of.isoformat(),
        "index": value,
        "regime": "frothy" if value >= 50 else "warming",
        "change": 0.1,
        "components": [
            {"name": c, "kind": "market" if c in MARKET else "news", "value": value,
             "weight": 1 / len(names), "contribution": value / len(names),
             "detail": f"{c}: a one-line reason of typical length for the benchmark",
             "coverage": 1.0}
            for c in names
        ],
        "top_headlines": [
            {"title": f"Headline {k} of day {n} about AI chips and data centres",
             "url": f"https://news.invalid/{n}/{k}", "source": "Wire",
             "label": LABELS[k % 6], "confidence": 0.9,
             "published": (as_of - timedelta(hours=k)).isoformat(), "sources": 1}
            for k in range(10)
        ],
        "stale": [],
        "notes": [],
    }  # fmt: skip


def build(db: Path, years: int, per_day: int) -> int:
    days = years * 365 + 1
    with Store(db) as store, store.transaction() as conn:
        for n in range(days):
            as_of = END - timedelta(days=days - 1 - n)
            data = reading(as_of, n)
            conn.execute(
                "INSERT INTO index_readings (as_of, index_value, regime, payload, computed_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (data["as_of"], data["index"], data["regime"], json.dumps(data), data["as_of"]),
            )
        heads = [
            Headline(f"Story {n}-{k} on AI", f"https://h.invalid/{n}/{k}", "Wire", "bench",
                     END - timedelta(days=days - 1 - n, minutes=k))
            for n in range(days) for k in range(per_day)
        ]  # fmt: skip
        ids = insert_headlines(store, heads, fetched_at=END)
        scores = [(i, HeadlineScore(LABELS[i % 7], 0.8, {}, "bench")) for i in ids]
        save_scores(store, scores, scored_at=END)
    return days


def timed(client: TestClient, path: str, runs: int) -> tuple[float, float]:
    client.get(path)  # warm-up: templates compiled, pages cached
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        assert client.get(path).status_code == 200
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))]


def weight(client: TestClient) -> tuple[int, int]:
    html = client.get("/").content
    paths = re.findall(rb'(?:src|href)="(/static/[^"]+)"', html)
    bodies = [html, client.get("/api/history").content]
    bodies += [client.get(p.decode()).content for p in paths]
    return sum(map(len, bodies)), sum(len(gzip.compress(b)) for b in bodies)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--headlines-per-day", type=int, default=40)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-dashboard-") as tmp:
        db = Path(tmp) / "bench.db"
        t0 = time.perf_counter()
        days = build(db, args.years, args.headlines_per_day)
        size = db.stat().st_size / 2**20
        built = f"{days} daily readings and {days * args.headlines_per_day} headlines"
        print(f"built {built} in {time.perf_counter() - t0:.1f}s ({size:.0f} MiB)")
        settings = dashboard_settings(db, load_config(None), token=None, clock=lambda: END)
        client = TestClient(build_app(settings))
        for path in ("/", "/api/history", "/api/reading"):
            median, p95 = timed(client, path, args.runs)
            print(f"GET {path:<13} median {median:6.1f} ms  p95 {p95:6.1f} ms  ({args.runs} runs)")
        raw, packed = weight(client)
        print(f"page weight: {raw / 1024:.0f} KB raw, {packed / 1024:.0f} KB gzipped "
              "(HTML + scripts + styles + icon + /api/history)")  # fmt: skip


if __name__ == "__main__":
    main()
