"""Rebuild the deal pair model (signals/deals/pair_head.json) from the labelled titles.

    OMP_NUM_THREADS=1 PYTHONPATH=$PWD python benchmarks/train_deals_model.py [--out FILE] [--show]

Reads tests/fixtures/deals/labels.tsv (keys + labels) and the titles from
../shared/data/ai_news_headlines_2022_2026.jsonl; embeds every labelled
title naming 2-6 parties with the packaged all-MiniLM-L6-v2 (offline), the rules' pairs of
each title from the round that had not seen it (tests/fixtures/deals/era_rule_pairs.tsv,
benchmarks/deals_era_rules.py); chooses C and the
threshold by out-of-fold pair F1 (signals/deals/pairtrain.py, the rule stated there before
any result); fits on all rows (seeded, deterministic) and writes the head. Prints rules
alone vs rules + model out of fold, per half: development figures, every half was read.
Without ../shared it explains and exits with status 2 (nothing written).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from monitor.config.feeds_yaml import load_config  # noqa: E402
from monitor.reading.circular import entity_table  # noqa: E402
from monitor.reading.deals_model import (  # noqa: E402
    DEFAULT_PAIR_HEAD,
    MiniLMMarkEncoder,
    save_pair_head,
)
from monitor.research.deals_train import train  # noqa: E402

CORPUS = ROOT.parent / "shared/data/ai_news_headlines_2022_2026.jsonl"
LABELS = ROOT / "tests/fixtures/deals/labels.tsv"
ERA = ROOT / "tests/fixtures/deals/era_rule_pairs.tsv"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=DEFAULT_PAIR_HEAD)
    parser.add_argument("--show", action="store_true", help="print every out-of-fold miss")
    args = parser.parse_args()
    if not CORPUS.is_file():
        print(
            f"cannot train the deal pair model: the titles come from {CORPUS}, which is "
            "absent (the shared data sits beside the project, ../shared); nothing written",
            file=sys.stderr,
        )
        raise SystemExit(2)
    started = time.perf_counter()
    table = entity_table(load_config(ROOT / "feeds.yaml"))
    result = train(LABELS, ERA, CORPUS, table, MiniLMMarkEncoder(threads=1))
    save_pair_head(result.head, args.out)
    print(f"head written to {args.out} ({args.out.stat().st_size:,} bytes)")
    print(
        f"{result.rows} pair rows from {result.titles_read} titles naming 2-6 parties; "
        f"C={result.head.meta['C']}, threshold={result.head.threshold}; embedding "
        f"{result.seconds_embed:.1f} s, fitting {result.seconds_fit:.1f} s, all "
        f"{time.perf_counter() - started:.1f} s"
    )
    for half, readers in result.by_half.items():
        for name, counts in readers.items():
            print(f"{half:6} {name:17} {counts.text()}")
    if args.show:
        print("\n".join(result.misses))


if __name__ == "__main__":
    main()
