"""`report --no-collect`: the reading of what the store holds, dated by that data.

A reading of stored data is dated at the moment the store's data was last current
(monitor.stages.as_of, the rule the service's index stage uses too): the latest of
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
from typing import TYPE_CHECKING

from monitor.stages.as_of import data_as_of

if TYPE_CHECKING:
    from monitor.app import App
    from signals.models import IndexReading

log = logging.getLogger(__name__)


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
    # Stamped with the clock: the dashboard's "last computation" is now, not the data's day.
    return compute_reading(app.store, app.config, now=when, computed_at=app.clock())
