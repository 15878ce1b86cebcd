"""The SQLite store: one file, WAL mode, schema versioned with PRAGMA user_version.

Each pipeline stage writes inside `transaction()`, so a crash leaves either all of a
stage's writes or none of them, and unique keys make every stage idempotent.

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

from monitor.errors import StoreError
from monitor.store.schema import MIGRATIONS, SCHEMA_VERSION

BUSY_TIMEOUT_MS = 10_000


class Store:
    """An open database. Use as a context manager, or call `close()`."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.conn = _connect(self.path)
        self._write_lock = threading.RLock()
        self._writer: int | None = None  # thread id of the open transaction's owner
        try:
            migrate(self.conn, self.path)
        except BaseException:
            self.conn.close()
            raise

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
