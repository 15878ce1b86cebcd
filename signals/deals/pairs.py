"""Candidate pairs of a title and their features, for the pair model (round 4 of
docs/circular-deals.md).

A title naming 2..MAX_PARTIES parties gives one row per ordered pair (A, B) of distinct
parties: "does A pay B here?". The title is encoded once, with each party's mentions
written as a neutral mark in order of first mention ("Alpha Corp", "Beta Corp", ...), so
the encoder reads the wording around the roles, not the names. Row (A, B) is
- the contextual embedding of A's mark in the marked title, then of B's (so (A, B) and
  (B, A) differ: a subject and an object read differently). The sentence embedding of the
  whole title added nothing out of fold (docs/circular-deals.md, round 4) and is left out;
- what kind of party A and B are (AI lab, cloud seller, chipmaker, financier, big tech:
  signals.deals.roles and sides) and which party each is, for the parties the head names
  (`names`: the parties of at least MIN_NAME_ROWS training rows; "Microsoft invests in
  OpenAI" more often than the reverse is knowledge no wording gives);
- the rules' reading (signals.deals.extract): the rules say A -> B, say B -> A; and of the
  title: an amount, a deal word, a denial, how many parties.

What the model accepts is then settled (`settle`): a pair at or above the threshold is a
deal, but the model adds no pair the rules did not read to a title the rules' gates close
(a denial or hypothetical, a search or video-game deal, no deal word) or that compares
two parties ("more customers use Anthropic than OpenAI"), and of A -> B and B -> A it
keeps the more probable one unless the rules read both (a deal back).

Pure: the encoder is passed in (monitor.reading.deals_model loads the packaged one).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Final, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from signals.classifier.encoder import DIM, Vectors
from signals.deals.amounts import find_amounts
from signals.deals.entities import EntityTable, Mention
from signals.deals.extract import DEAL_WORDS, DENIAL, MAX_TITLE, closed, extract_deals
from signals.deals.models import DealDraft
from signals.deals.phrases import PHRASE_WORDS
from signals.deals.roles import CHIP_SELLERS, CLOUD_SELLERS, LABS
from signals.deals.sides import FINANCIERS

#: One mark per party, in order of first mention; one word piece each for the encoder.
MARKS: Final = ("Alpha", "Beta", "Gamma", "Delta", "Epsilon", "Zeta")
MARK_SUFFIX: Final = " Corp"
#: A title naming more parties is read by the rules alone (no labelled title names more
#: than 5; k parties make k(k-1) rows).
MAX_PARTIES: Final = len(MARKS)
MIN_NAME_ROWS: Final = 8
BIG_TECH: Final = frozenset({"Microsoft", "Google", "Amazon", "Meta", "Apple", "Nvidia", "Oracle"})
TYPE_FEATURES: Final = ("lab", "cloud_seller", "chip_seller", "financier", "big_tech")
RULE_FEATURES: Final = ("rule_ab", "rule_ba")
TITLE_FEATURES: Final = ("has_amount", "deal_word", "denial", "parties")
#: A comparison of two parties is no deal between them: "... than OpenAI".
COMPARES: Final = re.compile(r"\bthan\s+(?:\w+\s+){0,2}?(?:" + "|".join(MARKS) + r") Corp\b")

Pair = tuple[str, str]
Matrix = npt.NDArray[np.float64]


@runtime_checkable
class MarkEncoder(Protocol):
    """Encodes marked titles: an array (texts, len(MARKS), DIM) holding, per text and mark,
    the mean of the contextual embeddings of that mark's word piece, L2-normalised (zeros
    when the mark is not in the text or was cut off)."""

    @property
    def model_id(self) -> str: ...

    def encode_marks(self, texts: Sequence[str]) -> Vectors: ...


@dataclass(frozen=True, slots=True)
class TitlePairs:
    """The candidate rows of one title: `marked` is the text the encoder reads, `rules`
    what the rules extracted from the whole title."""

    title: str
    parties: tuple[str, ...]
    pairs: tuple[Pair, ...]
    marked: str
    rules: tuple[DealDraft, ...]
    title_features: tuple[float, ...]
    #: False when the model may not add pairs the rules did not read (see `settle`).
    may_add: bool = True


def title_pairs(title: str, table: EntityTable) -> TitlePairs | None:
    """The rows of `title`, or None when it names fewer than two or more than
    MAX_PARTIES parties (the rules alone read those)."""
    text = title[:MAX_TITLE]
    mentions = table.mentions(text)
    parties = tuple(dict.fromkeys(m.name for m in mentions))
    if not 2 <= len(parties) <= MAX_PARTIES:
        return None
    marked = marked_text(text, mentions, parties)
    return TitlePairs(
        title=text,
        parties=parties,
        pairs=tuple((a, b) for a in parties for b in parties if a != b),
        marked=marked,
        rules=tuple(extract_deals(text, table)),
        title_features=(
            1.0 if find_amounts(text) else 0.0,
            1.0 if DEAL_WORDS.search(text) or PHRASE_WORDS.search(text) else 0.0,
            1.0 if DENIAL.search(text) else 0.0,
            len(parties) / MAX_PARTIES,
        ),
        may_add=not (closed(text, table) or COMPARES.search(marked)),
    )


def settle(
    probabilities: Mapping[Pair, float], threshold: float, rules: Collection[Pair], *, may_add: bool
) -> set[Pair]:
    """The pairs that are deals, from the model's probabilities (see the module docstring)."""
    said = set(rules)
    accepted = {pair for pair, p in probabilities.items() if p >= threshold}
    if not may_add:
        accepted &= said
    return {
        (a, b)
        for a, b in accepted
        if (b, a) not in accepted
        or probabilities[(a, b)] > probabilities[(b, a)]
        or {(a, b), (b, a)} <= said
    }


