"""Training a head: from labelled texts (or their embeddings) to a `Head`.

`fit_head` works on embeddings only, so cross-validation embeds the data once and fits
one head per fold; prototypes and the temperature are learnt from the training fold only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from signals.classifier.abstain import calibrate
from signals.classifier.dataset import LabelledText, data_hash
from signals.classifier.encoder import Embedder
from signals.classifier.head import (
    Head,
    HeadParams,
    Matrix,
    build_features,
    fit_logistic,
    fit_temperature,
    rounded,
    softmax,
)
from signals.classifier.lexical import Lexicon, fit_lexicon
from signals.classifier.prevalence import prevalence
from signals.labels import DESCRIPTIONS, LABELS
from signals.text import normalise

CALIBRATION_FOLDS = 5
#: Splits into folds whose out-of-fold probabilities calibrate the abstention thresholds.
THRESHOLD_REPEATS = 3
SEED = 20260817


def untrainable(labels: Sequence[str]) -> str | None:
    """Why a head cannot be trained on examples with these labels, or None. The fit needs
    two labels, each of the CALIBRATION_FOLDS training folds must hold both (two labels
    with two or more examples: a stratified split never puts both in one fold), and the
    stratified split needs one label with at least CALIBRATION_FOLDS examples."""
    counts = {label: labels.count(label) for label in dict.fromkeys(labels)}
    usable = [label for label, n in counts.items() if n >= 2]
    if len(usable) >= 2 and max(counts.values()) >= CALIBRATION_FOLDS:
        return None
    shown = ", ".join(f"{label} {n}" for label, n in counts.items()) or "none"
    return (
        f"{len(labels)} labelled headlines ({shown}): training needs two or more labels "
        f"with two examples each, one of them with at least {CALIBRATION_FOLDS}"
    )


def prepare(texts: Sequence[str], params: HeadParams) -> list[str]:
    """The texts as the head sees them: normalised unless the params say otherwise."""
    return [normalise(t) if params.normalise_text else t for t in texts]


def embed_texts(texts: Sequence[str], embedder: Embedder, params: HeadParams) -> Matrix:
    return np.asarray(embedder.embed(prepare(texts, params)), dtype=np.float64)


def description_vectors(embedder: Embedder) -> Matrix:
    """One embedding per label description (signals.labels.DESCRIPTIONS), in LABELS order."""
    return np.asarray(embedder.embed([DESCRIPTIONS[label] for label in LABELS]), dtype=np.float64)


def train_head(
    examples: Sequence[LabelledText],
    embedder: Embedder,
    params: HeadParams,
    background: Sequence[str] = (),
) -> Head:
    """Embed `examples` with `embedder` and fit a head on all of them.

    `background`: real `other` titles (never trained on) on which the abstention thresholds
    measure how often real traffic leaks into each bubble label.
    """
    texts = prepare([e.text for e in examples], params)
    vectors = np.asarray(embedder.embed(texts), dtype=np.float64)
    descriptions = description_vectors(embedder) if params.prototypes == "descriptions" else None
    negatives = None
    if background:
        prepared = prepare(background, params)
        negatives = Negatives(np.asarray(embedder.embed(prepared), dtype=np.float64), prepared)
    return fit_head(
        vectors,
        [e.label for e in examples],
        params,
        model_id=embedder.model_id,
        data_hash=data_hash(examples),
        descriptions=descriptions,
        texts=texts,
        negatives=negatives,
    )


@dataclass(frozen=True)
class Negatives:
    """Real `other` titles for the abstention calibration: their embeddings and texts."""

    vectors: Matrix
    texts: Sequence[str]


def fit_head(
    vectors: npt.NDArray[np.floating[Any]],
    labels: Sequence[str],
    params: HeadParams,
    *,
    model_id: str,
    data_hash: str,
    descriptions: Matrix | None = None,
    texts: Sequence[str] | None = None,
    negatives: Negatives | None = None,
) -> Head:
    """Fit prototypes, the lexicon, the logistic regression and (if asked) the temperature.

    `texts` are the prepared texts behind `vectors`; needed when params.lexical is set.
    `negatives`: real `other` titles for the thresholds (see `train_head`).
    """
    x = np.asarray(vectors, dtype=np.float64)
    prototypes = rounded(make_prototypes(x, labels, params, descriptions))
    features: Any = build_features(x, prototypes, params.prototype_weight)
    lexicon = None
    if params.lexical != "none":
        if texts is None:
            raise ValueError(f"lexical={params.lexical!r} needs the texts")
        lexicon = fit_lexicon(texts, params.lexical, params.lexical_min_df)
        lexicon = Lexicon(lexicon.analyzer, lexicon.terms, rounded(lexicon.idf))
        features = _with_lexical(features, lexicon.transform(texts), params.lexical_weight)
    classes, coef, intercept = fit_logistic(features, labels, params)
    head = Head(
        classes=classes,
        coef=coef,
        intercept=intercept,
        model_id=model_id,
        data_hash=data_hash,
        params=params,
        prototypes=prototypes,
        n_train=len(labels),
        lexicon=lexicon,
    )
    if not params.calibrate:
        return head
    logits = _oof_logits(x, labels, params, descriptions, classes, texts, SEED)
    head = replace(head, temperature=fit_temperature(logits, labels, classes))
    if params.target_precision <= 0:
        return head
    oof = _OutOfFold(x, labels, params, descriptions, classes, texts)
    return replace(head, thresholds=_thresholds(head, oof, logits, negatives))


@dataclass(frozen=True)
class _OutOfFold:
    """What out-of-fold logits are computed from, for more splits than the first."""

    x: npt.NDArray[np.float64]
    labels: Sequence[str]
    params: HeadParams
    descriptions: Matrix | None
    classes: tuple[str, ...]
    texts: Sequence[str] | None

    def logits(self, seed: int) -> Matrix:
        return _oof_logits(
            self.x, self.labels, self.params, self.descriptions, self.classes, self.texts, seed
        )


def _thresholds(
    head: Head, oof: _OutOfFold, logits: Matrix, negatives: Negatives | None
) -> dict[str, float]:
    """Abstention thresholds for params.target_precision at the feed-mix prevalence."""
    classes = oof.classes
    # Thresholds of rare labels turn on a handful of leaking titles, so one split into
    # folds decides too much: pool the out-of-fold runs of several splits.
    runs = [logits] + [oof.logits(SEED + r) for r in range(1, THRESHOLD_REPEATS)]
    proba = np.vstack([_in_label_order(softmax(r / head.temperature), classes) for r in runs])
    real_other = None
    if negatives is not None:
        real = head.predict_proba(negatives.vectors, negatives.texts)
        real_other = _in_label_order(real, classes)
    return calibrate(
        proba,
        list(oof.labels) * len(runs),
        prevalence(),
        oof.params.target_precision,
        repeats=len(runs),
        negatives=real_other,
    )


def _in_label_order(proba: Matrix, classes: tuple[str, ...]) -> Matrix:
    out = np.zeros((proba.shape[0], len(LABELS)))
    for j, label in enumerate(classes):
        out[:, LABELS.index(label)] = proba[:, j]
    return out


def _with_lexical(dense: Matrix, lexical: Any, weight: float) -> Any:
    from scipy.sparse import csr_matrix, hstack

    return hstack([csr_matrix(dense), lexical * weight]).tocsr()


def make_prototypes(
    vectors: Matrix, labels: Sequence[str], params: HeadParams, descriptions: Matrix | None
) -> Matrix:
    if params.prototypes == "none":
        return np.zeros((0, 0))
    if params.prototypes == "descriptions":
        if descriptions is None:
            raise ValueError("prototypes='descriptions' needs the description vectors")
        return descriptions
    if params.prototypes == "kmeans":
        return _kmeans_prototypes(vectors, labels, params.prototypes_per_label)
    raise ValueError(f"unknown prototypes {params.prototypes!r}")


def _kmeans_prototypes(vectors: Matrix, labels: Sequence[str], k: int) -> Matrix:
    """k cluster centres per label (re-normalised), in LABELS order; fewer for tiny labels."""
    from sklearn.cluster import KMeans

    y = np.asarray(labels)
    centres = []
    for label in LABELS:
        rows = vectors[y == label]
        if len(rows) == 0:
            continue
        n = min(k, len(rows))
        model = KMeans(n_clusters=n, n_init=4, random_state=SEED).fit(rows)
        centres.append(model.cluster_centers_)
    stacked = np.vstack(centres)
    out: Matrix = stacked / np.linalg.norm(stacked, axis=1, keepdims=True)
    return out


def _oof_logits(
    vectors: Matrix,
    labels: Sequence[str],
    params: HeadParams,
    descriptions: Matrix | None,
    classes: tuple[str, ...],
    texts: Sequence[str] | None,
    seed: int,
) -> Matrix:
    """Out-of-fold logits: the temperature and thresholds fitted on them correct real
    over-confidence, not the head's confidence on titles it was trained on."""
    from sklearn.model_selection import StratifiedKFold

    y = np.asarray(labels)
    logits = np.zeros((len(y), len(classes)))
    uncalibrated = HeadParams.from_dict(
        {**params.to_dict(), "calibrate": False, "target_precision": 0.0}
    )
    folds = StratifiedKFold(n_splits=CALIBRATION_FOLDS, shuffle=True, random_state=seed)
    for train_idx, test_idx in folds.split(vectors, y):
        head = fit_head(
            vectors[train_idx],
            list(y[train_idx]),
            uncalibrated,
            model_id="",
            data_hash="",
            descriptions=descriptions,
            texts=_subset(texts, train_idx),
        )
        fold_logits = head.logits(vectors[test_idx], _subset(texts, test_idx))
        logits[test_idx] = _align(fold_logits, head.classes, classes)
    return logits


def _subset(texts: Sequence[str] | None, rows: npt.NDArray[np.int_]) -> list[str] | None:
    return None if texts is None else [texts[i] for i in rows]


def _align(logits: Matrix, have: tuple[str, ...], want: tuple[str, ...]) -> Matrix:
    out = np.full((logits.shape[0], len(want)), -1e9)
    for j, label in enumerate(have):
        out[:, want.index(label)] = logits[:, j]
    return out
