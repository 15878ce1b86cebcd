"""Schedule expressions without APScheduler: `every` intervals, crontab lines, time zones.

Config validation calls these at load, so a bad schedule stops start-up naming its file
and line, while APScheduler itself is imported only where the service starts
(monitor.stages.schedule turns checked entries into triggers). Each check raises
ValueError saying what is wrong.

The day-of-week field follows standard crontab (0 or 7 = Sunday, 1 = Monday); APScheduler
3 counts 0 as Monday, so `standard_day_of_week` rewrites numeric days to names.
"""

from __future__ import annotations

import re
from datetime import timedelta, tzinfo
from typing import Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_EVERY: Final = re.compile(r"^(\d+)(s|m|h|d)$")
_UNIT_SECONDS: Final = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_DAY_NAMES: Final = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
_DOW_TOKEN: Final = re.compile(r"^(?P<base>\*|[a-z0-9]+(?:-[a-z0-9]+)?)(?:/(?P<step>\d+))?$")
_MONTHS: Final = (
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
)  # fmt: skip
#: minute, hour, day of month, month: (name, lowest, highest).
_FIELDS: Final = (("minute", 0, 59), ("hour", 0, 23), ("day", 1, 31), ("month", 1, 12))
_RANGE_TOKEN: Final = re.compile(r"^(?P<base>\*|\w+(?:-\w+)?)(?:/(?P<step>\d+))?$")
#: The longest day of each month in any year (February: 29).
_MONTH_DAYS: Final = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
#: The longest `every`: APScheduler overflowed computing the next run of `99999999d` and
#: the service stopped at start; a job run less than yearly is no schedule.
MAX_EVERY_DAYS: Final = 366
#: APScheduler's day-of-month words ("last", "1st mon", "last fri"): checked when the
#: service builds its triggers.
_DAY_WORDS: Final = re.compile(r"^(last|(1st|2nd|3rd|4th|5th|last) [a-z]{3})$")


def parse_every(text: str) -> timedelta:
    """`30s`, `15m`, `1h`, `1d` as a timedelta; ValueError when malformed or zero."""
    match = _EVERY.match(text.strip())
    if match is None:
        raise ValueError(f"every: {text!r} is not a number followed by s, m, h or d (like 15m)")
    seconds = int(match.group(1)) * _UNIT_SECONDS[match.group(2)]
    if seconds <= 0:
        raise ValueError(f"every: {text!r} must be longer than zero")
    if seconds > MAX_EVERY_DAYS * 86400:
        raise ValueError(f"every: {text!r} is longer than {MAX_EVERY_DAYS}d")
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


def check_cron(expr: str) -> None:
    """A standard 5-field crontab line (minute hour day-of-month month day-of-week)."""
    fields = expr.split()
    if len(fields) != 5:
        raise ValueError(
            f"cron: {expr!r} has {len(fields)} fields; expected 5 (minute hour "
            "day-of-month month day-of-week), like '15 16 * * mon-fri'"
        )
    try:
        for text, (name, low, high) in zip(fields[:4], _FIELDS, strict=True):
            for token in text.lower().split(","):
                _check_token(token, name, low, high)
        standard_day_of_week(fields[4])
    except ValueError as e:
        raise ValueError(f"cron: {expr!r}: {e}") from e
    if _never_fires(fields[2], fields[3]):
        # APScheduler finds no next run and the job silently never runs.
        raise ValueError(
            f"cron: {expr!r}: day {fields[2]} is in no month {fields[3]}: it never runs"
        )


def _never_fires(day_field: str, month_field: str) -> bool:
    days = _numbers(day_field, "day", 1, 31)
    months = _numbers(month_field, "month", 1, 12)
    if not days or not months:
        return False
    return all(day > _MONTH_DAYS[month - 1] for day in days for month in months)


def _numbers(field: str, name: str, low: int, high: int) -> set[int] | None:
    """Every value a checked field names; None for APScheduler's day words."""
    out: set[int] = set()
    for token in field.lower().split(","):
        match = _RANGE_TOKEN.match(token)
        if match is None or (name == "day" and _DAY_WORDS.match(token)):
            return None
        base, step = match.group("base"), int(match.group("step") or 1)
        if base == "*":
            first, last = low, high
        else:
            parts = [_field_number(part, name, low, high) for part in base.split("-")]
            first, last = parts[0], parts[-1] if len(parts) == 2 or step == 1 else high
        out.update(range(first, last + 1, step))
    return out


def _check_token(token: str, name: str, low: int, high: int) -> None:
    if name == "day" and _DAY_WORDS.match(token):
        return
    match = _RANGE_TOKEN.match(token)
    if match is None:
        raise ValueError(f"{name}: cannot read {token!r}")
    if match.group("step") is not None and int(match.group("step")) < 1:
        raise ValueError(f"{name}: step must be at least 1 in {token!r}")
    base = match.group("base")
    if base == "*":
        return
    values = [_field_number(part, name, low, high) for part in base.split("-")]
    if len(values) == 2 and values[1] < values[0]:
        raise ValueError(f"{name}: range {base!r} runs backwards")


def _field_number(text: str, name: str, low: int, high: int) -> int:
    if name == "month" and text[:3] in _MONTHS and len(text) >= 3:
        return _MONTHS.index(text[:3]) + 1
    if not text.isdigit():
        raise ValueError(f"{name}: {text!r} is not a number")
    value = int(text)
    if not low <= value <= high:
        raise ValueError(f"{name}: {value} is not {low}-{high}")
    return value


def check_schedule_entry(every: str | None, cron: str | None, timezone: str | None) -> None:
    """Validate one schedule entry's trigger fields (ValueError saying what is wrong)."""
    if every is not None:
        parse_every(every)
    if timezone:
        check_timezone(timezone)
    if cron is not None:
        check_cron(cron)
