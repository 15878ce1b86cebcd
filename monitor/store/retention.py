"""Retention: what the store keeps, so a service that runs for years stays small.

Collected headlines older than `headlines_days` go with their scores (ON DELETE CASCADE)
and the cached embeddings of their titles (unless a kept headline has the same text);
headlines imported by import-headlines are history loaded on purpose and stay. Readings
older than `readings_full_days` are thinned to the last one of each UTC day, which is what
history charts and the backtest comparisons use. Each step is idempotent: pruning twice
changes nothing the first run did not.

The news components read 120 days of headlines (a 30-day window and a 90-day baseline
before it), so the configuration refuses to keep fewer than 150 days.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from monitor.store.db import Store
from monitor.store.embeddings import text_hash
from monitor.store.stamps import stamp
from signals.text import normalise


@dataclass(frozen=True, slots=True)
class PruneCounts:
    """Rows removed by one prune."""

    headlines: int = 0
    embeddings: int = 0
    readings: int = 0

    def summary(self) -> dict[str, int]:
        return {
            "headlines_pruned": self.headlines,
            "embeddings_pruned": self.embeddings,
            "readings_thinned": self.readings,
        }


def prune(
    store: Store,
    *,
    now: datetime,
    headlines_days: int | None,
    readings_full_days: int | None,
) -> PruneCounts:
    """Apply the retention rules as of `now` (None keeps that kind of row forever)."""
    headlines = embeddings = readings = 0
    with store.transaction():
        if headlines_days is not None:
            headlines, embeddings = _prune_headlines(store, now - timedelta(days=headlines_days))
        if readings_full_days is not None:
            readings = _thin_readings(store, now - timedelta(days=readings_full_days))
    return PruneCounts(headlines, embeddings, readings)


#: Old collected headlines; imported history (import-headlines) is kept: it was loaded on
#: purpose, to give the news components years of history.
_PRUNABLE = "published < ? AND imported = 0"


def _prune_headlines(store: Store, before: datetime) -> tuple[int, int]:
    cutoff = stamp(before)
    old = [
        r[0]
        for r in store.conn.execute(f"SELECT title FROM headlines WHERE {_PRUNABLE}", (cutoff,))
    ]
    if not old:
        return 0, 0
    deleted = store.conn.execute(f"DELETE FROM headlines WHERE {_PRUNABLE}", (cutoff,)).rowcount
    kept = _hashes(r[0] for r in store.conn.execute("SELECT title FROM headlines"))
    orphans = sorted(_hashes(old) - kept)
    models = [r[0] for r in store.conn.execute("SELECT DISTINCT model_id FROM embeddings")]
    dropped = 0
    for model in models:  # the key is (model_id, text_hash): both, so the index is used
        for key in orphans:
            dropped += store.conn.execute(
                "DELETE FROM embeddings WHERE model_id = ? AND text_hash = ?", (model, key)
            ).rowcount
    return int(deleted), dropped


def _hashes(titles: Iterable[str]) -> set[str]:
    """Cache keys a title may have: the cache hashes normalised text, or the raw text for a
    classifier head trained without normalisation."""
    out: set[str] = set()
    for title in titles:
        out.add(text_hash(normalise(title)))
        out.add(text_hash(title))
    return out


def _thin_readings(store: Store, before: datetime) -> int:
    """Keep the last reading of each UTC day before `before` (as_of is UTC ISO-8601 text,
    so its first ten characters are the day)."""
    cutoff = stamp(before)
    cursor = store.conn.execute(
        "DELETE FROM index_readings WHERE as_of < ? AND as_of NOT IN ("
        "  SELECT MAX(as_of) FROM index_readings WHERE as_of < ? GROUP BY substr(as_of, 1, 10)"
        ")",
        (cutoff, cutoff),
    )
    return int(cursor.rowcount)
