"""Threads sharing one `Store`, as the service's job threads do, on both backends.

Each thread works on a connection of its own, so one job's failing statement or rolled-back
transaction never touches another job's transaction, and no job reads another's uncommitted
writes. The connections are few (one per thread that used the store, reused after a thread
ends) and all closed with the store.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from monitor.store import Store
from monitor.store import jobs as job_log

T0 = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
TIMEOUT = 10.0


def _in_thread(target: Callable[[], None]) -> tuple[threading.Thread, list[BaseException]]:
    errors: list[BaseException] = []

    def run() -> None:
        try:
            target()
        except BaseException as e:  # reported by the test, not lost in the thread
            errors.append(e)

    thread = threading.Thread(target=run)
    thread.start()
    return thread, errors


def _runs(store: Store, job: str) -> int:
    row = store.conn.execute("SELECT COUNT(*) FROM job_runs WHERE job = ?", (job,)).fetchone()
    return int(row[0])


def _insert(conn: sqlite3.Connection, job: str) -> None:
    conn.execute("INSERT INTO job_runs (job, started_at) VALUES (?, ?)", (job, T0.isoformat()))


def test_a_failing_statement_in_one_thread_spares_another_threads_transaction(
    store: Store,
) -> None:
    """Job A writes inside a transaction; mid-way, job B's statement fails (a bad query, a
    dropped table, a constraint). A's transaction must still commit all of its writes."""
    a_inside, b_failed = threading.Event(), threading.Event()

    def job_a() -> None:
        with store.transaction() as conn:
            _insert(conn, "a")
            a_inside.set()
            assert b_failed.wait(TIMEOUT)
            _insert(conn, "a")  # on a shared PostgreSQL session: "transaction is aborted"

    def job_b() -> None:
        assert a_inside.wait(TIMEOUT)
        with pytest.raises(Exception, match="no_such_table"):
            store.conn.execute("SELECT * FROM no_such_table")
        b_failed.set()

    (ta, errors_a), (tb, errors_b) = _in_thread(job_a), _in_thread(job_b)
    ta.join(TIMEOUT)
    tb.join(TIMEOUT)
    assert errors_a == [] and errors_b == []
    assert _runs(store, "a") == 2


def test_a_thread_never_reads_another_threads_uncommitted_writes(store: Store) -> None:
    """Job A writes, then fails and rolls back; job B reads meanwhile. B must not see the
    row that never existed (a shared connection hands it A's open transaction)."""
    a_wrote, b_read = threading.Event(), threading.Event()
    seen: list[int] = []

    def job_a() -> None:
        with pytest.raises(RuntimeError), store.transaction() as conn:
            _insert(conn, "a")
            a_wrote.set()
            assert b_read.wait(TIMEOUT)
            raise RuntimeError("job a fails mid-transaction")

    def job_b() -> None:
        assert a_wrote.wait(TIMEOUT)
        seen.append(_runs(store, "a"))
        b_read.set()

    (ta, errors_a), (tb, errors_b) = _in_thread(job_a), _in_thread(job_b)
    ta.join(TIMEOUT)
    tb.join(TIMEOUT)
    assert errors_a == [] and errors_b == []
    assert seen == [0] and _runs(store, "a") == 0


def test_a_rolled_back_job_loses_only_its_own_writes(store: Store) -> None:
    """Job A fails mid-transaction while job B's writes land: B's survive, A's are gone."""
    a_inside, b_done = threading.Event(), threading.Event()

    def job_a() -> None:
        with pytest.raises(RuntimeError), store.transaction() as conn:
            _insert(conn, "a")
            a_inside.set()
            b_done.wait(1.0)  # SQLite has one writer: B queues until A ends
            raise RuntimeError("job a fails")

    def job_b() -> None:
        assert a_inside.wait(TIMEOUT)
        job_log.start_run(store, "b", started_at=T0)
        job_log.record_event(store, "b", at=T0, outcome="skipped", error="test")
        b_done.set()

    (ta, errors_a), (tb, errors_b) = _in_thread(job_a), _in_thread(job_b)
    ta.join(TIMEOUT)
    tb.join(TIMEOUT)
    assert errors_a == [] and errors_b == []
    assert (_runs(store, "a"), _runs(store, "b")) == (0, 2)


def test_connections_are_one_per_live_thread_reused_and_closed(store_target: object) -> None:
    store = Store(store_target)  # type: ignore[arg-type]
    assert store.open_connections() == 1  # the opening thread's
    for _ in range(5):  # threads one after another: a dead thread's connection is reused
        thread, errors = _in_thread(lambda: job_log.record_event(store, "x", at=T0,
                                                                 outcome="skipped"))  # fmt: skip
        thread.join(TIMEOUT)
        assert errors == []
    assert store.open_connections() == 2
    gate = threading.Barrier(3, timeout=TIMEOUT)

    def busy() -> None:
        _runs(store, "x")
        gate.wait()  # three threads alive at once, each with its connection
        gate.wait()

    started = [_in_thread(busy) for _ in range(2)]
    gate.wait()
    assert store.open_connections() == 3  # this thread's and the two busy threads'
    gate.wait()
    for thread, errors in started:
        thread.join(TIMEOUT)
        assert errors == []
    assert _runs(store, "x") == 5
    store.close()
    assert store.open_connections() == 0
