"""The weekly model-mix series: new Hub models per week and category."""

from __future__ import annotations

from datetime import date, datetime

from monitor.store.db import Store
from signals.model_mix import WeekMix


def save_week(store: Store, week: WeekMix, *, fetched_at: datetime) -> None:
    """Store (or replace) one week's counts, all categories in one transaction."""
    with store.writing() as conn:
        conn.execute("DELETE FROM model_mix WHERE week_start = ?", (week.week_start.isoformat(),))
        conn.executemany(
            "INSERT INTO model_mix (week_start, category, models, fetched_at) VALUES (?, ?, ?, ?)",
            [
                (week.week_start.isoformat(), name, count, fetched_at.isoformat())
                for name, count in sorted(week.counts.items())
            ],
        )


def load_weeks(store: Store, *, until: date | None = None) -> list[WeekMix]:
    """Every stored week starting on or before `until`, oldest first."""
    limit = (until or date.max).isoformat()
    rows = store.conn.execute(
        "SELECT week_start, category, models FROM model_mix WHERE week_start <= ? "
        "ORDER BY week_start, category",
        (limit,),
    ).fetchall()
    weeks: dict[str, dict[str, int]] = {}
    for row in rows:
        weeks.setdefault(row["week_start"], {})[row["category"]] = row["models"]
    return [WeekMix(date.fromisoformat(w), c) for w, c in weeks.items()]


def stored_weeks(store: Store) -> set[date]:
    rows = store.conn.execute("SELECT DISTINCT week_start FROM model_mix")
    return {date.fromisoformat(r[0]) for r in rows}


def latest_week(store: Store) -> date | None:
    row = store.conn.execute("SELECT MAX(week_start) FROM model_mix").fetchone()
    return None if row[0] is None else date.fromisoformat(row[0])
