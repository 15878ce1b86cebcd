"""The parties of deals: canonical names and the aliases that name them in a title.

The table extends the segments' aliases (feeds.yaml `segments: ... aliases:`), it does not
repeat them: every company a segment alias names (OpenAI, CoreWeave, Nvidia, Oracle ...) is
a party under that very name, and EXTRA adds the companies the segments do not list
(Microsoft, Google/Alphabet, Amazon/AWS ...) and second names of listed ones. Products,
people and generic terms among the segment aliases are not parties (NOT_PARTIES): "Gemini"
is also a crypto exchange and a star sign, "Claude" a first name, and a deal names the
company anyway.

Matching follows signals.attribution (whole words; a capitalised alias matches as written
or in capitals, so "meta" and "oracle" in lowercase never count). Names that are also
words are guarded by EXCEPTIONS ("the Oracle of Omaha", "AWS Lambda", "apple pie").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final

from signals.attribution import alias_pattern

#: Segment aliases that are not companies that pay or get paid.
NOT_PARTIES: Final[frozenset[str]] = frozenset(
    {
        "ChatGPT", "GPT", "Sora", "Claude", "Grok", "Gemini", "Llama", "Copilot", "Altman",
        "Amodei", "Jensen Huang", "LLM", "LLMs", "GPU", "GPUs", "AI-designed", "AlphaFold",
        "AI infrastructure",
    }
)  # fmt: skip
#: Companies (and second names) beyond the segments' aliases: canonical -> aliases.
EXTRA: Final[Mapping[str, tuple[str, ...]]] = {
    "Microsoft": ("Microsoft", "Azure", "MSFT"),
    "Google": ("Google", "Alphabet", "CapitalG", "Google Cloud", "DeepMind"),
    "Amazon": ("Amazon", "AWS", "Amazon Web Services"),
    "Apple": ("Apple",),
    "Intel": ("Intel",),
    "Samsung": ("Samsung",),
    "SK Hynix": ("SK Hynix", "SK hynix"),
    "Tesla": ("Tesla",),
    "Dell": ("Dell",),
    "Arm": ("Arm",),
    "Qualcomm": ("Qualcomm",),
    "Salesforce": ("Salesforce",),
    "IBM": ("IBM",),
    "Cisco": ("Cisco",),
    "Lambda": ("Lambda",),
    "Crusoe": ("Crusoe",),
    "Nscale": ("Nscale",),
    "Blackstone": ("Blackstone",),
    "BlackRock": ("BlackRock",),
    "Blue Owl": ("Blue Owl",),
    "MGX": ("MGX",),
    "Scale AI": ("Scale AI",),
    "Databricks": ("Databricks",),
    "Cohere": ("Cohere",),
    "Figure AI": ("Figure AI",),
    "Thinking Machines": ("Thinking Machines",),
    "Safe Superintelligence": ("Safe Superintelligence",),
    "Inflection": ("Inflection AI",),
    "OpenAI": ("Open AI",),
    "Nvidia": ("NVIDIA",),
    "Meta": ("Meta Platforms", "Facebook"),
    "xAI": ("XAI",),
    "Mistral": ("Mistral AI",),
    "Supermicro": ("Super Micro",),
    "SoftBank": ("Softbank",),
    "Schrodinger": ("Schrödinger",),
}
#: A mention inside one of these phrases is not the company.
EXCEPTIONS: Final[Mapping[str, re.Pattern[str]]] = {
    "Oracle": re.compile(r"Oracle of (?:Omaha|Delphi)"),
    "Lambda": re.compile(r"AWS Lambda|Lambda (?:function|calculus)s?"),
    "Apple": re.compile(r"Apple (?:pie|juice|cider|orchard)s?|Big Apple", re.IGNORECASE),
    "Meta": re.compile(r"META?-?[Aa]nalys[ie]s|Meta-[a-z]+|Meta (?:description|data)\b"),
    "Arm": re.compile(
        r"Arm (?:yourself|wrestl\w*|and (?:a )?[Ll]eg)|ARMS?\b|[Rr]obot(?:ic)? [Aa]rms?\b|"
        r"(?:[Vv]enture|[Ii]nvestment|[Cc]orporate|[Ll]ending|[Ff]inancing) Arm\b"
    ),
    # Nvidia's Tesla GPUs ("4x Nvidia Tesla K40"), not the carmaker.
    "Tesla": re.compile(r"(?:Nvidia|NVIDIA)(?:['’]s)? Tesla|Tesla (?:[KMPTV]\d+|A100|GPUs?)\b"),
}


_WORD: Final = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Mention:
    name: str
    start: int
    end: int


@dataclass(frozen=True)
class EntityTable:
    """Canonical name -> its aliases, matched in one pass by one regular expression (every
    alias as written and in capitals, longest first, so "Google Cloud" wins over
    "Google"): a title costs one scan, not one per alias."""

    aliases: Mapping[str, tuple[str, ...]]
    pattern: re.Pattern[str]
    canonical: Mapping[str, str]  # an alias's spelling (spaces single) -> canonical name
    #: The lowercased first word of every alias: a title naming none of them is skipped
    #: after one cheap split (most titles).
    keys: frozenset[str]

    @classmethod
    def build(cls, segment_aliases: Iterable[str]) -> EntityTable:
        """The table from the segments' aliases plus EXTRA (see the module docstring)."""
        names: dict[str, list[str]] = {}
        for alias in segment_aliases:
            if _is_company(alias):
                names.setdefault(_canonical(alias), []).append(alias)
        for canonical, extra in EXTRA.items():
            names.setdefault(canonical, []).extend(extra)
        spelled: dict[str, str] = {}
        for canonical, aliases in names.items():
            for alias in aliases:
                alias_pattern(alias)  # the same checks as a segment alias
                spelled.setdefault(alias, canonical)
                spelled.setdefault(alias.upper(), canonical)
        words = sorted(spelled, key=lambda a: (-len(a), a))
        body = "|".join(r"\s+".join(re.escape(w) for w in a.split()) for a in words)
        # The first letters up front: most positions of a title fail on one character test.
        first = "".join(sorted({re.escape(a[0]) for a in words}))
        return cls(
            {c: tuple(dict.fromkeys(a)) for c, a in names.items()},
            re.compile(rf"\b(?=[{first}])(?<!\w)(?:{body})(?!\w)"),
            spelled,
            frozenset(_WORD.findall(a.lower())[0] for a in words),
        )

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self.aliases)

    def mentions(self, text: str) -> list[Mention]:
        """The parties named in `text`, in order of appearance."""
        if self.keys.isdisjoint(_WORD.findall(text.lower())):
            return []
        found = []
        guards: dict[str, list[tuple[int, int]]] = {}
        for m in self.pattern.finditer(text):
            name = self.canonical[" ".join(m.group(0).split())]
            guard = EXCEPTIONS.get(name)
            if guard is not None:
                if name not in guards:
                    guards[name] = [g.span() for g in guard.finditer(text)]
                if any(a <= m.start() < b for a, b in guards[name]):
                    continue
            found.append(Mention(name, m.start(), m.end()))
        return found


def _is_company(alias: str) -> bool:
    """A capitalised name, or one whose first word has a capital inside ("xAI"); generic
    phrases ("physical AI", "data center") are not companies."""
    first = alias.split()[0] if alias.strip() else ""
    named = alias[:1].isupper() or any(c.isupper() for c in first)
    return alias not in NOT_PARTIES and not alias.endswith("*") and named


def _canonical(alias: str) -> str:
    for canonical, extra in EXTRA.items():
        if alias in extra:
            return canonical
    return alias
