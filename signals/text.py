"""Headline text normalisation: the one form of a title that is embedded, hashed and cached.

Feeds deliver titles with HTML entities (`&#8217;`), stray whitespace and a trailing
" - Publisher" (Google News style) or " | Publisher" that says who wrote it, not what
happened. Normalising before embedding keeps the publisher out of the label decision and
makes the same story from two outlets hash to the same cache key. `normalise` is
idempotent, so a layer that normalises again (the embedding cache) changes nothing.
"""

from __future__ import annotations

import html
import re
import unicodedata
from typing import Final

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
_TAG: Final = re.compile(r"<[^>]{0,200}>")


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


def _one_pass(text: str) -> str:
    out = unicodedata.normalize("NFKC", html.unescape(text))
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
