"""Reads for the dashboard: stored readings as their raw JSON payloads, and freshness facts.

Readings are returned as the stored payload (the `report --json` shape) rather than as
`IndexReading`, so that fields newer branches add (probability, segments, smart money...)
reach the page without this module knowing them. SQL is portable: `?` placeholders and
ISO-8601 UTC text compared as text.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from monitor.errors import StoreError
from monitor.store.db import Store
from monitor.store.stamps import stamp

Payload = dict[str, Any]


def payload_field(payload: Payload, key: str) -> Any:
    """A member of a stored reading: at its top, else under its `context` (where stored
    readings keep what is not in the index: circular deals, fundamentals, `simulated`,
    `relative`); None when neither has a truthy one."""
    nested = payload.get("context")
    return payload.get(key) or (nested.get(key) if isinstance(nested, dict) else None)


@dataclass(frozen=True, slots=True)
class StoredPayload:
    """One stored reading: its payload and when it was computed."""

    payload: Payload
    computed_at: str | None


def _decode(store: Store, as_of: str, text: str) -> Payload:
    try:
        data = json.loads(text)
    except ValueError as e:
        raise StoreError(
            f"{store.location}: index_readings row as_of={as_of} is not JSON: {e}"
        ) from e
    if not isinstance(data, dict):
        raise StoreError(f"{store.location}: index_readings row as_of={as_of} is not an object")
    return data


def _as_of_bound(
    op: str, bound: datetime | None, *, joiner: str = "WHERE", column: str = "as_of"
) -> tuple[str, tuple[str, ...]]:
    """A `WHERE as_of <op> ?` clause (or `AND r.as_of ...` after a WHERE already there) and
    its argument, or nothing when `bound` is None."""
    return ("", ()) if bound is None else (f" {joiner} {column} {op} ?", (stamp(bound),))


def latest_payload(store: Store, *, at_or_before: datetime | None = None) -> StoredPayload | None:
    """The newest stored reading (at or before `at_or_before` when given)."""
    where, args = _as_of_bound("<=", at_or_before)
    row = store.conn.execute(
        f"SELECT as_of, payload, computed_at FROM index_readings{where} "
        "ORDER BY as_of DESC LIMIT 1",
        args,
    ).fetchone()
    if row is None:
        return None
    return StoredPayload(_decode(store, row["as_of"], row["payload"]), row["computed_at"])


def recent_payloads(store: Store, limit: int) -> list[Payload]:
    """The newest `limit` readings' payloads, oldest first."""
    rows = store.conn.execute(
        "SELECT as_of, payload FROM index_readings ORDER BY as_of DESC LIMIT ?", (limit,)
    ).fetchall()
    return [_decode(store, r["as_of"], r["payload"]) for r in reversed(rows)]


#: A history point's members read by the database's own JSON functions: decoding every
#: stored payload in Python (23 KB each with its components and segments) cost /api/history
#: ~0.15 s of CPU per 557 readings, which grows with every day the service runs.
_POINT_SQL: Final[dict[str, str]] = {
    "sqlite": (
        "SELECT as_of, json_extract(payload, '$.as_of') AS doc_as_of, "
        "json_extract(payload, '$.index') AS idx, "
        "json_extract(payload, '$.regime') AS regime, "
        "json_extract(payload, '$.probability') AS probability FROM index_readings"
    ),
    "postgresql": (
        "SELECT as_of, payload::json ->> 'as_of' AS doc_as_of, payload::json ->> 'index' AS idx, "
        "payload::json ->> 'regime' AS regime, "
        "payload::json ->> 'probability' AS probability FROM index_readings"
    ),
}
_SEGMENT_SQL: Final[dict[str, str]] = {
    "sqlite": (
        "SELECT r.as_of, json_extract(r.payload, '$.as_of') AS doc_as_of, "
        "json_extract(s.value, '$.name') AS name, "
        "json_extract(s.value, '$.index') AS idx, json_extract(s.value, '$.regime') AS regime, "
        "json_extract(s.value, '$.probability') AS probability "
        "FROM index_readings r, json_each(r.payload, '$.segments') s "
        "WHERE json_type(r.payload, '$.segments') = 'array'"
    ),
    "postgresql": (
        "SELECT r.as_of, r.payload::json ->> 'as_of' AS doc_as_of, s.value ->> 'name' AS name, "
        "s.value ->> 'index' AS idx, "
        "s.value ->> 'regime' AS regime, s.value ->> 'probability' AS probability "
        "FROM index_readings r, json_array_elements(CASE WHEN json_typeof(r.payload::json "
        "-> 'segments') = 'array' THEN r.payload::json -> 'segments' ELSE '[]'::json END) s "
        "WHERE TRUE"
    ),
}


