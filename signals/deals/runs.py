"""Runs of parties around a verb ("AMD, Nvidia and Salesforce"), the direction a rule
finds, and the rules for lists of investors (round 2 of docs/circular-deals.md):

- "as investors AMD, Nvidia, and Salesforce double down", "raises $235M from backers
  including X and Y": the parties right after "investors" pay (the first one at once:
  "investors look to the Arm IPO" and "investors in Meta" are no list); the party named
  first before them is paid;
- "as Bezos, OpenAI, Nvidia join funding": the parties just before "join(s) ... funding /
  round" pay; the party named first before them is paid.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from signals.deals.entities import Mention

#: Characters between a verb and its payee, at most.
WINDOW: Final = 48
_I = re.IGNORECASE
_JOIN: Final = re.compile(r"^(?:\s*(?:,|and|&|or|both|joins?|each)\s*)+$", _I)
_OWN: Final = re.compile(r"^['’]s\s+$")
_WITH: Final = re.compile(r"\b(?:with|from|than|against|vs\.?|versus)\s+(?:\w+\s+){0,2}$", _I)
INVESTOR_LIST: Final = re.compile(
    r"\b(?:investors?|backers?)\s+(?:including\s+|such as\s+|like\s+|led by\s+)?", _I
)
JOINS_FUNDING: Final = re.compile(
    r"\b(?:join(?:s|ed|ing)?|participat\w+ in)\s+(?:the\s+|a\s+|its\s+|new\s+|latest\s+)*"
    r"(?:funding|round|raise|fundraise|financing)\b",
    _I,
)


@dataclass(frozen=True, slots=True)
class Direction:
    payers: tuple[str, ...]
    payees: tuple[str, ...]
    at: int  # where the verb ends: the amount after it is the deal's
    confidence: float
    equity_verb: bool
    #: A deal back in return has only the amount named after its own verb, if any.
    own_amount: bool = False


def run_after(clause: str, mentions: list[Mention], at: int) -> tuple[str, ...]:
    """The first party named within WINDOW characters after `at`, and the parties joined
    to it by "and" or commas."""
    after = [m for m in mentions if m.start >= at]
    if not after or after[0].start - at > WINDOW or "," in clause[at : after[0].start]:
        return ()  # too far, or past a clause break: not the verb's object
    run = [after[0]]
    for m in after[1:]:
        gap = clause[run[-1].end : m.start]
        if not (_JOIN.match(gap) or (m.name == run[-1].name and _OWN.match(gap))):
            break  # "Alphabet's CapitalG" is one party named twice
        run.append(m)
    return tuple(dict.fromkeys(m.name for m in run))


def run_before(clause: str, mentions: list[Mention], at: int) -> tuple[str, ...]:
    """The last party named before `at` (not after "with"/"from"), and the parties joined
    to it by "and", commas or "joins"."""
    before = [m for m in mentions if m.end <= at and not _WITH.search(clause[: m.start])]
    if not before:
        return ()
    run = [before[-1]]
    for m in reversed(before[:-1]):
        if not _JOIN.match(clause[m.end : run[-1].start]):
            break
        run.append(m)
    return tuple(dict.fromkeys(m.name for m in reversed(run)))


def by_investor_list(clause: str, mentions: list[Mention]) -> Direction | None:
    """The investor-list rules of the module docstring."""
    for m in INVESTOR_LIST.finditer(clause):
        if not any(p.start == m.end() for p in mentions):
            continue  # "investors look to the Arm IPO", "investors in Meta": not a list
        found = _invested(mentions, run_after(clause, mentions, m.end()), m.start())
        if found is not None:
            return found
    for m in JOINS_FUNDING.finditer(clause):
        found = _invested(mentions, run_before(clause, mentions, m.start()), m.start())
        if found is not None:
            return found
    return None


def _invested(mentions: list[Mention], payers: tuple[str, ...], at: int) -> Direction | None:
    """Payers into the first party named before `at` that is not one of them."""
    first = next((m.name for m in mentions if m.end <= at and m.name not in payers), None)
    if not payers or first is None:
        return None
    return Direction(payers, (first,), at, 0.75, True)
