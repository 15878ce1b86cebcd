"""Index readings in the store, one row per `as_of`, the whole reading as JSON.

Saving a reading with an `as_of` already stored replaces it, so re-computing the same
instant is idempotent. The payload (monitor.store.payload) is the storage form, complete
enough to rebuild the reading; what `report --json` and `history --json` print is
`monitor.present.reading.reading_to_dict`.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime

from monitor.errors import StoreError
from monitor.store.db import Store
from monitor.store.payload import reading_from_payload, reading_to_payload
from monitor.store.stamps import stamp
from signals.models import IndexReading


def save_reading(store: Store, reading: IndexReading, *, computed_at: datetime) -> None:
    """Store the reading; one with the same `as_of` is replaced (idempotent re-runs)."""
    payload = json.dumps(reading_to_payload(reading), ensure_ascii=False, sort_keys=True)
    with store.writing() as conn:
        conn.execute(
            "INSERT INTO index_readings (as_of, index_value, regime, payload, computed_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (as_of) DO UPDATE SET "
            "index_value = excluded.index_value, regime = excluded.regime, "
            "payload = excluded.payload, computed_at = excluded.computed_at",
            (stamp(reading.as_of), reading.index, reading.regime, payload, stamp(computed_at)),
        )


def latest_reading(store: Store, *, before: datetime | None = None) -> IndexReading | None:
    """The newest stored reading (strictly before `before` when given)."""
    sql = "SELECT as_of, payload FROM index_readings"
    args: tuple[str, ...] = ()
    if before is not None:
        sql += " WHERE as_of < ?"
        args = (stamp(before),)
    row = store.conn.execute(sql + " ORDER BY as_of DESC LIMIT 1", args).fetchone()
    return None if row is None else _load(store, row)


def readings_between(
    store: Store, start: datetime | None = None, end: datetime | None = None
) -> list[IndexReading]:
    """Readings with start <= as_of <= end, oldest first (either bound may be open)."""
    clauses, args = [], []
    if start is not None:
        clauses.append("as_of >= ?")
        args.append(stamp(start))
    if end is not None:
        clauses.append("as_of <= ?")
        args.append(stamp(end))
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    rows = store.conn.execute(
        f"SELECT as_of, payload FROM index_readings{where} ORDER BY as_of", args
    ).fetchall()
    return [_load(store, row) for row in rows]


def list_readings(store: Store, *, limit: int | None = None) -> list[IndexReading]:
    """The newest `limit` readings (all when None), oldest first."""
    sql = "SELECT as_of, payload FROM index_readings ORDER BY as_of DESC"
    rows = store.conn.execute(sql + (" LIMIT ?" if limit else ""), (limit,) if limit else ())
    return [_load(store, row) for row in reversed(rows.fetchall())]


def _load(store: Store, row: sqlite3.Row) -> IndexReading:
    try:
        return reading_from_payload(json.loads(row["payload"]))
    except (ValueError, KeyError, TypeError) as e:
        raise StoreError(
            f"{store.location}: index_readings row as_of={row['as_of']} is unreadable: {e}"
        ) from e