@dataclass(frozen=True, slots=True)
class HistoryPoint:
    """One reading (or one segment of it) as the history chart plots it; `name` is the
    segment's (None for the reading itself). Values are as stored: numbers, or None."""

    as_of: str
    name: str | None
    index: Any
    regime: Any
    probability: Any


def history_points(store: Store, since: datetime | None) -> list[HistoryPoint]:
    """Every reading since `since`, oldest first, without decoding whole payloads."""
    where, args = _as_of_bound(">=", since)
    return _points(store, _POINT_SQL[store.backend] + where + " ORDER BY as_of", args, None)


def segment_history_points(store: Store, since: datetime | None) -> list[HistoryPoint]:
    """Every segment of every reading since `since`, oldest first."""
    where, args = _as_of_bound(">=", since, joiner="AND", column="r.as_of")
    sql = _SEGMENT_SQL[store.backend] + where + " ORDER BY r.as_of"
    return _points(store, sql, args, "name")


def _points(
    store: Store, sql: str, args: tuple[str, ...], name_column: str | None
) -> list[HistoryPoint]:
    errors: tuple[type[Exception], ...] = (sqlite3.Error,)
    if store.backend == "postgresql":
        import psycopg  # only a PostgreSQL store needs the driver

        errors = (psycopg.Error,)
    try:
        rows = store.conn.execute(sql, args).fetchall()
    except errors as e:  # a payload that is not JSON makes the JSON functions fail
        raise StoreError(
            f"{store.location}: index_readings has a payload that is not JSON: {e}"
        ) from e
    return [
        HistoryPoint(
            as_of=str(r["doc_as_of"] or r["as_of"]),
            name=None if name_column is None else r[name_column],
            index=_number(r["idx"]),
            regime=r["regime"],
            probability=_number(r["probability"]),
        )
        for r in rows
    ]


def _number(value: Any) -> Any:
    """PostgreSQL's ->> gives text; SQLite's json_extract a number already."""
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return value
    return value


def price_fetches(store: Store) -> list[tuple[str, str, str]]:
    """(source, newest fetched_at, newest day) of the stored prices, per source."""
    rows = store.conn.execute(
        "SELECT source, MAX(fetched_at), MAX(day) FROM prices GROUP BY source ORDER BY source"
    ).fetchall()
    return [(str(r[0]), str(r[1]), str(r[2])) for r in rows]


def headline_fetches(store: Store) -> list[tuple[str, str, int]]:
    """(feed, newest fetched_at, headline count) per feed, for feeds with no feed_state row
    (imported or demo headlines)."""
    rows = store.conn.execute(
        "SELECT feed, MAX(fetched_at), COUNT(*) FROM headlines GROUP BY feed ORDER BY feed"
    ).fetchall()
    return [(str(r[0]), str(r[1]), int(r[2])) for r in rows]


@dataclass(frozen=True, slots=True)
class LabelledHeadline:
    """A scored headline as a page lists it (no story count: that would scan every row)."""

    title: str
    url: str
    source: str
    published: datetime
    label: str
    confidence: float


def labelled_headlines(store: Store, start: datetime, end: datetime) -> list[LabelledHeadline]:
    """Scored headlines published in [start, end], newest first (the published index)."""
    rows = store.conn.execute(
        "SELECT h.title, h.url, h.source, h.published, s.label, s.confidence "
        "FROM headlines h JOIN headline_scores s ON s.headline_id = h.id "
        "WHERE h.published >= ? AND h.published <= ? ORDER BY h.published DESC, h.id DESC",
        (stamp(start), stamp(end)),
    ).fetchall()
    return [
        LabelledHeadline(
            str(r[0]), str(r[1]), str(r[2]), datetime.fromisoformat(r[3]), str(r[4]), float(r[5])
        )
        for r in rows
    ]


def classifier_model(store: Store) -> str | None:
    """The model id of the newest headline score (the classifier that labelled the news)."""
    row = store.conn.execute(
        "SELECT model_id FROM headline_scores ORDER BY scored_at DESC LIMIT 1"
    ).fetchone()
    return None if row is None else str(row[0])
