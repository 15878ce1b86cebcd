"""What the runner knows about each job: its status for /healthz (seeded from the job log,
updated after each run), the outcome of a run, its log line and the metrics it feeds."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Final

from monitor.config.secrets import redact
from monitor.sources.yahoo.collect_prices import PriceCollectResult
from monitor.stages.base import SourceResult
from monitor.stages.index import IndexResult
from monitor.stages.news import NewsResult
from monitor.stages.pipeline import RunResult
from monitor.store import jobs as job_log
from monitor.web.health import ServiceMetrics

if TYPE_CHECKING:
    from monitor.app import App
    from monitor.notify import NotifierManager
    from monitor.stages.base import StageResult
    from monitor.stages.schedule import JobPlan
    from monitor.store import Store

log = logging.getLogger("monitor.service")


#: A run going on for longer than this is stuck, and /healthz says its job is failing: its
#: later turns are only `skipped` (one instance at a time), which count as no failure.
#: No job takes near this long (the longest, prices, backs off for about a minute).
STUCK_AFTER: Final[timedelta] = timedelta(hours=2)


@dataclass
class JobStatus:
    """What /healthz says about one job (kept in memory; seeded from the job log)."""

    job: str
    schedule: str
    last_run: datetime | None = None
    last_ok: datetime | None = None
    last_error: str | None = None
    last_error_at: datetime | None = None
    last_outcome: str | None = None
    last_duration: float | None = None
    consecutive_failures: int = 0
    running_since: datetime | None = None


@dataclass(frozen=True)
class RunOutcome:
    job: str
    outcome: str
    duration: float
    error: str | None
    details: Mapping[str, Any]


def record_outcome(
    st: JobStatus,
    outcome: str,
    started: datetime,
    finished: datetime,
    duration: float,
    error: str | None,
) -> None:
    """A finished run in the job's status (the caller holds the status lock)."""
    st.last_run, st.last_outcome, st.last_duration = started, outcome, duration
    st.running_since = None
    if error is None:
        st.last_ok, st.consecutive_failures = finished, 0
    else:
        st.last_error, st.last_error_at = error, finished
        st.consecutive_failures += 1


def job_doc(st: JobStatus, next_run: datetime | None, now: datetime) -> dict[str, Any]:
    """One job's entry of /healthz; `stuck`: its run has been going for over STUCK_AFTER."""
    stuck = st.running_since is not None and now - st.running_since > STUCK_AFTER
    return {
        "schedule": st.schedule,
        "last_run": iso(st.last_run),
        "last_outcome": st.last_outcome,
        "last_duration_s": None if st.last_duration is None else round(st.last_duration, 3),
        "last_ok": iso(st.last_ok),
        "last_error": st.last_error,
        "last_error_at": iso(st.last_error_at),
        "consecutive_failures": st.consecutive_failures,
        "running": st.running_since is not None,
        "stuck": stuck,
        "next_run": iso(next_run),
    }


def seed_status(store: Store, plan: JobPlan) -> JobStatus:
    """A job's status as the job log left it (so /healthz survives a restart)."""
    history = job_log.job_history(store, plan.name)
    last, err = history.last_run, history.last_error
    return JobStatus(
        job=plan.name,
        schedule=plan.description,
        last_run=last.started_at if last else None,
        last_outcome=last.outcome if last else None,
        last_duration=last.duration if last else None,
        last_ok=history.last_ok,
        last_error=err.error if err else None,
        last_error_at=err.finished_at if err else None,
        consecutive_failures=history.consecutive_failures,
    )


def observe_result(metrics: ServiceMetrics, result: StageResult) -> None:
    """Count what a job produced: the reading, the alerts, each feed's news."""
    if isinstance(result, RunResult):
        if result.news is not None:
            observe_result(metrics, result.news)
        result = result.index
    if isinstance(result, IndexResult):
        metrics.observe_reading(result.reading)
        metrics.observe_alerts(a.kind for a in result.alerts)
    elif isinstance(result, NewsResult):
        for feed in result.feeds:
            metrics.observe_feed(feed.name, new=feed.new, failed=feed.status == "failed")


