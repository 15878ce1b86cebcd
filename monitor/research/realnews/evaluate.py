"""The untouched test period (2025-07 .. 2026-04): the issue's figures for one head.

Each test title is read with the thresholds of the feed kind its collection stands for
(signals.classifier.realnews.kinds.row_kind); precision is re-weighted to the feed mix of
the configured feeds (model.FEED_MIX_VOLUME) with the train/tune period's prevalences.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from typing import Any

import numpy as np

from monitor.reading.classifier_files import encoder_for
from monitor.research.realnews import model as real_model
from monitor.research.realnews.corpus import labelled_rows, read_corpus
from monitor.research.realnews.corrections import drop_corrected
from monitor.research.realnews.prevalence import corpus_prevalence, row_kinds
from signals.classifier.encoder import Embedder
from signals.classifier.head import Head
from signals.classifier.realnews.labels import split
from signals.text import normalise


def evaluate_test(
    corpus: Path,
    head: Head,
    embedder: Embedder | None = None,
    head_path: Path | None = None,
    corrected: Collection[str] = (),
) -> dict[str, Any]:
    """The test figures of `head` (with its own encoder unless `embedder` is given: for a
    fine-tuned head, the delta beside `head_path`, default the package's head). Test titles
    with a stored correction (keys in `corrected`) are left out: they may be training data
    (monitor.research.realnews.corrections)."""
    rows = read_corpus(corpus)
    train_rows, test_rows = split(labelled_rows(corpus))
    test_rows, dropped = drop_corrected(test_rows, set(corrected))
    prevalences = corpus_prevalence(rows, train_rows)["prevalence"]
    texts = [normalise(r.text) for r in test_rows]
    encoder = embedder if embedder is not None else encoder_for(head, head_path)
    vectors = np.asarray(encoder.embed(texts), dtype=np.float64)
    figures = real_model.test_figures(
        head,
        vectors,
        texts,
        [r.label for r in test_rows],
        row_kinds(rows, test_rows),
        real_model.feed_mix(prevalences),
    )
    figures["dropped_corrected"] = dropped
    figures["wrong"] = [
        {"title": r.text, "label": r.label, "predicted": p}
        for r, p in zip(test_rows, figures.pop("predicted"), strict=True)
        if p != r.label
    ]
    return figures
