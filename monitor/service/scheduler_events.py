"""Runs the scheduler missed or skipped, and errors outside a run: logged at once, counted,
and written to the job log from the next job's thread (the scheduler's own thread must not
wait on a store transaction)."""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable
from datetime import datetime
from typing import Final

from apscheduler.events import (
    EVENT_JOB_ERROR,
    EVENT_JOB_MAX_INSTANCES,
    EVENT_JOB_MISSED,
    JobEvent,
    JobExecutionEvent,
)

from monitor.config.secrets import redact
from monitor.store import Store
from monitor.store import jobs as job_log
from monitor.web.health import ServiceMetrics

log = logging.getLogger("monitor.service")

#: The scheduler events the runner listens to.
LISTENED: Final[int] = EVENT_JOB_ERROR | EVENT_JOB_MISSED | EVENT_JOB_MAX_INSTANCES


class SchedulerEvents:
    """The listener of LISTENED events and the queue of their job-log rows."""

    def __init__(
        self,
        store: Store,
        clock: Callable[[], datetime],
        metrics: ServiceMetrics,
        instance: str,
    ) -> None:
        self.store, self.clock, self.metrics, self.instance = store, clock, metrics, instance
        self._pending: deque[tuple[str, job_log.Outcome, datetime, str]] = deque()

    def on_event(self, event: JobEvent) -> None:
        at = self.clock()
        if event.code == EVENT_JOB_MISSED:
            late = getattr(event, "scheduled_run_time", None)
            self._note(event.job_id, "missed", at, f"scheduled for {late}; ran too late")
        elif event.code == EVENT_JOB_MAX_INSTANCES:
            self._note(event.job_id, "skipped", at, "the previous run was still going")
        elif isinstance(event, JobExecutionEvent):  # the recording itself failed
            message = redact(f"{type(event.exception).__name__}: {event.exception}")
            log.error("job %s could not be recorded: %s", event.job_id, message)
            self.metrics.observe_run(event.job_id, "error", None, at.timestamp())

    def _note(self, job: str, outcome: job_log.Outcome, at: datetime, why: str) -> None:
        log.warning("job %s %s: %s", job, outcome, why, extra={"job": job, "outcome": outcome})
        self.metrics.observe_run(job, outcome, None, at.timestamp())
        self._pending.append((job, outcome, at, why))

    def flush(self) -> None:
        """Write the queued rows (from a job's thread)."""
        while True:
            try:  # popleft is atomic: two job threads flushing never write an event twice
                job, outcome, at, why = self._pending.popleft()
            except IndexError:
                return
            job_log.record_event(
                self.store, job, at=at, outcome=outcome, error=why, instance=self.instance
            )
