"""The headline classifier: all-MiniLM-L6-v2 embeddings and a logistic-regression head.

`load_classifier()` returns a `HeadlineClassifier` whose `classify(texts)` gives one
`HeadlineScore` per text (label, confidence = top probability, a probability per label)
and whose `embed(texts)` gives L2-normalised embeddings. Torch and sentence-transformers
are imported only when a text must actually be embedded.
"""

from signals.classifier.classifier import (
    HeadlineClassifier,
    ModelMismatchWarning,
    load_classifier,
)
from signals.classifier.encoder import Embedder, MiniLMEncoder, Vectors
from signals.text import normalise

__all__ = [
    "Embedder",
    "HeadlineClassifier",
    "MiniLMEncoder",
    "ModelMismatchWarning",
    "Vectors",
    "load_classifier",
    "normalise",
]
