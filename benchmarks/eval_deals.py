"""Precision, recall and amount accuracy of the deal extraction on the hand-labelled titles.

    PYTHONPATH=$PWD python benchmarks/eval_deals.py --half tune [--show]

Labels: tests/fixtures/deals/labels.tsv (keys + labels; the titles are read from
../shared/data/ai_news_headlines_2022_2026.jsonl). The test half is for the final figure
only (docs/circular-deals.md).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from monitor.config.feeds_yaml import load_config  # noqa: E402
from monitor.reading.circular import entity_table  # noqa: E402
from monitor.research.deals_eval import load_labels, load_titles  # noqa: E402
from signals.deals.evaluate import evaluate  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--half", choices=["tune", "test", "all"], default="tune")
    parser.add_argument("--show", action="store_true", help="print every miss")
    args = parser.parse_args()
    labels = load_labels(ROOT / "tests/fixtures/deals/labels.tsv")
    titles = load_titles(ROOT.parent / "shared/data/ai_news_headlines_2022_2026.jsonl")
    chosen = [x for x in labels if args.half in ("all", x.half)]
    result = evaluate(chosen, titles, entity_table(load_config(ROOT / "feeds.yaml")))
    print(result.summary())
    if args.show:
        for line in result.misses:
            print(line)


if __name__ == "__main__":
    main()
