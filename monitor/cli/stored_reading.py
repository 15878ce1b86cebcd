"""`report --no-collect`: the reading of what the store holds, dated by that data.

The collecting path dates a reading at the moment its data was brought up to date (it
collects, then reads at once). A reading of stored data is dated the same way: at the
moment the store's data was last current, which is the latest of
- the newest stored close, at 21:00 UTC on its day (after the US close; backfill-readings
  dates its days the same way),
- the newest stored headline's publication time,
- the newest stored reading (its data was current then: a recomputation replaces it),
never after now. Dated by the clock instead, a reading of prices that end in July said
"as of" December, its own prices counted as stale, and every run added another reading of
the same data to the history.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from monitor.stages.backfill_readings import READING_TIME

if TYPE_CHECKING:
    from monitor.app import App
    from monitor.store.db import Store
    from signals.models import IndexReading

log = logging.getLogger(__name__)


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


def stored_reading(app: App) -> IndexReading:
    """Score the headlines not scored yet, then compute and store the reading as of the
    store's data. A classifier that cannot load does not stop it (as in the index stage):
    the headlines scored before still count."""
    from monitor.errors import ModelError
    from monitor.stages.index import compute_reading
    from monitor.stages.score import run_score

    try:
        run_score(app)
    except (ImportError, OSError, RuntimeError, ModelError) as e:
        log.warning(
            "headlines not scored (%s: %s); the reading uses those scored before",
            type(e).__name__,
            e,
        )
    when = data_as_of(app.store, app.clock())
    return compute_reading(app.store, app.config, now=when)
