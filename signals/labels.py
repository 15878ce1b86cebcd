"""The headline taxonomy of DESIGN.md: the classifier's labels, exactly these names."""

from __future__ import annotations

from typing import Final

LABELS: Final[tuple[str, ...]] = (
    "layoffs",
    "funding_round",
    "circular_deal",
    "capex_debt",
    "bubble_warning",
    "ai_demand",
    "other",
)

#: Labels whose news intensity raises bubble risk; ai_demand lowers it; other is ignored.
RISK_LABELS: Final[tuple[str, ...]] = (
    "layoffs",
    "circular_deal",
    "funding_round",
    "capex_debt",
    "bubble_warning",
)
RELIEF_LABELS: Final[tuple[str, ...]] = ("ai_demand",)
#: The news components of the index: one per label that moves risk, in this order.
NEWS_COMPONENTS: Final[tuple[str, ...]] = (*RISK_LABELS, *RELIEF_LABELS)

DESCRIPTIONS: Final[dict[str, str]] = {
    "layoffs": "job cuts, headcount reductions, buyouts, hiring freezes, by any company",
    "funding_round": "private funding rounds, valuations, tender offers, IPOs and listings, "
    "venture totals",
    "circular_deal": "vendor financing and circular investment: a supplier invests in, lends to, "
    "guarantees or buys capacity from a customer that buys its products",
    "capex_debt": "spending on data centers, chips, power and compute contracts, and the bonds, "
    "loans, private credit and credit-default swaps that finance them",
    "bubble_warning": "bubble or overvaluation warnings, short positions against AI stocks, "
    "prominent investors selling out, evidence that AI fails to pay off",
    "ai_demand": "evidence of real demand: revenue, earnings beats, guidance raises, user "
    "numbers, adoption, backlog",
    "other": "everything else, including tech news with no bearing on the bubble",
}


def check_label(label: str) -> str:
    """Return `label` if it is one of LABELS, else raise ValueError naming the valid ones."""
    if label not in LABELS:
        raise ValueError(f"unknown label {label!r}; expected one of {', '.join(LABELS)}")
    return label
