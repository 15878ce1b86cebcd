"""Round 3's phrase rules (docs/circular-deals.md): wording that names who pays without a
verb of payment between the parties.

- "Meta to pay $15B for Scale AI stake", "SoftBank seeks a loan for OpenAI stake": the
  stake's company is paid by the parties before;
- "Oracle to supply OpenAI with chips": the party supplied pays the supplier, unless it
  is supplied with money ("provide OpenAI with $100B in investment": the supplier pays);
- "Nvidia and Apple set to be first customers for TSMC's chips": the customers pay;
  "bring on Amazon as a customer": Amazon pays the party named before it;
- "Microsoft, Meta and OpenAI back AMD's chip": a run of parties right before "back"
  ("to back", "will back") pays the party after it; "pushes back", "pulling back from"
  are no verb of backing;
- a second deal in return, after the first: "takes $5B from Amazon and pledges $100B in
  cloud spending in return", "raise $10B from Amazon and use its chips", "spend $20B on
  Cerebras chips, receive stake": the first deal's payee pays its payer back.
"""

from __future__ import annotations

import re
from typing import Final

from signals.deals.entities import Mention
from signals.deals.runs import Direction, run_after, run_before

_I = re.IGNORECASE
STAKE_AFTER: Final = re.compile(r"^(?:['’]s)?\s+(?:stake|shares)\b", _I)
_FOR_STAKE: Final = re.compile(r"\bfor\s+(?:an?\s+|more\s+)?", _I)
_SUPPLY_WITH: Final = re.compile(
    r"\b(?:suppl(?:y|ies|ying)|provid(?:e|es|ing)|deliver(?:s|ing)?|equip(?:s|ping)?)\s+", _I
)
_WITH_AFTER: Final = re.compile(r"^\s+with\b", _I)
#: "provide OpenAI with $100 billion in investment": money supplied, the supplier pays.
_WITH_MONEY: Final = re.compile(
    r"^\s+with\s+[^,;]{0,40}?(?:\binvest\w*|\bfunding|\bcash\b|\bcapital\b|\bloans?\b|"
    r"\bfinancing|\bbacking)",
    _I,
)
_CUSTOMERS_OF: Final = re.compile(r"\bcustomers?\s+(?:of|for|at)\s+", _I)
#: Between the customers and "customers": "set to be first", "are among the", "as".
_ARE_CUSTOMERS: Final = re.compile(
    r"^\s+(?:[\w'’-]+\s+){0,3}?(?:be|are|is|was|were|become|becomes|became|as|among)\s+"
    r"(?:[\w'’-]+\s+){0,2}$",
    _I,
)
_LOST: Final = re.compile(r"\b(?:los(?:t|es|ing)|drop\w*|dump\w*)\s+(?:\w+\s+){0,2}$", _I)
_AS_CUSTOMER: Final = re.compile(
    r"^\s+as\s+(?:an?|its|their|the)\s+(?:[\w-]+\s+){0,2}?customers?\b", _I
)
#: Words of the phrases below that are no deal word alone (never read by the roles).
PHRASE_WORDS: Final = re.compile(
    r"\b(?:(?<![-‑])back(?:ed)?\b|rall(?:y|ies|ied) behind|weight behind|customers\b)", _I
)
_BACK: Final = re.compile(
    r"\b(?:back(?:ed)?(?!\s+(?:off|out|down|away|from|to|in|on|up|into|over|of|at)\b)|"
    r"rall(?:y|ies|ied) behind|throws? (?:its |their )?weight behind)\b",
    _I,
)
#: What may stand between "back" and the party backed: "back AMD's chip", "back the".
_BACKED_NEXT: Final = re.compile(r"^\s+(?:(?:the|a|an|rival|startup|chipmaker)\s+)?$", _I)
_BACKERS_END: Final = re.compile(r"^\s*(?:(?:to|will|would|could|also|reportedly)\s+)?$", _I)
_IN_RETURN: Final = re.compile(
    r"(?:\band|,)\s+(?:to\s+)?(?:"
    r"(?:uses?|using|buys?|pledges?|commits?|spends?|rents?)\b(?:[^,;]{0,60}?\b(?:its|their)\b"
    r"|[^,;]{0,80}?\bin (?:return|exchange)\b)"
    r"|receiv\w*\s+(?:an?\s+)?(?:\w+\s+)?(?:stake|warrants?|shares|equity)\b)",
    _I,
)


