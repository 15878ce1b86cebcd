"""The deals graph as a self-contained SVG (no script, no external request): parties on a
circle, one arrow per payer -> payee edge, width by amount, the edges on loops in red.

Used by `deals graph --out graph.svg` and by the dashboard's circular-deals panel, from
the same `graph_dict` document (monitor.reading.circular_json).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from html import escape
from typing import Any, Final

from monitor.reading.circular_json import usd

SIZE: Final = 800
RADIUS: Final = 270
#: Room beside the circle for the names of the parties at its left and right.
MARGIN: Final = 140
#: Edges drawn, at most: the loops' first, then the largest others (a legible picture;
#: the JSON keeps every edge).
MAX_DRAWN: Final = 36
LOOP: Final = "#c0392b"
OTHER: Final = "#9aa3ad"
#: Edges whose amount gets a label: the largest few on loops (more would not be legible).
LABELLED: Final = 8


def graph_svg(doc: Mapping[str, Any], *, title: str = "Circular deals") -> str:
    """SVG text of the `nodes`/`edges` of a graph document."""
    edges = _drawn(doc.get("edges") or [])
    nodes = _order(edges)
    at = _positions(nodes)
    top = max((float(e.get("amount_usd") or 0) for e in edges), default=0.0) or 1.0
    labelled = sorted(
        (e for e in edges if e.get("on_cycle")), key=lambda e: -float(e.get("amount_usd") or 0)
    )[:LABELLED]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{-MARGIN} 0 {SIZE + 2 * MARGIN} '
        f'{SIZE}" width="{SIZE + 2 * MARGIN}" height="{SIZE}" role="img" '
        f'aria-label="{escape(title)}" '
        'class="deals-graph" font-family="sans-serif" font-size="12">',
        f"<title>{escape(title)}</title>",
        "<defs>",
        _marker("loop", LOOP),
        _marker("other", OTHER),
        "</defs>",
    ]
    parts.extend(_edge(e, at, top) for e in edges if e["from"] in at)
    parts.extend(_node(name, at[name], _on_loop(name, edges)) for name in nodes)
    parts.extend(_label(text, x, y) for text, x, y in place_labels(labelled, at))
    parts.append("</svg>")
    return "\n".join(parts)


Box = tuple[float, float, float, float]  # left, top, right, bottom
#: Estimated text widths per character (sans-serif: 11 px amounts, 12 px bold names) and
#: where along its curve an amount may sit, the middle first.
_AMOUNT_CHAR: Final = 6.6
_NAME_CHAR: Final = 7.8
_ALONG: Final = (0.5, 0.4, 0.6, 0.3, 0.7, 0.22, 0.78)


def place_labels(
    labelled: Sequence[Mapping[str, Any]], at: Mapping[str, tuple[float, float]]
) -> list[tuple[str, float, float]]:
    """(text, x, y) of each amount label that fits: the largest first, each at the first
    point along its curve where it covers no party, no party's name and no label placed
    before; an amount with no free place is left to the edge's tooltip (labels drawn over
    names and each other around OpenAI, Amazon and Oracle on the real deals)."""
    taken: list[Box] = [box for name, xy in at.items() for box in _node_boxes(name, xy)]
    placed = []
    for e in labelled:
        amount = float(e.get("amount_usd") or 0)
        if not amount or e["from"] not in at or e["to"] not in at:
            continue
        text = usd(amount)
        (sx, sy), (cx, cy), (ex, ey) = _curve(at[e["from"]], at[e["to"]])
        for t in _ALONG:
            x = (1 - t) ** 2 * sx + 2 * (1 - t) * t * cx + t**2 * ex
            y = (1 - t) ** 2 * sy + 2 * (1 - t) * t * cy + t**2 * ey + 4
            half = _half_width(text)
            box = (x - half, y - 11, x + half, y + 3)
            if not any(_overlap(box, other) for other in taken):
                taken.append(box)
                placed.append((text, x, y))
                break
    return placed


def _half_width(amount: str) -> float:
    """Half the estimated width of an amount label, with a pixel of room each side: the
    box placement checks and the plate drawn under it."""
    return _AMOUNT_CHAR * len(amount) / 2 + 2


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _node_boxes(name: str, xy: tuple[float, float]) -> list[Box]:
    """The party's circle and its name, as `_node` draws them."""
    x, y = xy
    anchor, lx, ly = _name_at(x, y)
    w = _NAME_CHAR * len(name)
    left = lx if anchor == "start" else lx - w if anchor == "end" else lx - w / 2
    return [(x - 16, y - 16, x + 16, y + 16), (left, ly - 12, left + w, ly + 4)]


