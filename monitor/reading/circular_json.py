"""Circular deals as JSON: `deals graph --json` and the reading's `circular` member, and
the line channels print. Light on purpose: channels import it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from signals.deals.graph import Cycle, DealGraph, Month

UNFITTED_NOTE: Final = (
    "context, not in the index: circular deals are not fitted against crashes (too few "
    "bubbles with deal data); see docs/circular-deals.md"
)
#: Edges a reading carries (every reading stores them): the cycle edges and the largest.
MAX_EDGES: Final = 40
MAX_CYCLES: Final = 10
SERIES_MONTHS: Final = 12


def cycle_dict(cycle: Cycle) -> dict[str, Any]:
    return {
        "members": list(cycle.members),
        "amount_usd": round(cycle.amount_usd),
        "returns_usd": round(cycle.returns_usd),
    }


FIRM_RULE: Final = "deals with an amount or confirmed by hand (signals.deals.graph.firm_deals)"


def graph_dict(
    graph: DealGraph,
    series: Sequence[Month],
    *,
    max_edges: int | None = None,
    firm: DealGraph | None = None,
) -> dict[str, Any]:
    """The `deals graph --json` document: {nodes, edges, cycles, circular_share, series},
    and `firm`: the money on loops of the firm deals alone (`firm`, when given)."""
    edges = sorted(graph.edges, key=lambda e: (not e.on_cycle, -e.amount_usd))
    kept = edges if max_edges is None else edges[:max_edges]
    nodes = sorted({n for e in kept for n in (e.payer, e.payee)})
    return {
        "nodes": nodes,
        "edges": [
            {
                "from": e.payer,
                "to": e.payee,
                "amount_usd": round(e.amount_usd),
                "deals": e.deals,
                "kinds": list(e.kinds),
                "on_cycle": e.on_cycle,
            }
            for e in kept
        ],
        "cycles": [cycle_dict(c) for c in graph.cycles[: MAX_CYCLES if max_edges else None]],
        "total_usd": round(graph.total_usd),
        "circular_usd": round(graph.circular_usd),
        "circular_share": None if graph.share is None else round(graph.share, 4),
        "series": [month_dict(m) for m in series],
        **({} if firm is None else {"firm": firm_dict(firm)}),
    }


def firm_dict(firm: DealGraph) -> dict[str, Any]:
    return {
        "rule": FIRM_RULE,
        "circular_usd": round(firm.circular_usd),
        "circular_share": None if firm.share is None else round(firm.share, 4),
        "cycles": len(firm.cycles),
    }


def month_dict(m: Month) -> dict[str, Any]:
    return {
        "month": m.month,
        "total_usd": round(m.total_usd),
        "circular_usd": round(m.circular_usd),
        "circular_share": None if m.share is None else round(m.share, 4),
        "largest_cycle_usd": round(m.largest_cycle_usd),
    }


def circular_line(
    graph: DealGraph,
    *,
    deals: int,
    simulated: bool,
    firm: DealGraph | None = None,
    priced: int | None = None,
) -> str | None:
    """The one `circular` line of the report, Slack and the dashboard: "$225B of the $245B
    in 7 deals (5 with an amount) lie on loops (92%)". Each number says what it is: the
    count is of every deal, `priced` those with an amount, the share is of the dollars. With
    `firm`, the share on loops of the firm deals alone when it differs by a point or more."""
    if not graph.edges:
        return None
    count = f"{deals} deal{'' if deals == 1 else 's'}"
    share = graph.share
    if share is None or graph.total_usd <= 0:  # no deal states an amount: no dollars
        parts = [f"{count}, none with an amount: no dollar share on loops yet"]
    else:
        if priced is not None:
            said = {deals: "all " if deals > 1 else ""}.get(priced, f"{priced} ")
            count += f" ({said}with an amount)"
        parts = [
            f"{usd(graph.circular_usd)} of the {usd(graph.total_usd)} in {count} lie on loops "
            f"({100 * share:.0f}%{_firm_part(share, firm)})"
        ]
    largest = graph.largest
    if largest is not None:
        loop = " → ".join((*largest.members, largest.members[0]))
        parts.append(
            f"largest loop {loop}: {usd(largest.amount_usd)} on it, "
            f"{usd(largest.returns_usd)} can go all the way round"
            if largest.amount_usd > 0
            else f"largest loop {loop} (no amounts)"
        )
    line = "; ".join(parts)
    return f"SIMULATED (demo): {line}" if simulated else line


def _firm_part(share: float | None, firm: DealGraph | None) -> str:
    if firm is None or share is None or firm.share is None or abs(firm.share - share) < 0.01:
        return ""
    return f"; {100 * firm.share:.0f}% counting only deals with an amount or confirmed"


def context_lines(context: Mapping[str, Any]) -> tuple[str, ...]:
    """The lines channels add under a reading, from its `circular` member."""
    circular = context.get("circular") or {}
    if not circular.get("line"):
        return ()
    return (f"Circular deals: {circular['line']} (context, not in the index)",)


def usd(amount: float) -> str:
    if amount >= 1e12:
        return f"${amount / 1e12:.2f}T"
    if amount >= 1e9:
        return f"${amount / 1e9:.0f}B" if amount >= 1e10 else f"${amount / 1e9:.1f}B"
    if amount >= 1e6:
        return f"${amount / 1e6:.0f}M"
    return f"${amount:,.0f}"
