"""Segments in the report, the console alert and Slack: the one line comparing `llm`
with `applied_ai`, a row per segment, and the LLM-minus-applied-AI spread.

The comparison line opens every rendering. It gives both crash probabilities and their
gap when a fitted model provides them, else both index values and their gap, so it never
shows a number the reading does not have.
"""

from __future__ import annotations

from typing import Any

from rich.table import Table

from signals.models import Component, IndexReading, SegmentReading
from signals.spread import SPREAD_PAIR, describe_spread


def _by_name(reading: IndexReading) -> dict[str, SegmentReading]:
    return {s.name: s for s in reading.segments}


def comparison_line(reading: IndexReading) -> str | None:
    """ "LLM 72/100 (frothy) vs applied AI 41/100 (warming): gap +31 points"; a segment
    without a value reads "no data yet"; None when either segment is not configured."""
    segments = _by_name(reading)
    a, b = (segments.get(name) for name in SPREAD_PAIR)
    if a is None or b is None:
        return None
    if a.probability is not None and b.probability is not None:
        gap = (a.probability - b.probability) * 100
        return (
            f"LLM crash probability {a.probability:.0%} vs applied AI {b.probability:.0%}: "
            f"gap {gap:+.0f} points"
        )
    if a.index is None or b.index is None:
        return f"LLM {_short(a)} vs applied AI {_short(b)}: no gap without both"
    # One fitted, one not: compare what both have, the 0-100 index.
    return (
        f"LLM {a.index:.0f}/100 ({a.regime}) vs applied AI {b.index:.0f}/100 ({b.regime}): "
        f"gap {a.index - b.index:+.0f} points"
    )


def _short(s: SegmentReading) -> str:
    if s.probability is not None:
        return f"crash probability {s.probability:.0%}"
    return "no data yet" if s.index is None else f"{s.index:.0f}/100 ({s.regime})"


def component_json(c: Component, *, v2: bool = False) -> dict[str, Any]:
    """A component as report --json shows it (unrounded: JSON is for machines); a v2
    reading's components also say whether the fitted model uses them."""
    return {
        "name": c.name,
        "value": c.value,
        "weight": c.weight,
        "contribution": c.contribution,
        "detail": c.detail,
        **({"unfitted": c.unfitted} if v2 else {}),
    }


def segments_json(reading: IndexReading) -> list[dict[str, Any]]:
    """The `segments` list of report --json (DESIGN.md keys first, then context)."""
    return [
        {
            "name": s.name,
            "probability": s.probability,
            "base_rate": s.base_rate,
            "index": s.index,
            "regime": s.regime,
            "froth": s.froth,
            "stress": s.stress,
            "components": [component_json(c, v2=s.probability is not None) for c in s.components],
            "change": s.change,
            "tickers": list(s.tickers),
            "benchmark": s.benchmark,
            "runup": s.runup,
            "runup_net": s.runup_net,
            "headlines": s.headlines,
            "stale": list(s.stale),
        }
        for s in reading.segments
    ]


def spread_json(reading: IndexReading) -> dict[str, Any] | None:
    spread = reading.spread
    if spread is None:
        return None
    return {
        "a": spread.a,
        "b": spread.b,
        "day": spread.day.isoformat(),
        "horizon_days": spread.horizon,
        "runup_a": spread.runup_a,
        "runup_b": spread.runup_b,
        "net": spread.net,
        "percentile": spread.percentile,
    }


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value:+.0%}"


def segment_line(s: SegmentReading) -> str:
    """One line per segment, for plain text and Slack."""
    value = "no data" if s.index is None else f"{s.index:.0f}/100 {s.regime}"
    if s.probability is not None and s.froth is not None and s.stress is not None:
        value = (
            f"crash probability {s.probability:.0%}, {value}, froth {s.froth:.0f}, "
            f"stress {s.stress:.0f}"
        )
    change = "" if s.change is None else f" ({s.change:+.1f})"
    top = sorted((c for c in s.components if c.value is not None), key=lambda c: -c.contribution)
    drivers = ", ".join(f"{c.name} {c.value:.0f}" for c in top[:3] if c.value is not None)
    net = "" if s.runup_net is None else f", net of benchmark {_percent(s.runup_net)}"
    return (
        f"{s.name}: {value}{change}; 2-year run-up {_percent(s.runup)}{net}; "
        f"{s.headlines} headlines; top: {drivers or 'none'}"
    )


def segment_lines(reading: IndexReading) -> list[str]:
    """The per-segment lines and the spread line (empty without segments)."""
    lines = [segment_line(s) for s in reading.segments]
    if reading.spread is not None:
        lines.append(f"spread: {describe_spread(reading.spread)}")
    return lines


def segments_table(reading: IndexReading) -> Table:
    table = Table(title="Segments (each read on its own tickers and news)")
    columns = (
        "segment",
        "index",
        "regime",
        "change",
        "probability",
        "froth",
        "stress",
        "2y run-up",
        "net of bench.",
        "headlines",
        "largest contributions",
    )
    for column in columns:
        table.add_column(column)
    for s in reading.segments:
        top = sorted(s.components, key=lambda c: -c.contribution)[:3]
        table.add_row(
            s.name,
            "–" if s.index is None else f"{s.index:.1f}",
            s.regime,
            "–" if s.change is None else f"{s.change:+.1f}",
            "–" if s.probability is None else f"{s.probability:.0%}",
            "–" if s.froth is None else f"{s.froth:.0f}",
            "–" if s.stress is None else f"{s.stress:.0f}",
            _percent(s.runup),
            _percent(s.runup_net),
            str(s.headlines),
            ", ".join(f"{c.name} {c.contribution:.1f}" for c in top if c.value is not None),
        )
    return table
