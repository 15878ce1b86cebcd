"""Headlines in the store: insert without duplicates, list with scores and story sizes,
find the unscored ones, and record which story each headline belongs to.

A headline is a duplicate when its canonical URL key or its normalised title key is already
stored (both UNIQUE in the schema), so re-collecting the same feeds inserts nothing.
`story_id` is NULL until story grouping has run; readers treat such a row as a story of one.
`imported` is 1 for a row read from an archive by import-headlines (never fetched).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any, Final

from monitor.store.db import Store
from monitor.store.stamps import stamp
from signals.models import Headline, HeadlineScore, StoredHeadline
from signals.stories import StoryRow
from signals.text import title_key, url_key

#: Ids per IN (...) query: far below SQLite's limit on bound parameters.
_CHUNK: Final[int] = 500


def insert_headlines(
    store: Store, headlines: Iterable[Headline], *, fetched_at: datetime
) -> list[int]:
    """Store the headlines not already stored; return the ids of the new rows, in order."""
    ids = insert_each(store, headlines, fetched_at=fetched_at)
    return [i for i in ids if i is not None]


def insert_each(
    store: Store, headlines: Iterable[Headline], *, fetched_at: datetime, imported: bool = False
) -> list[int | None]:
    """Store each headline not already stored: its new id, or None for a duplicate, in
    input order. `imported` marks rows read from an archive (import-headlines), not
    fetched from a feed."""
    ids: list[int | None] = []
    with store.writing() as conn:
        for h in headlines:
            cursor = conn.execute(
                """
                INSERT INTO headlines (url_key, title_key, title, url, source, feed,
                    published, published_estimated, summary, fetched_at, story_id, imported)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)
                ON CONFLICT DO NOTHING RETURNING id
                """,
                (
                    url_key(h.url), title_key(h.title), h.title, h.url, h.source, h.feed,
                    stamp(h.published), int(h.published_estimated), h.summary, stamp(fetched_at),
                    int(imported),
                ),
            )  # fmt: skip
            row = cursor.fetchone()
            ids.append(None if row is None else int(row[0]))
    return ids


def count_not_from_feed(store: Store, feed: str) -> int:
    """Stored headlines from any feed but `feed` (the demo refuses a store holding any)."""
    row = store.conn.execute("SELECT COUNT(*) FROM headlines WHERE feed <> ?", (feed,)).fetchone()
    return int(row[0])


def count_imported(store: Store) -> int:
    """Headlines stored by import-headlines (marked `imported`)."""
    row = store.conn.execute("SELECT COUNT(*) FROM headlines WHERE imported = 1").fetchone()
    return int(row[0])


def newest_headline_day(store: Store) -> date | None:
    """The UTC day of the newest stored headline."""
    row = store.conn.execute("SELECT MAX(published) AS last FROM headlines").fetchone()
    if row is None or row["last"] is None:
        return None
    return date.fromisoformat(str(row["last"])[:10])


def list_headlines(
    store: Store,
    *,
    since: datetime | None = None,
    label: str | None = None,
    limit: int | None = None,
) -> list[StoredHeadline]:
    """Stored headlines, newest first, with their score (if any) and story source count."""
    where: list[str] = ["1 = 1"]
    params: list[str | int] = []
    if since is not None:
        where.append("h.published >= ?")
        params.append(stamp(since))
    if label is not None:
        where.append("s.label = ?")
        params.append(label)
    return _select(store, where, params, limit)


def headlines_by_ids(store: Store, ids: Sequence[int]) -> list[StoredHeadline]:
    """The stored headlines with these ids (newest first), as `list_headlines` gives them."""
    found: list[StoredHeadline] = []
    for start in range(0, len(ids), _CHUNK):
        chunk = [int(i) for i in ids[start : start + _CHUNK]]
        where = [f"h.id IN ({','.join('?' * len(chunk))})"]
        found.extend(_select(store, where, list(chunk), None))
    found.sort(key=lambda h: (h.headline.published, h.id), reverse=True)
    return found


def _select(
    store: Store, where: list[str], params: list[str | int], limit: int | None
) -> list[StoredHeadline]:
    sql = f"""
        SELECT h.*, s.label, s.confidence, s.scores, s.model_id, c.n AS sources
        FROM headlines h
        LEFT JOIN headline_scores s ON s.headline_id = h.id
        JOIN (
          SELECT COALESCE(story_id, id) AS sid, COUNT(DISTINCT source) AS n
          FROM headlines GROUP BY sid
        ) c
          ON c.sid = COALESCE(h.story_id, h.id)
        WHERE {" AND ".join(where)}
        ORDER BY h.published DESC, h.id DESC
    """
    if limit is not None:
        sql += " LIMIT ?"
        params.append(max(0, limit))
    return [_stored(row) for row in store.conn.execute(sql, params)]


def unscored_headlines(store: Store, limit: int | None = None) -> list[tuple[int, str]]:
    """(id, title) of headlines without a score, oldest first."""
    sql = """
        SELECT h.id, h.title FROM headlines h
        LEFT JOIN headline_scores s ON s.headline_id = h.id
        WHERE s.headline_id IS NULL ORDER BY h.id
    """
    params: tuple[int, ...] = ()
    if limit is not None:
        sql += " LIMIT ?"
        params = (max(0, limit),)
    return [(int(r[0]), str(r[1])) for r in store.conn.execute(sql, params)]


def ungrouped_headlines(store: Store) -> list[StoryRow]:
    """Headlines that no story grouping has seen yet, in insertion order."""
    rows = store.conn.execute(
        "SELECT id, title, published, story_id FROM headlines WHERE story_id IS NULL ORDER BY id"
    )
    return [_story_row(r) for r in rows]


def grouped_headlines_between(store: Store, start: datetime, end: datetime) -> list[StoryRow]:
    """Already grouped headlines published in [start, end]: candidates to join a story."""
    rows = store.conn.execute(
        """
        SELECT id, title, published, story_id FROM headlines
        WHERE story_id IS NOT NULL AND published BETWEEN ? AND ? ORDER BY id
        """,
        (stamp(start), stamp(end)),
    )
    return [_story_row(r) for r in rows]


def assign_stories(store: Store, story_of: Mapping[int, int]) -> int:
    """Set story_id for each headline id in `story_of`; return the number of rows updated."""
    with store.writing() as conn:
        cursor = conn.executemany(
            "UPDATE headlines SET story_id = ? WHERE id = ?",
            [(story, hid) for hid, story in story_of.items()],
        )
        return cursor.rowcount


def _story_row(row: sqlite3.Row) -> StoryRow:
    story = row["story_id"]
    return StoryRow(
        id=int(row["id"]),
        title=str(row["title"]),
        published=datetime.fromisoformat(row["published"]),
        story_id=int(story) if story is not None else None,
    )


def _stored(row: sqlite3.Row) -> StoredHeadline:
    headline = Headline(
        title=row["title"],
        url=row["url"],
        source=row["source"],
        feed=row["feed"],
        published=datetime.fromisoformat(row["published"]),
        published_estimated=bool(row["published_estimated"]),
        summary=row["summary"],
    )
    score = None
    if row["label"] is not None:
        score = HeadlineScore(
            label=row["label"],
            confidence=float(row["confidence"]),
            scores=_scores(row["scores"]),
            model_id=row["model_id"],
        )
    story = row["story_id"]
    return StoredHeadline(
        id=int(row["id"]),
        headline=headline,
        story_id=int(story) if story is not None else int(row["id"]),
        score=score,
        sources=int(row["sources"]),
    )


def _scores(text: str | None) -> dict[str, float]:
    try:
        data: Any = json.loads(text or "{}")
    except json.JSONDecodeError:
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): float(v) for k, v in data.items() if isinstance(v, int | float)}
