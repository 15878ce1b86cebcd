"""The retention stage: prune old headlines (and their embeddings) and thin old readings,
by the rules of feeds.yaml `retention:` (see monitor.store.retention)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from monitor.store import jobs as job_log
from monitor.store import work_claims
from monitor.store.jobs import JOB_LOG_DAYS
from monitor.store.retention import PruneCounts, prune

if TYPE_CHECKING:
    from monitor.app import App


@dataclass(frozen=True, slots=True)
class RetentionResult:
    """Rows removed by one retention run; `job_runs` counts job log rows (runs and their
    work claims) older than the log keeps."""

    pruned: PruneCounts
    job_runs: int = 0

    def summary(self) -> dict[str, Any]:
        return self.pruned.summary() | ({"job_runs_pruned": self.job_runs} if self.job_runs else {})


def run_retention(app: App) -> RetentionResult:
    rules = app.config.retention
    now = app.clock()
    counts = prune(
        app.store,
        now=now,
        headlines_days=rules.headlines_days,
        readings_full_days=rules.readings_full_days,
    )
    # The job log too: a service that is never restarted would otherwise keep every run.
    before = now - timedelta(days=JOB_LOG_DAYS)
    runs = job_log.prune_runs(app.store, before=before)
    work_claims.prune_units(app.store, before=before)
    return RetentionResult(counts, runs)