def _name_at(x: float, y: float) -> tuple[str, float, float]:
    anchor = "start" if x > SIZE / 2 + 1 else "end" if x < SIZE / 2 - 1 else "middle"
    lx = x + (22 if anchor == "start" else -22 if anchor == "end" else 0)
    ly = y + (4 if anchor != "middle" else (-22 if y < SIZE / 2 else 30))
    return anchor, lx, ly


def _label(text: str, x: float, y: float) -> str:
    # A white plate under the amount keeps it readable where thick edges cross it.
    half = _half_width(text)
    return (
        f'<rect class="amount-plate" x="{x - half:.1f}" y="{y - 11:.1f}" width="{2 * half:.1f}" '
        f'height="14" rx="3" fill="#fff" fill-opacity="0.9"/>'
        f'<text class="amount" x="{x:.1f}" y="{y:.1f}" fill="{LOOP}" text-anchor="middle" '
        f'font-size="11">{escape(text)}</text>'
    )


def _drawn(edges: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    ranked = sorted(edges, key=lambda e: (not e.get("on_cycle"), -float(e.get("amount_usd") or 0)))
    return ranked[:MAX_DRAWN]


def _order(edges: Sequence[Mapping[str, Any]]) -> list[str]:
    """Parties by the money through them, the largest first, alternating sides of the
    circle so the big ones are not crowded together."""
    flow: dict[str, float] = {}
    for e in edges:
        for name in (e["from"], e["to"]):
            flow[name] = flow.get(name, 0.0) + float(e.get("amount_usd") or 0)
    ranked = sorted(flow, key=lambda n: (-flow[n], n))
    return ranked[0::2] + ranked[1::2][::-1]


def _positions(nodes: Sequence[str]) -> dict[str, tuple[float, float]]:
    n = max(len(nodes), 1)
    centre = SIZE / 2
    return {
        name: (
            centre + RADIUS * math.cos(2 * math.pi * i / n - math.pi / 2),
            centre + RADIUS * math.sin(2 * math.pi * i / n - math.pi / 2),
        )
        for i, name in enumerate(nodes)
    }


def _marker(name: str, colour: str) -> str:
    return (
        f'<marker id="arrow-{name}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="9" '
        f'markerHeight="9" markerUnits="userSpaceOnUse" orient="auto-start-reverse">'
        f'<path d="M0,0 L10,5 L0,10 z" '
        f'fill="{colour}"/></marker>'
    )


def _curve(
    a: tuple[float, float], b: tuple[float, float]
) -> tuple[tuple[float, float], tuple[float, float], tuple[float, float]]:
    """Start, control and end points of the edge from `a` to `b`: it stops short of the
    node circles and bends to the right of the direction of payment, so the two directions
    of a two-party loop are two arcs."""
    (x1, y1), (x2, y2) = a, b
    dx, dy = x2 - x1, y2 - y1
    length = math.hypot(dx, dy) or 1.0
    start = (x1 + dx / length * 18, y1 + dy / length * 18)
    end = (x2 - dx / length * 20, y2 - dy / length * 20)
    return start, ((x1 + x2) / 2 - dy * 0.15, (y1 + y2) / 2 + dx * 0.15), end


def _edge(e: Mapping[str, Any], at: Mapping[str, tuple[float, float]], top: float) -> str:
    (sx, sy), (cx, cy), (ex, ey) = _curve(at[e["from"]], at[e["to"]])
    amount = float(e.get("amount_usd") or 0)
    loop = bool(e.get("on_cycle"))
    width = 1.0 + 5.0 * math.sqrt(amount / top)
    colour, marker = (LOOP, "loop") if loop else (OTHER, "other")
    tip = f"{e['from']} → {e['to']}: {usd(amount) if amount else 'amount not given'}"
    return (
        f'<path class="edge{" loop" if loop else ""}" d="M{sx:.1f},{sy:.1f} Q{cx:.1f},'
        f'{cy:.1f} {ex:.1f},{ey:.1f}" fill="none" stroke="{colour}" stroke-width="{width:.1f}" '
        f'stroke-opacity="0.8" marker-end="url(#arrow-{marker})"><title>{escape(tip)}</title>'
        "</path>"
    )


def _node(name: str, at: tuple[float, float], loop: bool) -> str:
    x, y = at
    colour = LOOP if loop else "#4a5560"
    anchor, lx, ly = _name_at(x, y)
    return (
        f'<g class="node{" loop" if loop else ""}"><circle cx="{x:.1f}" cy="{y:.1f}" r="14" '
        f'fill="#fff" stroke="{colour}" stroke-width="2.5"/><text x="{lx:.1f}" y="{ly:.1f}" '
        f'text-anchor="{anchor}" fill="{colour}" font-weight="600">{escape(name)}</text></g>'
    )


def _on_loop(name: str, edges: Sequence[Mapping[str, Any]]) -> bool:
    return any(e.get("on_cycle") and name in (e["from"], e["to"]) for e in edges)
