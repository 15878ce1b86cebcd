"""Group near-duplicate headlines into stories, so that ten outlets reporting one layoff
count as one story with ten sources.

Each headline joins the story of its most similar EARLIER headline when their embedding
cosine is at least `similarity` and they were published within `window` of each other;
otherwise it starts a story whose id is its own id. Processing in insertion order makes the
result deterministic and lets later runs extend stories started by earlier ones.

The embedder is injected (any object with `embed(texts) -> L2-normalised rows` and
`model_id`): the classifier's model in production, a small fake in most tests.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

import numpy as np

from monitor.errors import ModelError
from monitor.store.db import Store
from monitor.store.headlines import (
    StoryRow,
    assign_stories,
    grouped_headlines_between,
    ungrouped_headlines,
)

BLOCK = 256


class Embedder(Protocol):
    """What story grouping needs from a model (see INTERFACES.md)."""

    @property
    def model_id(self) -> str: ...

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


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


def plan_stories(
    grouped: Sequence[StoryRow],
    pending: Sequence[StoryRow],
    vectors: np.ndarray,
    *,
    similarity: float,
    window: timedelta,
) -> dict[int, int]:
    """The story id of each pending headline; `vectors` has a row per grouped then pending."""
    rows = [*grouped, *pending]
    times = np.array([r.published.timestamp() for r in rows], dtype=np.float64)
    story: dict[int, int] = {r.id: r.story_id for r in grouped if r.story_id is not None}
    first = len(grouped)
    for lo in range(first, len(rows), BLOCK):
        hi = min(lo + BLOCK, len(rows))
        # Each pending row may only join rows before it: all grouped ones and earlier pending.
        sims = vectors[lo:hi] @ vectors[:hi].T
        near = np.abs(times[lo:hi, None] - times[None, :hi]) <= window.total_seconds()
        allowed = near & (np.arange(hi)[None, :] < np.arange(lo, hi)[:, None])
        sims = np.where(allowed, sims, -np.inf)
        best = sims.argmax(axis=1)
        matched = sims[np.arange(hi - lo), best] >= similarity
        # In order: a row's best match is earlier, so its story is already known.
        for offset in range(hi - lo):
            row = rows[lo + offset]
            story[row.id] = story[rows[best[offset]].id] if matched[offset] else row.id
    return {r.id: story[r.id] for r in pending}


def _embed(embedder: Embedder, texts: Sequence[str]) -> np.ndarray:
    if not texts:
        return np.zeros((0, 0), dtype=np.float32)
    vectors = np.asarray(embedder.embed(list(texts)), dtype=np.float32)
    if vectors.ndim != 2 or vectors.shape[0] != len(texts):
        raise ModelError(
            f"embedder {embedder.model_id!r} returned shape {vectors.shape} for {len(texts)} texts"
        )
    return vectors
