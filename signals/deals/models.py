"""One deal: a flow of money (or a promise of one) from a payer to a payee."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Final, Literal

Kind = Literal["equity", "compute", "chips", "loan", "guarantee", "warrant", "acquisition"]
KINDS: Final[tuple[Kind, ...]] = (
    "equity",
    "compute",
    "chips",
    "loan",
    "guarantee",
    "warrant",
    "acquisition",
)
Status = Literal["extracted", "confirmed", "rejected"]
STATUSES: Final[tuple[Status, ...]] = ("extracted", "confirmed", "rejected")


@dataclass(frozen=True, slots=True)
class DealDraft:
    """What the rules read in one title: `payer` pays (or invests in) `payee`.

    `amount_usd` is the stated total in dollars (None when the title gives none).
    """

    payer: str
    payee: str
    amount_usd: float | None
    kind: Kind
    confidence: float


@dataclass(frozen=True, slots=True)
class Deal:
    """A deal as stored: one edge of the graph, with every source that reported it."""

    id: int
    day: date
    payer: str
    payee: str
    amount_usd: float | None
    kind: Kind
    title: str
    url: str
    status: Status
    confidence: float
    sources: int = 1
