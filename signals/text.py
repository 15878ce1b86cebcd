"""Headline text, the one home for it: ingest's `clean_text` / `split_publisher`, the
classifier's `normalise` and the identity keys share the entity, tag and whitespace rules
below.

`clean_text` makes the title that is stored and shown; `split_publisher` moves a Google
News " - Publisher" suffix into the headline's source, using what the feed says about
itself. `normalise` is the one form of a title that is embedded, hashed and cached:

Feeds deliver titles with HTML entities (`&#8217;`), stray whitespace and a trailing
" - Publisher" (Google News style) or " | Publisher" that says who wrote it, not what
happened. Normalising before embedding keeps the publisher out of the label decision and
makes the same story from two outlets hash to the same cache key. `normalise` is
idempotent, so a layer that normalises again (the embedding cache) changes nothing.

Identity keys (`title_key`, `url_key`): the same story from two feeds or two fetches is one
row. Ingest (deduplication before insert), the store (its UNIQUE columns) and the backtest
(deduplicating a JSONL file) all use them, so all three agree.
"""

from __future__ import annotations

import html
import re
import unicodedata
from typing import Final
from urllib.parse import parse_qsl, urlencode, urlsplit

#: Longest text kept (characters). The model reads at most 256 word pieces anyway; the
#: cap bounds tokenizer work and cache keys for pathological inputs.
MAX_CHARS: Final[int] = 512

#: A publisher suffix: " - Reuters", " | TechCrunch", " — Financial Times". Short (at most six
#: words), after a spaced dash or bar, at the end. A colon is NOT a publisher separator:
#: "Nvidia: the bubble question" is part of the headline.
_SUFFIX: Final = re.compile(
    r"\s+[-|–—]\s+(?P<pub>[^-|–—]{2,40})$",
)
_MAX_SUFFIX_WORDS: Final[int] = 6
_CONNECTORS: Final = frozenset({"of", "the", "and", "&", "for", "on", "de", "la", "el"})
_MAX_PASSES: Final[int] = 4
_SPACE: Final = re.compile(r"\s+")
#: An HTML tag or comment. A bare "<" or ">" in a headline ("a < b") is text, not a tag.
_TAG: Final = re.compile(r"</?[A-Za-z][^<>]*>|<!--.*?-->", re.DOTALL)
_SPACE_BEFORE_PUNCT: Final = re.compile(r"\s+([.,;:!?])(?=\s|$)")
MAX_TITLE_CHARS: Final[int] = 400
MAX_PUBLISHER_CHARS: Final[int] = 60
#: Control characters become spaces: ESC starts a terminal escape sequence when a title is
#: printed, NUL is refused by PostgreSQL, and none of them is ever part of a headline.
_CONTROLS: Final = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
#: Dropped outright: lone surrogates (an escaped `\ud800` in JSON or `&#xD800;` in a feed;
#: they cannot be encoded as UTF-8, so hashing or storing the title failed) and invisible
#: format characters (zero-width spaces, bidi overrides that reorder what a screen shows).
_INVISIBLE: Final = re.compile(
    "[\ud800-\udfff\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)


def normalise(text: str) -> str:
    """Return the canonical form of a headline (unescaped, one-spaced, no publisher, capped)."""
    # Repeat to a fixed point: double-escaped entities and stacked suffixes
    # ("- Yahoo Finance - Reuters") need more than one pass, and idempotence is the contract.
    out = text
    for _ in range(_MAX_PASSES):
        previous, out = out, _one_pass(out)
        if out == previous:
            break
    return out


def printable(text: str) -> str:
    """`text` without control, surrogate or invisible format characters (see above)."""
    return _INVISIBLE.sub("", _CONTROLS.sub(" ", text))


def _one_pass(text: str) -> str:
    out = unicodedata.normalize("NFKC", printable(html.unescape(text)))
    out = _TAG.sub(" ", out)
    out = _SPACE.sub(" ", out).strip()
    if len(out) > MAX_CHARS:
        out = out[:MAX_CHARS].rstrip()
    return strip_publisher(out)


def strip_publisher(text: str) -> str:
    """Drop a trailing " - Publisher" or " | Publisher" if what is left still reads as a title."""
    match = _SUFFIX.search(text)
    if match is None:
        return text
    publisher = match.group("pub").strip()
    head = text[: match.start()].strip()
    if not _looks_like_publisher(publisher) or len(head.split()) < 3:
        return text
    return head


def _looks_like_publisher(name: str) -> bool:
    words = name.split()
    if not words or len(words) > _MAX_SUFFIX_WORDS or any(c in name for c in "$%€£?!"):
        return False
    # Publishers are names: every word capitalised except connectors (The Times of India,
    # CNBC, ft.com). A tail with a lower-case word ("- SoftBank leads", "- and why it
    # matters") is part of the headline.
    return all(w[0].isupper() or w[0].isdigit() or w.lower() in _CONNECTORS for w in words) or (
        len(words) == 1 and "." in name
    )


def clean_text(text: str, *, limit: int = MAX_TITLE_CHARS) -> str:
    """Entities unescaped, tags stripped, whitespace collapsed, at most `limit` characters."""
    text = printable(html.unescape(html.unescape(text)))
    stripped, tags = _TAG.subn(" ", text)
    if tags:
        # Tags become spaces (so "<p>a</p><p>b</p>" keeps two words), minus the stray space an
        # inline tag leaves before punctuation.
        stripped = _SPACE_BEFORE_PUNCT.sub(r"\1", stripped)
    text = _SPACE.sub(" ", stripped).strip()
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


def split_publisher(title: str, *, google_news: bool, source_title: str) -> tuple[str, str]:
    """(title, publisher) with a trailing " - Publisher" moved out; publisher "" if none."""
    head, sep, tail = title.rpartition(" - ")
    if not sep or not head.strip() or not tail.strip():
        return title, ""
    tail = tail.strip()
    if source_title and _same_name(tail, source_title):
        return head.strip(), tail
    if google_news and _short_name(tail):
        return head.strip(), tail
    return title, ""


def _short_name(text: str) -> bool:
    return len(text) <= MAX_PUBLISHER_CHARS and len(text.split()) <= _MAX_SUFFIX_WORDS


def _same_name(a: str, b: str) -> bool:
    return title_key(a) == title_key(b)


# -- identity keys --------------------------------------------------------------------

_NON_WORD: Final = re.compile(r"[\W_]+")


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
