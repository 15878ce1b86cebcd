"""feeds.yaml `schedule:` entries turned into APScheduler 3.x triggers.

An entry is `{every: "30s" | "15m" | "1h" | "1d"}` (an IntervalTrigger) or
`{cron: "m h dom mon dow"}` (a CronTrigger), with an optional `timezone` and `jitter`
(seconds). The day-of-week field follows standard crontab (0 or 7 = Sunday, 1 = Monday):
APScheduler 3 counts 0 as Monday, so numeric days are rewritten to names before they
reach it, and `0 9 * * 1-5` means Monday to Friday as a crontab user expects.

The `check_*` functions raise ValueError (config validation turns it into a message with
the file and line); `plan_jobs` raises ConfigError naming the job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta, tzinfo
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from monitor.errors import ConfigError

if TYPE_CHECKING:  # monitor.config calls the checks below while it is being imported
    from monitor.config import JobSchedule, ScheduleConfig

#: The service's jobs in pipeline order (prices before news before the index).
JOB_NAMES: tuple[str, ...] = (
    "prices", "prices_intraday", "news", "positioning", "filings", "models", "index", "digest"
)

_EVERY = re.compile(r"^(\d+)(s|m|h|d)$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_DAY_NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
_DOW_TOKEN = re.compile(r"^(?P<base>\*|[a-z0-9]+(?:-[a-z0-9]+)?)(?:/(?P<step>\d+))?$")


@dataclass(frozen=True)
class JobPlan:
    """One scheduled job: its name, trigger, and a human description for logs and health."""

    name: str
    trigger: BaseTrigger
    description: str


def parse_every(text: str) -> timedelta:
    """`30s`, `15m`, `1h`, `1d` as a timedelta; ValueError when malformed or zero."""
    match = _EVERY.match(text.strip())
    if match is None:
        raise ValueError(f"every: {text!r} is not a number followed by s, m, h or d (like 15m)")
    seconds = int(match.group(1)) * _UNIT_SECONDS[match.group(2)]
    if seconds <= 0:
        raise ValueError(f"every: {text!r} must be longer than zero")
    return timedelta(seconds=seconds)


def check_timezone(name: str) -> tzinfo:
    """The IANA time zone called `name`; ValueError naming it when unknown."""
    if name == "UTC":
        return ZoneInfo("UTC")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as e:
        raise ValueError(
            f"unknown time zone {name!r}; use an IANA name like America/New_York or UTC"
        ) from e


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


def standard_day_of_week(field: str) -> str:
    """A crontab day-of-week field (0/7 = Sunday) as APScheduler day names."""
    field = field.strip().lower()
    if field == "*":
        return "*"
    days: set[int] = set()
    for token in field.split(","):
        days.update(_dow_days(token, field))
    return ",".join(_DAY_NAMES[d] for d in sorted(days))


def _dow_days(token: str, field: str) -> list[int]:
    match = _DOW_TOKEN.match(token)
    if match is None:
        raise ValueError(f"day-of-week {field!r}: cannot read {token!r}")
    step = int(match.group("step") or 1)
    if step < 1:
        raise ValueError(f"day-of-week {field!r}: step must be at least 1")
    base = match.group("base")
    start, _, end = base.partition("-")
    if base == "*":
        first, last = 0, 6
    elif end:
        first, last = _dow_number(start, field), _dow_number(end, field)
        if last == 0 and first > 0:
            last = 7  # "fri-sun" and "5-0" end on Sunday, the 7th day
        if last < first:
            raise ValueError(f"day-of-week {field!r}: range {base!r} runs backwards")
    else:
        first = _dow_number(start, field)
        last = 6 if match.group("step") else first  # "1/2" is "1-6/2", as in cronie
    return [d % 7 for d in range(first, last + 1, step)]


def _dow_number(text: str, field: str) -> int:
    if text.isdigit():
        number = int(text)
        if number > 7:
            raise ValueError(f"day-of-week {field!r}: {number} is not 0-7 (0 and 7 are Sunday)")
        return number
    if text[:3] in _DAY_NAMES and len(text) >= 3:
        return _DAY_NAMES.index(text[:3])
    raise ValueError(f"day-of-week {field!r}: {text!r} is not a day (sun..sat or 0-7)")


def check_job_schedule(entry: JobSchedule) -> None:
    """Validate one entry's trigger fields (ValueError saying what is wrong)."""
    if entry.every is not None:
        parse_every(entry.every)
    zone = check_timezone(entry.timezone) if entry.timezone else ZoneInfo("UTC")
    if entry.cron is not None:
        cron_trigger(entry.cron, zone, entry.jitter)


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
