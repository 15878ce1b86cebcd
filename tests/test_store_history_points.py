"""The history chart's points read by the database's JSON functions (SQLite and PostgreSQL:
a `test_store*` module runs on both), equal to what decoding each payload gives."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from monitor.errors import StoreError
from monitor.store import Store
from monitor.store.overview import history_points, segment_history_points

PAYLOADS: list[dict[str, Any]] = [
    {"as_of": "2026-01-02T21:00:00+00:00", "index": 41.25, "regime": "warming"},
    {
        "as_of": "2026-01-05T21:00:00+00:00",
        "index": 15.695509545387056,
        "regime": "calm",
        "probability": 0.1255722660825257,
        "segments": [
            {"name": "llm", "index": 19.1, "regime": "warming", "probability": 0.191},
            {"name": "applied_ai", "index": None, "regime": "no data", "probability": None},
        ],
        "components": [{"name": "x" * 50, "value": 1.0}] * 200,  # the bulk of a real payload
    },
    {"as_of": "2026-01-06T21:00:00+00:00", "index": 16.0, "regime": "calm", "segments": {}},
]


def _insert(store: Store, payloads: list[dict[str, Any]]) -> None:
    for p in payloads:
        store.conn.execute(
            "INSERT INTO index_readings (as_of, index_value, regime, payload, computed_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (p["as_of"], p["index"], p["regime"], json.dumps(p), p["as_of"]),
        )
    store.conn.commit()


def test_points_equal_the_decoded_payloads(store: Store) -> None:
    _insert(store, PAYLOADS)
    points = history_points(store, None)
    assert [(p.as_of, p.index, p.regime, p.probability) for p in points] == [
        (d["as_of"], d["index"], d["regime"], d.get("probability")) for d in PAYLOADS
    ]
    since = history_points(store, datetime(2026, 1, 5, tzinfo=UTC))
    assert [p.as_of for p in since] == [PAYLOADS[1]["as_of"], PAYLOADS[2]["as_of"]]


def test_segment_points_skip_readings_without_a_segment_list(store: Store) -> None:
    _insert(store, PAYLOADS)
    points = segment_history_points(store, None)
    # The first reading has no segments; the third's are not a list (a hostile payload).
    assert [(p.as_of, p.name, p.index, p.regime, p.probability) for p in points] == [
        (PAYLOADS[1]["as_of"], "llm", 19.1, "warming", 0.191),
        (PAYLOADS[1]["as_of"], "applied_ai", None, "no data", None),
    ]
    assert segment_history_points(store, datetime(2026, 1, 6, tzinfo=UTC)) == []


def test_a_payload_that_is_not_json_is_a_store_error(store: Store) -> None:
    _insert(store, PAYLOADS[:1])
    store.conn.execute(
        "INSERT INTO index_readings (as_of, index_value, regime, payload, computed_at) "
        "VALUES (?, ?, ?, ?, ?)",
        ("2026-01-07T21:00:00+00:00", 1.0, "calm", "{not json", "2026-01-07T21:00:00+00:00"),
    )
    store.conn.commit()
    with pytest.raises(StoreError, match="index_readings has a payload that is not JSON"):
        history_points(store, None)
