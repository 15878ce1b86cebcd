"""The real-news head: out-of-fold probabilities, per-kind thresholds, the test figures.

Used for both encoders (the frozen all-MiniLM-L6-v2 and the fine-tuned one) with the same
folds, the same head hyper-parameters and the same calibration, so that the untouched test
compares encoders, not procedures.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any, Final

import numpy as np

from monitor.research.realnews.folds import TrainingSet
from signals.classifier.abstain import calibrate, decide_rows
from signals.classifier.head import Head, HeadParams, Matrix, fit_temperature, softmax
from signals.classifier.realnews.kinds import DEFAULT_KIND, FEED_KINDS
from signals.classifier.realnews.metrics import (
    bubble_rate_on_other,
    macro_f1,
    per_label,
    precision_at_prevalence,
)
from signals.classifier.training import _align, _in_label_order, fit_head
from signals.labels import LABELS

#: Precision each bubble label's threshold aims for at its kind's prevalence: the issue's
#: floor (0.85) plus a margin for the gap between out-of-fold estimates and a new period.
TARGET_PRECISION: Final[float] = 0.9
#: The configured feeds with a measured volume (titles/day, docs/classifier-real-traffic.md)
#: by kind: the feed mix of the precision target. The Google News searches have no volume
#: measurement and are left out, which makes the bubble labels rarer (a harder target).
FEED_MIX_VOLUME: Final[Mapping[str, float]] = {"ai": 20 / 4.15 + 10 / 3.55, "finance": 30 / 12.03}


def head_params() -> HeadParams:
    """The shipped head's hyper-parameters without its own calibration (done here)."""
    return HeadParams(calibrate=False, target_precision=0.0)


def oof_logits(
    vectors_per_fold: Sequence[Matrix], training: TrainingSet, folds: np.ndarray
) -> tuple[Matrix, tuple[str, ...]]:
    """Logits of every real title from a head trained without its fold (classes order)."""
    classes = tuple(sorted(set(training.labels)))
    out = np.zeros((len(training.texts), len(classes)))
    y = np.asarray(training.labels)
    for k, vectors in enumerate(vectors_per_fold):
        train, held = folds != k, folds == k
        head = _fit(vectors[train], list(y[train]), _subset(training.texts, train))
        out[held] = _align(
            head.logits(vectors[held], _subset(training.texts, held)), head.classes, classes
        )
    return out[training.real], classes


def final_head(
    vectors: Matrix,
    training: TrainingSet,
    oof: Matrix,
    classes: tuple[str, ...],
    prevalences: Mapping[str, Mapping[str, float]],
    *,
    model_id: str,
    data_hash: str,
) -> Head:
    """The head on all training texts, tempered and thresholded from the out-of-fold run."""
    head = _fit(vectors, training.labels, training.texts, model_id, data_hash)
    truth = list(np.asarray(training.labels)[training.real])
    temperature = fit_temperature(oof, truth, classes)
    proba = _in_label_order(softmax(oof / temperature), classes)
    by_kind = {
        kind: calibrate(proba, truth, prevalences[kind], TARGET_PRECISION) for kind in FEED_KINDS
    }
    params = replace(head.params, calibrate=True, target_precision=TARGET_PRECISION)
    return replace(
        head,
        params=params,
        temperature=temperature,
        thresholds=by_kind[DEFAULT_KIND],
        thresholds_by_kind=by_kind,
    )


def feed_mix(prevalences: Mapping[str, Mapping[str, float]]) -> dict[str, float]:
    """Label shares of the configured feed mix (FEED_MIX_VOLUME) from per-kind shares."""
    total = sum(FEED_MIX_VOLUME.values())
    return {
        label: sum(v * prevalences[k][label] for k, v in FEED_MIX_VOLUME.items()) / total
        for label in LABELS
    }


def test_figures(
    head: Head,
    vectors: Matrix,
    texts: Sequence[str],
    truth: Sequence[str],
    kinds: Sequence[str],
    mix: Mapping[str, float],
) -> dict[str, Any]:
    """The issue's figures on labelled titles, each read with its own kind's thresholds."""
    proba = _in_label_order(head.predict_proba(vectors, list(texts)), head.classes)
    predicted = [
        decide_rows(row[None, :], head.thresholds_for(k))[0]
        for row, k in zip(proba, kinds, strict=True)
    ]
    argmax = [LABELS[int(i)] for i in proba.argmax(axis=1)]
    flagged, n_other = bubble_rate_on_other(truth, predicted)
    return {
        "n": len(truth),
        "macro_f1": macro_f1(truth, predicted),
        "macro_f1_argmax": macro_f1(truth, argmax),
        "per_label": per_label(truth, predicted),
        "precision_at_feed_mix": precision_at_prevalence(truth, predicted, mix),
        "other_flagged": flagged,
        "other_n": n_other,
        "other_flagged_rate": flagged / n_other if n_other else 0.0,
        "predicted": predicted,
    }


def _fit(
    vectors: Matrix,
    labels: Sequence[str],
    texts: Sequence[str],
    model_id: str = "",
    data_hash: str = "",
) -> Head:
    return fit_head(
        vectors,
        list(labels),
        head_params(),
        model_id=model_id,
        data_hash=data_hash,
        texts=list(texts),
    )


def _subset(items: Sequence[str], mask: np.ndarray) -> list[str]:
    return [x for x, keep in zip(items, mask, strict=True) if keep]
