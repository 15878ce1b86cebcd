"""The digest stage: the index run whose alert policy sends the daily digest when due."""

from __future__ import annotations

from typing import TYPE_CHECKING

from monitor.stages.index import IndexResult, run_index

if TYPE_CHECKING:
    from monitor.app import App


def run_digest(app: App) -> IndexResult:
    """The daily digest: the alert policy sends it once per day at the configured time.
    When no reading can be computed, the channel gets one "no reading today" message a
    day naming what is missing (monitor.stages.no_reading), and the job still fails."""
    from monitor.errors import ModelError, NoReadingError

    try:
        return run_index(app)
    except (NoReadingError, ModelError) as e:
        from monitor.stages.no_reading import send_no_reading

        send_no_reading(app.store, app.config, e, app.notifier, now=app.clock())
        raise
