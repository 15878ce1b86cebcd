"""What deal extraction adds to `collect news` and to an import of stored headlines.

    PYTHONPATH=$PWD python benchmarks/bench_deals.py [--feeds 20] [--items 500] [--repeat 3]

Real titles: a seeded sample of ../shared/data/ai_news_headlines_2022_2026.jsonl (the
corpus stays there), served as RSS by a local stdlib server in a child process.
1. collect news: fresh database each run, fake embedder (bench_news.FakeEmbedder), then
   the extraction step as monitor.stages.news runs it, and without it; median of --repeat
   runs each, alternated;
2. import: every corpus title stored with insert_headlines (the store step of
   import-headlines), then extract_new_deals over all of them.
Target (issue 23): extraction adds under 10% to either. Figures: docs/circular-deals.md.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_news import FakeEmbedder, serve_bodies  # noqa: E402

from monitor.config.feeds_yaml import FeedConfig, load_config  # noqa: E402
from monitor.reading.circular import entity_table  # noqa: E402
from monitor.reading.deals_extract import extract_new_deals  # noqa: E402
from monitor.research.deals_eval import corpus_headlines  # noqa: E402
from monitor.sources.news.collect import collect_news  # noqa: E402
from monitor.store import Store  # noqa: E402
from monitor.store.deals import count_deals  # noqa: E402
from monitor.store.headlines import insert_headlines  # noqa: E402
from signals.deals.extract import extract_deals  # noqa: E402

NOW = datetime(2026, 8, 20, 12, 0, tzinfo=UTC)
CORPUS = ROOT.parent / "shared" / "data" / "ai_news_headlines_2022_2026.jsonl"


def corpus_rows() -> list[dict[str, Any]]:
    with CORPUS.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def feed_body(rows: list[dict[str, Any]], index: int) -> bytes:
    rng = random.Random(index)
    items = []
    for i, row in enumerate(rows):
        when = NOW - timedelta(minutes=rng.randint(0, 7 * 24 * 60))
        items.append(
            f"<item><title>{escape(row['title'])}</title>"
            f"<link>https://outlet{index}.test/n/{i}</link>"
            f"<pubDate>{format_datetime(when)}</pubDate></item>"
        )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Outlet {index}</title>{''.join(items)}</channel></rss>"
    ).encode()


def serve(feeds: int, items: int, port_queue: multiprocessing.Queue[int]) -> None:
    rows = random.Random(23).sample(corpus_rows(), feeds * items)
    bodies = {f"/feed{i}": feed_body(rows[i * items : (i + 1) * items], i) for i in range(feeds)}

    serve_bodies(bodies, port_queue)


def collect_once(config: Any, extraction: bool) -> tuple[float, float, int, int]:
    """One collect news stage on a fresh database: collect_news, then (as
    monitor.stages.news.run_news does) the extraction of the new headlines' deals.
    Returns (seconds of collect_news, seconds of extraction, new headlines, deals)."""
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "b.db") as store:
        started = time.perf_counter()
        result = collect_news(store, config, now=NOW, embedder=FakeEmbedder())
        collected = time.perf_counter() - started
        if not extraction:
            return collected, 0.0, result.new, 0
        started = time.perf_counter()
        counts = extract_new_deals(store, entity_table(config), result.new_ids, now=NOW)
        extracted = time.perf_counter() - started
        return collected, extracted, result.new, counts.new + counts.merged


def bench_collect(feeds: int, items: int, repeat: int) -> None:
    ports: multiprocessing.Queue[int] = multiprocessing.Queue()
    server = multiprocessing.Process(target=serve, args=(feeds, items, ports), daemon=True)
    server.start()
    port = ports.get(timeout=120)
    base = load_config(None)
    config = base.model_copy(
        update={
            "feeds": tuple(
                FeedConfig(name=f"feed{i}", url=f"http://127.0.0.1:{port}/feed{i}")  # type: ignore[arg-type]
                for i in range(feeds)
            )
        }
    )
    with_x, without, shares = [], [], []
    for _ in range(repeat):
        collected, extracted, new, deals = collect_once(config, extraction=True)
        with_x.append(collected + extracted)
        shares.append(extracted / collected)
        without.append(collect_once(config, extraction=False)[0])
    a, b = statistics.median(with_x), statistics.median(without)
    print(f"collect news, {feeds} feeds x {items} real titles: {new:,} stored, {deals} deals")
    print(
        f"  the extraction step itself: +{100 * statistics.median(shares):.1f}% of "
        f"collect_news in the same run (median of {repeat})"
    )
    print(f"  whole runs: with extraction {a:.2f} s, without {b:.2f} s (medians of {repeat}; "
          f"noisy on a shared machine): {100 * (a - b) / b:+.1f}%")  # fmt: skip
    server.terminate()


def bench_import() -> None:
    headlines = corpus_headlines(CORPUS, feed="import")
    table = entity_table(load_config(None))
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "i.db") as store:
        started = time.perf_counter()
        ids = insert_headlines(store, headlines, fetched_at=NOW)
        stored = time.perf_counter() - started
        # The one entry point both stages use (import-headlines per batch, by its ids).
        started = time.perf_counter()
        extract_new_deals(store, table, ids, now=NOW)
        by_ids = time.perf_counter() - started
        deals = count_deals(store)
    print(f"import: {len(ids):,} corpus titles stored (insert_headlines alone) in {stored:.2f} s")
    print(f"  extraction by ids (reading the rows back) {by_ids:.2f} s "
          f"({len(ids) / by_ids:,.0f} titles/s, {deals} deals): "
          f"+{100 * by_ids / stored:.1f}% of the bare store step")  # fmt: skip


def bench_encoder(count: int) -> None:
    """import-headlines scores every title: the shipped encoder's time per title, against
    the extraction's on the same titles."""
    from signals.classifier.encoder import MiniLMEncoder

    titles = [r["title"] for r in random.Random(5).sample(corpus_rows(), count)]
    encoder = MiniLMEncoder()
    encoder.embed(["warm up"])
    started = time.perf_counter()
    encoder.embed(titles)
    encode = time.perf_counter() - started
    table = entity_table(load_config(None))
    started = time.perf_counter()
    for title in titles:
        extract_deals(title, table)
    extract = time.perf_counter() - started
    print(f"encoder (all-MiniLM-L6-v2) on {count:,} titles: {encode:.2f} s; extraction "
          f"{extract:.3f} s = {100 * extract / encode:.1f}% of the encoding alone")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=20)
    parser.add_argument("--items", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--encoder", type=int, default=0, help="also time the real encoder")
    args = parser.parse_args()
    print(f"Python {sys.version.split()[0]}")
    bench_collect(args.feeds, args.items, args.repeat)
    bench_import()
    if args.encoder:
        bench_encoder(args.encoder)


if __name__ == "__main__":
    main()
