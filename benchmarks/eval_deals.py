"""Precision, recall and amount accuracy of the deal extraction on the hand-labelled titles.

    PYTHONPATH=$PWD python benchmarks/eval_deals.py --half dev [--show]
    PYTHONPATH=$PWD python benchmarks/eval_deals.py --draw 86 50 --seed 2326 --name test2
    PYTHONPATH=$PWD python benchmarks/eval_deals.py --draw-wordless 30 --seed 2327 --name test3

Labels: tests/fixtures/deals/labels.tsv (keys + labels; the titles are read from
../shared/data/ai_news_headlines_2022_2026.jsonl). Halves: "tune" and "test" (the first
round; "dev" is both, the development data since round 2), "test2" (drawn and labelled
before round 2's rules, measured once after them), "test3" (the same, for round 3),
"test4" (the same, for the deal-pair model: drawn and labelled before it was frozen).
`--draw` prints a seeded sample of candidate titles (key, title) for labelling, excluding
every title labelled in another set; `--draw-wordless N` a seeded sample of N titles that
name two parties but no deal keyword (deal_candidates leaves them out). Neither runs the
extractor.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from monitor.config.feeds_yaml import load_config  # noqa: E402
from monitor.reading.circular import entity_table  # noqa: E402
from monitor.research.deals_eval import (  # noqa: E402
    corpus_rows,
    deal_candidates,
    draw_sample,
    load_labels,
    load_titles,
    wordless_candidates,
)
from signals.deals.evaluate import evaluate  # noqa: E402

CORPUS = ROOT.parent / "shared/data/ai_news_headlines_2022_2026.jsonl"
HALVES = {
    "tune": {"tune"},
    "test": {"test"},
    "dev": {"tune", "test"},
    "test2": {"test2"},
    "test3": {"test3"},
    "test4": {"test4"},
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--half", choices=[*HALVES, "all"], default="tune")
    parser.add_argument("--show", action="store_true", help="print every miss")
    parser.add_argument("--draw", nargs=2, type=int, metavar=("WITH_AMOUNT", "WITHOUT"))
    parser.add_argument("--draw-wordless", type=int, metavar="N")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--name", default="test2", help="the set being drawn (--draw, --draw-wordless)"
    )
    args = parser.parse_args()
    labels = load_labels(ROOT / "tests/fixtures/deals/labels.tsv")
    titles = load_titles(CORPUS)
    table = entity_table(load_config(ROOT / "feeds.yaml"))
    # Titles of every other set are left out; a set's own rows are not, so a draw can be
    # repeated after its labels are stored.
    labelled = {titles[x.key] for x in labels if x.half != args.name}
    if args.draw_wordless is not None:
        pool = wordless_candidates(corpus_rows(CORPUS), table, labelled)
        print(f"# titles naming two parties and no deal keyword: {len(pool)}")
        for key, title in random.Random(args.seed).sample(pool, args.draw_wordless):
            print(f"{key}\t{title}")
        return
    if args.draw:
        candidates = deal_candidates(corpus_rows(CORPUS), table, labelled)
        print(f"# candidates: {len(candidates[0])} with an amount, {len(candidates[1])} without")
        for key, title in draw_sample(candidates, (args.draw[0], args.draw[1]), args.seed):
            print(f"{key}\t{title}")
        return
    chosen = [x for x in labels if args.half == "all" or x.half in HALVES[args.half]]
    result = evaluate(chosen, titles, table)
    print(result.summary())
    if args.show:
        for line in result.misses:
            print(line)


if __name__ == "__main__":
    main()
