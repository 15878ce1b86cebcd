"""Pure parse of one archive record (a JSONL object or a CSV row) into a `Headline`.

A record has `date` (or `published`), `title` (or `text`), `url`, and optionally `source`
and `collection`. Every record becomes either a clean `Headline` or a `RejectedRow` with
a reason from REASONS and a message naming the file, line and field; nothing in between,
so a bad row is never stored half.

- date: `YYYY-MM-DD` is taken as noon UTC (so it counts on its own day, as the backtest
  reader does); an ISO date-time without a zone is UTC. A date after `latest` (the
  import's clock plus a day) is a broken row, not news from the future; one before
  EARLIEST (a typo such as `0202-01-10`) is broken too: story windows and baselines
  reach back from it, and a year-1 date overflowed them and stopped the whole import.
- title: cleaned as feed titles are (signals.text.clean_text: entities, tags, spaces).
- url: canonicalised as feed links are; a missing or non-http(s) URL rejects the row,
  because the store identifies a headline by its URL as well as its title.
- source: the outlet, else the collection, else "unknown". The feed is
  `import:<collection>` (or `import`), so imported rows never pass for collected ones.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Final, Literal

from monitor.sources.news.normalise import canonical_url
from signals.models import Headline
from signals.text import MAX_PUBLISHER_CHARS, clean_text

Reason = Literal[
    "broken_json", "not_an_object", "not_utf8", "no_date", "bad_date", "no_title", "bad_url",
    "bad_field",
]  # fmt: skip
REASONS: Final[tuple[Reason, ...]] = (
    "broken_json",
    "not_an_object",
    "not_utf8",
    "no_date",
    "bad_date",
    "no_title",
    "bad_url",
    "bad_field",
)
FEED_PREFIX: Final[str] = "import"
MAX_COLLECTION_CHARS: Final[int] = 60
#: No headline, price or filing the monitor reads is older than this.
EARLIEST: Final[datetime] = datetime(1800, 1, 1, tzinfo=UTC)
_DATE_KEYS: Final[tuple[str, ...]] = ("date", "published")
_TITLE_KEYS: Final[tuple[str, ...]] = ("title", "text")


@dataclass(frozen=True, slots=True)
class RejectedRow:
    """A record that was not stored: where it is, why (a REASONS word) and in words."""

    path: str
    line: int
    reason: Reason
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass(frozen=True, slots=True)
class Where:
    """The file and line a record came from, and the newest date accepted."""

    path: str
    line: int
    latest: datetime

    def reject(self, reason: Reason, message: str) -> RejectedRow:
        return RejectedRow(self.path, self.line, reason, message)


def parse_json_line(text: str, where: Where) -> Headline | RejectedRow:
    """One JSONL line (not blank) as a Headline or a rejection."""
    try:
        record = json.loads(text)
    except json.JSONDecodeError as e:
        # json's own messages may end in "at" ("Unterminated string starting at").
        what = e.msg.removesuffix(" at")
        return where.reject("broken_json", f"not valid JSON ({what} at column {e.colno})")
    except RecursionError:
        return where.reject("broken_json", "not valid JSON (nested too deeply)")
    if not isinstance(record, dict):
        kind = type(record).__name__
        return where.reject("not_an_object", f"expected a JSON object, got {kind}")
    return parse_record(record, where)


def parse_record(record: Mapping[str, object], where: Where) -> Headline | RejectedRow:
    """A record's fields as a Headline, or the first problem found (date, title, url)."""
    published = _published(record, where)
    if isinstance(published, RejectedRow):
        return published
    title = _title(record, where)
    if isinstance(title, RejectedRow):
        return title
    extras = _strings(record, where, ("url", "source", "collection"))
    if isinstance(extras, RejectedRow):
        return extras
    url = canonical_url(extras["url"], extras["url"]) if extras["url"] else None
    if url is None:
        if not extras["url"]:  # the URL is a headline's identity in the store
            return where.reject("bad_url", "field url: missing or empty (an http(s) URL)")
        shown = repr(extras["url"][:80])
        return where.reject("bad_url", f"field url: {shown} is not an http(s) URL")
    collection = clean_text(extras["collection"], limit=MAX_COLLECTION_CHARS)
    source = clean_text(extras["source"], limit=MAX_PUBLISHER_CHARS)
    return Headline(
        title=title,
        url=url,
        source=source or collection or "unknown",
        feed=f"{FEED_PREFIX}:{collection}" if collection else FEED_PREFIX,
        published=published,
    )


def parse_date(text: str) -> datetime | None:
    """An ISO date (noon UTC) or date-time (UTC when naive) as an aware datetime, or None."""
    text = text.strip()
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), time(12), UTC)
        stamp = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return stamp.replace(tzinfo=UTC) if stamp.tzinfo is None else stamp.astimezone(UTC)


def _first(record: Mapping[str, object], keys: tuple[str, ...]) -> tuple[str, object]:
    for key in keys:
        if record.get(key) is not None:
            return key, record[key]
    return keys[0], None


def _published(record: Mapping[str, object], where: Where) -> datetime | RejectedRow:
    key, value = _first(record, _DATE_KEYS)
    if value is None or (isinstance(value, str) and not value.strip()):
        return where.reject("no_date", "field date: missing or empty")
    if not isinstance(value, str):
        kind = type(value).__name__
        return where.reject("bad_date", f"field {key}: expected an ISO date string, got {kind}")
    published = parse_date(value)
    if published is None:
        return where.reject(
            "bad_date", f"field {key}: {value[:40]!r} is not an ISO date (YYYY-MM-DD[THH:MM])"
        )
    if published > where.latest:
        return where.reject("bad_date", f"field {key}: {value[:40]!r} is in the future")
    if published < EARLIEST:
        return where.reject("bad_date", f"field {key}: {value[:40]!r} is before 1800")
    return published


def _title(record: Mapping[str, object], where: Where) -> str | RejectedRow:
    key, value = _first(record, _TITLE_KEYS)
    if value is not None and not isinstance(value, str):
        kind = type(value).__name__
        return where.reject("no_title", f"field {key}: expected a string, got {kind}")
    title = clean_text(value or "")
    if not title:
        return where.reject("no_title", "field title: missing or empty")
    return title


def _strings(
    record: Mapping[str, object], where: Where, keys: tuple[str, ...]
) -> dict[str, str] | RejectedRow:
    out: dict[str, str] = {}
    for key in keys:
        value = record.get(key)
        if value is not None and not isinstance(value, str):
            kind = type(value).__name__
            return where.reject("bad_field", f"field {key}: expected a string, got {kind}")
        out[key] = (value or "").strip()
    return out
