"""Deals in a headline: who pays whom, how much, what kind (rules; measured in
docs/circular-deals.md on hand-labelled real titles).

Order of the rules, the first that finds a direction wins:
0. lists of investors (runs.py): "as investors A, B and C double down";
1. a payer verb: "X (to) invest(s) / commits / spends / pays / buys ... in|on|to Y", the
   payers named before the verb, the payees right after it (within WINDOW characters);
2. phrases (phrases.py, round 3): "for Y stake", "supply X with", "customers of Y",
   "X as a customer", "X, Y back Z";
3. a payee verb: "Y raises / gets ... from X", "Y snags $N in investments from X",
   "backing from X", "Y sells ... to X", "Y makes chips for X", "talks with X for funding";
4. roles (sides.py), for "X and Y sign a $N cloud deal": a financier pays, the maker of
   a model the title names is paid, the seller of the kind (cloud, chips) is paid; in an
   investment with no verb, the AI lab is the investee; "X ... with A and B" pairs X
   with each of A and B.
A deal back "in return" ("... and pledges $100B in cloud spending in return") adds the
reverse pair. A title with no deal word, a denial ("isn't", "no plan", "unable to"), a
search-default payment, a video-game deal or fewer than two parties gives no deal.
Mentions that only describe a party ("Nvidia-backed CoreWeave", "OpenAI rival
Anthropic", "ex-Google engineers", "execs from Meta") are not parties.
"""

from __future__ import annotations

import re
from typing import Final

from signals.deals.amounts import Amount, find_amounts
from signals.deals.entities import EntityTable, Mention
from signals.deals.models import DealDraft, Kind
from signals.deals.phrases import PHRASE_WORDS, STAKE_AFTER, by_phrase, in_return
from signals.deals.roles import kind_named, kind_of
from signals.deals.runs import Direction, by_investor_list, run_after, run_before
from signals.deals.sides import by_roles