def by_phrase(clause: str, mentions: list[Mention]) -> Direction | None:
    """The first of the module docstring's readings that finds a direction, else None."""
    return (
        _by_stake_for(clause, mentions)
        or _by_supply_with(clause, mentions)
        or _by_customers(clause, mentions)
        or _by_backers(clause, mentions)
    )


def in_return(clause: str, mentions: list[Mention], first: Direction) -> Direction | None:
    """The deal back, when the title says the payee pays in return (module docstring).
    "and use its chips" is a deal back only when the payee is the subject ("Y raises from X
    and uses its chips"; in "X invests in Y and uses its models" X pays Y again); "receive
    a stake" only after a purchase (an investment's stake is the investment itself)."""
    m = _IN_RETURN.search(clause, first.at)
    if m is None:
        return None
    said = m.group(0).lower()
    if "receiv" in said and first.equity_verb:
        return None
    if not re.search(r"\bin (?:return|exchange)\b", said) and "receiv" not in said:
        names = [p.name for p in mentions]
        if names.index(first.payees[0]) > names.index(first.payers[0]):
            return None  # the payer is the subject: "its" is the payee's
    stake = "receiv" in said
    return Direction(first.payees, first.payers, m.start(), first.confidence - 0.1, stake, True)


def _first_at(mentions: list[Mention], names: tuple[str, ...], at: int) -> list[Mention]:
    return [p for p in mentions if p.start >= at and p.name in names]


def _by_stake_for(clause: str, mentions: list[Mention]) -> Direction | None:
    for m in _FOR_STAKE.finditer(clause):
        payees = run_after(clause, mentions, m.end())
        named = _first_at(mentions, payees, m.end())
        if not named or named[0].start != m.end() or not STAKE_AFTER.match(clause[named[-1].end :]):
            continue
        payers = tuple(p for p in run_before(clause, mentions, m.start()) if p not in payees)
        if payers:
            return Direction(payers, payees, m.start(), 0.75, True)
    return None


def _by_supply_with(clause: str, mentions: list[Mention]) -> Direction | None:
    for m in _SUPPLY_WITH.finditer(clause):
        payers = run_after(clause, mentions, m.end())
        named = _first_at(mentions, payers, m.end())
        if not named or named[0].start != m.end() or not _WITH_AFTER.match(clause[named[-1].end :]):
            continue
        payees = [p.name for p in mentions if p.end <= m.start() and p.name not in payers]
        if not payees:
            continue
        if _WITH_MONEY.match(clause[named[-1].end :]):
            return Direction((payees[-1],), payers, m.start(), 0.75, True)
        return Direction(payers, (payees[-1],), m.start(), 0.75, False)
    return None


def _by_customers(clause: str, mentions: list[Mention]) -> Direction | None:
    for m in _CUSTOMERS_OF.finditer(clause):
        payees = run_after(clause, mentions, m.end())
        payers = tuple(p for p in run_before(clause, mentions, m.start()) if p not in payees)
        last = [p for p in mentions if p.end <= m.start()]
        if payers and payees and _ARE_CUSTOMERS.match(clause[last[-1].end : m.start()]):
            return Direction(payers, payees, m.start(), 0.7, False)
    for i, p in enumerate(mentions):
        if _AS_CUSTOMER.match(clause[p.end :]) and not _LOST.search(clause[: p.start]):
            sellers = [q.name for q in mentions[:i] if q.name != p.name]
            if sellers:
                return Direction((p.name,), (sellers[-1],), p.end, 0.7, False)
    return None


def _by_backers(clause: str, mentions: list[Mention]) -> Direction | None:
    for m in _BACK.finditer(clause):
        before = [p for p in mentions if p.end <= m.start()]
        if not before or not _BACKERS_END.match(clause[before[-1].end : m.start()]):
            continue  # "pushes back", "pulling back from": no party backs
        after = [p for p in mentions if p.start >= m.end()]
        if not after or not _BACKED_NEXT.match(clause[m.end() : after[0].start]):
            continue  # "back effort that would restrict Nvidia's exports": no party backed
        payees = run_after(clause, mentions, m.end())
        payers = tuple(p for p in run_before(clause, mentions, m.start()) if p not in payees)
        if payers and payees:
            return Direction(payers, payees, m.start(), 0.75, True)
    return None
