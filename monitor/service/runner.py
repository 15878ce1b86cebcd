"""The job runner: APScheduler's BackgroundScheduler running the pipeline's stages.

Each job has its own worker thread (one instance of a job at a time), so a price download
hanging on an outage never delays the news or index jobs: the stages share one store, in
which each thread has a connection of its own (a job's transaction and failures stay its
own), and whose transactions hold no lock during network I/O. On a shared
PostgreSQL store each run first claims its unit of work (monitor/service/exactly_once.py)
so instances never double a run. Each run is written
to `job_runs` when it starts and when it ends, logged as one line with its duration and
outcome, and counted in the metrics. A stage that raises, or whose source failed entirely
(its result's `total_failure()`, monitor.stages.base.SourceResult: every ticker, feed,
fund or company, or the Hub), is recorded as an error and the scheduler carries on;
listeners record runs the scheduler missed or skipped.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any, Final

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler

from monitor.config.secrets import redact
from monitor.service.catch_up import runs_at_start
from monitor.service.exactly_once import ExactlyOnce, Unit
from monitor.service.job_status import (
    RunOutcome,
    iso,
    job_doc,
    log_run,
    observe_result,
    problems,
    record_outcome,
    seed_status,
    source_failure,
    store_failure,
    undelivered,
)
from monitor.service.scheduler_events import LISTENED, SchedulerEvents
from monitor.stages.jobs import SAME_WORK, JobFunc, default_jobs
from monitor.stages.schedule import JobPlan
from monitor.store import jobs as job_log
from monitor.store.jobs import JOB_LOG_DAYS
from monitor.web.health import ServiceMetrics

if TYPE_CHECKING:
    from monitor.app import App

log = logging.getLogger("monitor.service")

#: Failures in a row after which /healthz answers 503.
FAILURE_THRESHOLD: Final[int] = 3
#: Interval jobs (and cron slots missed while down) first run this long after start, one
#: after another in pipeline order.
START_STAGGER: Final[timedelta] = timedelta(seconds=1)


class Runner:
    """Schedules and runs the jobs of `plans` against `app`; see the module docstring."""

    def __init__(
        self,
        app: App,
        plans: Sequence[JobPlan],
        *,
        timezone: tzinfo,
        jobs: Mapping[str, JobFunc] | None = None,
        metrics: ServiceMetrics | None = None,
        misfire_grace: int = 600,
        failure_threshold: int = FAILURE_THRESHOLD,
        workers: int | None = None,
    ) -> None:
        self.app, self.plans = app, list(plans)
        self.jobs = dict(jobs) if jobs is not None else default_jobs()
        self.metrics = metrics or ServiceMetrics()
        self.failure_threshold = failure_threshold
        self.stopping = threading.Event()
        self.idle = threading.Event()
        self.idle.set()
        self.started_at: datetime | None = None
        self._running = 0  # jobs in progress; `idle` is set when it is 0
        self._status_lock = threading.Lock()
        self._gate = threading.Lock()
        self.status = {p.name: seed_status(app.store, p) for p in self.plans}
        self.metrics.seed(self.status.values())
        self.once = ExactlyOnce(
            app.store, {p.name: p.trigger for p in self.plans}, same_work=SAME_WORK
        )
        self.scheduler = BackgroundScheduler(
            timezone=timezone,
            # A worker per job: one job's slow network never queues the others.
            executors={"default": ThreadPoolExecutor(max_workers=workers or len(self.plans) or 1)},
            job_defaults={
                "coalesce": True,
                "max_instances": 1,
                "misfire_grace_time": misfire_grace,
            },
        )
        self.events = SchedulerEvents(app.store, app.clock, self.metrics, self.once.instance)
        self.scheduler.add_listener(self.events.on_event, LISTENED)

    # -- lifecycle -------------------------------------------------------------------

    def start(self) -> None:
        """Close runs a dead process left open, prune the log, add the jobs, start."""
        now = self.app.clock()
        self.started_at = now
        abandoned = self.once.close_abandoned(at=now)
        job_log.prune_runs(self.app.store, before=now - timedelta(days=JOB_LOG_DAYS))
        self.once.prune(before=now - timedelta(days=JOB_LOG_DAYS))
        if abandoned:
            log.warning("%d job run(s) were cut short by the last shutdown", abandoned)
        first = int(self.once.shared)  # start-up runs before the jobs' first ones
        if self.once.shared:  # on the job thread before the first job, never racing one
            self.scheduler.add_job(
                self._warm_up, "date", run_date=now, id="warm-up", misfire_grace_time=None
            )
        last_runs = {name: status.last_run for name, status in self.status.items()}
        starts = runs_at_start(self.plans, last_runs, now, SAME_WORK, first, START_STAGGER)
        for plan in self.plans:
            options: dict[str, Any] = (
                {"next_run_time": starts[plan.name]} if plan.name in starts else {}
            )
            self.scheduler.add_job(
                self.run_job,
                plan.trigger,
                args=(plan.name,),
                id=plan.name,
                name=plan.name,
                **options,
            )
            log.info("job %s scheduled %s", plan.name, plan.description)
        self.scheduler.start()

    def _warm_up(self) -> None:
        """Load the classifier (torch and the MiniLM weights, on its first use) before the
        first job: an instance sharing the store may be a standby whose first run is a
        takeover, and loading the model then would delay the takeover by seconds."""
        started = time.monotonic()
        try:
            self.app.classifier().classify(["warm-up"])
        except Exception as e:  # the index job will report it; a standby still starts
            log.warning("classifier warm-up failed: %s", redact(f"{type(e).__name__}: {e}"))
            return
        log.info("classifier loaded in %.1fs (standby ready)", time.monotonic() - started)

    def shutdown(self, timeout: float) -> bool:
        """Take no new jobs; wait up to `timeout` s for a running one. True if it finished."""
        with self._gate:
            self.stopping.set()
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        finished = self.idle.wait(timeout)
        if finished:
            self.events.flush()
        return finished

    def run_once(self) -> list[RunOutcome]:
        """Each enabled job once, in pipeline order, skipping a job whose twin does the same
        work (prices_intraday is prices, digest is the index run with its daily alert)."""
        enabled = {p.name for p in self.plans}
        return [
            self.run_job(p.name, scheduled=False)
            for p in self.plans
            if SAME_WORK.get(p.name) not in enabled
        ]

    # -- running a job ---------------------------------------------------------------

    def run_job(self, name: str, scheduled: bool = True) -> RunOutcome:
        """Run one job, record and log it; never raises for a failing stage. A scheduled run
        on a shared store is one slot's unit of work (see exactly_once)."""
        with self._gate:  # a job either starts before shutdown begins or not at all
            if self.stopping.is_set():
                return RunOutcome(name, "skipped", 0.0, "the service is stopping", {})
            self._running += 1
            self.idle.clear()
        try:
            self.events.flush()
            return self._run_claimed(name, scheduled)
        except Exception as e:  # the store failed: the run could not even be recorded
            with self._status_lock:
                return store_failure(self.status[name], e, self.app, self.metrics)
        finally:
            with self._gate:
                self._running -= 1
                if not self._running:
                    self.idle.set()

    def _run_claimed(self, name: str, scheduled: bool) -> RunOutcome:
        now = self.app.clock()
        unit = self.once.unit(name, now, scheduled=scheduled)
        with self.once.claim(unit, now=now) as skip:
            if skip is not None:
                return self._skip(unit, skip)
            outcome = self._run_recorded(name, unit.name if unit.slot else None)
            self.once.finish(unit, ok=outcome.outcome == "ok")
            return outcome

    def _skip(self, unit: Unit, why: str) -> RunOutcome:
        """Another instance holds or has done this unit: record the skip, change no status."""
        at = self.app.clock()
        job_log.record_event(
            self.app.store,
            unit.job,
            at=at,
            outcome="skipped",
            error=why,
            details={"unit": unit.name},
            instance=self.once.instance,
        )
        self.metrics.observe_run(unit.job, "skipped", None, at.timestamp())
        log.info("job %s skipped: %s", unit.job, why, extra={"job": unit.job, "outcome": "skipped"})
        return RunOutcome(unit.job, "skipped", 0.0, why, {"unit": unit.name})

    def _run_recorded(self, name: str, unit: str | None = None) -> RunOutcome:
        started = self.app.clock()
        run_id = job_log.start_run(
            self.app.store, name, started_at=started, instance=self.once.instance
        )
        self._update(name, running_since=started)
        t0 = time.monotonic()
        error: str | None = None
        details: dict[str, Any] = {}
        self.app.notifier.take_failures()  # only this run's deliveries count below
        try:
            result = self.jobs[name](self.app)
            details = result.summary() | problems(result) | ({"unit": unit} if unit else {})
            observe_result(self.metrics, result)
            error = source_failure(result)
        except Exception as e:
            error = redact(f"{type(e).__name__}: {e}")
            log.debug("job %s traceback", name, exc_info=True)
        details |= undelivered(self.app.notifier, self.metrics)
        duration = time.monotonic() - t0
        outcome: job_log.Outcome = "ok" if error is None else "error"
        finished = self.app.clock()
        job_log.finish_run(
            self.app.store,
            run_id,
            finished_at=finished,
            outcome=outcome,
            error=error,
            details=details,
        )
        self._after_run(name, outcome, started, finished, duration, error)
        log_run(name, outcome, duration, error, details)
        return RunOutcome(name, outcome, duration, error, details)

    def _after_run(
        self,
        name: str,
        outcome: str,
        started: datetime,
        finished: datetime,
        duration: float,
        error: str | None,
    ) -> None:
        with self._status_lock:
            record_outcome(self.status[name], outcome, started, finished, duration, error)
        self.metrics.observe_run(name, outcome, duration, finished.timestamp())

    # -- health ----------------------------------------------------------------------

    def health(self) -> tuple[bool, dict[str, Any]]:
        """(healthy, document) for /healthz: unhealthy once a job has failed repeatedly, or
        while a run of it is stuck."""
        now, jobs = self.app.clock(), {}
        with self._status_lock:
            for name, st in self.status.items():
                jobs[name] = job_doc(st, self._next_run(st.job), now)
        limit = self.failure_threshold
        failing = sorted(
            n for n, j in jobs.items() if j["stuck"] or j["consecutive_failures"] >= limit
        )
        status = "stopping" if self.stopping.is_set() else ("failing" if failing else "ok")
        store = self.app.store
        doc = {
            "status": status,
            "failing_jobs": failing,
            "started_at": iso(self.started_at),
            "store": {"backend": store.backend, "location": store.location},
            "instance": self.once.instance,
            "jobs": jobs,
        }
        return not failing and not self.stopping.is_set(), doc

    def _next_run(self, job: str) -> datetime | None:
        scheduled = self.scheduler.get_job(job) if self.scheduler.running else None
        return None if scheduled is None else scheduled.next_run_time

    def _update(self, name: str, **changes: Any) -> None:
        with self._status_lock:
            for key, value in changes.items():
                setattr(self.status[name], key, value)
