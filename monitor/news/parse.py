"""Parse fetched feed BYTES with feedparser into raw entries, defusing entity bombs first.

feedparser is always given bytes (a str would be taken for a path or URL) and the response
headers (their content-type carries the charset). A feed with `bozo` set keeps what parsed
and reports the error; a body with no feed in it at all (garbage, an HTML page) raises
FeedParseError.

Why strip the internal DTD subset: feedparser keeps "safe-looking" entity declarations
(`<!ENTITY a "aaaa...">`), and when expat refuses the amplification its loose fallback
parser expands them anyway: a 200 kB feed became a 1 GB title, 3 GB of memory and 27 s of
CPU in our test. Real feeds never need their own entities, so the subset is removed.
"""

from __future__ import annotations

import calendar
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import feedparser

from monitor.errors import CollectError

# A DOCTYPE with an internal subset: `<!DOCTYPE root ... [ ... ]>`; only looked for before the
# first element, so a feed that quotes one in its text is untouched.
_DOCTYPE_SUBSET = re.compile(rb"<!DOCTYPE[^\[>]*\[.*?\]\s*>", re.DOTALL)
_PROLOG_LIMIT = 1_000_000


class FeedParseError(CollectError):
    """The bytes fetched are not a feed (no RSS, Atom or RDF found in them)."""


@dataclass(frozen=True, slots=True)
class RawEntry:
    """One item as feedparser gave it: strings still dirty, dates as UTC or None."""

    title: str
    link: str
    published: datetime | None
    updated: datetime | None
    source_title: str = ""
    summary: str = ""


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """What parsed from one feed body; `error` is feedparser's bozo exception, if any."""

    title: str
    version: str
    entries: tuple[RawEntry, ...]
    error: str | None = None


def defuse(content: bytes) -> bytes:
    """Remove a DOCTYPE internal subset (entity declarations) from the prolog."""
    start = content.find(b"<!DOCTYPE", 0, _PROLOG_LIMIT)
    if start < 0 or start > _first_element(content):
        return content
    match = _DOCTYPE_SUBSET.match(content, start)
    if match is None:
        return content
    return content[:start] + content[match.end() :]


def parse_feed(content: bytes, *, headers: Mapping[str, str], url: str) -> ParsedFeed:
    """Parse one body; `headers` are the response headers, `url` the URL it came from."""
    if not isinstance(content, bytes):  # pragma: no cover - guards a misuse, see docstring
        raise TypeError("parse_feed takes the body as bytes")
    response_headers = {k.lower(): v for k, v in headers.items()}
    # content-location makes feedparser resolve relative links against the feed's URL.
    response_headers.setdefault("content-location", url)
    parsed = feedparser.parse(
        defuse(content),
        response_headers=response_headers,
        resolve_relative_uris=True,
        sanitize_html=True,
    )
    error = _bozo_text(parsed)
    entries = tuple(_entry(e) for e in parsed.entries)
    version = str(parsed.get("version") or "")
    if not entries and not version:
        raise FeedParseError(f"not a feed ({error or 'no RSS, Atom or RDF element'}) at {url}")
    title = str(parsed.feed.get("title") or "") if parsed.get("feed") else ""
    return ParsedFeed(title=title, version=version, entries=entries, error=error)


def _entry(entry: Any) -> RawEntry:
    source = entry.get("source") or {}
    return RawEntry(
        title=str(entry.get("title") or ""),
        link=_link(entry),
        # dict.get: FeedParserDict.get would map a missing updated_parsed to published_parsed.
        published=_utc(dict.get(entry, "published_parsed")),
        updated=_utc(dict.get(entry, "updated_parsed")),
        source_title=str(source.get("title") or "") if isinstance(source, Mapping) else "",
        summary=str(entry.get("summary") or ""),
    )


def _link(entry: Any) -> str:
    link = entry.get("link")
    if link:
        return str(link)
    for candidate in entry.get("links") or ():
        if candidate.get("href") and candidate.get("rel", "alternate") == "alternate":
            return str(candidate["href"])
    guid = str(entry.get("id") or "")
    return guid if guid.startswith(("http://", "https://")) else ""


def _utc(parsed: time.struct_time | None) -> datetime | None:
    """feedparser's struct_time is UTC; malformed or out-of-range dates become None."""
    if parsed is None:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)
    except (OverflowError, ValueError, OSError, TypeError):
        return None


def _bozo_text(parsed: Any) -> str | None:
    if not parsed.get("bozo"):
        return None
    exc = parsed.get("bozo_exception")
    text = f"{type(exc).__name__}: {exc}" if exc is not None else "malformed feed"
    return text[:300]


def _first_element(content: bytes) -> int:
    """Index of the first start tag that is not a declaration or processing instruction."""
    match = re.search(rb"<[A-Za-z_]", content[:_PROLOG_LIMIT])
    return match.start() if match else min(len(content), _PROLOG_LIMIT)
