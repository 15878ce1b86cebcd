"""Units of work claimed once across instances: `work_units` rows, one per unit started.

A unit is a job in a time slot (`index@2026-12-01T10:00:00+00:00`). The runner claims it
while it holds the job's advisory lock, before the job runs, so an instance that fires a
moment later in the same slot finds it claimed and skips. A run that succeeds marks its
claim ok; a run that fails releases it so that another instance may retry the slot; a
run killed mid-way leaves its claim open, and the slot is given up (like an alert whose
send was interrupted: a missed run is preferred to a doubled one).
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from monitor.store.db import Store
from monitor.store.stamps import stamp


class Claim(NamedTuple):
    instance: str
    outcome: str | None


def claim(
    store: Store, unit: str, *, job: str, slot: datetime, instance: str, at: datetime
) -> bool:
    """Claim `unit` for `instance`; False when someone claimed it before."""
    with store.writing() as conn:
        cursor = conn.execute(
            "INSERT INTO work_units (unit, job, slot, instance, claimed_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (unit) DO NOTHING",
            (unit, job, _iso(slot), instance, _iso(at)),
        )
        return cursor.rowcount == 1


def claimed_by(store: Store, unit: str) -> Claim | None:
    row = store.conn.execute(
        "SELECT instance, outcome FROM work_units WHERE unit = ?", (unit,)
    ).fetchone()
    return None if row is None else Claim(str(row[0]), row[1])


def finish(store: Store, unit: str) -> None:
    with store.writing() as conn:
        conn.execute("UPDATE work_units SET outcome = 'ok' WHERE unit = ?", (unit,))


def release(store: Store, unit: str) -> None:
    """Drop an unfinished claim so that another instance may run the slot."""
    with store.writing() as conn:
        conn.execute("DELETE FROM work_units WHERE unit = ? AND outcome IS NULL", (unit,))


def units(store: Store, job: str | None = None) -> list[tuple[str, Claim]]:
    """(unit, claim) of every claimed unit, oldest slot first."""
    where, args = ("WHERE job = ?", (job,)) if job else ("", ())
    rows = store.conn.execute(
        f"SELECT unit, instance, outcome FROM work_units {where} ORDER BY slot, unit", args
    ).fetchall()
    return [(str(r[0]), Claim(str(r[1]), r[2])) for r in rows]


def prune_units(store: Store, *, before: datetime) -> int:
    """Forget units of slots before `before` (the runner keeps as many days as its job log)."""
    with store.writing() as conn:
        cursor = conn.execute("DELETE FROM work_units WHERE slot < ?", (_iso(before),))
        return cursor.rowcount


def _iso(value: datetime) -> str:
    return stamp(value)
