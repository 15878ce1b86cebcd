"""Why a headline got its label: the nearest training headlines and the words that pushed it.

Nearest neighbours are by cosine similarity of the embeddings (rows are L2-normalised).
A word's push is measured by taking it out: the drop in the probability of the candidate
label (the argmax) when the headline is scored without that word. That covers both the
embedding and the character n-grams, unlike a read of the linear head's weights. When the
candidate fell below its abstention threshold, the explanation says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from signals.classifier.classifier import HeadlineClassifier
from signals.classifier.dataset import LabelledText
from signals.classifier.head import Matrix

NEIGHBOURS: Final[int] = 3
WORDS: Final[int] = 5


@dataclass(frozen=True)
class Neighbour:
    text: str
    label: str
    similarity: float


@dataclass(frozen=True)
class Explanation:
    label: str
    #: The argmax label the explanation is about (differs from `label` when it abstained).
    candidate: str
    probability: float
    threshold: float
    neighbours: list[Neighbour]
    #: (word, drop in the candidate's probability when the word is removed), largest first.
    words: list[tuple[str, float]]

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "candidate": self.candidate,
            "probability": round(self.probability, 4),
            "threshold": self.threshold,
            "abstained": self.label != self.candidate,
            "nearest": [
                {"text": n.text, "label": n.label, "similarity": round(n.similarity, 4)}
                for n in self.neighbours
            ],
            "words": [{"word": w, "push": round(d, 4)} for w, d in self.words],
        }


class Explainer:
    """Explains labels of one classifier against the training set it learnt from."""

    def __init__(
        self,
        classifier: HeadlineClassifier,
        training: Sequence[LabelledText],
        vectors: npt.NDArray[np.floating[Any]],
    ) -> None:
        if len(training) != len(vectors):
            raise ValueError(f"{len(training)} training headlines but {len(vectors)} vectors")
        self.classifier = classifier
        self.training = list(training)
        self.vectors = np.asarray(vectors, dtype=np.float64)

    def explain(self, text: str) -> Explanation:
        score = self.classifier.classify([text])[0]
        candidate = max(score.scores, key=score.scores.__getitem__)
        vector = np.asarray(self.classifier.embed([text]), dtype=np.float64)[0]
        return Explanation(
            label=score.label,
            candidate=candidate,
            probability=score.scores[candidate],
            threshold=self.classifier.head.thresholds.get(candidate, 0.0),
            neighbours=self._nearest(vector),
            words=self._pushes(text, candidate, score.scores[candidate]),
        )

    def _nearest(self, vector: Matrix) -> list[Neighbour]:
        if not len(self.vectors):
            return []
        similarity = self.vectors @ vector
        order = np.argsort(-similarity)[:NEIGHBOURS]
        return [
            Neighbour(self.training[i].text, self.training[i].label, float(similarity[i]))
            for i in order
        ]

    def _pushes(self, text: str, label: str, probability: float) -> list[tuple[str, float]]:
        words = self.classifier.prepare([text])[0].split()
        if len(words) < 2:
            return []
        without = [" ".join(words[:i] + words[i + 1 :]) for i in range(len(words))]
        scores = self.classifier.classify(without)
        drops = [(w, probability - s.scores[label]) for w, s in zip(words, scores, strict=True)]
        drops.sort(key=lambda pair: -pair[1])
        return [(w, d) for w, d in drops[:WORDS] if d > 0]
