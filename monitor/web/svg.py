"""Server-side SVG: the gauge, component sparklines and contribution bars.

Drawn in Python so the numbers are on the page without JavaScript, and styled only by
class names from app.css (the Content-Security-Policy forbids inline styles). Returned as
`markupsafe.Markup`; every piece of text in it is escaped here.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from markupsafe import Markup, escape

_CX, _CY, _R = 100.0, 100.0, 80.0


def _point(value: float, radius: float) -> tuple[float, float]:
    """The point at `value` (0-100) on a half circle from the left (0) to the right (100)."""
    angle = math.pi * (1.0 - max(0.0, min(100.0, value)) / 100.0)
    return _CX + radius * math.cos(angle), _CY - radius * math.sin(angle)


def _arc(start: float, end: float) -> str:
    x0, y0 = _point(start, _R)
    x1, y1 = _point(end, _R)
    return f"M{x0:.2f} {y0:.2f} A{_R:.0f} {_R:.0f} 0 0 1 {x1:.2f} {y1:.2f}"


def gauge(
    value: float | None,
    regime: str,
    label: str,
    ident: str = "gauge",
    base_rate: float | None = None,
) -> Markup:
    """A half-circle gauge 0-100: a track, the arc up to `value` in the regime's colour, a
    needle, the value and the regime in words, and a tick at `base_rate` (0-100) when
    given. `ident` prefixes its element ids (one gauge per id on a page)."""
    fill, needle, text = "", "", "n/a"
    if value is not None:
        fill = f'<path class="gauge-fill fill-{escape(regime)}" d="{_arc(0.0, value)}"/>'
        x, y = _point(value, _R - 22)
        needle = f'<line class="gauge-needle" x1="{_CX}" y1="{_CY}" x2="{x:.2f}" y2="{y:.2f}"/>'
        text = f"{value:.1f}"
    tick = ""
    if base_rate is not None:
        (x0, y0), (x1, y1) = _point(base_rate, _R - 13), _point(base_rate, _R + 13)
        tick = (
            f'<line class="gauge-base" x1="{x0:.2f}" y1="{y0:.2f}" x2="{x1:.2f}" y2="{y1:.2f}">'
            f"<title>base rate {base_rate:.1f}</title></line>"
        )
    return Markup(
        f'<svg class="gauge" viewBox="0 0 200 158" role="img" aria-labelledby="{ident}-title">'
        f'<title id="{ident}-title">{escape(label)}</title>'
        f'<path class="gauge-track" d="{_arc(0.0, 100.0)}"/>{fill}{tick}{needle}'
        f'<circle class="gauge-hub" cx="{_CX}" cy="{_CY}" r="5"/>'
        f'<text class="gauge-scale" x="20" y="116">0</text>'
        f'<text class="gauge-scale" x="180" y="116">100</text>'
        f'<text class="gauge-value" id="{ident}-value" x="{_CX}" y="{_CY + 34}">{text}</text>'
        f'<text class="gauge-regime" x="{_CX}" y="{_CY + 54}">{escape(regime)}</text></svg>'
    )


def sparkline(values: Sequence[float | None], label: str) -> Markup:
    """A small line of `values`, scaled to their own range (components are on different
    scales: 0-100 percentiles, raw run-ups), with gaps where a value is None."""
    points = [(i, v) for i, v in enumerate(values) if v is not None]
    if len(points) < 2:
        return Markup('<span class="muted">not enough history for a sparkline</span>')
    width, height = 120.0, 28.0
    low, high = min(v for _, v in points), max(v for _, v in points)
    span = (high - low) or 1.0
    step = width / max(1, len(values) - 1)
    coords = " ".join(
        f"{i * step:.1f},{height - 2 - (v - low) / span * (height - 4):.1f}" for i, v in points
    )
    return Markup(
        f'<svg class="sparkline" viewBox="0 0 {width:.0f} {height:.0f}" role="img" '
        f'aria-label="{escape(label)}" preserveAspectRatio="none">'
        f'<polyline class="sparkline-line" points="{coords}"/></svg>'
    )


def bar(share: float, label: str) -> Markup:
    """A horizontal bar filled to |share| (0-1) of its width; a negative share (a component
    that lowers the index) is drawn in its own colour."""
    filled = max(0.0, min(1.0, abs(share))) * 100.0
    kind = "bar-fill negative" if share < 0 else "bar-fill"
    return Markup(
        f'<svg class="bar" viewBox="0 0 100 6" role="img" aria-label="{escape(label)}" '
        'preserveAspectRatio="none">'
        '<rect class="bar-track" x="0" y="0" width="100" height="6"/>'
        f'<rect class="{kind}" x="0" y="0" width="{filled:.1f}" height="6"/></svg>'
    )
