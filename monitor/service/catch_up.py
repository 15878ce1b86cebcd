"""Cron runs missed while the service was down, run once soon after start.

APScheduler keeps its jobs in memory, so a service restarted at 16:30 knew nothing of the
16:15 price run it had missed and waited for the next weekday's: a day of stale prices
after every restart across a slot (the daily digest, filings and retention likewise).
Interval jobs already run right after start-up. A cron job whose latest nominal slot
(monitor.service.exactly_once.slot_start) is later than its last run in the job log, or
that has never run, runs once (coalesced, as the scheduler would with a persistent job
store); on a shared store that run claims the missed slot, so two instances starting
together still run it once.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from monitor.service.exactly_once import slot_start
from monitor.stages.schedule import JobPlan

log = logging.getLogger("monitor.service")


@dataclass(frozen=True)
class Missed:
    """A cron job's slot that passed with no run recorded at or after it."""

    job: str
    slot: datetime
    last_run: datetime | None

    def describe(self) -> str:
        when = (
            "never ran" if self.last_run is None else f"last ran {self.last_run:%Y-%m-%d %H:%M} UTC"
        )
        return (
            f"job {self.job} missed its {self.slot:%Y-%m-%d %H:%M} UTC run ({when}); running it now"
        )


def missed_runs(
    plans: Sequence[JobPlan],
    last_runs: Mapping[str, datetime | None],
    now: datetime,
    same_work: Mapping[str, str],
) -> list[Missed]:
    """The cron jobs of `plans` to run once at start, in pipeline order. A job that does the
    same work as another planned job (`same_work`: prices_intraday is prices, digest is
    index) is left to that one when it runs at start anyway (an interval job) or is itself
    caught up."""
    missed: list[Missed] = []
    at_start = {p.name for p in plans if isinstance(p.trigger, IntervalTrigger)}
    for plan in plans:
        if not isinstance(plan.trigger, CronTrigger):
            continue
        slot = slot_start(plan.trigger, now)
        last = last_runs.get(plan.name)
        if slot is None or (last is not None and last >= slot):
            continue
        twin = same_work.get(plan.name)
        if twin is not None and (twin in at_start or any(m.job == twin for m in missed)):
            continue
        missed.append(Missed(plan.name, slot, last))
    return missed


def runs_at_start(
    plans: Sequence[JobPlan],
    last_runs: Mapping[str, datetime | None],
    now: datetime,
    same_work: Mapping[str, str],
    first: int,
    stagger: timedelta,
) -> dict[str, datetime]:
    """When each job that runs right after start does so: every interval job (fresh data
    soon after a restart) and every missed cron slot, `stagger` apart in pipeline order
    after `first` earlier start-up runs; each catch-up is logged."""
    missed = {m.job: m for m in missed_runs(plans, last_runs, now, same_work)}
    starts: dict[str, datetime] = {}
    for plan in plans:
        if isinstance(plan.trigger, IntervalTrigger) or plan.name in missed:
            starts[plan.name] = now + stagger * (first + len(starts))
        if plan.name in missed:
            log.info("%s", missed[plan.name].describe())
    return starts
