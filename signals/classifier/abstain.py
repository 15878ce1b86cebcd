"""Abstention: a bubble label must clear its own probability threshold, else `other`.

On a live feed almost every title is `other`, so a label that is right 90% of the time on a
balanced test set can still be wrong most of the time it fires. Each bubble label gets the
lowest threshold at which its estimated precision *at real prevalence* reaches a target:

    precision(t) = pi_L * recall_L(t) / (pi_L * recall_L(t) + sum_K pi_K * leak_{K->L}(t))

with recall and leaks (titles of another label K read as L with probability >= t) measured
on out-of-fold predictions of the training set, and pi the feed-mix prevalence
(signals.classifier.prevalence). The training set's `other` titles are mostly hand-written
hard negatives, far harder than a real feed's `other`; given real `other` titles
(`negatives`), the leak from `other` is measured on them instead. Abstention only ever
turns a bubble label into `other`; it never promotes a label over the argmax.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final

import numpy as np

from signals.classifier.head import Matrix
from signals.labels import LABELS

#: Precision each bubble label is calibrated for. The issue's floor on real traffic is 0.8;
#: the calibration set (the training data, rich in hand-written hard negatives) is not real
#: traffic, so the thresholds aim higher to leave room for that gap.
TARGET_PRECISION: Final[float] = 0.9
#: Added to every leak count: a label that never leaked in a few hundred titles is not
#: known to leak never, and a zero would let the threshold fall to the bottom of the grid.
LEAK_PRIOR: Final[float] = 0.5
#: A threshold never costs a label more than half its out-of-fold recall: a label that
#: would need more to reach the target keeps this recall and misses the target instead
#: (a bubble label that never fires would silence its news component).
MIN_RECALL: Final[float] = 0.5
GRID: Final[tuple[float, ...]] = tuple(round(0.30 + 0.01 * i, 2) for i in range(70))


def decide(scores: Mapping[str, float], thresholds: Mapping[str, float]) -> str:
    """The label: the argmax, unless it is a bubble label below its threshold (then other)."""
    label = max(scores, key=scores.__getitem__)
    if label != "other" and scores[label] < thresholds.get(label, 0.0):
        return "other"
    return label


def decide_rows(proba: Matrix, thresholds: Mapping[str, float]) -> list[str]:
    """`decide` for each row of probabilities with columns in LABELS order."""
    return [decide(dict(zip(LABELS, map(float, row), strict=True)), thresholds) for row in proba]


def calibrate(
    proba: Matrix,
    truth: Sequence[str],
    prevalence: Mapping[str, float],
    target: float = TARGET_PRECISION,
    repeats: int = 1,
    negatives: Matrix | None = None,
) -> dict[str, float]:
    """Per bubble label, the lowest grid threshold whose estimated precision reaches `target`.

    `proba` holds out-of-fold probabilities (columns in LABELS order) of titles labelled
    `truth`, `repeats` runs of the same titles stacked (the leak prior counts titles, not
    rows). Thresholds that leave less than MIN_RECALL of a label's titles are not used; a
    label that cannot reach the target above that recall gets the highest allowed one.
    `negatives` (probabilities of real `other` titles, one row each) replace the `other`
    rows of `proba` in the leak from `other`.
    """
    y = np.asarray(truth)
    top = proba.argmax(axis=1)
    best = proba.max(axis=1)
    real = _real_other(negatives)
    out: dict[str, float] = {}
    for j, label in enumerate(LABELS):
        if label == "other" or not (y == label).any():
            continue
        fires = [(top == j) & (best >= t) for t in GRID]
        recalls = [float(f[y == label].mean()) for f in fires]
        estimates = [
            _precision(y, f, label, prevalence, repeats, _fires(real, j, t))
            for f, t in zip(fires, GRID, strict=True)
        ]
        allowed = [t for t, r in zip(GRID, recalls, strict=True) if r >= MIN_RECALL] or [GRID[0]]
        passing = [t for t, p in zip(GRID, estimates, strict=True) if p >= target and t in allowed]
        out[label] = passing[0] if passing else allowed[-1]
    return out


def _real_other(negatives: Matrix | None) -> tuple[np.ndarray, np.ndarray] | None:
    if negatives is None or len(negatives) == 0:
        return None
    return negatives.argmax(axis=1), negatives.max(axis=1)


def _fires(real: tuple[np.ndarray, np.ndarray] | None, column: int, t: float) -> np.ndarray | None:
    if real is None:
        return None
    top, best = real
    out: np.ndarray = (top == column) & (best >= t)
    return out


def _precision(
    y: np.ndarray,
    fires: np.ndarray,
    label: str,
    prevalence: Mapping[str, float],
    repeats: int,
    real_other_fires: np.ndarray | None = None,
) -> float:
    true_part = prevalence.get(label, 0.0) * float(fires[y == label].mean())
    false_part = 0.0
    for other in LABELS:
        rows = y == other
        if other == label or not rows.any():
            continue
        leaked, n = float(fires[rows].sum()) / repeats, int(rows.sum()) / repeats
        if other == "other" and real_other_fires is not None:
            leaked, n = float(real_other_fires.sum()), len(real_other_fires)
        leak = (leaked + LEAK_PRIOR) / (n + 1)
        false_part += prevalence.get(other, 0.0) * leak
    return true_part / (true_part + false_part) if true_part + false_part else 0.0
