"""A reading as the CLI shows it: the JSON shape of DESIGN.md and the rich rendering.

`reading_to_dict` is the one JSON form of a reading for users: `report --json` prints it
and `history --json` prints a list of it, so both have exactly the same keys. Values are
not rounded (JSON is for machines; the tables round).
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table

from monitor.present.segments import (
    comparison_line,
    component_json,
    segments_json,
    segments_table,
    spread_json,
    v3_lines,
)
from signals.models import IndexReading
from signals.spread import describe_spread

DEMO_BANNER = "SIMULATED DEMO: prices and headlines are a bundled scenario, not market data"


def reading_to_dict(reading: IndexReading) -> dict[str, Any]:
    """The `report --json` document (and a `history --json` element): DESIGN.md's keys."""
    return {
        "as_of": reading.as_of.astimezone(UTC).isoformat(),
        "index": reading.index,
        "regime": reading.regime,
        "change": reading.change,
        "comparison": comparison_line(reading),
        "components": [
            component_json(c, v2=reading.probability is not None) for c in reading.components
        ],
        "top_headlines": [
            {
                "title": h.title,
                "url": h.url,
                "source": h.source,
                "label": h.label,
                "confidence": h.confidence,
            }
            for h in reading.top_headlines
        ],
        "stale": list(reading.stale),
        "segments": segments_json(reading),
        "spread": spread_json(reading),
        **_v2(reading),
        # Smart money and model mix as of the reading (null for readings stored before
        # they existed); see docs/smart-money.md.
        "smart_money": reading.context.get("smart_money"),
        "model_mix": reading.context.get("model_mix"),
        # Index v3 (docs/index-v3.md); null on readings stored before v3.
        "relative": reading.context.get("relative"),
        "bubble_evidence": reading.context.get("bubble_evidence"),
        # A reading of the bundled demo scenario, not of market data (monitor/ops).
        "simulated": bool(reading.context.get("simulated", False)),
        # Circular deals as of the reading (null before any deal was stored, and on
        # readings stored before deals existed); docs/circular-deals.md.
        "circular": reading.context.get("circular"),
        # Capex, revenue and debt from SEC filings (docs/fundamentals.md); null before it.
        "fundamentals": reading.context.get("fundamentals"),
    }


def _v2(reading: IndexReading) -> dict[str, Any]:
    """The index v2 keys, on a reading that has a fitted probability (DESIGN.md's)."""
    if reading.probability is None:
        return {}
    return {
        "probability": reading.probability,
        "base_rate": reading.base_rate,
        "froth": reading.froth,
        "stress": reading.stress,
        "drivers": list(reading.drivers),
        "target": reading.target,
        "validated": reading.validated,
        "caution": reading.caution,
    }


def render_reading(console: Console, reading: IndexReading, *, demo: bool = False) -> None:
    if demo:
        console.print(f"[bold yellow]{DEMO_BANNER}[/]")
    comparison = comparison_line(reading)
    if comparison:
        console.print(f"[bold]{comparison}[/]")
    change = "first reading" if reading.change is None else f"{reading.change:+.1f} since last"
    console.print(
        Panel(
            f"[bold]{reading.index:.1f}[/] / 100   regime: [bold]{reading.regime}[/]   ({change})",
            title=f"AI bubble-risk index, as of {reading.as_of:%Y-%m-%d %H:%M} UTC",
            expand=False,
        )
    )
    if reading.probability is not None:
        console.print(_v2_panel(reading))
    console.print(_components_table(reading))
    if reading.segments:
        console.print(segments_table(reading))
    if reading.spread is not None:
        console.print(f"spread: {describe_spread(reading.spread)}")
    if reading.top_headlines:
        console.print(_headlines_table(reading))
    for note in reading.notes:
        console.print(f"note: {note}")
    if reading.stale:
        console.print(f"[red]stale or missing inputs:[/] {', '.join(reading.stale)}")


def _v2_panel(reading: IndexReading) -> Panel:
    base = "" if reading.base_rate is None else f" (base rate {reading.base_rate:.0%})"
    lines = [
        f"crash probability [bold]{reading.probability:.0%}[/]{base}: {reading.target}",
        f"froth {reading.froth:.0f} / 100, stress {reading.stress:.0f} / 100 "
        "(percentiles of the history the model was fitted on)",
        *(f"driver: {d}" for d in reading.drivers),
    ]
    lines.extend(escape(line) for line in v3_lines(reading))
    if reading.caution:
        lines.append(f"[bold yellow]caution:[/] {escape(reading.caution)}")
    return Panel("\n".join(lines), title="Crash model (index v3)", expand=False)


def _components_table(reading: IndexReading) -> Table:
    title = (
        "Components (contribution in index points; value in the feature's own unit)"
        if reading.probability is not None
        else "Components (0-100, higher = more bubble risk)"
    )
    table = Table(title=title)
    for column in ("component", "kind", "value", "weight", "contribution", "detail"):
        table.add_column(column, justify="right" if column in {"value", "weight"} else "left")
    for c in sorted(reading.components, key=lambda c: -c.contribution):
        value = "missing" if c.value is None else f"{c.value:.2f}"
        kind = f"{c.kind}, unfitted" if c.unfitted else c.kind
        table.add_row(c.name, kind, value, f"{c.weight:.2f}", f"{c.contribution:.1f}", c.detail)
    return table


def _headlines_table(reading: IndexReading) -> Table:
    table = Table(title="Headlines that moved it")
    for column in ("label", "conf", "outlets", "source", "title"):
        table.add_column(column)
    for h in reading.top_headlines:
        table.add_row(h.label, f"{h.confidence:.2f}", str(h.sources), h.source, h.title)
    return table
