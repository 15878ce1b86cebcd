"""Units of work done once across instances: `work_units` rows, one per unit finished.

A unit is a job in a time slot (`index@2026-12-01T10:00:00+00:00`). The runner checks it
here while it holds the unit's advisory lock, and marks it after the job succeeded, so a
second instance that fires a moment later sees the unit done and skips it.
"""

from __future__ import annotations

from datetime import UTC, datetime

from monitor.store.db import Store


def done_by(store: Store, unit: str) -> str | None:
    """The instance that finished `unit`, or None when nobody has."""
    row = store.conn.execute("SELECT instance FROM work_units WHERE unit = ?", (unit,)).fetchone()
    return None if row is None else str(row[0])


def mark_done(
    store: Store, unit: str, *, job: str, slot: datetime, instance: str, at: datetime
) -> bool:
    """Record `unit` as finished by `instance`; False when it already was (by anyone)."""
    with store.writing() as conn:
        cursor = conn.execute(
            "INSERT INTO work_units (unit, job, slot, instance, finished_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (unit) DO NOTHING",
            (unit, job, slot.astimezone(UTC).isoformat(), instance, at.astimezone(UTC).isoformat()),
        )
        return cursor.rowcount == 1


def units_done(store: Store, job: str | None = None) -> list[tuple[str, str]]:
    """(unit, instance) of every finished unit, oldest slot first."""
    where, args = ("WHERE job = ?", (job,)) if job else ("", ())
    rows = store.conn.execute(
        f"SELECT unit, instance FROM work_units {where} ORDER BY slot, unit", args
    ).fetchall()
    return [(str(r[0]), str(r[1])) for r in rows]


def prune_units(store: Store, *, before: datetime) -> int:
    """Forget units of slots before `before` (the runner keeps as many days as its job log)."""
    with store.writing() as conn:
        cursor = conn.execute(
            "DELETE FROM work_units WHERE slot < ?", (before.astimezone(UTC).isoformat(),)
        )
        return cursor.rowcount