def source_failure(result: StageResult) -> str | None:
    """Why a source stage failed as a whole (the runner records the run as an error), or
    None: its `total_failure()`, and for news also a run in which every feed was still
    backing off after failing. Such a run fetches nothing; counted `ok` it reset the
    job's failures between the failing fetches, so with every feed down /healthz never
    reached three failures in a row."""
    if not isinstance(result, SourceResult):
        return None
    why = result.total_failure()
    if why is None and isinstance(result, NewsResult):
        feeds = result.feeds
        if feeds and all(f.status == "skipped" and f.error for f in feeds):
            retry = min((f.next_try for f in feeds if f.next_try), default=None)
            when = f"; the first retry is at {retry:%Y-%m-%d %H:%M} UTC" if retry else ""
            first = f"{feeds[0].name}: {feeds[0].error}"
            why = f"every feed is backing off after failing (first: {first}){when}"
    return why


def problems(result: StageResult) -> dict[str, dict[str, str]]:
    """What failed inside a run that as a whole went on, by name: each failed feed and
    ticker with its error, and each feed that answered with a parse problem (a truncated
    or malformed body still yields a `new` status, often with no entries), for the job
    log's details and its log line. One failing feed among many leaves the run `ok`, so
    without this only a count said that something was wrong, not what."""
    out: dict[str, dict[str, str]] = {}
    parts: list[StageResult] = [result]
    if isinstance(result, RunResult):
        parts = [p for p in (result.prices, result.news) if p is not None]
    for part in parts:
        if isinstance(part, NewsResult):
            failed = {f.name: f.error or "failed" for f in part.feeds if f.status == "failed"}
            warned = {f.name: f.warning for f in part.feeds if f.warning}
            out |= {"failed_feeds": failed} if failed else {}
            out |= {"feed_warnings": warned} if warned else {}
        elif isinstance(part, PriceCollectResult):
            tickers = {o.ticker: o.reason or "failed" for o in part.tickers if o.status == "failed"}
            out |= {"failed_tickers": tickers} if tickers else {}
    return out


def store_failure(st: JobStatus, e: Exception, app: App, metrics: ServiceMetrics) -> RunOutcome:
    """A run that could not reach the store (the caller holds the status lock): /healthz
    and the metrics count it as the job's failure (three in a row turn /healthz 503), one
    log line says so, and the next run, once the store is back, records itself as usual."""
    at = app.clock()
    error = redact(f"could not reach the store {app.store.location}: {type(e).__name__}: {e}")
    started = st.running_since or at
    record_outcome(st, "error", started, at, (at - started).total_seconds(), error)
    metrics.observe_run(st.job, "error", None, at.timestamp())
    log.error("job %s error: %s", st.job, error, extra={"job": st.job, "outcome": "error"})
    log.debug("job %s traceback", st.job, exc_info=True)
    return RunOutcome(st.job, "error", 0.0, error, {})


def undelivered(notifier: NotifierManager, metrics: ServiceMetrics) -> dict[str, Any]:
    """The alerts a channel failed to deliver in this run (on this thread), for the job
    log; the alert policy retries them on the next run. Each is counted in /metrics."""
    failures = notifier.take_failures()
    for failure in failures:
        metrics.observe_alert_failure(failure.channel)
    if not failures:
        return {}
    return {"alerts_undelivered": {f.key: redact(f"{f.channel}: {f.error}") for f in failures}}


def log_run(
    name: str, outcome: str, duration: float, error: str | None, details: Mapping[str, Any]
) -> None:
    summary = " ".join(f"{k}={_short(v)}" for k, v in details.items())
    text = error if error else summary
    level = logging.INFO if outcome == "ok" else logging.ERROR
    log.log(
        level,
        "job %s %s in %.2fs%s",
        name,
        outcome,
        duration,
        f": {text}" if text else "",
        extra={
            "job": name,
            "outcome": outcome,
            "duration_s": round(duration, 3),
            "details": dict(details),
        },
    )


def _short(value: Any) -> str:
    """A details value in the log line: a mapping of names to errors by its names (the
    errors themselves are in the JSON log line's `details` and in job_runs)."""
    return ",".join(map(str, value)) if isinstance(value, Mapping) else str(value)


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None
