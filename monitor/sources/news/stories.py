"""Group near-duplicate headlines into stories in the store, so that ten outlets reporting
one layoff count as one story with ten sources. The rule itself is `signals.stories`.

The embedder is injected (any object with `embed(texts) -> L2-normalised rows` and
`model_id`): the classifier's model in production, a small fake in most tests.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

import numpy as np

from monitor.errors import ModelError
from monitor.store.db import Store
from monitor.store.headlines import (
    assign_stories,
    grouped_headlines_between,
    ungrouped_headlines,
)
from signals.classifier.encoder import Embedder
from signals.stories import StoryRow, plan_stories


def group_pending_stories(
    store: Store, embedder: Embedder, *, similarity: float, window: timedelta
) -> dict[int, int]:
    """Give every ungrouped headline a story id, reusing stories already in the store;
    return the story id given to each (signals.stories.joined counts those that joined)."""
    return group_stories(
        store, embedder, ungrouped_headlines(store), similarity=similarity, window=window
    )


def group_stories(
    store: Store,
    embedder: Embedder,
    pending: Sequence[StoryRow],
    *,
    similarity: float,
    window: timedelta,
) -> dict[int, int]:
    """Give these ungrouped headlines (in insertion order) a story id each, joining stories
    stored within `window` of them, and return it; import-headlines calls it batch by
    batch."""
    if not pending:
        return {}
    start = min(r.published for r in pending) - window
    end = max(r.published for r in pending) + window
    grouped = grouped_headlines_between(store, start, end)
    vectors = _embed(embedder, [r.title for r in (*grouped, *pending)])
    story_of = plan_stories(grouped, pending, vectors, similarity=similarity, window=window)
    assign_stories(store, story_of)
    return story_of


def _embed(embedder: Embedder, texts: Sequence[str]) -> np.ndarray:
    if not texts:
        return np.zeros((0, 0), dtype=np.float32)
    vectors = np.asarray(embedder.embed(list(texts)), dtype=np.float32)
    if vectors.ndim != 2 or vectors.shape[0] != len(texts):
        raise ModelError(
            f"embedder {embedder.model_id!r} returned shape {vectors.shape} for {len(texts)} texts"
        )
    return vectors
