"""The deals graph of the shared corpus: every title of
../shared/data/ai_news_headlines_2022_2026.jsonl stored in a fresh database, its deals
extracted (as collect news / import-headlines do: by the rules alone, or with
`--pair-model` by rules + the pair model, as `news.deal_pair_model: true` makes them),
optionally the sourced starting graph loaded; then `deals graph` reads it like any store.

    PYTHONPATH=$PWD python benchmarks/deals_corpus.py --db /tmp/corpus.db [--seed] [--pair-model]
    PYTHONPATH=$PWD python -m monitor deals graph --json --db /tmp/corpus.db
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from monitor.config.feeds_yaml import load_config  # noqa: E402
from monitor.reading.circular import entity_table  # noqa: E402
from monitor.reading.deals_extract import extract_new_deals, shipped_model  # noqa: E402
from monitor.research.deals_eval import corpus_headlines  # noqa: E402
from monitor.store import Store  # noqa: E402
from monitor.store.deals_seed import seed_deals  # noqa: E402
from monitor.store.headlines import insert_headlines  # noqa: E402

CORPUS = ROOT.parent / "shared" / "data" / "ai_news_headlines_2022_2026.jsonl"
NOW = datetime(2026, 7, 31, tzinfo=UTC)  # after the corpus's last title


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--seed", action="store_true", help="also load the starting graph")
    parser.add_argument("--pair-model", action="store_true", help="rules + the pair model")
    args = parser.parse_args()
    model = shipped_model() if args.pair_model else None
    headlines = corpus_headlines(CORPUS)
    with Store(args.db) as store:
        ids = insert_headlines(store, headlines, fetched_at=NOW)
        table = entity_table(load_config(None))
        counts = extract_new_deals(store, table, ids, now=NOW, model=model)
        print(f"{len(ids):,} titles stored; deals: {counts.new} new, {counts.merged} merged")
        if args.seed:
            seeded = seed_deals(store, now=NOW)
            print(f"starting graph: {seeded.new} new, {seeded.merged} joined extracted deals")


if __name__ == "__main__":
    main()
