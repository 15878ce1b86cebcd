"""When a reading's data was last current: the moment a reading is dated by.

A reading is dated by the data it was computed from, never by the clock alone: the latest
of
- the newest stored close, at 21:00 UTC on its day (after the US close; backfill-readings
  dates its days the same way),
- the newest stored headline's publication time,
- the newest stored reading (its data was current then: a recomputation replaces it),
never after now. Dated by the clock instead, the service's hourly index job stored a new
reading "as of" every hour of a weekend or of a Yahoo outage, each claiming an as-of time
whose prices it never saw, and each one a point of the history (and of the alert policy's
jump and regime windows) that no new data supported.

The rule is `report --no-collect`'s (monitor/cli/stored_reading.py, which states it
first); it lives here so that the index stage, which the service runs, and the command
line share one copy (the command line may import a stage, not the other way round).
"""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from monitor.store.db import Store

#: A day's close is current from 21:00 UTC (after the US close); backfill-readings dates
#: its days by it too.
READING_TIME = time(21, 0, tzinfo=UTC)


def data_as_of(store: Store, now: datetime) -> datetime:
    """When the store's data was last current (see the module docstring); `now` for a
    store with no close, headline or reading."""
    from monitor.store.headlines import list_headlines
    from monitor.store.prices import newest_close_day
    from monitor.store.readings import latest_reading

    moments: list[datetime] = []
    close_day = newest_close_day(store)
    if close_day is not None:
        moments.append(datetime.combine(close_day, READING_TIME))
    newest = list_headlines(store, limit=1)
    if newest:
        moments.append(newest[0].headline.published.astimezone(UTC))
    reading = latest_reading(store)
    if reading is not None:
        moments.append(reading.as_of.astimezone(UTC))
    return min(max(moments), now) if moments else now
