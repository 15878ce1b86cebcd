"""Relative fragility (index v3): where each unit (segment) stands against the others and
against the industry panel, from the probability whose ranking holds out of sample (within
a date, industries: AUC 0.71-0.81 in every period, docs/index-v3.md), with each unit's
base rate of its kind and interval, and the market-wide part as a base rate with its range.

Live feeds carry no industry panel of today, so "industries" is the distribution of the
model's probability over the single-industry rows it was fitted on (signals.crash.reference),
and the text says so.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from signals.crash.reference import industry_percentile, kind_base_rate, probability_interval
from signals.wording import display_name as display_name  # re-exported: its old home


@dataclass(frozen=True, slots=True)
class Unit:
    """One unit read today: its name, probability and 1-year volatility (None unknown)."""

    name: str
    probability: float
    volatility: float | None


def relative_doc(
    units: Sequence[Unit],
    reference: Mapping[str, Any] | None,
    *,
    target: str,
    basket: Unit | None = None,
) -> dict[str, Any]:
    """The `relative` document: units most fragile first, the headline basket's own row
    (its base rate and interval, ranked against the units), and one line of text."""
    ref = dict(reference) if reference is not None else None
    ordered = sorted(units, key=lambda u: -u.probability)
    rows = [unit_row(unit, units, ref, rank) for rank, unit in enumerate(ordered, start=1)]
    return {
        "target": target,
        "units": rows,
        "basket": None if basket is None else unit_row(basket, units, ref, None),
        "market_wide": market_wide(ref),
        "text": relative_text(rows),
    }


def unit_row(
    unit: Unit, units: Sequence[Unit], ref: dict[str, Any] | None, rank: int | None
) -> dict[str, Any]:
    others = [u for u in units if u.name != unit.name]
    below = sum(1 for u in others if u.probability < unit.probability)
    kind = kind_base_rate(ref, unit.volatility if unit.volatility is not None else float("nan"))
    interval = probability_interval(ref, unit.probability)
    pct = industry_percentile(ref, unit.probability)
    return {
        "name": unit.name,
        "probability": round(unit.probability, 4),
        "rank": rank,
        "of": len(units),
        "more_fragile_than_segments": round(below / len(others), 3) if others else None,
        "more_fragile_than_industries": None if pct is None else round(pct, 1),
        "base_rate": None if kind is None else kind["rate"],
        "base_rate_range": None if kind is None else [kind["low"], kind["high"]],
        "interval": None if interval is None else [interval[0], interval[1]],
    }


def relative_text(rows: Sequence[Mapping[str, Any]]) -> str | None:
    """ "LLM: more fragile than 92% of industries; applied AI 55%; market 30%"."""
    parts = [
        (display_name(r["name"]), r["more_fragile_than_industries"])
        for r in rows
        if r["more_fragile_than_industries"] is not None
    ]
    if not parts:
        return None
    first, *rest = parts
    text = f"{first[0]}: more fragile than {first[1]:.0f}% of industries"
    return "; ".join([text, *(f"{name} {pct:.0f}%" for name, pct in rest)])


def market_wide(reference: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """The market-wide part: the all-industries portfolio's crash rate and yearly range."""
    market = None if reference is None else reference.get("market")
    if not market:
        return None
    return {
        "base_rate": market["rate"],
        "range": [market["low"], market["high"]],
        "interval": [market.get("ci_low"), market.get("ci_high")],
        "text": (
            f"market-wide falls (all industries): base rate {market['rate']:.0%}, 90% interval "
            f"{market.get('ci_low', 0):.0%}-{market.get('ci_high', 0):.0%}, from "
            f"{market['low']:.0%} to {market['high']:.0%} year by year; no feature forecasts "
            "them out of sample"
        ),
    }
