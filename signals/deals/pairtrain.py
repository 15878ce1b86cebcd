"""Training the pair model (signals.deals.pairmodel) and scoring it out of fold.

The selection rule, fixed before any result was seen (docs/circular-deals.md, round 4):
regularisation C from GRID_C and the decision threshold from GRID_T are the pair that
maximises the F1 of (payer, payee) pairs over all labelled titles (the pairs `settle`
accepts: signals.deals.pairs), scored on out-of-fold
probabilities of a group k-fold (FOLDS folds, groups = titles, so one title's pairs never
straddle folds; seeded). Ties go to the smaller C, then the higher threshold. The head is
then fitted on every row with that C.

scikit-learn is imported inside the functions (training only); prediction needs numpy.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

from signals.deals.evaluate import Counts
from signals.deals.pairs import settle

FOLDS: Final = 5
SEED: Final = 23
GRID_C: Final = (0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0)
GRID_T: Final = tuple(round(0.05 + 0.01 * i, 2) for i in range(91))
MAX_ITER: Final = 5000

Pair = tuple[str, str]


def count(predicted: Sequence[set[Pair]], gold: Sequence[set[Pair]]) -> Counts:
    """Pairs predicted, labelled and right, summed over titles."""
    return Counts(
        sum(len(p) for p in predicted),
        sum(len(g) for g in gold),
        sum(len(p & g) for p, g in zip(predicted, gold, strict=True)),
    )


def fit(
    x: npt.NDArray[np.float64], y: npt.NDArray[np.int_], c: float
) -> tuple[npt.NDArray[np.float64], float]:
    """(coef, intercept) of an L2 logistic regression, classes balanced."""
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=c, class_weight="balanced", max_iter=MAX_ITER)
    model.fit(x, y)
    return np.asarray(model.coef_[0], dtype=np.float64), float(model.intercept_[0])


def fold_of(groups: Sequence[str], folds: int = FOLDS, seed: int = SEED) -> npt.NDArray[np.int_]:
    """The fold of every row: titles (groups) sorted, shuffled with `seed`, dealt round."""
    names = sorted(set(groups))
    order = np.random.default_rng(seed).permutation(len(names))
    fold = {names[i]: k % folds for k, i in enumerate(order)}
    return np.asarray([fold[g] for g in groups], dtype=np.int_)


def out_of_fold(
    x: npt.NDArray[np.float64], y: npt.NDArray[np.int_], folds: npt.NDArray[np.int_], c: float
) -> npt.NDArray[np.float64]:
    """Each row's probability from the model fitted on the other folds."""
    p = np.zeros(len(y), dtype=np.float64)
    for k in sorted(set(folds.tolist())):
        test = folds == k
        coef, intercept = fit(x[~test], y[~test], c)
        p[test] = 1.0 / (1.0 + np.exp(-(x[test] @ coef + intercept)))
    return p


@dataclass(frozen=True, slots=True)
class Gate:
    """What `settle` needs of a title besides the probabilities: the rules' pairs and
    whether the model may add pairs (signals.deals.pairs.TitlePairs.may_add)."""

    rules: frozenset[Pair]
    may_add: bool


def decided(
    rows: Sequence[tuple[str, Pair]],
    p: npt.NDArray[np.float64],
    threshold: float,
    gates: Mapping[str, Gate],
) -> dict[str, set[Pair]]:
    """Title -> the pairs `settle` accepts at `threshold` (every title of `rows` present)."""
    probs: dict[str, dict[Pair, float]] = {title: {} for title, _ in rows}
    for (title, pair), prob in zip(rows, p, strict=True):
        probs[title][pair] = float(prob)
    return {
        title: settle(found, threshold, gates[title].rules, may_add=gates[title].may_add)
        for title, found in probs.items()
    }


def choose(
    rows: Sequence[tuple[str, Pair]],
    oof: Mapping[float, npt.NDArray[np.float64]],
    gold: Mapping[str, set[Pair]],
    fixed: Mapping[str, set[Pair]],
    gates: Mapping[str, Gate],
) -> tuple[float, float, Counts]:
    """(C, threshold, counts) by the selection rule of the module docstring. `gold` has
    every labelled title; `fixed` the predictions for titles the model does not read."""
    best: tuple[float, float, Counts] | None = None
    titles = sorted(gold)
    for c in sorted(oof):
        for t in sorted(GRID_T, reverse=True):
            chosen = {**fixed, **decided(rows, oof[c], t, gates)}
            counts = count([chosen.get(k, set()) for k in titles], [gold[k] for k in titles])
            if best is None or counts.f1 > best[2].f1 + 1e-12:
                best = (c, t, counts)
    assert best is not None
    return best


def nested(
    rows: Sequence[tuple[str, Pair]],
    x: npt.NDArray[np.float64],
    y: npt.NDArray[np.int_],
    gold: Mapping[str, set[Pair]],
    fixed: Mapping[str, set[Pair]],
    gates: Mapping[str, Gate],
) -> dict[str, set[Pair]]:
    """Title -> pairs, each outer fold predicted by a head whose C and threshold were
    chosen by the selection rule on the other folds alone (inner out-of-fold): an
    estimate of the whole procedure that no choice has seen."""
    groups = [title for title, _ in rows]
    outer = fold_of(groups)
    out: dict[str, set[Pair]] = {}
    for k in range(FOLDS):
        inside = outer != k
        inner_rows = [r for r, keep in zip(rows, inside, strict=True) if keep]
        inner_folds = fold_of([t for t, _ in inner_rows], seed=SEED + 1 + k)
        oof = {c: out_of_fold(x[inside], y[inside], inner_folds, c) for c in GRID_C}
        seen = {t for t, _ in inner_rows}
        inner_gold = {g: v for g, v in gold.items() if g in seen}
        c, t, _ = choose(inner_rows, oof, inner_gold, {}, gates)
        coef, intercept = fit(x[inside], y[inside], c)
        p = 1.0 / (1.0 + np.exp(-(x[~inside] @ coef + intercept)))
        held = [r for r, keep in zip(rows, inside, strict=True) if not keep]
        out.update(decided(held, p, t, gates))
    return {**fixed, **out}
