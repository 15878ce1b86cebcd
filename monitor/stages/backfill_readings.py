"""Readings for past days, from what the store held on each day: with years of imported
headlines (import-headlines) and prices (import-prices), the dashboard history and
`history --json` show every component, news ones included, over those years.

`compute_reading(now=day)` reads only what was known at `day` (closes up to its date,
headlines published by then, layoff events until then), so a past reading says what a
live one would have said with the store's data. Readings are computed oldest first (each
one's change is against the one before) at 21:00 UTC (after the US close) on the last
business day of each month, or each Friday. Idempotent: a day whose reading is already
stored is skipped. A day that cannot be read (no prices and no scored headlines yet) is
named and the others go on, and so is a day more than `DATA_GAP_DAYS` after the newest
stored close and headline: its reading would repeat the last data's, dated as if measured
then. Nothing is sent: alerts are for live readings only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, Final, Literal

import pandas as pd

from monitor.config.feeds_yaml import Config
from monitor.errors import BubbleMonitorError
from monitor.stages.as_of import READING_TIME
from monitor.stages.index import compute_reading
from monitor.store.db import Store
from monitor.store.headlines import newest_headline_day
from monitor.store.prices import newest_close_day
from monitor.store.readings import readings_between

Every = Literal["month", "week"]
#: Days past the newest data a reading may still be made (a weekend and a holiday: the
#: dashboard's stale rule).
DATA_GAP_DAYS: Final[int] = 4


@dataclass(slots=True)
class BackfillResult:
    """Readings stored, days skipped (already stored), days that failed (with why)."""

    stored: list[str] = field(default_factory=list)
    skipped: int = 0
    failed: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        return {
            "stored": len(self.stored),
            "first": self.stored[0] if self.stored else None,
            "last": self.stored[-1] if self.stored else None,
            "skipped": self.skipped,
            "failed": list(self.failed),
        }


def reading_days(start: date, end: date, every: Every) -> list[datetime]:
    """21:00 UTC on the last business day of each month, or on each Friday, in [start, end]."""
    rule = "BME" if every == "month" else "W-FRI"
    days = pd.date_range(start, end, freq=rule)
    return [datetime.combine(d.date(), READING_TIME) for d in days]


def backfill_readings(
    store: Store,
    config: Config,
    days: Sequence[datetime],
    *,
    on_day: Callable[[datetime], None] | None = None,
    computed_at: datetime | None = None,
) -> BackfillResult:
    """Compute and store a reading at each day not already stored, oldest first, stamped
    `computed_at` (default: now; the dashboard's "last computation" is when the work was
    done, not the day read)."""
    computed_at = computed_at or datetime.now(UTC)
    result = BackfillResult()
    have = {r.as_of for r in readings_between(store, min(days), max(days))} if days else set()
    newest = newest_data_day(store)
    for day in sorted(days):
        if day in have:
            result.skipped += 1
            continue
        if newest is not None and day.date() > newest + timedelta(days=DATA_GAP_DAYS):
            result.failed.append(
                f"{day:%Y-%m-%d}: after the newest stored close or headline ({newest}); a "
                "reading here would repeat that day's data"
            )
            continue
        try:
            compute_reading(store, config, now=day, computed_at=computed_at)
        except BubbleMonitorError as e:
            result.failed.append(f"{day:%Y-%m-%d}: {e}")
        else:
            result.stored.append(day.date().isoformat())
        if on_day is not None:
            on_day(day)
    return result


def newest_data_day(store: Store) -> date | None:
    """The newest day with a stored close or headline; None for an empty store."""
    days = [d for d in (newest_close_day(store), newest_headline_day(store)) if d is not None]
    return max(days) if days else None
