"""News attribution: which segments a headline is about, from a table of aliases.

Matching is on the title, word-boundary-aware and case-aware:
- an alias is matched as a whole word or phrase: `Claude` matches "Anthropic's Claude"
  and "Claude-powered", never "Claudette"; `AI` never matches inside "OpenAI";
- an alias written in lowercase matches in any case (`drug discovery`, `robotics`);
- an alias with a capital letter matches as written or in capitals only, so `Llama`
  (Meta's model) matches "Llama 4" and "LLAMA" but not "a llama farm", and `Gemini`
  does not match "gemini" in a horoscope;
- a trailing `*` matches any word ending: `robot*` matches robot, robots, robotics.

A headline may belong to several segments ("Nvidia backs an AI drug-discovery startup");
each segment then counts it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Final, Literal

from signals.models import StoredHeadline

NewsMode = Literal["aliases", "all", "none"]
MAX_ALIAS: Final[int] = 60
_ALLOWED: Final = re.compile(r"^[\w][\w .&'+\-/]*\*?$")


def check_alias(alias: str) -> str:
    """Raise ValueError with the reason when `alias` cannot be matched sensibly."""
    if not alias.strip() or alias != alias.strip():
        raise ValueError(f"alias {alias!r}: empty or with leading/trailing spaces")
    if len(alias) > MAX_ALIAS:
        raise ValueError(f"alias {alias[:20]!r}...: longer than {MAX_ALIAS} characters")
    if not _ALLOWED.match(alias):
        raise ValueError(
            f"alias {alias!r}: use letters, digits, spaces and . & ' + - / only, "
            "with * only at the end"
        )
    return alias


def alias_pattern(alias: str) -> re.Pattern[str]:
    """The regular expression of one alias (see the module docstring)."""
    check_alias(alias)
    stem, wildcard = (alias[:-1], r"\w*") if alias.endswith("*") else (alias, "")
    words = r"\s+".join(re.escape(w) for w in stem.split())
    if stem == stem.lower():
        return re.compile(rf"(?<!\w){words}{wildcard}(?!\w)", re.IGNORECASE)
    upper = r"\s+".join(re.escape(w) for w in stem.upper().split())
    return re.compile(rf"(?<!\w)(?:{words}|{upper}){wildcard}(?!\w)")


@dataclass(frozen=True, slots=True)
class _Alias:
    text: str
    pattern: re.Pattern[str]
    #: The lowercased first word: a match needs it in the lowercased text, a cheap test
    #: that spares most titles the regular expression. `alt` is its other lowercase form
    #: when upper-casing changes it (German sharp s), else None.
    key: str
    alt: str | None

    @classmethod
    def of(cls, alias: str) -> _Alias:
        first = alias.rstrip("*").split()[0]
        key, alt = first.lower(), first.upper().lower()
        return cls(alias, alias_pattern(alias), key, None if alt == key else alt)

    def found_in(self, text: str, lowered: str) -> bool:
        if self.key not in lowered and (self.alt is None or self.alt not in lowered):
            return False
        return self.pattern.search(text) is not None


@dataclass(frozen=True)
class AliasTable:
    """Segment name -> its aliases, in configuration order."""

    aliases: Mapping[str, tuple[_Alias, ...]]

    @classmethod
    def build(cls, aliases: Mapping[str, Sequence[str]]) -> AliasTable:
        return cls({seg: tuple(_Alias.of(a) for a in names) for seg, names in aliases.items()})

    def matches(self, text: str) -> dict[str, list[str]]:
        """Segment -> the aliases found in `text` (segments with none left out)."""
        lowered = text.lower()
        found: dict[str, list[str]] = {}
        for segment, aliases in self.aliases.items():
            hits = [a.text for a in aliases if a.found_in(text, lowered)]
            if hits:
                found[segment] = hits
        return found

    def segments_of(self, text: str) -> tuple[str, ...]:
        lowered = text.lower()
        found = []
        for segment, aliases in self.aliases.items():
            for alias in aliases:
                if alias.found_in(text, lowered):
                    found.append(segment)
                    break
        return tuple(found)


def attribute(
    headlines: Iterable[StoredHeadline],
    modes: Mapping[str, NewsMode],
    table: AliasTable,
) -> dict[str, list[StoredHeadline]]:
    """Each segment's headlines: all of them, none, or those its aliases match."""
    items = list(headlines)
    found = [set(table.segments_of(h.headline.title)) for h in items]
    out: dict[str, list[StoredHeadline]] = {}
    for segment, mode in modes.items():
        if mode == "all":
            out[segment] = list(items)
        elif mode == "none":
            out[segment] = []
        else:
            out[segment] = [h for h, hits in zip(items, found, strict=True) if segment in hits]
    return out


def segment_view(
    headlines: Sequence[StoredHeadline], mine: Iterable[StoredHeadline]
) -> list[StoredHeadline]:
    """Every headline, those not in `mine` without their score: they still show the feeds
    were collecting (active days, no silence) but count as no story of the segment."""
    keep = {h.id for h in mine}
    return [h if h.id in keep else replace(h, score=None) for h in headlines]
