"""Turn feedparser's entries into clean `Headline`s: text, publisher, date, canonical URL,
age. The one step from a parsed item to the standard model (no intermediate shape).

- Fields: the title, the link (else an alternate link, else an http(s) guid), the
  publisher's <source> title, the summary; dates from feedparser's UTC struct_times.

- Titles: HTML entities unescaped (twice: real feeds double-escape, `&amp;#8217;`), tags
  stripped, whitespace collapsed, length capped.
- Google News titles end in " - Publisher": the publisher becomes the headline's source, but
  only when the feed is a Google News feed or the suffix equals the entry's <source>, so a
  real title such as "Nvidia - OpenAI deal explained" keeps its dash elsewhere.
- Published time from the entry's published date, else its updated date, else the fetch
  time with `published_estimated=True`; items older than `max_age` are dropped.
- Canonical URL: relative links resolved against the feed URL, tracking parameters and the
  fragment removed, host lowercased; Google News article links are kept as they are (their
  path is the article's identity).

Text cleaning and identity keys live in signals.text.
"""

from __future__ import annotations

import calendar
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from signals.models import Headline
from signals.text import (
    MAX_PUBLISHER_CHARS,
    clean_text,
    is_google_news_url,
    printable,
    split_publisher,
)

MAX_SUMMARY_CHARS = 1000
#: A date this far past the fetch time is a feed error, not news from the future.
FUTURE_SLACK = timedelta(hours=1)

_TRACKING_PREFIXES = ("utm_", "mc_", "_hs", "pk_", "mtm_", "ga_")
_TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "yclid",
        "twclid", "igshid", "igsh", "mkt_tok", "oly_anon_id", "oly_enc_id",
        "ref_src", "ref_url", "cmpid", "ncid", "guccounter", "guce_referrer",
        "guce_referrer_sig", "sr_share", "soc_src", "soc_trk", "__twitter_impression",
    }
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class FeedContext:
    """What normalisation needs to know about the feed an entry came from."""

    name: str
    url: str
    title: str
    now: datetime
    max_age: timedelta

    @property
    def is_google_news(self) -> bool:
        return is_google_news_url(self.url)


def canonical_url(link: str, base: str) -> str | None:
    """The link resolved and stripped of tracking; None unless it is an http(s) URL.
    A link with a control, surrogate or invisible character is None too: it cannot be
    stored (a lone surrogate is not UTF-8) and would not lead anywhere."""
    absolute = urljoin(base, link.strip())
    parts = urlsplit(absolute)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    if printable(absolute) != absolute:
        return None
    if is_google_news_url(absolute):
        return absolute
    host = parts.hostname.lower()
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _tracking(k)]
    return urlunsplit((parts.scheme.lower(), host, parts.path or "/", urlencode(query), ""))


def to_headline(entry: dict[str, Any], feed: FeedContext) -> Headline | None:
    """The clean headline of one feedparser entry, or None when it has no title or link or
    is older than max age."""
    link = entry_link(entry)
    url = canonical_url(link, feed.url) if link else None
    raw_title = clean_text(str(entry.get("title") or ""))
    if url is None or not raw_title:
        return None
    source_title = clean_text(entry_source(entry), limit=MAX_PUBLISHER_CHARS * 2)
    google = feed.is_google_news or is_google_news_url(url)
    title, publisher = split_publisher(raw_title, google_news=google, source_title=source_title)
    published, estimated = _published(entry, feed.now)
    if published < feed.now - feed.max_age:
        return None
    return Headline(
        title=title,
        url=url,
        # The channel's own title comes raw from feedparser: cleaned like every other text.
        source=publisher
        or source_title
        or clean_text(feed.title, limit=MAX_PUBLISHER_CHARS)
        or feed.name,
        feed=feed.name,
        published=published,
        published_estimated=estimated,
        summary=clean_text(str(entry.get("summary") or ""), limit=MAX_SUMMARY_CHARS),
    )


def entry_link(entry: Mapping[str, Any]) -> str:
    """The entry's link, else its alternate link, else its guid when that is an URL."""
    link = entry.get("link")
    if link:
        return str(link)
    for candidate in entry.get("links") or ():
        if candidate.get("href") and candidate.get("rel", "alternate") == "alternate":
            return str(candidate["href"])
    guid = str(entry.get("id") or "")
    return guid if guid.startswith(("http://", "https://")) else ""


def entry_source(entry: Mapping[str, Any]) -> str:
    """The title of the entry's <source> element (Google News: the publisher), or ""."""
    source = entry.get("source") or {}
    return str(source.get("title") or "") if isinstance(source, Mapping) else ""


def entry_times(entry: dict[str, Any]) -> tuple[datetime | None, datetime | None]:
    """(published, updated) in UTC, each None when missing or malformed."""
    # dict.get: FeedParserDict.get would map a missing updated_parsed to published_parsed.
    return _utc(dict.get(entry, "published_parsed")), _utc(dict.get(entry, "updated_parsed"))


def _utc(parsed: time.struct_time | None) -> datetime | None:
    """feedparser's struct_time is UTC; malformed or out-of-range dates become None."""
    if parsed is None:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)
    except (OverflowError, ValueError, OSError, TypeError):
        return None


def _published(entry: dict[str, Any], now: datetime) -> tuple[datetime, bool]:
    published, updated = entry_times(entry)
    when = published or updated
    if when is None or when > now + FUTURE_SLACK:
        return now, True
    return when, False


def _tracking(key: str) -> bool:
    lowered = key.lower()
    return lowered in _TRACKING_PARAMS or lowered.startswith(_TRACKING_PREFIXES)
