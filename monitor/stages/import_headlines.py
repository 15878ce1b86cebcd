"""The import-headlines stage: dated historical headlines from an archive file into the
store, without fetching: stored, scored, grouped into stories, marked `imported`.

The file is read as a stream (monitor.sources.archive) and handled in batches of
`ImportOptions.batch_size` accepted rows, so memory stays bounded whatever its size. Per
batch: the titles are embedded through the store's embedding cache (outside any
transaction: the model is the slow part, and a re-import finds every vector cached),
then ONE transaction inserts the rows not already stored (same URL or title: a
duplicate), saves their scores from the current classifier head and groups them into
stories (monitor.sources.news.stories.group_stories, the live rule). A crash therefore loses at
most the batch in flight, never leaves a row stored without its score and story, and a
re-run stores nothing twice: re-importing a file changes nothing.

After each committed batch, its new rows (scored, grouped) are handed to the
`hooks` (monitor.stages.headline_hooks), e.g. a deal extractor. A bad row (broken JSON,
no date, bad date, no title, bad URL, ...) is counted by reason and named by file and
line, and is never stored, not even in part.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import numpy as np

from monitor.sources.archive.parse import REASONS, RejectedRow
from monitor.sources.archive.read import Parsed, read_archive
from monitor.sources.news.stories import group_stories
from monitor.stages.headline_hooks import HeadlineHook, hand_on
from monitor.store.db import Store
from monitor.store.headlines import insert_each
from monitor.store.scores import save_scores
from signals.classifier import HeadlineClassifier
from signals.classifier.encoder import Embedder
from signals.models import Headline, StoredHeadline
from signals.stories import StoryRow, joined

if TYPE_CHECKING:
    from monitor.app import App

#: Accepted rows per batch: one transaction, one model pass over the cache misses.
BATCH: Final[int] = 1000
#: Rejected rows named one by one in the result (all are counted by reason).
NAMED_REJECTIONS: Final[int] = 1000
#: A row dated later than the import's clock plus this is broken, not future news.
FUTURE_SLACK: Final[timedelta] = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class ImportOptions:
    """Batch size and the story rule (feeds.yaml `news`: similarity, window)."""

    similarity: float = 0.72
    window: timedelta = timedelta(hours=72)
    batch_size: int = BATCH


@dataclass(slots=True)
class ImportResult:
    """What one import read, stored, skipped and rejected (see `summary()`)."""

    path: str
    rows: int = 0
    stored: int = 0
    already_stored: int = 0
    rejected: Counter[str] = field(default_factory=Counter)
    rejections: list[RejectedRow] = field(default_factory=list)
    stories_joined: int = 0
    first_day: date | None = None
    last_day: date | None = None
    hook_errors: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        """The JSON form (`import-headlines --json`)."""
        named = [{"line": r.line, "reason": r.reason, "message": str(r)} for r in self.rejections]
        return {
            "path": self.path,
            "rows": self.rows,
            "stored": self.stored,
            "already_stored": self.already_stored,
            "rejected": sum(self.rejected.values()),
            "rejected_by_reason": {k: self.rejected[k] for k in REASONS if self.rejected[k]},
            "rejections": named,
            "rejections_not_named": max(0, sum(self.rejected.values()) - len(named)),
            "scored": self.stored,
            "stories_joined": self.stories_joined,
            "first_day": None if self.first_day is None else self.first_day.isoformat(),
            "last_day": None if self.last_day is None else self.last_day.isoformat(),
            "hook_errors": list(self.hook_errors),
        }

    def reject(self, row: RejectedRow) -> None:
        self.rows += 1
        self.rejected[row.reason] += 1
        if len(self.rejections) < NAMED_REJECTIONS:
            self.rejections.append(row)

    def accept(self, headline: Headline) -> None:
        self.rows += 1
        day = headline.published.date()
        self.first_day = day if self.first_day is None else min(self.first_day, day)
        self.last_day = day if self.last_day is None else max(self.last_day, day)


def run_import_headlines(
    app: App, path: Path, *, on_batch: Callable[[ImportResult], None] | None = None
) -> ImportResult:
    """Import `path` with the App's classifier, embedding cache, story rule and hooks."""
    now = app.clock()
    news = app.config.news
    return import_headlines(
        app.store,
        read_archive(path, latest=now + FUTURE_SLACK),
        str(path),
        classifier=app.classifier(),
        embedder=app.embedder(),
        now=now,
        options=ImportOptions(
            similarity=news.story_similarity, window=timedelta(hours=news.story_window_hours)
        ),
        hooks=(*app.headline_hooks, _deal_hook(app)),
        on_batch=on_batch,
    )


