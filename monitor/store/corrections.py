"""Label corrections: a user's own label for a headline, keyed by its normalised text.

`bubble-monitor label` writes them; `train --with-corrections` reads them as training
data; `evaluate` drops every evaluation title that has one, so a correction never scores
the model it trained. Correcting the same headline again replaces its label.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from monitor.store.db import Store
from signals.text import normalise


@dataclass(frozen=True, slots=True)
class Correction:
    text: str
    label: str
    created_at: datetime


def correction_key(text: str) -> str:
    """sha256 of the normalised, lower-cased headline: one key per story wording."""
    return hashlib.sha256(normalise(text).lower().encode("utf-8")).hexdigest()


def put_corrections(store: Store, items: Sequence[tuple[str, str]], now: datetime) -> int:
    """Store (text, label) pairs; a headline corrected before gets the new label."""
    stamp = now.astimezone(UTC).isoformat(timespec="seconds")
    rows = [(correction_key(text), normalise(text), label, stamp) for text, label in items]
    with store.writing() as conn:
        conn.executemany(
            "INSERT INTO label_corrections (text_key, text, label, created_at) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (text_key) DO UPDATE SET "
            "text = excluded.text, label = excluded.label, created_at = excluded.created_at",
            rows,
        )
    return len(rows)


def list_corrections(store: Store) -> list[Correction]:
    rows = store.conn.execute(
        "SELECT text, label, created_at FROM label_corrections ORDER BY created_at, text_key"
    ).fetchall()
    return [Correction(r[0], r[1], datetime.fromisoformat(r[2])) for r in rows]


def correction_keys(store: Store) -> set[str]:
    return {r[0] for r in store.conn.execute("SELECT text_key FROM label_corrections")}
