"""The score stage: label every headline that has no score from the current head.

Embeddings come from the store's cache; only texts never embedded run through the model,
in batches. Each batch's scores are saved in one transaction, so an interrupted run keeps
what it finished and a re-run does only the rest (and nothing at all the second time).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Final

from monitor.reading.embedding_cache import CachedEmbedder
from monitor.store.db import Store
from monitor.store.scores import headlines_to_score, save_scores
from signals.classifier import HeadlineClassifier
from signals.classifier.encoder import Embedder

if TYPE_CHECKING:
    from monitor.app import App

BATCH: Final[int] = 1000


@dataclass(frozen=True, slots=True)
class ScoreResult:
    """How many headlines this run scored (0 when every one already had a score)."""

    scored: int

    def summary(self) -> dict[str, Any]:
        return {"count": self.scored}


def run_score(app: App) -> ScoreResult:
    """Score the new headlines with the App's classifier and its one embedding cache."""
    count = score_new_headlines(
        app.store, app.classifier(), now=app.clock(), embedder=app.embedder()
    )
    return ScoreResult(count)


def score_new_headlines(
    store: Store,
    classifier: HeadlineClassifier,
    *,
    now: datetime,
    batch_size: int = BATCH,
    embedder: Embedder | None = None,
) -> int:
    """Score headlines without a score (or scored by another head); return rows scored.
    `embedder` is the store-backed cache to use (a new one over the classifier's model
    when None)."""
    pending = headlines_to_score(store, classifier.head_id)
    if embedder is None:
        embedder = CachedEmbedder(
            classifier.embedder,
            store,
            normalise_text=classifier.head.params.normalise_text,
            batch_size=min(batch_size, 256),
        )
    done = 0
    for start in range(0, len(pending), batch_size):
        batch = pending[start : start + batch_size]
        titles = [title for _, title in batch]
        scores = classifier.classify_vectors(embedder.embed(titles), titles)
        with store.transaction():
            done += save_scores(
                store, zip((hid for hid, _ in batch), scores, strict=True), scored_at=now
            )
    return done
