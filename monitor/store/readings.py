"""Index readings in the store, one row per `as_of`, the whole reading as JSON.

Saving a reading with an `as_of` already stored replaces it, so re-computing the same
instant is idempotent. The payload (`reading_to_payload`) is the storage form, complete
enough to rebuild the reading; what `report --json` and `history --json` print is
`monitor.cli.render.reading_to_dict`.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from typing import Any

from monitor.errors import StoreError
from monitor.store.db import Store
from monitor.store.segment_payload import (
    optional_float,
    segment_from_dict,
    segment_to_dict,
    spread_from_dict,
    spread_to_dict,
)
from monitor.store.stamps import parse_stamp, stamp
from signals.models import Component, HeadlineRef, IndexReading


def ref_to_dict(ref: HeadlineRef) -> dict[str, Any]:
    return {
        "title": ref.title,
        "url": ref.url,
        "source": ref.source,
        "label": ref.label,
        "confidence": ref.confidence,
        "published": None if ref.published is None else stamp(ref.published),
        "sources": ref.sources,
    }


def ref_from_dict(data: dict[str, Any]) -> HeadlineRef:
    return HeadlineRef(
        title=data["title"],
        url=data["url"],
        source=data["source"],
        label=data["label"],
        confidence=float(data["confidence"]),
        published=parse_stamp(data.get("published")),
        sources=int(data.get("sources", 1)),
    )


def reading_to_payload(reading: IndexReading) -> dict[str, Any]:
    """The reading as plain JSON types, every field kept (the stored payload)."""
    return {
        "as_of": stamp(reading.as_of),
        "index": reading.index,
        "regime": reading.regime,
        "change": reading.change,
        "components": [component_to_dict(c) for c in reading.components],
        "top_headlines": [ref_to_dict(r) for r in reading.top_headlines],
        "stale": list(reading.stale),
        "notes": list(reading.notes),
        **v2_fields(reading),
        "context": dict(reading.context),
        "segments": [segment_to_dict(s) for s in reading.segments],
        "spread": None if reading.spread is None else spread_to_dict(reading.spread),
    }


def v2_fields(reading: IndexReading) -> dict[str, Any]:
    """The index v2 keys (None / empty on a v1 reading)."""
    return {
        "probability": reading.probability,
        "base_rate": reading.base_rate,
        "froth": reading.froth,
        "stress": reading.stress,
        "drivers": list(reading.drivers),
        "target": reading.target,
        "validated": reading.validated,
        "caution": reading.caution,
    }


def component_to_dict(c: Component) -> dict[str, Any]:
    return {
        "name": c.name,
        "kind": c.kind,
        "value": c.value,
        "weight": c.weight,
        "contribution": c.contribution,
        "detail": c.detail,
        "coverage": c.coverage,
        "unfitted": c.unfitted,
    }


def component_from_dict(c: dict[str, Any]) -> Component:
    return Component(
        name=c["name"],
        kind=c["kind"],
        value=optional_float(c["value"]),
        weight=float(c["weight"]),
        contribution=float(c["contribution"]),
        detail=c["detail"],
        coverage=float(c.get("coverage", 1.0)),
        unfitted=bool(c.get("unfitted", False)),
    )


def reading_from_payload(data: dict[str, Any]) -> IndexReading:
    as_of = parse_stamp(data["as_of"])
    assert as_of is not None
    return IndexReading(
        as_of=as_of,
        index=float(data["index"]),
        regime=data["regime"],
        change=None if data.get("change") is None else float(data["change"]),
        components=tuple(component_from_dict(c) for c in data["components"]),
        top_headlines=tuple(ref_from_dict(r) for r in data.get("top_headlines", [])),
        stale=tuple(data.get("stale", [])),
        notes=tuple(data.get("notes", [])),
        probability=optional_float(data.get("probability")),
        base_rate=optional_float(data.get("base_rate")),
        froth=optional_float(data.get("froth")),
        stress=optional_float(data.get("stress")),
        drivers=tuple(data.get("drivers", [])),
        target=data.get("target"),
        # Readings stored before the live model was chosen by its hold-out have neither.
        validated=data.get("validated"),
        caution=data.get("caution"),
        context=dict(data.get("context") or {}),
        # Readings stored before segments existed have neither key.
        segments=tuple(segment_from_dict(s) for s in data.get("segments") or []),
        spread=None if data.get("spread") is None else spread_from_dict(data["spread"]),
    )


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
