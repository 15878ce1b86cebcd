"""The retention stage: prune old headlines (and their embeddings) and thin old readings,
by the rules of feeds.yaml `retention:` (see monitor.store.retention)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from monitor.store.retention import PruneCounts, prune

if TYPE_CHECKING:
    from monitor.app import App


@dataclass(frozen=True, slots=True)
class RetentionResult:
    """Rows removed by one retention run."""

    pruned: PruneCounts

    def summary(self) -> dict[str, Any]:
        return self.pruned.summary()


def run_retention(app: App) -> RetentionResult:
    rules = app.config.retention
    counts = prune(
        app.store,
        now=app.clock(),
        headlines_days=rules.headlines_days,
        readings_full_days=rules.readings_full_days,
    )
    return RetentionResult(counts)
