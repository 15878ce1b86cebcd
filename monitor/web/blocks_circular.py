"""The dashboard's circular-deals panel, from the reading payload's `circular` member: the
line, the graph drawn server-side (monitor.present.deals_svg, loops in red), the largest
loops and the money on loops over the last months."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from monitor.present.deals_svg import graph_svg
from monitor.reading.circular_json import usd
from monitor.store.overview import Payload, payload_field


@dataclass(frozen=True, slots=True)
class CircularPanel:
    present: bool
    line: str | None
    svg: Markup | None
    loops: list[str]
    months: list[tuple[str, str, str]]  # (month, money on loops, share)
    notes: list[str]
    simulated: bool


def circular(latest: Payload) -> CircularPanel:
    value: Any = payload_field(latest, "circular")
    if not isinstance(value, dict) or not value.get("edges"):
        return CircularPanel(False, None, None, [], [], [], False)
    loops = [
        f"{' → '.join([*c['members'], c['members'][0]])}: {usd(float(c['amount_usd']))} on it, "
        f"{usd(float(c.get('returns_usd') or 0))} all the way round"
        for c in (value.get("cycles") or [])[:5]
    ]
    months = [
        (
            str(m["month"]),
            usd(float(m["circular_usd"])),
            "n/a" if m.get("circular_share") is None else f"{100 * m['circular_share']:.0f}%",
        )
        for m in (value.get("series") or [])[-6:]
    ]
    # graph_svg escapes every text it writes, so the result is safe markup.
    svg = Markup(graph_svg(value, title="Circular deals: who pays whom (loops in red)"))
    return CircularPanel(
        True,
        str(value.get("line") or ""),
        svg,
        loops,
        months,
        [str(n) for n in value.get("notes") or []],
        bool(value.get("simulated")),
    )
