"""A database connection per thread: how one `Store` serves the service's job threads.

A connection carries one transaction at a time, so threads that shared one would share
their transactions: on PostgreSQL a statement failing in one thread aborts the transaction
another thread has open on the session, and on SQLite a thread reads another's uncommitted
writes and loses them with that thread's rollback. Each thread therefore gets a connection
of its own, opened the first time it uses the store with the store's own opening code.

Connections stay few: a thread that has ended gives its connection back and the next new
thread takes it (the scheduler's worker threads are long-lived, so a service holds one per
job thread plus the main thread's). `close_all` closes every one of them at shutdown.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable

from monitor.errors import StoreError

Opener = Callable[[], sqlite3.Connection]


class ThreadConnections:
    """Connections by thread; `first` (already open) belongs to the thread creating this."""

    def __init__(self, opener: Opener, first: sqlite3.Connection, location: str) -> None:
        self._opener = opener
        self._location = location
        self._mutex = threading.Lock()
        self._local = threading.local()
        self._owned: dict[threading.Thread, sqlite3.Connection] = {}
        self._spare: list[sqlite3.Connection] = []
        self._closed = False
        self._adopt(first)

    def get(self) -> sqlite3.Connection:
        """The calling thread's connection (opened or reused on its first call)."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is not None:
            return conn
        with self._mutex:
            if self._closed:
                raise StoreError(f"the store {self._location} is closed")
            self._reclaim_dead_threads()
            conn = self._spare.pop() if self._spare else self._opener()
            self._adopt(conn)
        return conn

    def count(self) -> int:
        """Connections open now (in use by a thread, or spare)."""
        with self._mutex:
            return len(self._owned) + len(self._spare)

    def close_all(self) -> None:
        with self._mutex:
            self._closed = True
            everything = [*self._owned.values(), *self._spare]
            self._owned.clear()
            self._spare.clear()
        for conn in everything:
            conn.close()

    def _adopt(self, conn: sqlite3.Connection) -> None:
        self._owned[threading.current_thread()] = conn
        self._local.conn = conn

    def _reclaim_dead_threads(self) -> None:
        for thread in [t for t in self._owned if not t.is_alive()]:
            conn = self._owned.pop(thread)
            if conn.in_transaction:  # cannot happen through Store.transaction; never reuse one
                conn.rollback()
            self._spare.append(conn)
