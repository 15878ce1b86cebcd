"""feeds.yaml `schedule:` entries turned into APScheduler 3.x triggers.

An entry is `{every: "30s" | "15m" | "1h" | "1d"}` (an IntervalTrigger) or
`{cron: "m h dom mon dow"}` (a CronTrigger), with an optional `timezone` and `jitter`
(seconds). The expressions are read and checked by monitor.config.cron (no APScheduler, so
loading the config stays light); `0 9 * * 1-5` means Monday to Friday as a crontab user
expects. `plan_jobs` raises ConfigError naming the job.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import tzinfo
from typing import TYPE_CHECKING

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from monitor.config.cron import check_timezone, parse_every, standard_day_of_week
from monitor.errors import ConfigError
from monitor.stages.jobs import JOB_NAMES

if TYPE_CHECKING:
    from monitor.config.feeds_yaml import JobSchedule, ScheduleConfig

log = logging.getLogger("monitor.service")


@dataclass(frozen=True)
class JobPlan:
    """One scheduled job: its name, trigger, and a human description for logs and health."""

    name: str
    trigger: BaseTrigger
    description: str


def cron_trigger(expr: str, timezone: tzinfo, jitter: int | None = None) -> CronTrigger:
    """A CronTrigger from a standard 5-field crontab line; ValueError saying what is wrong."""
    fields = expr.split()
    if len(fields) != 5:
        raise ValueError(
            f"cron: {expr!r} has {len(fields)} fields; expected 5 (minute hour "
            "day-of-month month day-of-week), like '15 16 * * mon-fri'"
        )
    minute, hour, day, month, dow = fields
    try:
        return CronTrigger(
            minute=minute,
            hour=hour,
            day=day,
            month=month,
            day_of_week=standard_day_of_week(dow),
            timezone=timezone,
            jitter=jitter,
        )
    except ValueError as e:
        raise ValueError(f"cron: {expr!r}: {e}") from e


def build_trigger(name: str, entry: JobSchedule, default_zone: tzinfo) -> JobPlan:
    """The trigger for job `name`; ConfigError naming the job and the problem."""
    try:
        zone = check_timezone(entry.timezone) if entry.timezone else default_zone
        jitter = f", jitter {entry.jitter}s" if entry.jitter else ""
        if entry.every is not None:
            interval = parse_every(entry.every)
            trigger: BaseTrigger = IntervalTrigger(
                seconds=int(interval.total_seconds()), timezone=zone, jitter=entry.jitter
            )
            return JobPlan(name, trigger, f"every {entry.every}{jitter}")
        if entry.cron is not None:
            trigger = cron_trigger(entry.cron, zone, entry.jitter)
            return JobPlan(name, trigger, f"cron '{entry.cron}' ({zone}){jitter}")
    except ValueError as e:
        raise ConfigError(f"schedule.{name}: {e}") from e
    raise ConfigError(f"schedule.{name}: give 'every' (like 15m) or 'cron' (m h dom mon dow)")


def plan_jobs(schedule: ScheduleConfig, only: tuple[str, ...] = JOB_NAMES) -> list[JobPlan]:
    """Triggers for every enabled job (an entry set to null is disabled), in pipeline order."""
    try:
        zone = check_timezone(schedule.timezone)
    except ValueError as e:
        raise ConfigError(f"schedule.timezone: {e}") from e
    plans = []
    for name in only:
        entry: JobSchedule | None = getattr(schedule, name)
        if entry is not None:
            plans.append(build_trigger(name, entry, zone))
    return plans


#: The jobs that read SEC EDGAR, which requires a declared User-Agent.
SEC_JOBS: frozenset[str] = frozenset({"filings", "fundamentals"})


def without_unconfigured(
    plans: list[JobPlan], env: Mapping[str, str], *, warn: bool = True
) -> list[JobPlan]:
    """Drop the SEC jobs (filings, fundamentals) when EDGAR's required User-Agent is not
    set in `env` (the process environment, given by the service or dashboard wiring): a
    job that can only fail would turn /healthz red for users who never asked for SEC data
    (and `dashboard` would list a next run that never comes). `warn`: the service says
    so; the dashboard, which runs no job, does not."""
    from monitor.sources.edgar.client import USER_AGENT_ENV

    if env.get(USER_AGENT_ENV, "").strip() or all(p.name not in SEC_JOBS for p in plans):
        return plans
    off = " and ".join(sorted({p.name for p in plans} & SEC_JOBS))
    if warn:
        log.warning("SEC jobs off (%s): %s is not set (SEC EDGAR requires it)", off, USER_AGENT_ENV)
    return [p for p in plans if p.name not in SEC_JOBS]
