"""Read-only access to the store (the dashboard's web requests open one per request).

A SQLite file is opened with `mode=ro` and `PRAGMA query_only`; a PostgreSQL URL opens a
session whose transactions are all read-only (`default_transaction_read_only`). Either
way no request can write, even through a bug. It is a `Store` (same `path` and `conn`),
so the store's own read functions work on it unchanged. It never migrates: a database
older than this code is refused with a message saying how to upgrade it.
"""

from __future__ import annotations

import sqlite3
import threading
from contextlib import closing
from functools import partial
from pathlib import Path
from typing import cast
from urllib.parse import quote

from monitor.config.db_target import DbTarget, backend_of, display_location
from monitor.errors import StoreError
from monitor.store.connections import ThreadConnections
from monitor.store.db import BUSY_TIMEOUT_MS, Store
from monitor.store.schema import SCHEMA_VERSION


class ReadOnlyStore(Store):
    """A `Store` whose connection cannot write."""

    def __init__(self, target: DbTarget) -> None:  # no super(): it would migrate (a write)
        self.backend = backend_of(target)
        self.location = display_location(target)
        self._write_lock = threading.RLock()
        if self.backend == "postgresql":
            self.path = Path()
            opener = partial(_connect_readonly_pg, str(target))
        else:
            self.path = Path(target)
            opener = partial(_connect_readonly, self.path)
        # Opened here, so a missing or outdated database fails now, naming itself.
        self._connections = ThreadConnections(opener, opener(), self.location)


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


def _connect_readonly_pg(url: str) -> sqlite3.Connection:
    import psycopg  # only a PostgreSQL target needs the driver

    from monitor.store import backend_pg
    from monitor.store.pg_connect import mask_password

    conn = backend_pg.PgConnection(url, read_only=True)  # StoreError (masked) if unreachable
    location = conn.location
    try:
        version = backend_pg.schema_version(conn)
    except psycopg.errors.UndefinedTable:
        version = 0  # no bubble-monitor schema yet: the same advice as an old one
    except psycopg.Error as e:
        conn.close()
        raise StoreError(
            f"cannot open database {location} read-only: {mask_password(str(e), url)}"
        ) from None  # the chained psycopg error could quote the password
    if version != SCHEMA_VERSION:
        conn.close()
        raise StoreError(_version_message(location, version))
    # PgConnection answers the calls the read functions make (see Store._open_postgres).
    return cast(sqlite3.Connection, conn)


def _version_message(location: Path | str, version: int) -> str:
    if version > SCHEMA_VERSION:
        return (
            f"database {location} has schema version {version}, newer than this "
            f"bubble-monitor understands ({SCHEMA_VERSION}); upgrade bubble-monitor"
        )
    return (
        f"database {location} has schema version {version}, older than this bubble-monitor's "
        f"{SCHEMA_VERSION}; the dashboard never writes, so upgrade it once with any other "
        f"command on it (e.g. `bubble-monitor history --db {location}`)"
    )


def stored_schema_version(target: DbTarget) -> int:
    """The schema version a database holds, read without migrating or writing it (0: no
    bubble-monitor schema yet); StoreError when it cannot be read."""
    if backend_of(target) == "postgresql":
        import psycopg

        from monitor.store import backend_pg

        conn = backend_pg.PgConnection(str(target), read_only=True)
        try:
            return backend_pg.schema_version(conn)
        except psycopg.errors.UndefinedTable:
            return 0
        finally:
            conn.close()
    uri = f"file:{quote(str(Path(target).resolve()))}?mode=ro"
    try:
        with closing(sqlite3.connect(uri, uri=True)) as lite:
            return int(lite.execute("PRAGMA user_version").fetchone()[0])
    except sqlite3.Error as e:
        raise StoreError(f"cannot open database {target} read-only: {e}") from e


def open_readonly(path: DbTarget) -> ReadOnlyStore:
    """The database at `path` (a SQLite file or a PostgreSQL URL), read-only; StoreError
    naming the file if it is absent, or the server (password masked) if unreachable."""
    if backend_of(path) == "postgresql":
        return ReadOnlyStore(path)
    path = Path(path)
    if not path.is_file():
        raise StoreError(
            f"no database at {path}: create one with `bubble-monitor collect --db {path}` "
            f"(or `bubble-monitor report --demo --db {path}` for the simulated demo)"
        )
    return ReadOnlyStore(path)
