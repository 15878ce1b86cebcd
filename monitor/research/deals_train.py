"""Rebuilding the deal pair model from the labelled titles (round 4 of
docs/circular-deals.md): rows and features (signals.deals.pairs), out-of-fold selection
and fitting (signals.deals.pairtrain), the head as JSON (signals.deals.pairmodel).

The rules' features of each labelled title come from tests/fixtures/deals/era_rule_pairs.tsv:
the pairs read by the rules of the round that had not been tuned on its set
(benchmarks/deals_era_rules.py), so the model learns how far the rules can be trusted on
titles they were not written from. `benchmarks/train_deals_model.py` runs it;
tests/test_deals_model.py checks that the shipped head reproduces. Reads ../shared (the
titles by key), so it lives in monitor/.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

from monitor.research.deals_eval import load_labels, load_titles
from signals.deals.entities import EntityTable
from signals.deals.evaluate import Counts, Labelled
from signals.deals.extract import extract_deals
from signals.deals.pairmodel import PairHead
from signals.deals.pairs import MIN_NAME_ROWS, MarkEncoder, TitlePairs, pair_matrix, title_pairs
from signals.deals.pairtrain import (
    FOLDS,
    GRID_C,
    SEED,
    Gate,
    Pair,
    choose,
    count,
    decided,
    fit,
    fold_of,
    nested,
    out_of_fold,
)

#: The labelled sets the head is trained on (each has its era's rules in the fixture). A
#: set labelled later (test4) is left out, so adding its labels does not change the head.
HALVES: tuple[str, ...] = ("tune", "test", "test2", "test3")


@dataclass
class Trained:
    head: PairHead
    #: Half ("all" too) -> {"rules today", "rules of its era", "rules + model"}: today's
    #: rules (written from tune, test, test2), the rules of the round that had not seen
    #: the set, and the model out of fold fed with the latter.
    by_half: dict[str, dict[str, Counts]]
    rows: int
    titles_read: int
    seconds_embed: float
    seconds_fit: float
    misses: list[str] = field(default_factory=list)
    #: The feature rows the head was fitted on (to compare two heads' decisions).
    features: npt.NDArray[np.float64] | None = None


@dataclass
class _Data:
    labelled: list[Labelled]
    titles: dict[str, str]
    items: dict[str, TitlePairs]
    names: tuple[str, ...]
    rows: list[tuple[str, Pair]]
    x: npt.NDArray[np.float64]
    y: npt.NDArray[np.int_]


def train(
    labels_path: Path,
    era_path: Path,
    corpus_path: Path,
    table: EntityTable,
    encoder: MarkEncoder,
) -> Trained:
    """Fit the head on every labelled title and score rules vs rules + model out of fold
    (the rules of each title's era: see the module docstring)."""
    labelled, titles, era = _load(labels_path, era_path, corpus_path)
    started = time.perf_counter()
    data = _data(labelled, titles, table, encoder, era)
    embedded = time.perf_counter()
    folds = fold_of([key for key, _ in data.rows])
    oof = {c: out_of_fold(data.x, data.y, folds, c) for c in GRID_C}
    gold = {x.key: {(d.payer, d.payee) for d in x.deals} for x in labelled}
    fixed = {x.key: era[x.key] for x in labelled if x.key not in data.items}
    gates = {k: Gate(frozenset(era[k]), item.may_add) for k, item in data.items.items()}
    c, threshold, overall = choose(data.rows, oof, gold, fixed, gates)
    coef, intercept = fit(data.x, data.y, c)
    fitted = time.perf_counter()
    readers = {
        "rules today": {x.key: {(d.payer, d.payee) for d in extract_deals(titles[x.key], table)}
                        for x in labelled},
        "rules of its era": {x.key: era[x.key] for x in labelled},
        "rules + model": {**fixed, **decided(data.rows, oof[c], threshold, gates)},
        "rules + model, nested": nested(data.rows, data.x, data.y, gold, fixed, gates),
    }  # fmt: skip
    meta = {
        "C": c,
        "folds": FOLDS,
        "seed": SEED,
        "rows": len(data.rows),
        "titles": len(labelled),
        "sets": list(HALVES),
        "oof_precision": round(overall.precision, 4),
        "oof_recall": round(overall.recall, 4),
    }
    return Trained(
        PairHead(encoder.model_id, data.names, coef, intercept, threshold, meta),
        {half: _pair_counts([x for x in labelled if half in (x.half, "all")], readers, gold)
         for half in (*HALVES, "all")},
        len(data.rows),
        len(data.items),
        embedded - started,
        fitted - embedded,
        _misses(labelled, titles, readers["rules + model"], gold),
        data.x,
    )  # fmt: skip


def _load(
    labels_path: Path, era_path: Path, corpus_path: Path
) -> tuple[list[Labelled], dict[str, str], dict[str, set[Pair]]]:
    labelled = [x for x in load_labels(labels_path) if x.half in HALVES]
    wanted = {x.key for x in labelled}
    titles = {k: t for k, t in load_titles(corpus_path).items() if k in wanted}
    era = load_era_pairs(era_path)
    missing = (wanted - set(era)) | (wanted - set(titles))
    if missing:  # a new labelled set needs its era's rules first
        raise ValueError(
            f"{era_path} or {corpus_path}: nothing for {len(missing)} labelled titles, "
            f"e.g. {sorted(missing)[0]}; run benchmarks/deals_era_rules.py"
        )
    return labelled, titles, era


def load_era_pairs(path: Path) -> dict[str, set[Pair]]:
    """Key -> the pairs the era's rules read (benchmarks/deals_era_rules.py writes it)."""
    out: dict[str, set[Pair]] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        try:
            key, _half, _commit, text = line.split("\t")
            pairs = [] if text == "none" else [p.strip().split(">") for p in text.split(";")]
            out[key] = {(a, b) for a, b in pairs}
        except ValueError as e:
            raise ValueError(f"{path}:{number}: {e}") from e
    return out


def _data(
    labelled: Sequence[Labelled],
    titles: dict[str, str],
    table: EntityTable,
    encoder: MarkEncoder,
    era: dict[str, set[Pair]],
) -> _Data:
    items = {}
    for x in labelled:
        item = title_pairs(titles[x.key], table)
        if item is not None:
            items[x.key] = item
    names = _names(items.values())
    marks = encoder.encode_marks([item.marked for item in items.values()])
    blocks: list[npt.NDArray[np.float64]] = []
    rows: list[tuple[str, Pair]] = []
    for i, (key, item) in enumerate(items.items()):
        blocks.append(pair_matrix(item, marks[i], names, era[key]))
        rows.extend((key, pair) for pair in item.pairs)
    gold = {x.key: {(d.payer, d.payee) for d in x.deals} for x in labelled}
    y = np.asarray([1 if pair in gold[key] else 0 for key, pair in rows], dtype=np.int_)
    return _Data(list(labelled), titles, items, names, rows, np.vstack(blocks), y)


def _names(items: Iterable[TitlePairs]) -> tuple[str, ...]:
    """Parties that are the first of at least MIN_NAME_ROWS rows (sorted)."""
    rows: Counter[str] = Counter(a for item in items for a, _ in item.pairs)
    return tuple(sorted(n for n, c in rows.items() if c >= MIN_NAME_ROWS))


def _pair_counts(
    chosen: Sequence[Labelled],
    readers: dict[str, dict[str, set[Pair]]],
    gold: dict[str, set[Pair]],
) -> dict[str, Counts]:
    keys = [x.key for x in chosen]
    wanted = [gold[k] for k in keys]
    return {name: count([got[k] for k in keys], wanted) for name, got in readers.items()}


def _misses(
    labelled: Sequence[Labelled],
    titles: dict[str, str],
    model: dict[str, set[Pair]],
    gold: dict[str, set[Pair]],
) -> list[str]:
    out = []
    for x in labelled:
        got, want = model[x.key], gold[x.key]
        out += [f"{x.half} false {p}: {titles[x.key]}" for p in sorted(got - want)]
        out += [f"{x.half} missed {p}: {titles[x.key]}" for p in sorted(want - got)]
    return out
