"""The headline classifier: all-MiniLM-L6-v2 embeddings and a logistic-regression head.

A `HeadlineClassifier` (a head in front of an `Embedder`) gives one `HeadlineScore` per
text (label, confidence = top probability, a probability per label) from `classify(texts)`
and L2-normalised embeddings from `embed(texts)`. The shipped head and the packaged MiniLM
model are files: monitor.reading.classifier_files.load_classifier() reads them.
"""

from signals.classifier.classifier import HeadlineClassifier, ModelMismatchWarning
from signals.classifier.encoder import Embedder, Vectors
from signals.text import normalise

__all__ = [
    "Embedder",
    "HeadlineClassifier",
    "ModelMismatchWarning",
    "Vectors",
    "normalise",
]
