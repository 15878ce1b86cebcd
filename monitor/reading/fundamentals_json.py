"""The `fundamentals` member of a reading as JSON, and its one-line summary. Light on
purpose: channels (console, Slack, the dashboard) import it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from monitor.reading.fundamentals_text import money
from signals.fundamentals.cape import SINCE, CapeReading
from signals.fundamentals.group import GroupReading

#: Quarters of group history a reading carries (every reading stores them).
HISTORY_QUARTERS: Final = 40


def line_of(group: GroupReading) -> str:
    """ "hyperscaler capex $X.XB over twelve months, +Y% a year, Z% of revenue, against W%
    in 2019; free cash flow after capex $V.VB" (amounts as `money` writes them)."""
    latest = group.latest
    if latest is None:
        return "hyperscaler capex: no complete trailing twelve months filed yet"
    parts = [f"hyperscaler capex {money(latest.capex)} over twelve months"]
    if group.capex_growth is not None:
        parts.append(f"{group.capex_growth:+.0%} a year")
    ratio = latest.capex_to_revenue
    if ratio is not None:
        against = ""
        if group.baseline_capex_to_revenue is not None:
            partial = len(group.baseline_members) < len(group.members)
            some = f" ({len(group.baseline_members)} of {len(group.members)})" if partial else ""
            against = (
                f", against {group.baseline_capex_to_revenue:.0%} in {group.baseline_year}{some}"
            )
        parts.append(f"{ratio:.0%} of revenue{against}")
    text = ", ".join(parts)
    if latest.free_cash_flow is not None:
        text += f"; free cash flow after capex {money(latest.free_cash_flow)}"
    missing = f"; missing {', '.join(group.missing)}" if group.missing else ""
    return f"{text} ({', '.join(group.members)}, to {latest.quarter}{missing})"


def group_json(name: str, group: GroupReading, *, history: bool) -> dict[str, Any]:
    latest = group.latest
    out: dict[str, Any] = {
        "name": name,
        "members": list(group.members),
        "missing": list(group.missing),
        "quarter": None if latest is None else latest.quarter,
        "capex_ttm": None if latest is None else latest.capex,
        "revenue_ttm": None if latest is None else latest.revenue,
        "capex_to_revenue": None if latest is None else latest.capex_to_revenue,
        "capex_growth": group.capex_growth,
        "debt": None if latest is None else latest.debt,
        "debt_growth": group.debt_growth,
        "free_cash_flow_ttm": None if latest is None else latest.free_cash_flow,
        "price_to_sales": group.price_to_sales,
        "baseline_year": group.baseline_year,
        "baseline_capex_to_revenue": group.baseline_capex_to_revenue,
        "components": [
            {
                "name": m.name,
                "value": m.value,
                "percentile": m.percentile,
                "history": m.history,
                "status": m.status,
            }
            for m in group.measures
        ],
    }
    if history:
        out["history"] = [
            {
                "quarter": p.quarter,
                "capex": p.capex,
                "revenue": p.revenue,
                "capex_to_revenue": p.capex_to_revenue,
            }
            for p in group.points[-HISTORY_QUARTERS:]
        ]
    return out


def market_json(cape: CapeReading | None, missing: str) -> dict[str, Any]:
    if cape is None:
        return {"cape": None, "status": "missing", "missing": missing}
    return {
        "cape": cape.value,
        "month": cape.month.strftime("%Y-%m"),
        "percentile": cape.percentile,
        "since": SINCE.year,
        "months": cape.months,
        "status": "context",
    }


def fundamentals_lines(context: Mapping[str, Any]) -> tuple[str, ...]:
    """The lines Slack and plain-text channels add under a reading."""
    doc = context.get("fundamentals") or {}
    if not doc.get("line"):
        return ()
    lines = [f"Fundamentals: {doc['line']} (unfitted, context)"]
    segments: list[dict[str, Any]] = list(doc.get("segments") or [])
    market: dict[str, Any] = next((s for s in segments if s.get("name") == "market"), {})
    if market.get("cape") is not None:
        lines.append(
            f"Market CAPE {market['cape']:.1f} ({market['month']}), "
            f"percentile {market['percentile']:.0f} since {market['since']}"
        )
    return tuple(lines)
