"""Story planning: which earlier headline each new one repeats, from their embeddings.

Each headline joins the story of its most similar EARLIER headline when their embedding
cosine is at least `similarity` and they were published within `window` of each other;
otherwise it starts a story whose id is its own id. Processing in insertion order makes the
result deterministic and lets later runs extend stories started by earlier ones. Pure: the
store-backed grouping (monitor.sources.news.stories) and the backtest both call `plan_stories`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

import numpy as np

#: Rows compared per block: bounds the similarity matrix to BLOCK x n.
BLOCK: Final[int] = 256


@dataclass(frozen=True, slots=True)
class StoryRow:
    """A headline as story grouping sees it; `story_id` is None while ungrouped."""

    id: int
    title: str
    published: datetime
    story_id: int | None


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


def joined(story_of: Mapping[int, int]) -> int:
    """Of the headlines given a story (id -> story id), how many joined an older story
    (a headline that starts one is its own story)."""
    return sum(1 for hid, story in story_of.items() if hid != story)
