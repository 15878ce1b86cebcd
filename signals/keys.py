"""Identity keys of a headline: the same story from two feeds or two fetches is one row.

Pure string functions shared by ingest (deduplication before insert), the store (its
UNIQUE columns) and the backtest (deduplicating a JSONL file), so all three agree.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit

_SPACE = re.compile(r"\s+")
_NON_WORD = re.compile(r"[\W_]+")


def url_key(url: str) -> str:
    """The identity of a canonical URL: scheme, leading www. and trailing slash ignored."""
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    path = parts.path.rstrip("/") or "/"
    query = urlencode(sorted(parse_qsl(parts.query, keep_blank_values=True)))
    return f"{host}{path}?{query}" if query else f"{host}{path}"


def title_key(title: str) -> str:
    """The identity of a title: case, punctuation and spacing ignored."""
    return _SPACE.sub(" ", _NON_WORD.sub(" ", title.casefold())).strip()


def is_google_news_url(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return host == "news.google.com"