def _deal_hook(app: App) -> HeadlineHook:
    """Circular deals are read out of each committed batch by the function collect news
    uses (monitor.reading.deals_extract.extract_new_deals; docs/circular-deals.md); as a
    hook, a failure is the import's `hook_errors` and the rows stay stored."""
    from monitor.reading.circular import entity_table
    from monitor.reading.deals_extract import configured_model, extract_new_deals

    table = entity_table(app.config)
    model = configured_model(app.config)

    def extract_deals_of_new_headlines(batch: Sequence[StoredHeadline]) -> None:
        ids = [h.id for h in batch]
        extract_new_deals(app.store, table, ids, now=app.clock(), model=model)

    return extract_deals_of_new_headlines


def import_headlines(
    store: Store,
    items: Iterable[Parsed],
    path: str,
    *,
    classifier: HeadlineClassifier,
    embedder: Embedder,
    now: datetime,
    options: ImportOptions | None = None,
    hooks: Sequence[HeadlineHook] = (),
    on_batch: Callable[[ImportResult], None] | None = None,
) -> ImportResult:
    """Store, score and group the accepted rows of `items` batch by batch (module doc)."""
    options = options or ImportOptions()
    result = ImportResult(path)
    for batch in _batches(items, options.batch_size, result):
        stored = _store_batch(store, batch, classifier, embedder, now, options)
        result.stored += len(stored.rows)
        result.already_stored += len(batch) - len(stored.rows)
        result.stories_joined += stored.joined
        result.hook_errors.extend(hand_on(hooks, stored.rows))
        if on_batch is not None:
            on_batch(result)
    return result


def _batches(items: Iterable[Parsed], size: int, result: ImportResult) -> Iterator[list[Headline]]:
    batch: list[Headline] = []
    for _, item in items:
        if isinstance(item, RejectedRow):
            result.reject(item)
            continue
        result.accept(item)
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


@dataclass(frozen=True, slots=True)
class _Stored:
    rows: list[StoredHeadline]
    joined: int


def _store_batch(
    store: Store,
    batch: list[Headline],
    classifier: HeadlineClassifier,
    embedder: Embedder,
    now: datetime,
    options: ImportOptions,
) -> _Stored:
    titles = [h.title for h in batch]
    vectors = np.asarray(embedder.embed(titles))
    with store.transaction():
        ids = insert_each(store, batch, fetched_at=now, imported=True)
        new = [i for i, hid in enumerate(ids) if hid is not None]
        if not new:
            return _Stored([], 0)
        new_ids = [int(ids[i] or 0) for i in new]
        scores = classifier.classify_vectors(vectors[new], [titles[i] for i in new])
        save_scores(store, zip(new_ids, scores, strict=True), scored_at=now)
        pending = [
            StoryRow(hid, batch[i].title, batch[i].published, None)
            for i, hid in zip(new, new_ids, strict=True)
        ]
        story_of = group_stories(
            store, embedder, pending, similarity=options.similarity, window=options.window
        )
    rows = [
        StoredHeadline(id=hid, headline=batch[i], story_id=story_of[hid], score=score)
        for i, hid, score in zip(new, new_ids, scores, strict=True)
    ]
    return _Stored(rows, joined(story_of))
