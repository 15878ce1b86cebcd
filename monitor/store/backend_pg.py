"""The PostgreSQL backend: psycopg 3 behind the same calls the store makes on sqlite3.

`PgConnection` offers the part of `sqlite3.Connection` the store modules use (`execute`,
`executemany`, `commit`, `rollback`, `in_transaction`, rows readable by index and by
column name), translating each statement with `pg_sql`. The store modules therefore run
unchanged on both backends, and the contract tests run each of them on both.

The schema is the same list of migrations as SQLite's, in PostgreSQL DDL, numbered in a
`schema_version` table (PRAGMA user_version has no PostgreSQL twin). Instances that start
together migrate one at a time under a blocking advisory lock.

`advisory_lock` takes a unit of work's session-level advisory lock on the calling
thread's own connection (monitor/store/connections.py), so a lock lasts for a whole job
(many transactions) and dies with the process: when an instance is killed, the server
closes its sessions and the lock is free. Threads of one instance have separate sessions,
so a unit one thread holds is refused to the others.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any, Final

import psycopg
from psycopg.pq import TransactionStatus

from monitor.config.db_target import display_location
from monitor.errors import StoreError
from monitor.store.pg_connect import connect
from monitor.store.pg_sql import translate_ddl, translate_query
from monitor.store.schema import MIGRATIONS, SCHEMA_VERSION

#: The advisory lock key migrations queue on (any fixed 64-bit number not used elsewhere).
MIGRATION_LOCK_KEY: Final[int] = 0x0B0B_1E00_0000_0001


class PgRow(tuple[Any, ...]):
    """A result row like sqlite3.Row: `row[0]`, `row["name"]`, `row.keys()`."""

    _index: dict[str, int]

    def __new__(cls, values: Sequence[Any], index: dict[str, int]) -> PgRow:
        row = super().__new__(cls, values)
        row._index = index
        return row

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return super().__getitem__(self._index[key])
        return super().__getitem__(key)

    def keys(self) -> list[str]:
        return list(self._index)


def _row_factory(cursor: Any) -> Callable[[Sequence[Any]], PgRow]:
    index = {column.name: i for i, column in enumerate(cursor.description or ())}
    return lambda values: PgRow(values, index)


class PgCursor:
    """The result of one statement: rows, rowcount; no lastrowid (use RETURNING id)."""

    def __init__(self, cursor: psycopg.Cursor[Any]) -> None:
        self._cursor = cursor

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    @property
    def lastrowid(self) -> int | None:
        raise StoreError(
            "cursor.lastrowid is SQLite-only; write INSERT ... RETURNING id and read the row"
        )

    def fetchone(self) -> Any:
        return self._cursor.fetchone() if self._cursor.description else None

    def fetchall(self) -> list[Any]:
        return self._cursor.fetchall() if self._cursor.description else []

    def __iter__(self) -> Iterator[Any]:
        return iter(self.fetchall())


class PgConnection:
    """psycopg in autocommit mode with explicit BEGIN/COMMIT, as the store drives sqlite3.

    A connection the server dropped (a restart, a failover, an idle timeout) is replaced
    at the next statement that starts outside a transaction; the statement that met the
    break fails, so the job it belonged to is recorded as failed and the next one runs.
    One closed by `close()` stays closed: a late statement from a thread of a closed
    store fails rather than open a session nobody will close.
    """

    def __init__(self, url: str, *, read_only: bool = False) -> None:
        self.location = display_location(url)
        self._url = url
        self._read_only = read_only
        self._closed = False
        self.raw = connect(url, read_only=read_only)

    def execute(self, sql: str, params: Sequence[Any] = ()) -> PgCursor:
        cursor = self._live().cursor(row_factory=_row_factory)
        cursor.execute(translate_query(sql).encode(), _adapt(params))
        return PgCursor(cursor)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> PgCursor:
        cursor = self._live().cursor(row_factory=_row_factory)
        cursor.executemany(translate_query(sql).encode(), [_adapt(r) for r in rows])
        return PgCursor(cursor)

    def _live(self) -> psycopg.Connection[Any]:
        if self._closed:
            raise StoreError(f"the connection to {self.location} is closed")
        if self.raw.broken or self.raw.closed:
            self.raw.close()
            self.raw = connect(self._url, read_only=self._read_only)
        return self.raw

    @property
    def in_transaction(self) -> bool:
        if self.raw.broken or self.raw.closed:  # the transaction died with the connection
            return False
        return self.raw.info.transaction_status != TransactionStatus.IDLE

    def commit(self) -> None:
        if self.in_transaction:
            self.raw.execute(b"COMMIT")

    def rollback(self) -> None:
        if self.in_transaction:
            self.raw.execute(b"ROLLBACK")

    def close(self) -> None:
        self._closed = True
        self.raw.close()


def _adapt(params: Sequence[Any]) -> tuple[Any, ...]:
    """sqlite3's implicit conversions: bools are 0/1 integers, dates ISO-8601 text."""
    return tuple(_adapt_one(p) for p in params)


