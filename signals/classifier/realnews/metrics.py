"""The issue's test figures: macro-F1, precision at a prevalence, bubble labels on `other`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final

from signals.labels import LABELS

#: Macro-F1 is taken over the labels with at least this many test titles.
MIN_TEST_TITLES: Final[int] = 20


def per_label(truth: Sequence[str], predicted: Sequence[str]) -> dict[str, dict[str, float]]:
    """Precision, recall, F1 and support per label (0 where undefined)."""
    out: dict[str, dict[str, float]] = {}
    for label in LABELS:
        tp = sum(t == label and p == label for t, p in zip(truth, predicted, strict=True))
        n_pred = sum(p == label for p in predicted)
        n_true = sum(t == label for t in truth)
        precision = tp / n_pred if n_pred else 0.0
        recall = tp / n_true if n_true else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        out[label] = {"precision": precision, "recall": recall, "f1": f1, "support": n_true}
    return out


def macro_f1(
    truth: Sequence[str], predicted: Sequence[str], min_support: int = MIN_TEST_TITLES
) -> float:
    """Mean F1 over the labels with at least `min_support` true titles."""
    table = per_label(truth, predicted)
    kept = [row["f1"] for row in table.values() if row["support"] >= min_support]
    return sum(kept) / len(kept) if kept else 0.0


def precision_at_prevalence(
    truth: Sequence[str], predicted: Sequence[str], prevalence: Mapping[str, float]
) -> dict[str, float]:
    """Per bubble label, the precision a feed with this label mix would see.

    precision_L = pi_L * recall_L / (pi_L * recall_L + sum_K pi_K * share of K read as L);
    the test set's own mix is not a feed's, so each true label is re-weighted.
    """
    out: dict[str, float] = {}
    for label in LABELS:
        if label == "other":
            continue
        true_part = prevalence.get(label, 0.0) * _rate(truth, predicted, label, label)
        false_part = sum(
            prevalence.get(k, 0.0) * _rate(truth, predicted, k, label) for k in LABELS if k != label
        )
        out[label] = true_part / (true_part + false_part) if true_part + false_part else 0.0
    return out


def bubble_rate_on_other(truth: Sequence[str], predicted: Sequence[str]) -> tuple[int, int]:
    """(true-`other` titles given a bubble label, true-`other` titles)."""
    pairs = [(t, p) for t, p in zip(truth, predicted, strict=True) if t == "other"]
    return sum(p != "other" for _, p in pairs), len(pairs)


def _rate(truth: Sequence[str], predicted: Sequence[str], true: str, read_as: str) -> float:
    rows = [p for t, p in zip(truth, predicted, strict=True) if t == true]
    return sum(p == read_as for p in rows) / len(rows) if rows else 0.0
