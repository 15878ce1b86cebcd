"""Precision, recall and amounts of rules + the shipped pair model on a labelled set,
beside the rules alone (round 4 of docs/circular-deals.md).

    OMP_NUM_THREADS=1 PYTHONPATH=$PWD python benchmarks/eval_deals_model.py --half test4 [--show]

`--half` is any set name of tests/fixtures/deals/labels.tsv (tune, test, test2, test3, a new
one such as test4), or "all". The reader is the one `collect news` and `import-headlines`
use (monitor.reading.deals_extract.read_titles with the shipped head,
signals/deals/pair_head.json); titles from ../shared. On the four sets the head was
trained on, the figures are in-sample (use benchmarks/train_deals_model.py for out-of-fold
ones); on a set drawn after the freeze they are a test.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from monitor.config.feeds_yaml import load_config  # noqa: E402
from monitor.reading.circular import entity_table  # noqa: E402
from monitor.reading.deals_extract import read_titles  # noqa: E402
from monitor.reading.deals_model import load_pair_model  # noqa: E402
from monitor.research.deals_eval import load_labels, load_titles  # noqa: E402
from signals.deals.evaluate import evaluate  # noqa: E402

CORPUS = ROOT.parent / "shared/data/ai_news_headlines_2022_2026.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--half", required=True, help="a set of labels.tsv, or 'all'")
    parser.add_argument("--show", action="store_true", help="print every miss (model)")
    args = parser.parse_args()
    if not CORPUS.is_file():
        print(f"cannot evaluate: the titles come from {CORPUS}, which is absent", file=sys.stderr)
        raise SystemExit(2)
    labels = load_labels(ROOT / "tests/fixtures/deals/labels.tsv")
    chosen = [x for x in labels if args.half in (x.half, "all")]
    if not chosen:
        print(f"no labelled titles in set {args.half!r}", file=sys.stderr)
        raise SystemExit(2)
    titles = load_titles(CORPUS)
    table = entity_table(load_config(ROOT / "feeds.yaml"))
    model = load_pair_model()
    if model is None:
        print("no pair model (see the warning above): nothing to compare", file=sys.stderr)
        raise SystemExit(1)
    rules = evaluate(chosen, titles, table)
    both = evaluate(chosen, titles, table, lambda ts: read_titles(ts, table, model))
    print(f"{args.half} ({len(chosen)} titles)")
    print(f"  rules alone:   {rules.summary()}")
    print(f"  rules + model: {both.summary()}")
    if args.show:
        print("\n".join(both.misses))


if __name__ == "__main__":
    main()