def _adapt_one(value: Any) -> Any:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, datetime):
        return value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return value


def migrate(conn: PgConnection) -> None:
    """Apply the migrations this database has not seen, one instance at a time."""
    raw = conn.raw
    number = 0
    try:
        with raw.transaction():
            raw.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK_KEY,))
            version = _read_version(raw)
            if version > SCHEMA_VERSION:
                raise StoreError(
                    f"database {conn.location} has schema version {version}, newer than this "
                    f"bubble-monitor understands ({SCHEMA_VERSION}); upgrade bubble-monitor"
                )
            for number in range(version + 1, SCHEMA_VERSION + 1):
                raw.execute(translate_ddl(MIGRATIONS[number - 1]).encode())
                raw.execute("UPDATE schema_version SET version = %s", (number,))
    except psycopg.Error as e:
        raise StoreError(f"cannot migrate database {conn.location} to version {number}: {e}") from e


def _read_version(raw: psycopg.Connection[Any]) -> int:
    raw.execute("CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL)")
    row = raw.execute("SELECT version FROM schema_version").fetchone()
    if row is None:
        raw.execute("INSERT INTO schema_version (version) VALUES (0)")
        return 0
    return int(row[0])


def schema_version(conn: PgConnection) -> int:
    row = conn.raw.execute("SELECT version FROM schema_version").fetchone()
    return int(row[0]) if row else 0


def unit_key(unit: str) -> int:
    """A stable signed 64-bit advisory-lock key for a unit-of-work name."""
    digest = hashlib.blake2b(unit.encode(), digest_size=8, person=b"bubblemon").digest()
    return int.from_bytes(digest, "big", signed=True)


@contextmanager
def advisory_lock(conn: PgConnection, unit: str) -> Iterator[bool]:
    """Try the unit's session-level advisory lock on the calling thread's own connection;
    yield whether it was granted, and release it when the block ends.

    The lock lasts across the many transactions of a job and dies with the session, so a
    killed instance frees it at once. A lock whose release fails is not left behind on a
    connection the thread will reuse: the session is closed (the server frees its locks)
    and the next statement opens a new one.
    """
    key = unit_key(unit)
    got = bool(conn.execute("SELECT pg_try_advisory_lock(?)", (key,)).fetchone()[0])
    try:
        yield got
    finally:
        if got:
            _unlock(conn, key)


def _unlock(conn: PgConnection, key: int) -> None:
    try:
        row = conn.execute("SELECT pg_advisory_unlock(?)", (key,)).fetchone()
        released = bool(row and row[0])
    except psycopg.Error:
        released = False
    if not released:  # the session that held it is gone or sick: end it, freeing the lock
        conn.raw.close()


def locks_held_elsewhere(conn: PgConnection) -> int:
    """How many advisory locks other sessions hold now (doctor shows it)."""
    row = conn.execute(
        "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
        "AND pid <> pg_backend_pid()"
    ).fetchone()
    return int(row[0]) if row else 0
