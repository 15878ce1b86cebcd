"""Next run times for the freshness block: the live scheduler's under `serve`; under
`dashboard` (no scheduler in the process) the ones a service on this database would keep,
from feeds.yaml's schedule and the last runs stored in `job_runs`.

An interval job's clock is the service's own: it runs at start-up, then every interval, so
its next run is the last stored start plus the interval (not the dashboard's start plus the
interval, as the bare trigger would say). A cron job's next run is the schedule's next
time. Either one is flagged overdue when a run it should have made by now is missing from
the log, which usually means no `serve` runs on this database.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.interval import IntervalTrigger

from monitor.store.db import Store
from monitor.store.jobs import recent_runs
from monitor.web import fmt


@dataclass(frozen=True, slots=True)
class NextRun:
    job: str
    schedule: str
    next_run: datetime | None
    last_run: datetime | None = None
    note: str = ""
    overdue: bool = False


#: The scheduled jobs and their next run times for a page drawn at `now`.
NextRuns = Callable[[Store, datetime], list[NextRun]]


@dataclass(frozen=True, slots=True)
class PlannedJob:
    """One enabled job of feeds.yaml's schedule, as `dashboard` reads it."""

    description: str
    trigger: BaseTrigger


def stored_next_runs(plans: Mapping[str, PlannedJob], grace: timedelta) -> NextRuns:
    """NextRuns for `dashboard`: each job's schedule against its last stored run; a run
    later than `grace` (the service's misfire grace) counts as overdue."""

    def compute(store: Store, now: datetime) -> list[NextRun]:
        out = []
        for job, plan in plans.items():
            runs = recent_runs(store, job, limit=1)
            last = runs[0].started_at if runs else None
            out.append(next_run(job, plan, last, now, grace))
        return out

    return compute


def next_run(
    job: str, plan: PlannedJob, last: datetime | None, now: datetime, grace: timedelta
) -> NextRun:
    """When `job` runs next, given its last stored start `last` (None: never ran here)."""
    trigger = _without_jitter(plan.trigger)
    if isinstance(trigger, IntervalTrigger):
        return _interval_run(job, plan.description, trigger.interval, last, now, grace)
    upcoming: datetime | None = trigger.get_next_fire_time(None, now)
    if last is None:
        return NextRun(job, plan.description, upcoming, None, "never run on this database")
    due: datetime | None = trigger.get_next_fire_time(None, last + timedelta(seconds=1))
    if due is None or due > now - grace:
        return NextRun(job, plan.description, upcoming, last)
    return NextRun(job, plan.description, upcoming, last, _overdue(due, now), overdue=True)


def _interval_run(
    job: str,
    description: str,
    interval: timedelta,
    last: datetime | None,
    now: datetime,
    grace: timedelta,
) -> NextRun:
    if last is None:
        return NextRun(job, description, None, None, "at the service's start-up")
    due = last + interval
    if due > now - grace:
        return NextRun(job, description, due, last)
    return NextRun(job, description, due, last, _overdue(due, now), overdue=True)


def _overdue(due: datetime, now: datetime) -> str:
    ago = fmt.age(due, now)
    return f"a run due {fmt.stamp(due)} ({ago}) is not in the log: is the service running?"


def _without_jitter(trigger: BaseTrigger) -> Any:
    """A copy that gives the schedule's own times (the jitter is random on every call; the
    schedule text already says how much it adds)."""
    plain = copy.copy(trigger)
    if getattr(plain, "jitter", None):
        plain.jitter = None
    return plain
