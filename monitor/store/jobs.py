"""The service's job log: one `job_runs` row per run (start, finish, outcome, error, details).

A run is written when it starts (outcome NULL) and completed when it ends, so a row still
open when no live process holds its job (at start-up, or when another instance takes the
job over) names a run that a crash or kill -9 cut short; `close_abandoned` marks it.
Missed and skipped runs (the scheduler was busy or asleep) are rows too, started and
finished at the same instant.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final, Literal

from monitor.store.db import Store
from monitor.store.stamps import stamp

#: Days of runs the job log keeps (pruned at start-up and by the daily retention job).
JOB_LOG_DAYS: Final[int] = 90

Outcome = Literal["ok", "error", "missed", "skipped", "abandoned"]
MAX_ERROR_CHARS: Final[int] = 1000
#: Why a run is marked abandoned (the closer may add who found it, and when).
STOPPED: Final[str] = "the process stopped before the run finished"


@dataclass(frozen=True, slots=True)
class JobRun:
    """One row of the job log."""

    id: int
    job: str
    started_at: datetime
    finished_at: datetime | None
    outcome: str | None
    error: str | None
    details: Mapping[str, Any] = field(default_factory=dict)
    instance: str | None = None

    @property
    def duration(self) -> float | None:
        if self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()


@dataclass(frozen=True, slots=True)
class JobHistory:
    """What the log says about one job: for health after a restart."""

    job: str
    last_run: JobRun | None
    last_ok: datetime | None
    last_error: JobRun | None
    consecutive_failures: int


def start_run(store: Store, job: str, *, started_at: datetime, instance: str | None = None) -> int:
    """Open a run; its id is what `finish_run` completes."""
    with store.transaction() as conn:
        row = conn.execute(
            "INSERT INTO job_runs (job, started_at, instance) VALUES (?, ?, ?) RETURNING id",
            (job, stamp(started_at), instance),
        ).fetchone()
    return int(row[0])


def finish_run(
    store: Store,
    run_id: int,
    *,
    finished_at: datetime,
    outcome: Outcome,
    error: str | None = None,
    details: Mapping[str, Any] | None = None,
) -> None:
    with store.transaction() as conn:
        conn.execute(
            "UPDATE job_runs SET finished_at = ?, outcome = ?, error = ?, details = ? WHERE id = ?",
            (stamp(finished_at), outcome, _clip(error), _dumps(details), run_id),
        )


def record_event(
    store: Store,
    job: str,
    *,
    at: datetime,
    outcome: Outcome,
    error: str | None = None,
    details: Mapping[str, Any] | None = None,
    instance: str | None = None,
) -> int:
    """A run that never executed (missed, skipped): started and finished at `at`."""
    at_text = stamp(at)
    with store.transaction() as conn:
        row = conn.execute(
            "INSERT INTO job_runs (job, started_at, finished_at, outcome, error, details, "
            "instance) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (job, at_text, at_text, outcome, _clip(error), _dumps(details), instance),
        ).fetchone()
    return int(row[0])


def close_abandoned(
    store: Store, *, at: datetime, jobs: Sequence[str] = (), reason: str = STOPPED
) -> int:
    """Mark runs left open by a process that died (crash, kill -9); returns how many.
    With `jobs`, only those jobs' runs (a shared store: the caller holds their lock, so no
    live process is running them)."""
    only_jobs = f" AND job IN ({', '.join('?' * len(jobs))})" if jobs else ""
    with store.writing() as conn:
        cursor = conn.execute(
            "UPDATE job_runs SET finished_at = ?, outcome = 'abandoned', error = ? "
            f"WHERE finished_at IS NULL{only_jobs}",
            (stamp(at), _clip(reason), *jobs),
        )
    return cursor.rowcount


def open_run_jobs(store: Store) -> list[str]:
    """Jobs with a run still open (running now elsewhere, or cut short)."""
    rows = store.conn.execute(
        "SELECT DISTINCT job FROM job_runs WHERE finished_at IS NULL ORDER BY job"
    ).fetchall()
    return [str(r[0]) for r in rows]


def recent_runs(store: Store, job: str | None = None, *, limit: int = 20) -> list[JobRun]:
    """The latest runs, newest first (of one job, or of all)."""
    where, args = ("WHERE job = ?", (job,)) if job else ("", ())
    rows = store.conn.execute(
        f"SELECT * FROM job_runs {where} ORDER BY id DESC LIMIT ?", (*args, limit)
    ).fetchall()
    return [_run(row) for row in rows]


def consecutive_failures(store: Store, job: str) -> int:
    """Errors and abandoned runs since the job's last success (missed and skipped runs
    don't count). An abandoned run is one the process died in: a job that takes the
    process down on every run is failing, though each restart begins with a clean slate."""
    row = store.conn.execute(
        "SELECT COUNT(*) FROM job_runs WHERE job = ? AND outcome IN ('error', 'abandoned') "
        "AND id > "
        "COALESCE((SELECT MAX(id) FROM job_runs WHERE job = ? AND outcome = 'ok'), 0)",
        (job, job),
    ).fetchone()
    return int(row[0])


def job_history(store: Store, job: str) -> JobHistory:
    ended = "('ok', 'error', 'abandoned')"
    last = _one(store, f"SELECT * FROM job_runs WHERE job = ? AND outcome IN {ended}", job)
    ok = _one(store, "SELECT * FROM job_runs WHERE job = ? AND outcome = 'ok'", job)
    failed = "('error', 'abandoned')"
    err = _one(store, f"SELECT * FROM job_runs WHERE job = ? AND outcome IN {failed}", job)
    return JobHistory(
        job=job,
        last_run=last,
        last_ok=ok.finished_at if ok else None,
        last_error=err,
        consecutive_failures=consecutive_failures(store, job),
    )


def prune_runs(store: Store, *, before: datetime) -> int:
    """Delete runs that started before `before`; the log stays bounded over months."""
    with store.transaction() as conn:
        cursor = conn.execute("DELETE FROM job_runs WHERE started_at < ?", (stamp(before),))
    return cursor.rowcount


def _one(store: Store, sql: str, job: str) -> JobRun | None:
    row = store.conn.execute(f"{sql} ORDER BY id DESC LIMIT 1", (job,)).fetchone()
    return _run(row) if row is not None else None


def _run(row: sqlite3.Row) -> JobRun:
    finished = row["finished_at"]
    return JobRun(
        instance=row["instance"],
        id=int(row["id"]),
        job=row["job"],
        started_at=datetime.fromisoformat(row["started_at"]),
        finished_at=datetime.fromisoformat(finished) if finished else None,
        outcome=row["outcome"],
        error=row["error"],
        details=json.loads(row["details"]) if row["details"] else {},
    )


def _dumps(details: Mapping[str, Any] | None) -> str | None:
    return json.dumps(details, default=str, sort_keys=True) if details else None


def _clip(error: str | None) -> str | None:
    return error[:MAX_ERROR_CHARS] if error else error
