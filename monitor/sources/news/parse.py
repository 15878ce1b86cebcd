"""Parse fetched feed BYTES with feedparser into its entries, refusing entity bombs first.

feedparser is always given bytes (a str would be taken for a path or URL) and the response
headers (their content-type carries the charset). A feed with `bozo` set keeps what parsed
and reports the error; a body with no feed in it at all (garbage, an HTML page) raises
ParseError.

Why refuse any entity declaration: feedparser keeps "safe-looking" entity declarations
(`<!ENTITY a "aaaa...">`), and when expat refuses the amplification its loose fallback
parser expands them anyway: a 200 kB feed became a 1 GB title, 3 GB of memory and 27 s of
CPU in our test. A regex that stripped the DTD subset was bypassed by a `>` inside the
quoted system literal (`<!DOCTYPE rss SYSTEM "http://x/a>b" [<!ENTITY ...>]>`). So the
prolog is read by expat itself, which knows XML's quoting rules, and a feed that declares
any entity is refused before feedparser sees it: real feeds never need their own entities.

Why rewrite impossible character references: feedparser's loose parser turns `&#xD800;`
(a surrogate) or `&#x110000;` (past Unicode) into a character with `chr()` and encodes it,
which raises, so one such reference in one entry failed the whole feed and lost every
other entry. They become U+FFFD, the replacement character, before feedparser runs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from xml.parsers import expat

import feedparser

from monitor.errors import ParseError

# expat reads at most this much looking for the end of the prolog (the first element).
_PROLOG_LIMIT = 1_000_000
_CHAR_REF = re.compile(rb"&#(?:[xX]([0-9a-fA-F]{1,16})|([0-9]{1,20}));")
_REPLACEMENT_REF = b"&#xFFFD;"


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """What parsed from one feed body: feedparser's entries as it gave them (strings still
    dirty; monitor.sources.news.normalise makes each a Headline); `error` is feedparser's
    bozo exception, if any."""

    title: str
    version: str
    entries: tuple[dict[str, Any], ...]
    error: str | None = None


class _EntityDeclaredError(Exception):
    """An `<!ENTITY` declaration was met in the prolog."""


class _PrologEndedError(Exception):
    """The first element started: the prolog held no entity declaration."""


def refuse_entities(content: bytes, *, url: str) -> None:
    """Raise ParseError if the feed declares any XML entity (general or parameter).

    expat reads only up to the first element. Where expat cannot read the prolog at all (an
    encoding it lacks, a malformed or huge prolog), feedparser's loose parser would take
    over, so any `<!ENTITY` in the body is refused then.
    """
    parser = expat.ParserCreate()
    parser.EntityDeclHandler = _on_entity_declared
    parser.StartElementHandler = _on_first_element
    try:
        parser.Parse(content[:_PROLOG_LIMIT], len(content) <= _PROLOG_LIMIT)
    except _EntityDeclaredError:
        raise ParseError(_ENTITY_REFUSED.format(url=url)) from None
    except _PrologEndedError:
        return
    except (expat.ExpatError, LookupError, ValueError):
        pass
    if b"<!ENTITY" in content:
        raise ParseError(_ENTITY_REFUSED.format(url=url))


_ENTITY_REFUSED = (
    "feed refused: its DTD declares XML entities (an entity-expansion attack, never needed "
    "by a real feed) at {url}"
)


def _on_entity_declared(*_args: object) -> None:
    raise _EntityDeclaredError


def _on_first_element(*_args: object) -> None:
    raise _PrologEndedError


def parse_feed(content: bytes, *, headers: Mapping[str, str], url: str) -> ParsedFeed:
    """Parse one body; `headers` are the response headers, `url` the URL it came from."""
    if not isinstance(content, bytes):  # pragma: no cover - guards a misuse, see docstring
        raise TypeError("parse_feed takes the body as bytes")
    response_headers = {k.lower(): v for k, v in headers.items()}
    # content-location makes feedparser resolve relative links against the feed's URL.
    response_headers.setdefault("content-location", url)
    refuse_entities(content, url=url)
    parsed = feedparser.parse(
        _CHAR_REF.sub(_possible_character, content),
        response_headers=response_headers,
        resolve_relative_uris=True,
        sanitize_html=True,
    )
    error = _bozo_text(parsed)
    entries = tuple(parsed.entries)
    version = str(parsed.get("version") or "")
    if not entries and not version:
        raise ParseError(f"not a feed ({error or 'no RSS, Atom or RDF element'}) at {url}")
    title = str(parsed.feed.get("title") or "") if parsed.get("feed") else ""
    return ParsedFeed(title=title, version=version, entries=entries, error=error)


def _possible_character(match: re.Match[bytes]) -> bytes:
    """The reference as it is, or U+FFFD's for a surrogate or a code point past Unicode."""
    hexadecimal, decimal = match.groups()
    code = int(hexadecimal, 16) if hexadecimal else int(decimal)
    if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return _REPLACEMENT_REF
    return match.group(0)


def _bozo_text(parsed: Any) -> str | None:
    if not parsed.get("bozo"):
        return None
    exc = parsed.get("bozo_exception")
    text = f"{type(exc).__name__}: {exc}" if exc is not None else "malformed feed"
    return text[:300]
