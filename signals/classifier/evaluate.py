"""Measuring the classifier: stratified k-fold CV, held-out scores, and config comparisons.

Everything works on embeddings computed once per text set, so a comparison of a dozen
configurations costs a dozen small logistic regressions, not a dozen model runs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from signals.classifier.abstain import decide_rows
from signals.classifier.dataset import LabelledText
from signals.classifier.encoder import Embedder
from signals.classifier.head import Head, HeadParams, Matrix
from signals.classifier.training import SEED, description_vectors, fit_head, prepare
from signals.labels import LABELS

FOLDS = 5


@dataclass(frozen=True)
class ClassScores:
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class Report:
    """Per-label scores, macro-F1, accuracy, and the confusion matrix (rows = true label)."""

    per_class: dict[str, ClassScores]
    macro_f1: float
    accuracy: float
    confusion: list[list[int]]
    labels: tuple[str, ...] = LABELS
    log_loss: float | None = None
    n: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "macro_f1": round(self.macro_f1, 4),
            "accuracy": round(self.accuracy, 4),
            "log_loss": None if self.log_loss is None else round(self.log_loss, 4),
            "per_class": {
                k: {
                    "precision": round(v.precision, 4),
                    "recall": round(v.recall, 4),
                    "f1": round(v.f1, 4),
                    "support": v.support,
                }
                for k, v in self.per_class.items()
            },
            "labels": list(self.labels),
            "confusion": self.confusion,
        }


@dataclass
class Embedded:
    """A labelled set with its embeddings (one row per example)."""

    texts: list[str]
    labels: list[str]
    vectors: Matrix
    descriptions: Matrix | None = field(default=None, repr=False)
    #: The texts as the head sees them (normalised): the input of lexical features.
    prepared: list[str] = field(default_factory=list, repr=False)


def embed_examples(
    examples: Sequence[LabelledText], embedder: Embedder, params: HeadParams
) -> Embedded:
    texts = [e.text for e in examples]
    prepared = prepare(texts, params)
    return Embedded(
        texts=texts,
        labels=[e.label for e in examples],
        vectors=np.asarray(embedder.embed(prepared), dtype=np.float64),
        descriptions=description_vectors(embedder) if params.prototypes == "descriptions" else None,
        prepared=prepared,
    )


def report(true: Sequence[str], predicted: Sequence[str], proba: Matrix | None = None) -> Report:
    """Scores of `predicted` against `true`; `proba` (columns in LABELS order) adds log-loss."""
    index = {label: i for i, label in enumerate(LABELS)}
    confusion = np.zeros((len(LABELS), len(LABELS)), dtype=int)
    for t, p in zip(true, predicted, strict=True):
        confusion[index[t], index[p]] += 1
    per_class = {label: _class_scores(confusion, i) for label, i in index.items()}
    present = [s.f1 for s in per_class.values() if s.support > 0]
    log_loss = None
    if proba is not None and len(true):
        picked = proba[np.arange(len(true)), [index[t] for t in true]]
        log_loss = float(-np.log(np.clip(picked, 1e-12, 1.0)).mean())
    return Report(
        per_class=per_class,
        macro_f1=float(np.mean(present)) if present else 0.0,
        accuracy=float(np.trace(confusion) / max(1, confusion.sum())),
        confusion=confusion.tolist(),
        log_loss=log_loss,
        n=len(true),
    )


def _class_scores(confusion: np.ndarray[Any, Any], i: int) -> ClassScores:
    tp = float(confusion[i, i])
    predicted = float(confusion[:, i].sum())
    support = int(confusion[i, :].sum())
    precision = tp / predicted if predicted else 0.0
    recall = tp / support if support else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return ClassScores(precision, recall, f1, support)


def cross_validate(
    data: Embedded,
    params: HeadParams,
    folds: int = FOLDS,
    thresholds: Mapping[str, float] | None = None,
) -> Report:
    """Stratified k-fold CV: each example is predicted by a head that never saw it.

    With `thresholds` (the shipped head's), fold heads abstain with them instead of
    recalibrating their own, which would cost a nested cross-validation per fold.
    """
    from sklearn.model_selection import StratifiedKFold

    if thresholds is not None:
        params = replace(params, target_precision=0.0)

    y = np.asarray(data.labels)
    proba = np.zeros((len(y), len(LABELS)))
    predicted = ["other"] * len(y)
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=SEED)
    for train_idx, test_idx in splitter.split(data.vectors, y):
        head = fit_head(
            data.vectors[train_idx],
            list(y[train_idx]),
            params,
            model_id="",
            data_hash="",
            descriptions=data.descriptions,
            texts=[data.prepared[i] for i in train_idx],
        )
        rows = label_proba(head, data.vectors[test_idx], [data.prepared[i] for i in test_idx])
        proba[test_idx] = rows
        fold_thresholds = head.thresholds if thresholds is None else thresholds
        for i, label in zip(test_idx, decide_rows(rows, fold_thresholds), strict=True):
            predicted[i] = label
    return report(data.labels, predicted, proba)


def evaluate_head(head: Head, data: Embedded) -> Report:
    """Scores of a trained head on a labelled set it was not trained on."""
    proba = label_proba(head, data.vectors, data.prepared)
    return report(data.labels, decide_rows(proba, head.thresholds), proba)


def label_proba(head: Head, vectors: Matrix, texts: Sequence[str]) -> Matrix:
    """Probabilities with columns in LABELS order (0 for a label the head never saw)."""
    raw = head.predict_proba(vectors, texts)
    out = np.zeros((raw.shape[0], len(LABELS)))
    for j, label in enumerate(head.classes):
        out[:, LABELS.index(label)] = raw[:, j]
    return out


def misclassified(head: Head, data: Embedded) -> list[tuple[str, str, str, float]]:
    """(text, true, predicted, confidence) of each example the head gets wrong."""
    proba = label_proba(head, data.vectors, data.prepared)
    predictions = decide_rows(proba, head.thresholds)
    out = []
    for text, true, row, predicted in zip(data.texts, data.labels, proba, predictions, strict=True):
        if predicted != true:
            out.append((text, true, predicted, float(row[LABELS.index(predicted)])))
    return out


@dataclass(frozen=True)
class Comparison:
    """One candidate configuration: its CV scores and its scores on the held-out set."""

    name: str
    params: HeadParams
    cv: Report
    heldout: Report | None


def candidates() -> list[tuple[str, HeadParams]]:
    """The configurations `evaluate --compare` measures (the README records the result)."""
    out = [("embedding, raw text, C=16", HeadParams(normalise_text=False))]
    out += [(f"embedding, C={c:g}", HeadParams(C=c)) for c in (1, 4, 16, 64)]
    out += [
        ("embedding + description prototypes", HeadParams(prototypes="descriptions")),
        ("embedding + 3 k-means prototypes/label", HeadParams(prototypes="kmeans")),
        ("embedding + temperature calibration", HeadParams(calibrate=True)),
        ("embedding, unweighted classes", HeadParams(class_weight=None)),
        ("embedding + word 1-2-gram TF-IDF", HeadParams(lexical="word")),
    ]
    char = HeadParams(lexical="char")
    out += [(f"embedding + char TF-IDF, C={c:g}", replace(char, C=c)) for c in (4, 16, 64)]
    out += [
        ("embedding + char TF-IDF, raw text", replace(char, normalise_text=False)),
        ("embedding + char TF-IDF, weight 2", replace(char, lexical_weight=2.0)),
        ("embedding + char TF-IDF + descriptions", replace(char, prototypes="descriptions")),
        ("embedding + char TF-IDF + calibration", replace(char, calibrate=True)),
    ]
    return out


def compare(
    train: Sequence[LabelledText],
    heldout: Sequence[LabelledText],
    embedder: Embedder,
    configs: Sequence[tuple[str, HeadParams]] | None = None,
) -> list[Comparison]:
    """CV and held-out scores of each configuration, embedding each text set once per form."""
    sets: dict[bool, tuple[Embedded, Embedded | None]] = {}
    descriptions = description_vectors(embedder)
    results = []
    for name, params in configs or candidates():
        if params.normalise_text not in sets:
            sets[params.normalise_text] = (
                _embedded(train, embedder, params, descriptions),
                _embedded(heldout, embedder, params, descriptions) if heldout else None,
            )
        train_set, heldout_set = sets[params.normalise_text]
        cv = cross_validate(train_set, params)
        held = None
        if heldout_set is not None:
            head = fit_head(
                train_set.vectors,
                train_set.labels,
                params,
                model_id=embedder.model_id,
                data_hash="",
                descriptions=descriptions,
                texts=train_set.prepared,
            )
            held = evaluate_head(head, heldout_set)
        results.append(Comparison(name, params, cv, held))
    return results


def _embedded(
    examples: Sequence[LabelledText], embedder: Embedder, params: HeadParams, descriptions: Matrix
) -> Embedded:
    texts = [e.text for e in examples]
    prepared = prepare(texts, params)
    vectors = np.asarray(embedder.embed(prepared), dtype=np.float64)
    return Embedded(texts, [e.label for e in examples], vectors, descriptions, prepared)
