"""Migration 6: the embeddings cache moves from a WITHOUT ROWID table to a rowid table with
a unique key, on both backends, keeping every vector byte for byte.

A store is built at schema version 5 with the migrations as they shipped, filled, then
opened by the current code, which upgrades it; the cache must read, skip existing keys
and count exactly as before.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import psycopg

from monitor.store import Store
from monitor.store.embeddings import count_embeddings, get_embeddings, put_embeddings
from monitor.store.pg_sql import translate_ddl
from monitor.store.schema import MIGRATIONS, SCHEMA_VERSION

BEFORE = 5  # the last version with the WITHOUT ROWID table
INSERT = "INSERT INTO embeddings (model_id, text_hash, dim, vector) VALUES ({0}, {0}, {0}, {0})"
VECTORS = {
    f"{n:064x}": np.random.default_rng(n).standard_normal(384).astype("<f4") for n in range(40)
}


def _build_old(target: str | Path) -> None:
    rows = [("m", key, 384, v.tobytes()) for key, v in VECTORS.items()]
    rows.append(("other-model", "0" * 64, 3, np.array([1, 2, 3], "<f4").tobytes()))
    if isinstance(target, Path):
        with sqlite3.connect(target, isolation_level=None) as conn:
            for number in range(1, BEFORE + 1):
                conn.executescript(f"BEGIN;{MIGRATIONS[number - 1]}\n"
                                   f"PRAGMA user_version = {number}; COMMIT;")  # fmt: skip
            conn.executemany(INSERT.format("?"), rows)
        return
    with psycopg.connect(target, autocommit=True) as conn:
        conn.execute("CREATE TABLE schema_version (version BIGINT NOT NULL)")
        for number in range(1, BEFORE + 1):
            conn.execute(translate_ddl(MIGRATIONS[number - 1]).encode())
        conn.execute("INSERT INTO schema_version (version) VALUES (%s)", (BEFORE,))
        conn.cursor().executemany(INSERT.format("%s").encode(), rows)


def test_an_old_store_upgrades_keeping_every_vector(store_target: str | Path) -> None:
    _build_old(store_target)
    with Store(store_target) as store:
        assert store.schema_version() == SCHEMA_VERSION
        found = get_embeddings(store, "m", VECTORS)
        assert set(found) == set(VECTORS)
        assert all(found[k].tobytes() == v.tobytes() for k, v in VECTORS.items())
        assert (count_embeddings(store), count_embeddings(store, "m")) == (41, 40)
        first = next(iter(VECTORS))
        fresh = np.ones(384, dtype="<f4")
        # The unique key still makes a second write of a key a no-op, and a new key lands.
        assert put_embeddings(store, "m", {first: fresh, "f" * 64: fresh}) == 1
        assert get_embeddings(store, "m", [first])[first].tobytes() == VECTORS[first].tobytes()
        assert count_embeddings(store, "m") == 41


def test_the_sqlite_table_has_a_rowid_and_a_unique_key(db_path: Path) -> None:
    with Store(db_path) as store:
        sql = store.conn.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'embeddings'"
        ).fetchone()[0]
        assert "WITHOUT ROWID" not in sql.upper()
        index = store.conn.execute("PRAGMA index_list(embeddings)").fetchall()
        assert [(r["name"], r["unique"]) for r in index] == [("embeddings_key", 1)]
        columns = [r["name"] for r in store.conn.execute("PRAGMA index_info(embeddings_key)")]
        assert columns == ["model_id", "text_hash"]
