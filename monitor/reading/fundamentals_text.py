"""The fundamentals member of a reading in words for people: amounts as "$130.5B", shares
as "42% of revenue", growth as "+32% a year". The dashboard's context card shows these rows
instead of the raw JSON numbers; the summary line uses the same amounts. Light on purpose
(no pandas, no store): every channel may import it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from signals.wording import display_name

#: (scale, suffix, decimals): trillions keep two decimals so $1.16T is not rounded to $1.2T.
_SCALES: Final[tuple[tuple[float, str, int], ...]] = ((1e12, "T", 2), (1e9, "B", 1), (1e6, "M", 1))
#: The component names of a group reading, as people say them.
_MEASURES: Final[dict[str, str]] = {
    "capex_to_revenue": "capex / revenue",
    "capex_growth": "capex growth",
    "debt_growth": "debt growth",
    "price_to_sales": "price / sales",
}


def money(amount: float) -> str:
    """USD with a scale suffix: 130_497_000_000 -> "$130.5B", -3.2e9 -> "-$3.2B"."""
    sign = "-" if amount < 0 else ""
    size = abs(amount)
    for scale, suffix, decimals in _SCALES:
        if size >= scale:
            return f"{sign}${size / scale:,.{decimals}f}{suffix}"
    return f"{sign}${size:,.0f}"


def share(ratio: float) -> str:
    """A fraction as a whole percentage: 0.4213 -> "42%"."""
    return f"{ratio:.0%}"


def growth(rate: float) -> str:
    """A year-on-year change, signed: 0.3225 -> "+32% a year"."""
    return f"{rate:+.0%} a year"


def summary_rows(doc: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(label, text) rows of a reading's `fundamentals` member: the hyperscaler group's
    figures, each segment in one row, the market's CAPE, the companies not covered."""
    rows: list[tuple[str, str]] = []
    group = doc.get("hyperscalers")
    if isinstance(group, Mapping):
        rows.extend(_group_rows(group))
    for segment in doc.get("segments") or []:
        if isinstance(segment, Mapping) and segment.get("name"):
            rows.append((display_name(str(segment["name"])), _segment_text(segment)))
    not_covered = doc.get("not_covered")
    if isinstance(not_covered, Mapping) and not_covered:
        rows.append(("not covered", ", ".join(str(t) for t in not_covered)))
    if doc.get("as_of"):
        rows.append(("as of", str(doc["as_of"])))
    return rows


def _group_rows(group: Mapping[str, Any]) -> list[tuple[str, str]]:
    members = ", ".join(str(m) for m in group.get("members") or [])
    if group.get("quarter") is None:
        return [("hyperscalers", f"{members or 'none'}: no twelve months filed yet")]
    missing = group.get("missing") or []
    gap = f"; missing {', '.join(str(m) for m in missing)}" if missing else ""
    rows = [("hyperscalers", f"{members}, twelve months to {group['quarter']}{gap}")]
    capex, rate = group.get("capex_ttm"), group.get("capex_growth")
    if capex is not None:
        rows.append(("capex", money(capex) + ("" if rate is None else f", {growth(rate)}")))
    ratio, base = group.get("capex_to_revenue"), group.get("baseline_capex_to_revenue")
    if ratio is not None:
        against = "" if base is None else f", against {share(base)} in {group['baseline_year']}"
        rows.append(("capex / revenue", f"{share(ratio)} of revenue{against}"))
    _add(rows, "revenue", group.get("revenue_ttm"), money)
    _add(rows, "free cash flow after capex", group.get("free_cash_flow_ttm"), money)
    debt, debt_rate = group.get("debt"), group.get("debt_growth")
    if debt is not None:
        rows.append(("debt", money(debt) + ("" if debt_rate is None else f", {growth(debt_rate)}")))
    _add(rows, "price / sales", group.get("price_to_sales"), lambda v: f"{v:.1f}x")
    ranks = _percentiles(group.get("components") or [])
    if ranks:
        rows.append(("percentile in own history", ranks))
    return rows


def _add(rows: list[tuple[str, str]], label: str, value: Any, text: Any) -> None:
    if value is not None:
        rows.append((label, text(value)))


def _percentiles(components: list[Any]) -> str:
    """ "capex / revenue 100 (39 quarters), ..." for the measures that have a percentile."""
    parts = [
        f"{_MEASURES.get(str(c.get('name')), str(c.get('name')))} {c['percentile']:.0f} "
        f"({c.get('history', 0)} quarters)"
        for c in components
        if isinstance(c, Mapping) and c.get("percentile") is not None
    ]
    return ", ".join(parts)


def _segment_text(segment: Mapping[str, Any]) -> str:
    if "cape" in segment:
        if segment.get("cape") is None:
            return f"CAPE missing: {segment.get('missing') or 'no CAPE source'}"
        return (
            f"CAPE {segment['cape']:.1f} ({segment['month']}), percentile "
            f"{segment['percentile']:.0f} since {segment['since']}"
        )
    if segment.get("quarter") is None or segment.get("capex_ttm") is None:
        return "no SEC figures for its members"
    parts = [f"capex {money(segment['capex_ttm'])}"]
    if segment.get("capex_to_revenue") is not None:
        parts.append(f"{share(segment['capex_to_revenue'])} of revenue")
    if segment.get("capex_growth") is not None:
        parts.append(growth(segment["capex_growth"]))
    return f"{', '.join(parts)} (to {segment['quarter']})"
