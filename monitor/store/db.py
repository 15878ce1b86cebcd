"""The store: a SQLite file (WAL, schema versioned with PRAGMA user_version) by default,
or a shared PostgreSQL database when the target is a `postgresql://` URL.

Each pipeline stage writes inside `transaction()`, so a crash leaves either all of a
stage's writes or none of them, and unique keys make every stage idempotent. On
PostgreSQL `conn` is a `PgConnection` (monitor/store/backend_pg.py) that answers the same
calls; `hold_unit` is how instances sharing one database do each unit of work once.

The service runs its jobs on several threads over one `Store`, so a job's network fetch
never waits for another job. Each thread has a connection of its own
(monitor/store/connections.py): a transaction, a failing statement and uncommitted writes
belong to the thread that made them. SQLite has one writer per file: the threads'
transactions queue on a lock rather than on SQLite's busy timeout, and no lock is held
outside a transaction, so a stage must do its network I/O outside `transaction()`.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext
from functools import partial
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, cast

from monitor.config.db_target import Backend, DbTarget, backend_of, display_location
from monitor.errors import StoreError
from monitor.store.connections import ThreadConnections
from monitor.store.schema import MIGRATIONS, SCHEMA_VERSION

if TYPE_CHECKING:
    from monitor.store.backend_pg import PgConnection

BUSY_TIMEOUT_MS = 10_000


class Store:
    """An open database. Use as a context manager, or call `close()`."""

    def __init__(self, target: DbTarget) -> None:
        self.backend: Backend = backend_of(target)
        #: Where the store is, safe to print (a URL's password is masked).
        self.location = display_location(target)
        self._write_lock = threading.RLock()
        if self.backend == "postgresql":
            self.path = Path()
            opener = partial(_open_postgres, str(target))
        else:
            self.path = Path(target)
            opener = partial(_connect, self.path)
        first = opener()
        try:
            self._migrate(first)
        except BaseException:
            first.close()
            raise
        self._connections = ThreadConnections(opener, first, self.location)

    def _migrate(self, conn: sqlite3.Connection) -> None:
        if self.backend == "postgresql":
            from monitor.store import backend_pg

            backend_pg.migrate(cast("PgConnection", conn))
        else:
            migrate(conn, self.path)

    @property
    def conn(self) -> sqlite3.Connection:
        """The calling thread's connection (each thread has its own; see the docstring)."""
        return self._connections.get()

    def open_connections(self) -> int:
        """Connections this store holds now: one per thread that used it (0 once closed)."""
        return self._connections.count()

    @property
    def pg(self) -> PgConnection:
        """The calling thread's PostgreSQL connection itself (only on that backend)."""
        if self.backend != "postgresql":
            raise StoreError(f"{self.location} is a SQLite store, not PostgreSQL")
        return cast("PgConnection", self.conn)

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._connections.close_all()

    def row_counts(self, tables: Sequence[str]) -> dict[str, int]:
        """Rows in each of `tables` (schema names chosen by the caller, never user input)."""
        for name in tables:
            if not name.isidentifier():
                raise ValueError(f"not a table name: {name!r}")
        return {
            name: int(self.conn.execute(f"SELECT COUNT(*) FROM {name}").fetchone()[0])
            for name in tables
        }

    @contextmanager
    def hold_unit(self, unit: str) -> Iterator[bool]:
        """Hold the lock of one unit of work while the block runs; yield False when another
        instance (or another thread) holds it. On SQLite a single instance owns the file
        (serve's flock), so the lock is always this instance's."""
        if self.backend != "postgresql":
            yield True
            return
        from monitor.store.backend_pg import advisory_lock

        with advisory_lock(self.pg, unit) as got:
            yield got

    def schema_version(self) -> int:
        if self.backend == "postgresql":
            from monitor.store.backend_pg import schema_version

            return schema_version(self.pg)
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def locks_held_elsewhere(self) -> int:
        """Advisory locks other sessions hold now (0 on SQLite, which has none)."""
        if self.backend != "postgresql":
            return 0
        from monitor.store.backend_pg import locks_held_elsewhere

        return locks_held_elsewhere(self.pg)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Run a block of writes atomically on the calling thread's connection (BEGIN
        IMMEDIATE: writers queue, never deadlock). On SQLite another thread's transaction
        waits for this one to end; PostgreSQL's sessions run side by side."""
        conn = self.conn
        with self._write_lock if self.backend == "sqlite" else nullcontext():
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.rollback()
                raise
            else:
                conn.commit()

    @contextmanager
    def writing(self) -> Iterator[sqlite3.Connection]:
        """Join the calling thread's transaction if one is open, else run the block in a
        new one, so a store function is atomic alone and part of a stage's transaction
        when nested."""
        conn = self.conn
        if conn.in_transaction:
            yield conn
        else:
            with self.transaction() as conn:
                yield conn

    def integrity_ok(self) -> bool:
        if self.backend == "postgresql":  # the server checks its own pages; ask it to answer
            return bool(self.conn.execute("SELECT 1").fetchone()[0] == 1)
        return bool(self.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok")


def _open_postgres(url: str) -> sqlite3.Connection:
    from monitor.store.backend_pg import PgConnection

    # PgConnection answers every call the store modules make on a sqlite3.Connection
    # (the contract tests run each store module on both); the cast keeps one type.
    return cast(sqlite3.Connection, PgConnection(url))


def _connect(path: Path) -> sqlite3.Connection:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: transactions are explicit (see Store.transaction).
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
    except (OSError, sqlite3.Error) as e:
        if isinstance(e, sqlite3.DatabaseError) and "not a database" in str(e):
            advice = "it is not a SQLite database, or a damaged one"
        else:
            advice = "check that the folder exists and is writable"
        raise StoreError(
            f"cannot open database {path}: {e}; {advice}, or pass another path with "
            "--db / BUBBLE_MONITOR_DB"
        ) from e
    conn.row_factory = sqlite3.Row
    return conn


def migrate(conn: sqlite3.Connection, path: Path) -> None:
    """Apply the migrations this database has not seen; refuse one from a newer version."""
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"database {path} has schema version {version}, newer than this bubble-monitor "
            f"understands ({SCHEMA_VERSION}); upgrade bubble-monitor or use another --db"
        )
    for number in range(version + 1, SCHEMA_VERSION + 1):
        try:
            conn.executescript(
                f"BEGIN IMMEDIATE;\n{MIGRATIONS[number - 1]}\nPRAGMA user_version = {number};\n"
                "COMMIT;"
            )
        except sqlite3.Error as e:
            conn.rollback()
            raise StoreError(f"cannot migrate database {path} to version {number}: {e}") from e
