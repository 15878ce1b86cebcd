"""What the pair model (round 4 of docs/circular-deals.md) adds to deal extraction, and to
the import that already encodes every title for scoring.

    BUBBLE_MONITOR_TORCH_THREADS=1 PYTHONPATH=$PWD python benchmarks/bench_deals_model.py

Every title of ../shared/data/ai_news_headlines_2022_2026.jsonl is read (times and counts
only; no title is printed): the rules alone, then rules + the shipped model (the encoder
loaded before the clock starts, as in a process that has already scored headlines); how
many titles the model encoded; and the scoring encoder (all-MiniLM-L6-v2 on the plain
title, as import-headlines runs it) on a seeded sample, per title, same thread count.
`--collect F` also runs collect news on F local feeds x 500 real titles (bench_deals.py's
server) with the real encoder behind the embedding cache, as the service's collect news
does (bench_deals.py uses a fake one), then the extraction step (rules + model).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_deals import NOW, serve  # noqa: E402

from monitor.config.feeds_yaml import FeedConfig, load_config  # noqa: E402
from monitor.reading.circular import entity_table  # noqa: E402
from monitor.reading.deals_extract import extract_new_deals, read_titles  # noqa: E402
from monitor.reading.deals_model import load_pair_model  # noqa: E402
from monitor.reading.embedding_cache import CachedEmbedder  # noqa: E402
from monitor.reading.minilm import MiniLMEncoder  # noqa: E402
from monitor.sources.news.collect import collect_news  # noqa: E402
from monitor.store import Store  # noqa: E402
from monitor.store.headlines import headlines_by_ids  # noqa: E402
from signals.deals.pairs import title_pairs  # noqa: E402
from signals.text import normalise  # noqa: E402

CORPUS = ROOT.parent / "shared" / "data" / "ai_news_headlines_2022_2026.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=2000)
    parser.add_argument("--collect", type=int, default=0, metavar="FEEDS")
    args = parser.parse_args()
    if not CORPUS.is_file():
        print(f"the corpus {CORPUS} is absent (../shared): nothing measured", file=sys.stderr)
        raise SystemExit(2)
    if args.collect:
        bench_collect(args.collect)
        return
    with CORPUS.open(encoding="utf-8") as f:
        titles = list(dict.fromkeys(json.loads(line)["title"] for line in f))
    table = entity_table(load_config(None))
    model = load_pair_model()
    assert model is not None, "no shipped pair model"
    model.encoder.encode_marks(["Alpha Corp warms up with Beta Corp"])
    started = time.perf_counter()
    rules = read_titles(titles, table, None)
    t_rules = time.perf_counter() - started
    started = time.perf_counter()
    both = read_titles(titles, table, model)
    t_both = time.perf_counter() - started
    items = [title_pairs(t, table) for t in titles]
    named = sum(i is not None for i in items)
    encoded = sum(i is not None and (i.may_add or bool(i.rules)) for i in items)
    sample = random.Random(5).sample(titles, min(args.sample, len(titles)))
    scorer = MiniLMEncoder()
    scorer.embed(["warm up"])
    started = time.perf_counter()
    scorer.embed([normalise(t) for t in sample])
    per_title = (time.perf_counter() - started) / len(sample)
    n = len(titles)
    print(f"{n:,} distinct titles; {named:,} name 2-6 parties; {encoded:,} encoded by the model")
    print(
        f"rules alone {t_rules:.2f} s ({sum(map(len, rules))} deals); rules + model "
        f"{t_both:.2f} s ({sum(map(len, both))} deals): the model adds {t_both - t_rules:.2f} s"
    )
    share = (t_both - t_rules) / (per_title * n)
    print(f"scoring encoder {1000 * per_title:.2f} ms a title: encoding all {n:,} titles "
          f"~{per_title * n:.0f} s; the model adds {100 * share:.1f}% of that")  # fmt: skip


def bench_collect(feeds: int, items: int = 500) -> None:
    ports: multiprocessing.Queue[int] = multiprocessing.Queue()
    server = multiprocessing.Process(target=serve, args=(feeds, items, ports), daemon=True)
    server.start()
    port = ports.get(timeout=120)
    config = load_config(None).model_copy(
        update={
            "feeds": tuple(
                FeedConfig(name=f"feed{i}", url=f"http://127.0.0.1:{port}/feed{i}")  # type: ignore[arg-type]
                for i in range(feeds)
            )
        }
    )
    table = entity_table(config)
    model = load_pair_model()
    assert model is not None, "no shipped pair model"
    model.encoder.encode_marks(["Alpha Corp warms up with Beta Corp"])
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "b.db") as store:
        started = time.perf_counter()
        result = collect_news(store, config, now=NOW,
                              embedder=CachedEmbedder(MiniLMEncoder(), store))  # fmt: skip
        collected = time.perf_counter() - started
        titles = [h.headline.title for h in headlines_by_ids(store, result.new_ids)]
        started = time.perf_counter()
        read_titles(titles, table, None)
        rules = time.perf_counter() - started
        started = time.perf_counter()
        counts = extract_new_deals(store, table, result.new_ids, now=NOW, model=model)
        step = time.perf_counter() - started
    server.terminate()
    print(f"collect news (real encoder), {feeds} feeds x {items} real titles: {result.new:,} "
          f"stored in {collected:.1f} s; extraction step (rules + model) {step:.2f} s = "
          f"+{100 * step / collected:.1f}% ({counts.new} deals); the rules alone "
          f"{rules:.2f} s")  # fmt: skip


if __name__ == "__main__":
    main()
