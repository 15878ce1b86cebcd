"""Scoring the extraction against hand labels: precision and recall of (payer, payee)
pairs, and the share of matched pairs whose amount is within 10% of the labelled one."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final

from signals.deals.entities import EntityTable
from signals.deals.extract import extract_deals
from signals.deals.models import DealDraft

AMOUNT_TOLERANCE: Final = 0.10


@dataclass(frozen=True, slots=True)
class LabelledDeal:
    payer: str
    payee: str
    amount_usd: float | None


@dataclass(frozen=True, slots=True)
class Labelled:
    key: str
    half: str
    deals: tuple[LabelledDeal, ...]


@dataclass(frozen=True, slots=True)
class Counts:
    """(payer, payee) pairs predicted, labelled and right: precision, recall, F1."""

    predicted: int
    gold: int
    correct: int

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def text(self) -> str:
        return (
            f"precision {self.precision:.3f} ({self.correct}/{self.predicted}), "
            f"recall {self.recall:.3f} ({self.correct}/{self.gold})"
        )


@dataclass
class Result:
    predicted: int = 0
    gold: int = 0
    correct: int = 0
    amounts_given: int = 0
    amounts_right: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def pairs(self) -> Counts:
        return Counts(self.predicted, self.gold, self.correct)

    @property
    def precision(self) -> float:
        return self.pairs.precision

    @property
    def recall(self) -> float:
        return self.pairs.recall

    @property
    def amount_accuracy(self) -> float:
        return self.amounts_right / self.amounts_given if self.amounts_given else 1.0

    def summary(self) -> str:
        return (
            f"pairs: {self.pairs.text()}; amounts within 10%: "
            f"{self.amount_accuracy:.3f} ({self.amounts_right}/{self.amounts_given})"
        )


Reader = Callable[[Sequence[str]], list[list[DealDraft]]]


def evaluate(
    labelled: Sequence[Labelled],
    titles: Mapping[str, str],
    table: EntityTable,
    read: Reader | None = None,
) -> Result:
    """Score every labelled title (`titles`: key -> title) as read by `read` (all titles
    in one call: rules + the pair model batch their encoding), the rules by default."""
    result = Result()
    texts = [titles[item.key] for item in labelled]
    read_all = read(texts) if read is not None else [extract_deals(t, table) for t in texts]
    for item, title, found in zip(labelled, texts, read_all, strict=True):
        drafts = {(d.payer, d.payee): d.amount_usd for d in found}
        gold = {(d.payer, d.payee): d.amount_usd for d in item.deals}
        hits = set(drafts) & set(gold)
        result.predicted += len(drafts)
        result.gold += len(gold)
        result.correct += len(hits)
        for pair in sorted(hits):
            want, got = gold[pair], drafts[pair]
            if want is None:
                continue
            result.amounts_given += 1
            if got is not None and abs(got - want) <= AMOUNT_TOLERANCE * want:
                result.amounts_right += 1
            else:
                result.misses.append(f"amount {got} for {want}: {pair} {title}")
        for pair in sorted(set(drafts) - hits):
            result.misses.append(f"false {pair}: {title}")
        for pair in sorted(set(gold) - hits):
            result.misses.append(f"missed {pair}: {title}")
    return result
