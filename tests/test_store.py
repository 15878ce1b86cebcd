"""The SQLite store: WAL, versioned schema, migrations, clear errors, atomic writes."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from monitor.errors import StoreError
from monitor.store import Store
from monitor.store.schema import SCHEMA_VERSION


def test_new_database_is_wal_and_at_current_version(db_path: Path) -> None:
    with Store(db_path) as store:
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        tables = {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master")}
        assert {
            "prices",
            "headlines",
            "headline_scores",
            "embeddings",
            "index_readings",
            "alerts",
            "feed_state",
            "job_runs",
        } <= tables
        assert store.integrity_ok()


def test_reopening_runs_no_migration_twice(db_path: Path) -> None:
    Store(db_path).close()
    with Store(db_path) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_database_from_a_newer_version_is_refused_and_left_alone(db_path: Path) -> None:
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE precious (x)")
    conn.execute("INSERT INTO precious VALUES (42)")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="newer than this bubble-monitor"):
        Store(db_path)
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT x FROM precious").fetchone()[0] == 42
    conn.close()


def test_unwritable_location_is_a_store_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where a folder should be")
    with pytest.raises(StoreError, match="cannot open database"):
        Store(blocker / "monitor.db")


def test_transaction_rolls_back_everything_on_error(store: Store) -> None:
    with pytest.raises(RuntimeError), store.transaction() as conn:
        conn.execute("INSERT INTO prices VALUES ('NVDA', '2026-01-02', 1.0, 'test', '2026-01-02')")
        raise RuntimeError("crash mid-stage")
    assert store.conn.execute("SELECT COUNT(*) FROM prices").fetchone()[0] == 0


def test_a_file_that_is_not_a_database_says_so(tmp_path: Path) -> None:
    """qaops: a corrupt or foreign file was met with 'check that the folder exists and is
    writable', which sent the operator to the wrong place."""
    junk = tmp_path / "monitor.db"
    junk.write_bytes(b"this is not SQLite " * 400)
    with pytest.raises(StoreError, match="it is not a SQLite database, or a damaged one") as e:
        Store(junk)
    assert "writable" not in str(e.value)
    assert junk.read_bytes().startswith(b"this is not SQLite")  # left as it was