#: Longer titles are read up to here: a title is a sentence, not an article.
MAX_TITLE: Final = 400
_I = re.IGNORECASE
#: Money, then "from": "$1bn from SoftBank", "$110 billion in investments from Amazon" (not
#: "raises concerns from", "draws fire from").
_MONEY_FROM: Final = (
    r"[^,;]{0,30}?(?:(?:US)?[$€£]\d|\binvestments?\b|\bfunding\b|\bcapital\b|\bcash\b)"
    r"[^,;]{0,40}?\bfrom\b"
)
DEAL_WORDS: Final = re.compile(
    r"\b(?:invest\w*|stakes?|(?:mega-?)?deals?|betting|pours?|contracts?|commit\w*|pledg\w*|bets?|backs|backing|"
    r"fund(?:s|ing|ed)?|financ\w*|loans?|lend\w*|backstop\w*|guarantee\w*|warrants?|acqui\w+|"
    r"buy\w*|purchas\w*|pay(?:s|ing)?|paid|spend\w*|takeover|licens\w+|sells?|selling|"
    r"customer|order|agreement|pact|partner\w*|teams? up|inks?|signs?|supply(?!\s+of\b)|supplies|"
    r"taps?|uses?)\b|\bmakes?\b.{0,40}\bfor\b|"
    r"\brais(?:e|es|ed|ing)\s+" + _MONEY_FROM,
    _I,
)
#: Words too weak to make a deal alone: they count with a stronger deal word, an amount,
#: "multibillion" or a chips/compute word.
WEAK_WORDS: Final = re.compile(r"\b(?:partner\w*|teams? up|pact|customer|agreement)\b", _I)
#: An amount said per party: "A and B each commit $19 billion".
EACH: Final = re.compile(r"\beach\b|\bapiece\b", _I)
MONEY_WORDS: Final = re.compile(r"\bmulti-?\s?billion|\bbillions\b", _I)
DENIAL: Final = re.compile(
    r"\b(?:isn['’]t|is not|not been|no plans?|won['’]t|will not|denies|denied|rules? out|"
    r"scraps?|cancels?|pulls? out|walks? away|ends? (?:\w+ )?talks|wrangle\w*|concerns|"
    r"will have to|would (?:buy|acquire|invest)|not to|unable to|cannot|can['’]t)\b",
    _I,
)
#: Search-default payments and video games: not one of the seven kinds of AI deal.
OUT_OF_SCOPE: Final = re.compile(
    r"\b(?:search|Safari|Bing|Chrome|Xbox|iPhone cut|Activision|video games?|gaming)\b", _I
)
#: A clause from here on is about a rival, not a party ("... to challenge Nvidia").
RIVAL_CLAUSE: Final = re.compile(
    r"\s(?:to challenge|to take on|to compete|to rival|to fend off|to counter|to combat|"
    r"as it battles|as \w+ rivalry)\b.*$",
    _I,
)
DESCRIBES_AFTER: Final = re.compile(
    r"^(?:['’]s)?\s?[-‑–](?:backed|controlled|owned|funded|based|led)\b|"
    r"^\s+(?:rival|competitor|alums?|vets?|veterans?|execs?|executives?|engineers?|staffers?|"
    r"co-?founder|founder|researchers?|lawyers?)\b|^(?:['’]s)?\s+(?:stake|shares)\b",
    _I,
)
DESCRIBES_BEFORE: Final = re.compile(
    r"(?:\bex-|\bformer\s|\bsells?\s+(?:its\s+)?|"
    r"\b(?:alums?|vets?|veterans?|execs?|executives?|engineers?|staffers?|employees?|"
    r"researchers?|founders?)\s+(?:from|at|of)\s+)$",
    _I,
)
#: "buying Arm shares", "takes a stake in": the stake's company is the payee, not a label.
_BUYS_BEFORE: Final = re.compile(
    r"\b(?:buy\w*|purchas\w*|acquir\w*|tak(?:e|es|ing)|for)\s+(?:an?\s+|more\s+)?$", _I
)
PAYER_VERB: Final = re.compile(
    r"\b(?:invest(?:s|ed|ing|ment|ments)?|bets?|betting|pours?|puts?|commits?|committing|"
    r"commitment|pledges?|spend(?:s|ing)?|pay(?:s|ing)?|paid|backs|funds|lends?|buys?|"
    r"buying|acquires?|acquiring|acquisition of|stake|bet|ups|uses?|using)\b",
    _I,
)
PAYEE_VERB: Final = re.compile(
    r"\b(?:raises?|raised|raising|gets?|getting|secures?|receives?|wins?|lands?|taps?|takes?)\b"
    r"(?P<gap>.{0,60}?)\b(?:from|by)\b|\bsells?\b.{0,40}?\bto\b|"
    r"\b(?:snag\w*|nab\w*|bag\w*|draws?|drew|attracts?|pulls? in|brings? in)\s+"
    + _MONEY_FROM
    + r"|"
    r"\b(?:investments?|funding|financing|backing|capital|cash|money)\s+from\b|"
    r"\b(?:makes?|make|build|builds|supply|supplies|deliver|provides?)\b.{0,40}?\bfor\b|"
    r"\btaps?\b|\b(?:funding|investment)\s+(?:talks|deal)\s+with\b|"
    r"\btalks\s+with\b(?=[^,;]{0,60}?\b(?:for|about|on|over)\s+(?:\w+\s+){0,2}"
    r"(?:funding|investment|financing|capital|stake)\b)|"
    r"\bcustomers?\s+(?:is|are|was|were)\b",
    _I,
)
#: Payee verbs that say money was raised: the deal is an investment.
_RAISED: Final = re.compile(r"^rais|invest|funding|financing|backing|capital|cash|[$€£]\d", _I)
_FROM: Final = re.compile(r"^\s+from\b", _I)
_DEAL_WITH: Final = re.compile(r"^\s+deal\s+with\b", _I)
_NOT_AMOUNT_AFTER: Final = re.compile(
    r"^\W{0,3}(?:\w+\s+){0,2}(?:valuation|market (?:value|cap)|club|market\b|run[- ]rate|"
    r"revenue)",
    _I,
)
_NOT_AMOUNT_BEFORE: Final = re.compile(
    r"(?:valued (?:at|in (?:the )?range of)|valuation of|valuation|worth of|hits|at a|raises|"
    r"raised|fund|tops|run[- ]rate of|revenue of)\s*(?:up to\s*)?$",
    _I,
)


def extract_deals(title: str, table: EntityTable) -> list[DealDraft]:
    """The deals a title reports (usually none or one), clause by clause."""
    text = title[:MAX_TITLE]
    if len({m.name for m in table.mentions(text)}) < 2:
        return []  # most titles: one scan, and no deal
    if _denied(text, table) or OUT_OF_SCOPE.search(text):
        return []
    if not DEAL_WORDS.search(text) and not PHRASE_WORDS.search(text):
        return []
    found: dict[tuple[str, str], DealDraft] = {}
    for clause in _clauses(text):
        for draft in _clause_deals(clause, table):
            found.setdefault((draft.payer, draft.payee), draft)
    return list(found.values())


def closed(text: str, table: EntityTable) -> bool:
    """True when the rules' gates say the title reports no deal whatever its parties: a
    denial or hypothetical, a search or video-game deal, or no deal word at all."""
    if _denied(text, table) or OUT_OF_SCOPE.search(text):
        return True
    return not DEAL_WORDS.search(text) and not PHRASE_WORDS.search(text)


def _denied(text: str, table: EntityTable) -> bool:
    """A denial word in a part of the title (between commas, semicolons, colons, dashes)
    that names a party or a deal: "Tesla to invest $2B in xAI, cancel two EV models"
    denies the EV models, not the deal."""
    if not DENIAL.search(text):
        return False
    return any(
        DENIAL.search(part) and (DEAL_WORDS.search(part) or table.mentions(part))
        for part in re.split(r",|;|:\s|\s[–—-]\s", text)
    )


