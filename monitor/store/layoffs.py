"""Layoff events (layoffs.fyi rows) in the store, and the daily series the news index uses.

One row per (company, day): re-importing the same export changes nothing, and a revised
head count for a known event replaces the old one. The functions join the caller's
transaction when there is one, and open their own otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import pandas as pd

from monitor.store.db import Store
from signals.news import layoff_event_series


@dataclass(frozen=True, slots=True)
class LayoffEvent:
    """One company's layoffs announced on one day (head count None when not reported)."""

    company: str
    day: date
    total_laid_off: int | None
    industry: str | None = None
    source_url: str | None = None


@dataclass(frozen=True, slots=True)
class LayoffCounts:
    """What an upsert did: rows added, rows revised, rows already there as given."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0


def upsert_layoff_events(store: Store, events: Iterable[LayoffEvent]) -> LayoffCounts:
    """Insert new events and revise changed ones; identical rows are left alone."""
    new = updated = unchanged = 0
    with store.writing() as conn:
        for event in events:
            row = _as_row(event)
            old = conn.execute(
                "SELECT total_laid_off, industry, source_url FROM layoff_events "
                "WHERE company = ? AND day = ?",
                row[:2],
            ).fetchone()
            if old is None:
                conn.execute("INSERT INTO layoff_events VALUES (?, ?, ?, ?, ?)", row)
                new += 1
            elif tuple(old) == row[2:]:
                unchanged += 1
            else:
                conn.execute(
                    "UPDATE layoff_events SET total_laid_off = ?, industry = ?, source_url = ? "
                    "WHERE company = ? AND day = ?",
                    (*row[2:], *row[:2]),
                )
                updated += 1
    return LayoffCounts(new, updated, unchanged)


def _as_row(event: LayoffEvent) -> tuple[str, str, int | None, str | None, str | None]:
    return (
        event.company,
        event.day.isoformat(),
        event.total_laid_off,
        event.industry,
        event.source_url,
    )


def load_layoff_events(
    store: Store, *, since: date | None = None, until: date | None = None
) -> list[LayoffEvent]:
    """Stored events with since <= day <= until, oldest first."""
    rows = store.conn.execute(
        "SELECT company, day, total_laid_off, industry, source_url FROM layoff_events "
        "WHERE day >= ? AND day <= ? ORDER BY day, company",
        ((since or date.min).isoformat(), (until or date.max).isoformat()),
    ).fetchall()
    return [LayoffEvent(r[0], date.fromisoformat(r[1]), r[2], r[3], r[4]) for r in rows]


def events_series(events: Iterable[LayoffEvent]) -> pd.Series:
    """The daily weight series of some events, as the news components take it."""
    return layoff_event_series((e.day, e.total_laid_off) for e in events)


def count_layoff_events(store: Store) -> int:
    return int(store.conn.execute("SELECT COUNT(*) FROM layoff_events").fetchone()[0])
