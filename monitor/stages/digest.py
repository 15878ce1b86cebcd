"""The digest stage: the index run whose alert policy sends the daily digest when due."""

from __future__ import annotations

from typing import TYPE_CHECKING

from monitor.stages.index import IndexResult, run_index

if TYPE_CHECKING:
    from monitor.app import App


def run_digest(app: App) -> IndexResult:
    """The daily digest: the alert policy sends it once per day at the configured time."""
    return run_index(app)