def marked_text(text: str, mentions: Sequence[Mention], parties: Sequence[str]) -> str:
    """`text` with each party's mentions replaced by its mark ("Alpha Corp", ...)."""
    mark = {p: MARKS[i] + MARK_SUFFIX for i, p in enumerate(parties)}
    out: list[str] = []
    at = 0
    for m in mentions:
        if m.start < at:
            continue  # the table's matches never overlap; be safe anyway
        out += [text[at : m.start], mark[m.name]]
        at = m.end
    out.append(text[at:])
    return "".join(out)


def party_types(name: str) -> tuple[float, ...]:
    return (
        float(name in LABS),
        float(CLOUD_SELLERS.get(name, 0) > 0),
        float(CHIP_SELLERS.get(name, 0) > 0),
        float(name in FINANCIERS),
        float(name in BIG_TECH),
    )


def width(names: Sequence[str]) -> int:
    """Features per row for a head naming `names`."""
    fixed = len(RULE_FEATURES) + len(TITLE_FEATURES) + 2 * len(TYPE_FEATURES)
    return 2 * DIM + 2 * len(names) + fixed


def pair_matrix(
    item: TitlePairs,
    marks: npt.NDArray[np.floating],
    names: Sequence[str],
    rule_pairs: Collection[Pair] | None = None,
) -> Matrix:
    """The feature rows of `item` (one per pair, in `item.pairs` order). `marks` is the
    encoder's output for `item.marked`; `rule_pairs` replaces the rules'
    pairs (training reads the rules of the round that had not seen a title)."""
    said = set(rule_pairs) if rule_pairs is not None else {(d.payer, d.payee) for d in item.rules}
    index = {p: i for i, p in enumerate(item.parties)}
    slot = {n: i for i, n in enumerate(names)}
    rows = []
    for a, b in item.pairs:
        ids = np.zeros(2 * len(names))
        if a in slot:
            ids[slot[a]] = 1.0
        if b in slot:
            ids[len(names) + slot[b]] = 1.0
        rows.append(
            np.concatenate(
                [
                    marks[index[a]],
                    marks[index[b]],
                    party_types(a),
                    party_types(b),
                    ids,
                    (float((a, b) in said), float((b, a) in said)),
                    item.title_features,
                ]
            )
        )
    return np.asarray(rows, dtype=np.float64)
