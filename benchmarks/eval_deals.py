"""Precision, recall and amount accuracy of the deal extraction on the hand-labelled titles.

    PYTHONPATH=$PWD python benchmarks/eval_deals.py --half dev [--show]
    PYTHONPATH=$PWD python benchmarks/eval_deals.py --draw 86 50 --seed 2326 --name test2

Labels: tests/fixtures/deals/labels.tsv (keys + labels; the titles are read from
../shared/data/ai_news_headlines_2022_2026.jsonl). Halves: "tune" and "test" (the first
round; "dev" is both, the development data since round 2), "test2" (drawn and labelled
before round 2's rules, measured once after them). `--draw` prints a seeded sample of
candidate titles (key, title) for labelling, excluding every title labelled in another set;
it does not run the extractor.
"""

from __future__ import annotations

import argparse
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
)
from signals.deals.evaluate import evaluate  # noqa: E402

CORPUS = ROOT.parent / "shared/data/ai_news_headlines_2022_2026.jsonl"
HALVES = {"tune": {"tune"}, "test": {"test"}, "dev": {"tune", "test"}, "test2": {"test2"}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--half", choices=[*HALVES, "all"], default="tune")
    parser.add_argument("--show", action="store_true", help="print every miss")
    parser.add_argument("--draw", nargs=2, type=int, metavar=("WITH_AMOUNT", "WITHOUT"))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--name", default="test2", help="the set being drawn (--draw)")
    args = parser.parse_args()
    labels = load_labels(ROOT / "tests/fixtures/deals/labels.tsv")
    titles = load_titles(CORPUS)
    table = entity_table(load_config(ROOT / "feeds.yaml"))
    if args.draw:
        # Titles of every other set are left out; a set's own rows are not, so a draw
        # can be repeated after its labels are stored.
        labelled = {titles[x.key] for x in labels if x.half != args.name}
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
