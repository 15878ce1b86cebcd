"""The dashboard's hyperscaler capex chart: trailing-twelve-month capex (bars, USD billions)
and capex as a share of revenue (line, percent) by calendar quarter, from the reading's
`fundamentals` member. Drawn server-side as SVG (no script, styled by app.css classes)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from markupsafe import Markup, escape

from monitor.reading.fundamentals_text import money, share
from monitor.store.overview import Payload, payload_field

WIDTH: Final = 640.0
HEIGHT: Final = 240.0
LEFT, RIGHT, TOP, BOTTOM = 48.0, 44.0, 14.0, 30.0


@dataclass(frozen=True, slots=True)
class CapexChart:
    line: str
    simulated: bool
    quarters: int
    svg: Markup | None


def capex_chart(latest: Payload) -> CapexChart | None:
    """The chart, or None when the reading has no fundamentals."""
    doc = payload_field(latest, "fundamentals")
    if not isinstance(doc, dict):
        return None
    group = doc.get("hyperscalers") or {}
    points = [p for p in group.get("history") or [] if p.get("capex") is not None]
    svg = _svg(points) if len(points) >= 2 else None
    return CapexChart(str(doc.get("line") or ""), bool(doc.get("simulated")), len(points), svg)


def _svg(points: list[dict[str, Any]]) -> Markup:
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    top_capex = max(p["capex"] for p in points) / 1e9 or 1.0
    ratios = [p.get("capex_to_revenue") for p in points]
    top_ratio = max((r for r in ratios if r is not None), default=0.0) or 1.0
    step = plot_w / len(points)
    parts = [_axes(plot_w, plot_h, top_capex, top_ratio)]
    line: list[str] = []
    for i, p in enumerate(points):
        billions = p["capex"] / 1e9
        height = billions / top_capex * plot_h
        x = LEFT + i * step
        ratio = p.get("capex_to_revenue")
        # The card's words ($402.9B, 35% of revenue: monitor.reading.fundamentals_text).
        label = f"{p['quarter']}: capex {money(p['capex'])}" + (
            "" if ratio is None else f", {share(ratio)} of revenue"
        )
        parts.append(
            f'<rect class="capex-bar" x="{x + step * 0.15:.1f}" y="{TOP + plot_h - height:.1f}" '
            f'width="{step * 0.7:.1f}" height="{height:.1f}" data-quarter="{escape(p["quarter"])}" '
            f'data-capex="{billions:.3f}"><title>{escape(label)}</title></rect>'
        )
        if ratio is not None:
            line.append(f"{x + step / 2:.1f},{TOP + plot_h - ratio / top_ratio * plot_h:.1f}")
    parts.append(f'<polyline class="capex-ratio-line" points="{" ".join(line)}"/>')
    parts.append(
        f'<rect class="capex-key-bar" x="{LEFT + 8}" y="{TOP}" width="10" height="8"/>'
        f'<text class="capex-scale" x="{LEFT + 22}" y="{TOP + 8}">capex, 12 months</text>'
        f'<line class="capex-key-line" x1="{LEFT + 130}" y1="{TOP + 4}" x2="{LEFT + 146}" '
        f'y2="{TOP + 4}"/><text class="capex-scale" x="{LEFT + 150}" y="{TOP + 8}">'
        "capex / revenue</text>"
    )
    parts.append(_quarter_labels(points, step, plot_h))
    return Markup(
        f'<svg id="capex-chart" class="capex-chart" viewBox="0 0 {WIDTH:.0f} {HEIGHT:.0f}" '
        'role="img" aria-labelledby="capex-chart-title">'
        '<title id="capex-chart-title">Hyperscaler capex over twelve months (bars, USD '
        "billions) and capex as a share of revenue (line, percent), by quarter</title>"
        + "".join(parts)
        + "</svg>"
    )


def _axes(plot_w: float, plot_h: float, top_capex: float, top_ratio: float) -> str:
    base = TOP + plot_h
    return (
        f'<line class="capex-axis" x1="{LEFT}" y1="{base}" x2="{LEFT + plot_w}" y2="{base}"/>'
        f'<text class="capex-scale" x="{LEFT - 4}" y="{TOP + 8}" text-anchor="end">'
        f"{money(top_capex * 1e9)}</text>"
        f'<text class="capex-scale" x="{LEFT - 4}" y="{base}" text-anchor="end">$0</text>'
        f'<text class="capex-scale capex-scale-ratio" x="{LEFT + plot_w + 4}" y="{TOP + 8}">'
        f"{top_ratio:.0%}</text>"
        f'<text class="capex-scale capex-scale-ratio" x="{LEFT + plot_w + 4}" y="{base}">0%</text>'
    )


def _quarter_labels(points: list[dict[str, Any]], step: float, plot_h: float) -> str:
    every = max(1, len(points) // 6)
    labels = [
        f'<text class="capex-scale" x="{LEFT + i * step + step / 2:.1f}" '
        f'y="{TOP + plot_h + 18}" text-anchor="middle">{escape(p["quarter"])}</text>'
        for i, p in enumerate(points)
        if (i % every == 0 and len(points) - 1 - i >= every) or i == len(points) - 1
    ]
    return "".join(labels)