def _clauses(text: str) -> list[str]:
    return [c for c in re.split(r";|:\s|\s[–—-]\s", text) if c.strip()]


def _clause_deals(whole: str, table: EntityTable) -> list[DealDraft]:
    clause = RIVAL_CLAUSE.sub("", whole)
    mentions = [m for m in table.mentions(clause) if not _describes(clause, m)]
    if len({m.name for m in mentions}) < 2:
        return []
    amounts = deal_amounts(clause)
    if not DEAL_WORDS.search(clause):
        # "Microsoft, Meta and OpenAI back AMD's chip": the phrase alone says who pays;
        # these words never reach the roles ("pushes back on Nvidia chips" is no deal).
        found = by_phrase(clause, mentions) if PHRASE_WORDS.search(clause) else None
        return (
            _drafts(found, kind_of(whole, equity_verb=found.equity_verb), amounts, clause)
            if found
            else []
        )
    direction = (
        by_investor_list(clause, mentions)
        or _by_payer_verb(clause, mentions)
        or by_phrase(clause, mentions)
        or _by_payee_verb(clause, mentions)
    )
    directions = [direction] if direction is not None else []
    back = in_return(clause, mentions, direction) if direction is not None else None
    if back is not None:
        directions.append(back)
    if not directions:
        named = kind_named(whole)  # the rival clause still says what is sold
        if _weak_only(clause) and not amounts and named not in ("chips", "compute"):
            return []
        directions = by_roles(clause, mentions, named)
    return [
        draft
        for d in directions
        for draft in _drafts(d, kind_of(whole, equity_verb=d.equity_verb), amounts, clause)
    ]


def _drafts(
    direction: Direction, kind: Kind, amounts: list[Amount], clause: str
) -> list[DealDraft]:
    amount = _amount_for(amounts, direction.at, own=direction.own_amount)
    shared = len(direction.payers) > 1 or len(direction.payees) > 1
    if shared and not EACH.search(clause):
        # "a $110 billion round with backing from Amazon, Nvidia, SoftBank": one total
        # shared, not $110B from each (the labels' convention); counted once per party it
        # would triple the money on the graph. "OpenAI, SoftBank each commit $19B" is each.
        amount = None
    confidence = min(1.0, direction.confidence + (0.1 if amount is not None else 0.0))
    return [
        DealDraft(payer, payee, amount, kind, round(confidence, 2))
        for payer in direction.payers
        for payee in direction.payees
        if payer != payee
    ]


def _describes(clause: str, m: Mention) -> bool:
    if STAKE_AFTER.match(clause[m.end :]) and _BUYS_BEFORE.search(clause[: m.start]):
        return False
    return bool(
        DESCRIBES_AFTER.match(clause[m.end :]) or DESCRIBES_BEFORE.search(clause[: m.start])
    )


def _by_payer_verb(clause: str, mentions: list[Mention]) -> Direction | None:
    for verb in PAYER_VERB.finditer(clause):
        if _FROM.match(clause[verb.end() :]) or _DEAL_WITH.match(clause[verb.end() :]):
            continue  # "an investment from X": X pays, the payee verbs read it
        payees = run_after(clause, mentions, verb.end())
        payers = run_before(clause, mentions, verb.start())
        payers = tuple(p for p in payers if p not in payees)
        if payers and payees:
            equity = verb.group(0).lower().startswith(("invest", "stake", "bet", "back", "pour"))
            return Direction(payers, payees, verb.start(), 0.8, equity)
    return None


def _by_payee_verb(clause: str, mentions: list[Mention]) -> Direction | None:
    for verb in PAYEE_VERB.finditer(clause):
        payers = run_after(clause, mentions, verb.end())
        payees = tuple(dict.fromkeys(m.name for m in mentions if m.end <= verb.start() + 1))
        payees = tuple(p for p in payees if p not in payers)
        if payers and payees:
            money = _RAISED.search(verb.group(0)) is not None
            return Direction(payers, payees[-1:], 0, 0.75, money)
    return None


def _weak_only(clause: str) -> bool:
    if MONEY_WORDS.search(clause):
        return False
    return all(WEAK_WORDS.fullmatch(w.group(0)) for w in DEAL_WORDS.finditer(clause))


def deal_amounts(clause: str) -> list[Amount]:
    """The amounts of `clause` that can be a deal's (valuations and run rates are not)."""
    return [
        a
        for a in find_amounts(clause)
        if not _NOT_AMOUNT_AFTER.match(clause[a.end :])
        and not _NOT_AMOUNT_BEFORE.search(clause[: a.start])
    ]


def _amount_for(amounts: list[Amount], at: int, *, own: bool = False) -> float | None:
    """The first amount after the verb, else the first one (`own`: none)."""
    after = [a for a in amounts if a.start >= at]
    chosen = after or ([] if own else amounts)
    return chosen[0].usd if chosen else None
