"""Group near-duplicate headlines into stories in the store, so that ten outlets reporting
one layoff count as one story with ten sources. The rule itself is `signals.stories`.

The embedder is injected (any object with `embed(texts) -> L2-normalised rows` and
`model_id`): the classifier's model in production, a small fake in most tests.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
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
from signals.stories import plan_stories


@dataclass(frozen=True, slots=True)
class StoryStats:
    """`grouped`: headlines given a story; `joined`: of those, how many joined an older one."""

    grouped: int
    joined: int


def group_pending_stories(
    store: Store, embedder: Embedder, *, similarity: float, window: timedelta
) -> StoryStats:
    """Give every ungrouped headline a story id, reusing stories already in the store."""
    pending = ungrouped_headlines(store)
    if not pending:
        return StoryStats(0, 0)
    start = min(r.published for r in pending) - window
    end = max(r.published for r in pending) + window
    grouped = grouped_headlines_between(store, start, end)
    vectors = _embed(embedder, [r.title for r in (*grouped, *pending)])
    story_of = plan_stories(grouped, pending, vectors, similarity=similarity, window=window)
    assign_stories(store, story_of)
    joined = sum(1 for hid, story in story_of.items() if hid != story)
    return StoryStats(grouped=len(story_of), joined=joined)


def _embed(embedder: Embedder, texts: Sequence[str]) -> np.ndarray:
    if not texts:
        return np.zeros((0, 0), dtype=np.float32)
    vectors = np.asarray(embedder.embed(list(texts)), dtype=np.float32)
    if vectors.ndim != 2 or vectors.shape[0] != len(texts):
        raise ModelError(
            f"embedder {embedder.model_id!r} returned shape {vectors.shape} for {len(texts)} texts"
        )
    return vectors
