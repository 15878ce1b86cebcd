"""HeadlineClassifier: texts in, one `HeadlineScore` per text out.

It joins three parts: text normalisation, an `Embedder` (the MiniLM encoder, or a cache
in front of it) and a `Head`. Callers that already hold embeddings (the scoring stage
reads them from the store) call `classify_vectors` and never touch the model.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from signals.classifier.abstain import decide
from signals.classifier.encoder import Embedder, Vectors
from signals.classifier.head import Head
from signals.labels import LABELS
from signals.models import HeadlineScore
from signals.text import normalise


class ModelMismatchWarning(UserWarning):
    """The head was trained on embeddings of another model than the one loaded."""


class HeadlineClassifier:
    """Labels headlines with one of signals.labels.LABELS and a probability for each."""

    def __init__(self, head: Head, embedder: Embedder) -> None:
        self.head = head
        self.embedder = embedder
        self.head_id = f"{head.model_id}+head-{_fingerprint(head)}"

    @property
    def model_id(self) -> str:
        """The embedding model's id: the key of cached embeddings."""
        return self.embedder.model_id

    def with_embedder(self, embedder: Embedder) -> HeadlineClassifier:
        """The same head in front of another embedder (e.g. a store-backed cache)."""
        return HeadlineClassifier(self.head, embedder)

    def prepare(self, texts: Sequence[str]) -> list[str]:
        """The texts as the head expects them (normalised unless the head says otherwise)."""
        if self.head.params.normalise_text:
            return [normalise(t) for t in texts]
        return list(texts)

    def embed(self, texts: Sequence[str]) -> Vectors:
        """L2-normalised embeddings of the prepared texts, one row per text."""
        return self.embedder.embed(self.prepare(texts))

    def classify(self, texts: Sequence[str]) -> list[HeadlineScore]:
        prepared = self.prepare(texts)
        return self._classify(self.embedder.embed(prepared), prepared)

    def classify_vectors(
        self, vectors: npt.NDArray[np.floating[Any]], texts: Sequence[str]
    ) -> list[HeadlineScore]:
        """Scores for precomputed embeddings (rows as returned by `embed` for `texts`).

        The texts are needed too: the head also reads their words (lexical features).
        """
        return self._classify(vectors, self.prepare(texts))

    def _classify(
        self, vectors: npt.NDArray[np.floating[Any]], prepared: Sequence[str]
    ) -> list[HeadlineScore]:
        if len(vectors) == 0:
            return []
        proba = self.head.predict_proba(vectors, prepared)
        columns = [self.head.classes.index(c) if c in self.head.classes else -1 for c in LABELS]
        return [self._score(row, columns) for row in proba]

    def _score(self, row: npt.NDArray[np.float64], columns: list[int]) -> HeadlineScore:
        scores = {
            label: float(row[j]) if j >= 0 else 0.0
            for label, j in zip(LABELS, columns, strict=True)
        }
        label = decide(scores, self.head.thresholds)
        return HeadlineScore(
            label=label, confidence=scores[label], scores=scores, model_id=self.head_id
        )


def _fingerprint(head: Head) -> str:
    """A short hash of what decides the scores (trained heads are already `rounded`)."""
    digest = hashlib.sha256()
    for part in (head.coef, head.intercept, head.prototypes, np.array([head.temperature])):
        digest.update(np.ascontiguousarray(part, dtype=np.float64).tobytes())
    # Thresholds change labels, so scores made before a recalibration must be redone.
    if head.thresholds:
        digest.update(repr(sorted(head.thresholds.items())).encode("utf-8"))
    return digest.hexdigest()[:12]
