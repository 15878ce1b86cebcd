"""Turn raw feed entries into clean `Headline`s: text, publisher, date, canonical URL, age.

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

from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from monitor.sources.news.parse import RawEntry
from signals.models import Headline
from signals.text import MAX_PUBLISHER_CHARS, clean_text, is_google_news_url, split_publisher

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
    """The link resolved and stripped of tracking; None unless it is an http(s) URL."""
    absolute = urljoin(base, link.strip())
    parts = urlsplit(absolute)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    if is_google_news_url(absolute):
        return absolute
    host = parts.hostname.lower()
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _tracking(k)]
    return urlunsplit((parts.scheme.lower(), host, parts.path or "/", urlencode(query), ""))


def to_headline(entry: RawEntry, feed: FeedContext) -> Headline | None:
    """The clean headline, or None when it has no title or link or is older than max age."""
    url = canonical_url(entry.link, feed.url) if entry.link else None
    raw_title = clean_text(entry.title)
    if url is None or not raw_title:
        return None
    source_title = clean_text(entry.source_title, limit=MAX_PUBLISHER_CHARS * 2)
    google = feed.is_google_news or is_google_news_url(url)
    title, publisher = split_publisher(raw_title, google_news=google, source_title=source_title)
    published, estimated = _published(entry, feed.now)
    if published < feed.now - feed.max_age:
        return None
    return Headline(
        title=title,
        url=url,
        source=publisher or source_title or feed.title or feed.name,
        feed=feed.name,
        published=published,
        published_estimated=estimated,
        summary=clean_text(entry.summary, limit=MAX_SUMMARY_CHARS),
    )


def _published(entry: RawEntry, now: datetime) -> tuple[datetime, bool]:
    when = entry.published or entry.updated
    if when is None or when > now + FUTURE_SLACK:
        return now, True
    return when, False


def _tracking(key: str) -> bool:
    lowered = key.lower()
    return lowered in _TRACKING_PARAMS or lowered.startswith(_TRACKING_PREFIXES)
