"""Direction from who the parties are, when no verb says who pays ("Oracle, OpenAI sign
$300 billion cloud deal": the cloud seller is paid). Round 1's roles, and round 3's
readings of deals with more than two parties and of the sides' businesses
(docs/circular-deals.md):

- two parties: a financier (Blue Owl, Blackstone ...) pays; a party whose product the
  title names ("Apple's Google Gemini deal") is paid; else by the kind named: the seller
  of it is paid (with no kind word: a pure cloud seller, else an AI lab is the investee,
  else a pure chip seller is paid);
- "X ... with A and B" (more than two parties): X against each of A and B, read as two
  parties; only when every pair is placed, so a joint venture ("X teams up with A and B
  on a data center") with a side no rule places is no deal. Parties that are all in one
  run after "with" ("in talks with A, B to fund a round") are on one side: no deal
  between them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final

from signals.deals.entities import Mention
from signals.deals.models import Kind
from signals.deals.roles import CLOUD_SELLERS, LABS, seller_rank
from signals.deals.runs import Direction, run_after, run_before

#: Asset managers and funds: in any deal with an operating company they bring the money.
FINANCIERS: Final[frozenset[str]] = frozenset({"Blue Owl", "Blackstone", "BlackRock", "MGX"})
#: AI models and assistants (segment aliases that are not parties): a deal that names one
#: buys the use of it from its maker. Chips are left to the kind words.
PRODUCTS: Final[Mapping[str, re.Pattern[str]]] = {
    "Google": re.compile(r"\bGemini\b"),
    "OpenAI": re.compile(r"\bChatGPT\b"),
    "Anthropic": re.compile(r"\bClaude\b"),
    "xAI": re.compile(r"\bGrok\b"),
    "Meta": re.compile(r"\bLlama\b"),
    "Microsoft": re.compile(r"\bCopilot\b"),
}
_WITH: Final = re.compile(r"\bwith\s+", re.IGNORECASE)
_MAKER: Final = re.compile(
    r"^(?:\s+(?:and\s+)?[\w-]+)?\s+(?:developer|maker|creator|owner|parent|company|firm|lab)\b",
    re.IGNORECASE,
)


def by_roles(clause: str, mentions: list[Mention], kind: Kind | None) -> list[Direction]:
    """The directions of the module docstring; [] when the roles place no pair."""
    names = list(dict.fromkeys(m.name for m in mentions))
    left, right = _with_sides(clause, mentions)
    if right and not left and set(names) <= set(right):
        return []  # "in talks with A, B to fund ...": A and B are on one side
    if len(names) == 2:
        found = _pair(clause, names[0], names[1], kind)
        return [found] if found is not None else []
    if len(left) != 1 or not right:
        return []
    pairs = [_pair(clause, left[0], other, kind) for other in right]
    return [p for p in pairs if p is not None] if all(pairs) else []


def _with_sides(clause: str, mentions: list[Mention]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The run of parties right after the first "with" that has one, and the run before."""
    for m in _WITH.finditer(clause):
        right = run_after(clause, mentions, m.end())
        if right:
            left = tuple(p for p in run_before(clause, mentions, m.start()) if p not in right)
            return left, right
    return (), ()


def _pair(clause: str, a: str, b: str, kind: Kind | None) -> Direction | None:
    found = _by_financier(a, b) or _by_product(clause, a, b)
    if found is not None:
        return found
    if kind is None:
        return _by_cloud(a, b) or _by_lab(a, b) or _by_seller(a, b, "chips", pure=True)
    if kind == "equity":
        return _by_lab(a, b)
    return _by_seller(a, b, kind, pure=False)


def _by_financier(a: str, b: str) -> Direction | None:
    if (a in FINANCIERS) == (b in FINANCIERS):
        return None
    payer, payee = (a, b) if a in FINANCIERS else (b, a)
    return Direction((payer,), (payee,), 0, 0.6, True)


def _by_product(clause: str, a: str, b: str) -> Direction | None:
    named_a, named_b = (p in PRODUCTS and _names_product(clause, PRODUCTS[p]) for p in (a, b))
    if named_a == named_b:
        return None
    payer, payee = (b, a) if named_a else (a, b)
    return Direction((payer,), (payee,), 0, 0.6, False)


def _names_product(clause: str, product: re.Pattern[str]) -> bool:
    """The product is named as what is dealt, not as what its maker is known for ("the
    Claude developer", "ChatGPT maker OpenAI")."""
    return any(not _MAKER.match(clause[m.end() :]) for m in product.finditer(clause))


def _by_cloud(a: str, b: str) -> Direction | None:
    rank_a, rank_b = CLOUD_SELLERS.get(a, 0), CLOUD_SELLERS.get(b, 0)
    if max(rank_a, rank_b) < 2 or rank_a == rank_b:
        return None
    payer, payee = (a, b) if rank_a < rank_b else (b, a)
    return Direction((payer,), (payee,), 0, 0.6, False)


def _by_lab(a: str, b: str) -> Direction | None:
    if (a in LABS) == (b in LABS):
        return None
    lab, investor = (a, b) if a in LABS else (b, a)
    return Direction((investor,), (lab,), 0, 0.5, True)


def _by_seller(a: str, b: str, kind: Kind, *, pure: bool) -> Direction | None:
    rank_a, rank_b = seller_rank(a, kind), seller_rank(b, kind)
    if rank_a == rank_b or (pure and max(rank_a, rank_b) < 2):
        return None
    payer, payee = (a, b) if rank_a < rank_b else (b, a)
    return Direction((payer,), (payee,), 0, 0.6, False)
