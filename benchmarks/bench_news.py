"""Benchmark news ingestion: 20 local feeds x 500 items = 10,000 items through collect_news.

    .venv/bin/python benchmarks/bench_news.py [--feeds 20] [--items 500] [--real]

The feeds are generated from a seed and served by a stdlib ThreadingHTTPServer in a child
process (with ETags), so the measured process holds only the monitor's own work. Runs:
1. fresh database, fake embedder (hashed bag of words): wall time, items per second;
2. the same database again: every feed answers 304 (conditional GET), nothing new stored;
3. fresh database under tracemalloc: peak Python heap of the whole stage;
4. with --real: fresh database, the real all-MiniLM-L6-v2 for story grouping.
Max RSS of this process is printed at the end (it includes the model with --real).
"""

from __future__ import annotations

import argparse
import hashlib
import multiprocessing
import random
import re
import resource
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from monitor.config.feeds_yaml import Config, FeedConfig  # noqa: E402
from monitor.sources.news.collect import NewsCollectResult, collect_news  # noqa: E402
from monitor.store import Store  # noqa: E402
from signals.classifier.encoder import Embedder  # noqa: E402
from signals.stories import joined  # noqa: E402

NOW = datetime(2026, 8, 20, 12, 0, tzinfo=UTC)
COMPANIES = ["Nvidia", "Acme Robotics", "Globex", "Initech", "Oracle", "Meta", "Stark Cloud",
             "Umbrella Bio", "Vandelay AI", "Hooli", "CoreWeave", "a Texas utility"]  # fmt: skip
TEMPLATES = [
    "{c} to cut {n},000 jobs as {d} slows",
    "{c} raises ${n}00 million at a ${m} billion valuation",
    "{c} invests ${n} billion in {d} that buys its chips",
    "{c} sells ${n} billion of bonds to fund {m} MW of data centers",
    "Investor warns {c} is in a bubble as {d} stalls",
    "{c} beats estimates as {d} revenue jumps {n}%",
]
THINGS = ["AI demand", "cloud growth", "an AI lab", "chip sales", "the ad market", "robotics"]


def make_feed(index: int, items: int, seed: int) -> bytes:
    rng = random.Random(seed * 1000 + index)
    parts = []
    for i in range(items):
        title = rng.choice(TEMPLATES).format(
            c=rng.choice(COMPANIES), n=rng.randint(1, 99), m=rng.randint(1, 999),
            d=rng.choice(THINGS),
        )  # fmt: skip
        when = NOW - timedelta(minutes=rng.randint(0, 7 * 24 * 60))
        parts.append(
            f"<item><title>{escape(title)} - Outlet {index}</title>"
            f"<link>https://outlet{index}.test/news/{i}?utm_source=rss</link>"
            f"<pubDate>{format_datetime(when)}</pubDate>"
            f"<description>&lt;p&gt;Item {i} of feed {index}.&lt;/p&gt;</description></item>"
        )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Outlet {index}</title>{''.join(parts)}</channel></rss>"
    ).encode()


def serve(feeds: int, items: int, seed: int, port_queue: multiprocessing.Queue[int]) -> None:
    serve_bodies({f"/feed{i}": make_feed(i, items, seed) for i in range(feeds)}, port_queue)


def serve_bodies(bodies: dict[str, bytes], port_queue: multiprocessing.Queue[int]) -> None:
    """Serve each body at its path, with an ETag (304 on a match), until killed."""
    etags = {path: f'"{hashlib.md5(body).hexdigest()}"' for path, body in bodies.items()}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = bodies.get(self.path)
            if body is None:
                self.send_error(404)
                return
            if self.headers.get("If-None-Match") == etags[self.path]:
                self.send_response(304)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("ETag", etags[self.path])
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    port_queue.put(server.server_address[1])
    server.serve_forever()


class FakeEmbedder:
    """Hashed bag of words, 384 dimensions, L2-normalised: fast and deterministic."""

    model_id = "bench-fake"

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), 384), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                out[i, hash(word) % 384] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1, norms)


def run(config: Config, db: Path, embedder: Embedder) -> tuple[float, NewsCollectResult]:
    with Store(db) as store:
        started = time.perf_counter()
        result = collect_news(store, config, now=NOW, embedder=embedder)
        return time.perf_counter() - started, result


def report(label: str, seconds: float, result: NewsCollectResult, items: int) -> None:
    stories = result.stories
    grouped = f", {len(stories) - joined(stories)} stories" if stories else ""
    print(
        f"{label}: {seconds:.2f} s, {items / seconds:,.0f} items/s offered, "
        f"{result.new} new headlines{grouped}, "
        f"{result.count('new')} fetched / {result.count('unchanged')} unchanged / "
        f"{result.count('failed')} failed"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=20)
    parser.add_argument("--items", type=int, default=500)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--real", action="store_true", help="also run with the real model")
    args = parser.parse_args()
    ports: multiprocessing.Queue[int] = multiprocessing.Queue()
    server = multiprocessing.Process(
        target=serve, args=(args.feeds, args.items, args.seed, ports), daemon=True
    )
    server.start()
    port = ports.get(timeout=60)
    config = Config(
        basket=("NVDA",),
        feeds=tuple(
            FeedConfig(name=f"feed{i}", url=f"http://127.0.0.1:{port}/feed{i}")  # type: ignore[arg-type]
            for i in range(args.feeds)
        ),
    )
    total = args.feeds * args.items
    python = sys.version.split()[0]
    print(f"{args.feeds} feeds x {args.items} items = {total:,} items, Python {python}")
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "a.db"
        seconds, result = run(config, db, FakeEmbedder())
        report("fresh db, fake embedder", seconds, result, total)
        seconds, result = run(config, db, FakeEmbedder())
        report("second collect (304s)", seconds, result, total)
        tracemalloc.start()
        seconds, result = run(config, Path(tmp) / "b.db", FakeEmbedder())
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        report("fresh db under tracemalloc", seconds, result, total)
        print(f"peak Python heap (tracemalloc): {peak / 1e6:.1f} MB")
        if args.real:
            from monitor.reading.minilm import MiniLMEncoder

            encoder = MiniLMEncoder()
            encoder.embed(["warm up"])  # load the model outside the timed run
            seconds, result = run(config, Path(tmp) / "c.db", encoder)
            report("fresh db, real MiniLM embedder", seconds, result, total)
    server.terminate()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"max RSS of this process: {rss:.0f} MB")


if __name__ == "__main__":
    main()
