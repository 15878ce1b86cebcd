"""Headline scores in the store: the classifier's label, confidence and probabilities.

One row per headline (headline_scores.headline_id is the key). `model_id` holds the id of
the head that scored it, so the scoring stage can find rows a retrained head must redo.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Final

from monitor.store.db import Store
from monitor.store.stamps import stamp
from signals.models import HeadlineScore

_CHUNK: Final[int] = 500


def save_scores(
    store: Store, scores: Iterable[tuple[int, HeadlineScore]], *, scored_at: datetime
) -> int:
    """Insert or replace the score of each headline id; return the number of rows written."""
    rows = [
        (
            headline_id,
            s.label,
            float(s.confidence),
            json.dumps({k: round(float(v), 6) for k, v in s.scores.items()}),
            s.model_id,
            stamp(scored_at),
        )
        for headline_id, s in scores
    ]
    if not rows:
        return 0
    with store.writing() as conn:
        conn.executemany(
            """
            INSERT INTO headline_scores (headline_id, label, confidence, scores, model_id,
                scored_at)
            VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (headline_id) DO UPDATE SET label = excluded.label,
                confidence = excluded.confidence, scores = excluded.scores,
                model_id = excluded.model_id, scored_at = excluded.scored_at
            """,
            rows,
        )
    return len(rows)


def scores_for(store: Store, headline_ids: Sequence[int]) -> dict[int, HeadlineScore]:
    """The stored score of each id that has one."""
    found: dict[int, HeadlineScore] = {}
    ids = list(dict.fromkeys(headline_ids))
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        marks = ",".join("?" * len(chunk))
        rows = store.conn.execute(
            "SELECT headline_id, label, confidence, scores, model_id FROM headline_scores "
            f"WHERE headline_id IN ({marks})",
            chunk,
        )
        for hid, label, confidence, scores, model_id in rows:
            found[int(hid)] = HeadlineScore(
                label=str(label),
                confidence=float(confidence),
                scores={str(k): float(v) for k, v in json.loads(scores).items()},
                model_id=str(model_id),
            )
    return found


def headlines_to_score(
    store: Store, head_id: str, limit: int | None = None
) -> list[tuple[int, str]]:
    """(id, title) of headlines with no score or a score from another head, oldest first."""
    sql = """
        SELECT h.id, h.title FROM headlines h
        LEFT JOIN headline_scores s ON s.headline_id = h.id
        WHERE s.headline_id IS NULL OR s.model_id != ? ORDER BY h.id
    """
    params: tuple[str | int, ...] = (head_id,)
    if limit is not None:
        sql += " LIMIT ?"
        params = (head_id, max(0, limit))
    return [(int(r[0]), str(r[1])) for r in store.conn.execute(sql, params)]


def headline_feeds(store: Store, ids: Sequence[int]) -> dict[int, str]:
    """Feed name of each headline id (imported or feedless headlines are left out)."""
    out: dict[int, str] = {}
    for start in range(0, len(ids), 500):
        chunk = list(ids[start : start + 500])
        marks = ",".join("?" * len(chunk))
        sql = f"SELECT id, feed FROM headlines WHERE id IN ({marks}) AND feed IS NOT NULL"
        out.update({int(r[0]): str(r[1]) for r in store.conn.execute(sql, chunk)})
    return out
