"""The one stored form of an instant: UTC ISO-8601 text, `datetime.isoformat()` style.

Every table writes times through `stamp`, so SQL compares them as text (portable across
SQLite and PostgreSQL, no date functions) and text order is time order: the offset is
always +00:00, and a time with no microseconds is written without a fraction, which
sorts before any fraction of the same second, as it should. Naive datetimes are refused
(a time without a zone would be read as UTC by one reader and as local by another).
Calendar days (prices, layoffs) are stored as `date.isoformat()`.
"""

from __future__ import annotations

from datetime import UTC, datetime


def stamp(value: datetime) -> str:
    """`value` as stored: UTC ISO-8601; ValueError for a naive datetime."""
    if value.tzinfo is None:
        raise ValueError(f"naive datetime {value!r}: the store keeps times in UTC")
    return value.astimezone(UTC).isoformat()


def stamp_or_none(value: datetime | None) -> str | None:
    return None if value is None else stamp(value)


def parse_stamp(text: str | None) -> datetime | None:
    """A stored time back as an aware datetime (None for NULL or empty)."""
    return datetime.fromisoformat(text) if text else None
