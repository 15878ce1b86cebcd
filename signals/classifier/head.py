"""The classifier head: multinomial logistic regression on sentence embeddings, kept as JSON.

Training uses scikit-learn (imported lazily); prediction is plain numpy (softmax of
X @ coef.T + intercept, divided by a fitted temperature), so loading the shipped head costs
a JSON read, not an sklearn import, and no pickle is ever loaded. Optional prototype
features append the cosine similarity of a headline to a few stored vectors per label
(label descriptions or cluster centres), scaled by `prototype_weight`; optional lexical
features append TF-IDF n-grams of the text (signals.classifier.lexical).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from signals.classifier.lexical import Lexicon
from signals.labels import LABELS

FORMAT: Final[int] = 1

Matrix = npt.NDArray[np.float64]


@dataclass(frozen=True)
class HeadParams:
    """The hyper-parameters of a head; stored in head.json and used again by `train`."""

    C: float = 16.0
    class_weight: str | None = "balanced"
    normalise_text: bool = True
    #: "none", "descriptions" (one vector per label description) or "kmeans" (a few per label).
    prototypes: str = "none"
    prototypes_per_label: int = 3
    prototype_weight: float = 1.0
    calibrate: bool = True
    #: "none", "char" (3-5-grams within words) or "word" (1-2-grams): TF-IDF features.
    lexical: str = "char"
    lexical_weight: float = 1.0
    lexical_min_df: int = 2
    max_iter: int = 3000
    #: Per-label abstention thresholds calibrated for this precision at the feed-mix
    #: prevalence (signals.classifier.abstain); 0 = no abstention. Needs `calibrate`.
    target_precision: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> HeadParams:
        known = {k: v for k, v in raw.items() if k in cls.__dataclass_fields__}
        return cls(**known)


@dataclass(frozen=True)
class Head:
    """A trained head: everything needed to turn embeddings into label probabilities."""

    classes: tuple[str, ...]
    coef: Matrix
    intercept: Matrix
    model_id: str
    data_hash: str
    params: HeadParams = field(default_factory=HeadParams)
    prototypes: Matrix = field(default_factory=lambda: np.zeros((0, 0)))
    temperature: float = 1.0
    n_train: int = 0
    lexicon: Lexicon | None = None
    #: Abstention: a bubble label wins only with at least this probability, else `other`
    #: (signals.classifier.abstain). Empty = plain argmax.
    thresholds: dict[str, float] = field(default_factory=dict)
    #: Thresholds per feed kind (signals.classifier.realnews.kinds); `thresholds` is the
    #: default kind's. Empty = the same thresholds for every feed.
    thresholds_by_kind: dict[str, dict[str, float]] = field(default_factory=dict)

    @property
    def vector_width(self) -> int:
        """The length of the sentence embeddings this head was trained on: the coefficient
        columns that are neither prototype similarities nor lexical n-grams."""
        terms = 0 if self.lexicon is None else len(self.lexicon.terms)
        return int(self.coef.shape[1]) - terms - len(self.prototypes)

    def thresholds_for(self, kind: str | None) -> dict[str, float]:
        """The abstention thresholds of a feed of `kind` (the default ones when unknown)."""
        if kind is None:
            return self.thresholds
        return self.thresholds_by_kind.get(kind, self.thresholds)

    def logits(
        self, vectors: npt.NDArray[np.floating[Any]], texts: Sequence[str] | None = None
    ) -> Matrix:
        dense = build_features(vectors, self.prototypes, self.params.prototype_weight)
        width = dense.shape[1]
        out: Matrix = dense @ self.coef[:, :width].T + self.intercept
        if self.lexicon is not None:
            if texts is None or len(texts) != len(dense):
                raise ValueError("this head has lexical features: pass the texts with the vectors")
            lexical = self.lexicon.transform(texts) * self.params.lexical_weight
            out += np.asarray(lexical @ self.coef[:, width:].T)
        return out

    def predict_proba(
        self, vectors: npt.NDArray[np.floating[Any]], texts: Sequence[str] | None = None
    ) -> Matrix:
        """Rows of probabilities over `classes` (each row sums to 1).

        `texts` are the prepared (normalised) texts the vectors were embedded from; only a
        head with lexical features needs them.
        """
        return softmax(self.logits(vectors, texts) / self.temperature)


def build_features(
    vectors: npt.NDArray[np.floating[Any]], prototypes: Matrix, weight: float
) -> Matrix:
    x = np.asarray(vectors, dtype=np.float64)
    if prototypes.size == 0:
        return x
    return np.hstack([x, weight * (x @ prototypes.T)])


def softmax(logits: Matrix) -> Matrix:
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    out: Matrix = exp / exp.sum(axis=1, keepdims=True)
    return out


def fit_logistic(
    features: Any, labels: Sequence[str], params: HeadParams
) -> tuple[tuple[str, ...], Matrix, Matrix]:
    """Fit the multinomial logistic regression; returns (classes, coef, intercept)."""
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(
        C=params.C, class_weight=params.class_weight, max_iter=params.max_iter
    )
    model.fit(features, list(labels))
    classes = tuple(str(c) for c in model.classes_)
    coef = np.asarray(model.coef_, dtype=np.float64)
    intercept = np.asarray(model.intercept_, dtype=np.float64)
    if len(classes) == 2:
        # sklearn keeps one row for two classes; expand so softmax gives the same probabilities.
        coef = np.vstack([-coef[0] / 2, coef[0] / 2])
        intercept = np.array([-intercept[0] / 2, intercept[0] / 2])
    return classes, rounded(coef), rounded(intercept)


def fit_temperature(logits: Matrix, labels: Sequence[str], classes: Sequence[str]) -> float:
    """The temperature that minimises the log-loss of out-of-fold logits (a 1-D grid search)."""
    index = {c: i for i, c in enumerate(classes)}
    y = np.array([index[label] for label in labels])
    grid = np.exp(np.linspace(np.log(0.2), np.log(5.0), 161))
    losses = [_log_loss(softmax(logits / t), y) for t in grid]
    return float(f"{grid[int(np.argmin(losses))]:.9g}")


def _log_loss(proba: Matrix, y: npt.NDArray[np.int_]) -> float:
    picked = np.clip(proba[np.arange(len(y)), y], 1e-12, 1.0)
    return float(-np.log(picked).mean())


def head_to_json(head: Head) -> str:
    """The head as one line of JSON (floats at float32 precision), as the head file holds it."""
    payload = {
        "format": FORMAT,
        "model_id": head.model_id,
        "data_hash": head.data_hash,
        "classes": list(head.classes),
        "params": head.params.to_dict(),
        "n_train": head.n_train,
        "temperature": head.temperature,
        "intercept": _floats(head.intercept),
        "coef": [_floats(row) for row in head.coef],
        "prototypes": [_floats(row) for row in head.prototypes],
        "lexicon": None if head.lexicon is None else _lexicon_json(head.lexicon),
        "thresholds": {k: float(f"{v:.9g}") for k, v in head.thresholds.items()},
        "thresholds_by_kind": {
            kind: {k: float(f"{v:.9g}") for k, v in t.items()}
            for kind, t in head.thresholds_by_kind.items()
        },
    }
    return json.dumps(payload, separators=(",", ":")) + "\n"


def head_from_json(text: str, source: str) -> Head:
    """A head from `head_to_json` text; ValueError naming `source` when it is not one."""
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as e:
        raise ValueError(f"cannot read classifier head {source}: {e}") from e
    try:
        return _head_from_json(raw)
    except (KeyError, TypeError, ValueError, AttributeError) as e:
        raise ValueError(f"classifier head {source} is malformed: {e!r}") from e


def _head_from_json(raw: dict[str, Any]) -> Head:
    if raw.get("format") != FORMAT:
        raise ValueError(f"format {raw.get('format')!r}, expected {FORMAT}")
    classes = tuple(str(c) for c in raw["classes"])
    unknown = [c for c in classes if c not in LABELS]
    if unknown or len(set(classes)) != len(classes):
        raise ValueError(f"classes {list(classes)}: each must be one of {list(LABELS)}, once")
    coef = np.asarray(raw["coef"], dtype=np.float64)
    intercept = np.asarray(raw["intercept"], dtype=np.float64)
    prototypes = np.asarray(raw.get("prototypes") or np.zeros((0, 0)), dtype=np.float64)
    if coef.ndim != 2 or coef.shape[0] != len(classes) or intercept.shape != (len(classes),):
        raise ValueError(f"coef {coef.shape} / intercept {intercept.shape} vs {len(classes)}")
    head = Head(
        classes=classes,
        coef=coef,
        intercept=intercept,
        model_id=str(raw["model_id"]),
        data_hash=str(raw["data_hash"]),
        params=HeadParams.from_dict(dict(raw.get("params") or {})),
        prototypes=prototypes,
        temperature=float(raw.get("temperature", 1.0)),
        n_train=int(raw.get("n_train", 0)),
        lexicon=_lexicon_from_json(raw.get("lexicon")),
        thresholds=_thresholds_from_json(raw.get("thresholds"), classes),
        thresholds_by_kind={
            str(kind): _thresholds_from_json(t, classes)
            for kind, t in dict(raw.get("thresholds_by_kind") or {}).items()
        },
    )
    if head.vector_width <= 0:
        raise ValueError(
            f"coef has {coef.shape[1]} columns, not more than its "
            f"{coef.shape[1] - head.vector_width} lexical and prototype features"
        )
    return head


def _thresholds_from_json(raw: object, classes: tuple[str, ...]) -> dict[str, float]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ValueError(f"thresholds must be an object, got {type(raw).__name__}")
    out = {str(k): float(v) for k, v in raw.items()}
    bad = [k for k, v in out.items() if k not in classes or not 0.0 <= v <= 1.0]
    if bad:
        raise ValueError(f"thresholds for unknown labels or outside [0, 1]: {bad}")
    return out


def _lexicon_json(lexicon: Lexicon) -> dict[str, Any]:
    return {"analyzer": lexicon.analyzer, "terms": list(lexicon.terms), "idf": _floats(lexicon.idf)}


def _lexicon_from_json(raw: dict[str, Any] | None) -> Lexicon | None:
    if raw is None:
        return None
    terms = tuple(str(t) for t in raw["terms"])
    idf = np.asarray(raw["idf"], dtype=np.float64)
    if idf.shape != (len(terms),):
        raise ValueError(f"lexicon idf {idf.shape} vs {len(terms)} terms")
    return Lexicon(analyzer=str(raw["analyzer"]), terms=terms, idf=idf)


def _floats(values: npt.NDArray[np.floating[Any]]) -> list[float]:
    return [float(f"{v:.9g}") for v in np.asarray(values, dtype=np.float64).ravel()]


def rounded(values: npt.NDArray[np.floating[Any]]) -> Matrix:
    """Values as save_head writes them (9 significant digits): a trained head then equals
    its saved-and-loaded copy bit for bit, and so does its fingerprint."""
    arr = np.asarray(values, dtype=np.float64)
    return np.array(_floats(arr), dtype=np.float64).reshape(arr.shape)
