"""Small formatters shared by the page blocks: numbers, shares, ages and payload fields."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from signals.wording import input_name


def number(value: Any) -> float | None:
    """`value` as a float when it is a real number (bools and text are not), else None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if value == value else None  # NaN is not a number to show


def fixed(value: Any, digits: int = 1) -> str:
    n = number(value)
    return "n/a" if n is None else f"{n:.{digits}f}"


def value(value: Any) -> str:
    """A component value: one decimal on the 0-100 scale, two for small raw values."""
    n = number(value)
    if n is None:
        return "n/a"
    return f"{n:.1f}" if abs(n) >= 10 else f"{n:.2f}"


def percent(value: Any, digits: int = 1) -> str:
    """A probability 0-1 as a percentage."""
    n = number(value)
    return "n/a" if n is None else f"{n * 100:.{digits}f}%"


def parse_time(value: Any) -> datetime | None:
    """An ISO-8601 text as an aware UTC datetime; None when absent or unreadable."""
    if isinstance(value, datetime):
        stamp = value
    elif isinstance(value, str):
        try:
            stamp = datetime.fromisoformat(value)
        except ValueError:
            return None
    else:
        return None
    return stamp.replace(tzinfo=UTC) if stamp.tzinfo is None else stamp.astimezone(UTC)


def age(then: datetime | None, now: datetime) -> str:
    """How long ago, in the largest whole unit: '3 h ago', '12 days ago'."""
    if then is None:
        return "never"
    seconds = (now - then).total_seconds()
    if seconds < 0:
        return "in the future"
    for unit, size in (("day", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            count = int(seconds // size)
            suffix = "s" if unit == "day" and count != 1 else ""
            return f"{count} {unit}{suffix} ago"
    return "just now"


def stamp(value: datetime | None) -> str:
    return "n/a" if value is None else value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def words(name: str) -> str:
    """A component or label name for reading: 'circular_deal' -> 'circular deal'."""
    return " ".join("AI" if w.lower() == "ai" else w for w in name.split("_"))


def title(name: str) -> str:
    """A component as a card title, named as the report and "What changed" name it
    (signals.wording.input_name): 'runup_2y' -> '2-year run-up', 'ai_demand' -> 'AI demand'."""
    text = input_name(name)
    return text[:1].upper() + text[1:]


def web_url(url: Any) -> str | None:
    """`url` when it is an http(s) address, else None: headline URLs come from feeds and
    imported files, and a `javascript:` or `data:` one must not become a link."""
    text = str(url or "").strip()
    scheme = text.split(":", 1)[0].lower() if ":" in text else ""
    return text if scheme in ("http", "https") and text[len(scheme) :].startswith("://") else None
