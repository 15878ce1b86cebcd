"""Server-side SVG: the gauge, component sparklines and contribution bars.

Drawn in Python so the numbers are on the page without JavaScript, and styled only by
class names from app.css (the Content-Security-Policy forbids inline styles). Returned as
`markupsafe.Markup`; every piece of text in it is escaped here.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from markupsafe import Markup, escape

#: (lower edge, upper edge, band class) of the gauge's coloured arc, on the 0-100 scale.
GAUGE_BANDS: tuple[tuple[float, float, str], ...] = (
    (0.0, 30.0, "band-calm"),
    (30.0, 50.0, "band-warming"),
    (50.0, 65.0, "band-frothy"),
    (65.0, 100.0, "band-bubble"),
)
_CX, _CY, _R = 100.0, 100.0, 80.0


def _point(value: float, radius: float) -> tuple[float, float]:
    """The point at `value` (0-100) on a half circle from the left (0) to the right (100)."""
    angle = math.pi * (1.0 - max(0.0, min(100.0, value)) / 100.0)
    return _CX + radius * math.cos(angle), _CY - radius * math.sin(angle)


def _arc(start: float, end: float) -> str:
    x0, y0 = _point(start, _R)
    x1, y1 = _point(end, _R)
    return f"M{x0:.2f} {y0:.2f} A{_R:.0f} {_R:.0f} 0 0 1 {x1:.2f} {y1:.2f}"


def gauge(value: float | None, regime: str, label: str, ident: str = "gauge") -> Markup:
    """A half-circle gauge 0-100 with regime bands, a needle at `value` and the value;
    `ident` prefixes its element ids (one gauge per id on a page)."""
    bands = "".join(
        f'<path class="gauge-band {cls}" d="{_arc(lo, hi)}"/>' for lo, hi, cls in GAUGE_BANDS
    )
    needle, text = "", "n/a"
    if value is not None:
        x, y = _point(value, _R - 22)
        needle = f'<line class="gauge-needle" x1="{_CX}" y1="{_CY}" x2="{x:.2f}" y2="{y:.2f}"/>'
        text = f"{value:.1f}"
    return Markup(
        f'<svg class="gauge" viewBox="0 0 200 158" role="img" aria-labelledby="{ident}-title">'
        f'<title id="{ident}-title">{escape(label)}</title>{bands}{needle}'
        f'<circle class="gauge-hub" cx="{_CX}" cy="{_CY}" r="5"/>'
        f'<text class="gauge-scale" x="20" y="116">0</text>'
        f'<text class="gauge-scale" x="180" y="116">100</text>'
        f'<text class="gauge-value" id="{ident}-value" x="{_CX}" y="{_CY + 34}">{text}</text>'
        f'<text class="gauge-regime regime-{escape(regime)}" x="{_CX}" y="{_CY + 54}">'
        f"{escape(regime)}</text></svg>"
    )


def sparkline(values: Sequence[float | None], label: str) -> Markup:
    """A small line of `values` on a fixed 0-100 scale (gaps where a value is None)."""
    points = [(i, v) for i, v in enumerate(values) if v is not None]
    if len(points) < 2:
        return Markup('<span class="muted">not enough history for a sparkline</span>')
    width, height = 120.0, 28.0
    step = width / max(1, len(values) - 1)
    coords = " ".join(
        f"{i * step:.1f},{height - max(0.0, min(100.0, v)) / 100.0 * height:.1f}" for i, v in points
    )
    return Markup(
        f'<svg class="sparkline" viewBox="0 0 {width:.0f} {height:.0f}" role="img" '
        f'aria-label="{escape(label)}" preserveAspectRatio="none">'
        f'<polyline class="sparkline-line" points="{coords}"/></svg>'
    )


def bar(share: float, label: str) -> Markup:
    """A horizontal bar filled to `share` (0-1) of its width."""
    filled = max(0.0, min(1.0, share)) * 100.0
    return Markup(
        f'<svg class="bar" viewBox="0 0 100 6" role="img" aria-label="{escape(label)}" '
        'preserveAspectRatio="none">'
        '<rect class="bar-track" x="0" y="0" width="100" height="6"/>'
        f'<rect class="bar-fill" x="0" y="0" width="{filled:.1f}" height="6"/></svg>'
    )
