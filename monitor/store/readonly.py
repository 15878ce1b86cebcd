"""Read-only access to the store (the dashboard's web requests open one per request).

The connection is opened with `mode=ro` and `PRAGMA query_only`, so no request can write,
even through a bug. It is a `Store` (same `path` and `conn`), so the store's own read
functions work on it unchanged. It never migrates: a database older than this code is
refused with a message saying how to upgrade it.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from urllib.parse import quote

from monitor.errors import StoreError
from monitor.store.db import BUSY_TIMEOUT_MS, Store
from monitor.store.schema import SCHEMA_VERSION


class ReadOnlyStore(Store):
    """A `Store` whose connection cannot write."""

    def __init__(self, path: Path | str) -> None:  # no super(): it would migrate (a write)
        self.backend = "sqlite"
        self.location = str(path)
        self._units = None
        self._write_lock = threading.RLock()
        self._writer = None
        self.path = Path(path)
        self.conn = _connect_readonly(self.path)


def _connect_readonly(path: Path) -> sqlite3.Connection:
    uri = f"file:{quote(str(path.resolve()))}?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA query_only = ON")
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    except sqlite3.Error as e:
        raise StoreError(f"cannot open database {path} read-only: {e}") from e
    if version != SCHEMA_VERSION:
        conn.close()
        raise StoreError(_version_message(path, version))
    conn.row_factory = sqlite3.Row
    return conn


def _version_message(path: Path, version: int) -> str:
    if version > SCHEMA_VERSION:
        return (
            f"database {path} has schema version {version}, newer than this bubble-monitor "
            f"understands ({SCHEMA_VERSION}); upgrade bubble-monitor"
        )
    return (
        f"database {path} has schema version {version}, older than this bubble-monitor's "
        f"{SCHEMA_VERSION}; the dashboard never writes, so upgrade it once with any other "
        f"command on it (e.g. `bubble-monitor history --db {path}`)"
    )


def open_readonly(path: Path | str) -> ReadOnlyStore:
    """The database at `path`, read-only; StoreError naming the file if it is absent.
    A PostgreSQL URL is refused with a clear message: the dashboard reads SQLite only."""
    if not isinstance(path, Path):
        raise StoreError(
            "the dashboard reads a SQLite file only; it cannot show a PostgreSQL store yet "
            "(/healthz and /metrics still work under `serve`)"
        )
    if not path.is_file():
        raise StoreError(
            f"no database at {path}: create one with `bubble-monitor collect --db {path}` "
            f"(or `bubble-monitor report --demo --db {path}` for the simulated demo)"
        )
    return ReadOnlyStore(path)
