"""The store: a SQLite file (WAL, schema versioned with PRAGMA user_version) by default,
or a shared PostgreSQL database when the target is a `postgresql://` URL.

Each pipeline stage writes inside `transaction()`, so a crash leaves either all of a
stage's writes or none of them, and unique keys make every stage idempotent. On
PostgreSQL `conn` is a `PgConnection` (monitor/store/backend_pg.py) that answers the same
calls; `hold_unit` is how instances sharing one database do each unit of work once.

The service runs its jobs on several threads over this one connection, so a job's network
fetch never waits for another job. A transaction belongs to the thread that opened it: the
others' writes wait on a lock until it ends (they would otherwise join it), and no lock is
held outside a transaction, so a stage must do its network I/O outside `transaction()`.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, cast

from monitor.db_target import Backend, DbTarget, backend_of, display_location
from monitor.errors import StoreError
from monitor.store.schema import MIGRATIONS, SCHEMA_VERSION

if TYPE_CHECKING:
    from monitor.store.backend_pg import PgConnection, UnitLocks

BUSY_TIMEOUT_MS = 10_000


class Store:
    """An open database. Use as a context manager, or call `close()`."""

    def __init__(self, target: DbTarget) -> None:
        self.backend: Backend = backend_of(target)
        #: Where the store is, safe to print (a URL's password is masked).
        self.location = display_location(target)
        self._units: UnitLocks | None = None
        self._write_lock = threading.RLock()
        self._writer: int | None = None  # thread id of the open transaction's owner
        if self.backend == "postgresql":
            self.path = Path()
            self.conn = self._open_postgres(str(target))
            return
        self.path = Path(target)
        self.conn = _connect(self.path)
        try:
            migrate(self.conn, self.path)
        except BaseException:
            self.conn.close()
            raise

    def _open_postgres(self, url: str) -> sqlite3.Connection:
        from monitor.store import backend_pg

        conn = backend_pg.PgConnection(url)
        try:
            backend_pg.migrate(conn)
        except BaseException:
            conn.close()
            raise
        self._units = backend_pg.UnitLocks(url)
        # PgConnection answers every call the store modules make on a sqlite3.Connection
        # (the contract tests run each store module on both); the cast keeps one type.
        return cast(sqlite3.Connection, conn)

    @property
    def pg(self) -> PgConnection:
        """The PostgreSQL connection itself (only on that backend)."""
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
        if self._units is not None:
            self._units.close()
        self.conn.close()

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
        instance holds it. On SQLite a single instance owns the file (serve's flock), so
        the lock is always this instance's."""
        if self._units is None:
            yield True
            return
        with self._units.hold(unit) as got:
            yield got

    def schema_version(self) -> int:
        if self.backend == "postgresql":
            from monitor.store.backend_pg import schema_version

            return schema_version(self.pg)
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def locks_held_elsewhere(self) -> int:
        """Advisory locks other instances hold now (0 on SQLite, which has none)."""
        return self._units.held_elsewhere() if self._units is not None else 0

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Run a block of writes atomically (BEGIN IMMEDIATE: writers queue, never deadlock);
        another thread's transaction waits for this one to end."""
        with self._write_lock:
            self.conn.execute("BEGIN IMMEDIATE")
            self._writer = threading.get_ident()
            try:
                yield self.conn
            except BaseException:
                self.conn.rollback()
                raise
            else:
                self.conn.commit()
            finally:
                self._writer = None

    @contextmanager
    def writing(self) -> Iterator[sqlite3.Connection]:
        """Join the caller's transaction if one is open, else run the block in a new one,
        so a store function is atomic alone and part of a stage's transaction when nested."""
        if self.conn.in_transaction and self._writer == threading.get_ident():
            yield self.conn
        else:
            with self.transaction() as conn:
                yield conn

    def integrity_ok(self) -> bool:
        if self.backend == "postgresql":  # the server checks its own pages; ask it to answer
            return bool(self.conn.execute("SELECT 1").fetchone()[0] == 1)
        return bool(self.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok")


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
        raise StoreError(
            f"cannot open database {path}: {e}; check that the folder exists and is "
            "writable, or pass another path with --db / BUBBLE_MONITOR_DB"
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
