"""A reading as the CLI shows it: the JSON shape of DESIGN.md and the rich rendering.

`reading_to_dict` is the one JSON form of a reading for users: `report --json` prints it
and `history --json` prints a list of it, so both have exactly the same keys. Values are
not rounded (JSON is for machines; the tables round).
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

from rich.console import Console
from rich.panel import Panel
from rich.table import Table

from signals.models import IndexReading

DEMO_BANNER = "SIMULATED DEMO: prices and headlines are a bundled scenario, not market data"


def reading_to_dict(reading: IndexReading) -> dict[str, Any]:
    """The `report --json` document (and a `history --json` element): DESIGN.md's keys."""
    return {
        "as_of": reading.as_of.astimezone(UTC).isoformat(),
        "index": reading.index,
        "regime": reading.regime,
        "change": reading.change,
        "components": [
            {
                "name": c.name,
                "value": c.value,
                "weight": c.weight,
                "contribution": c.contribution,
                "detail": c.detail,
            }
            for c in reading.components
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
    }


def render_reading(console: Console, reading: IndexReading, *, demo: bool = False) -> None:
    if demo:
        console.print(f"[bold yellow]{DEMO_BANNER}[/]")
    change = "first reading" if reading.change is None else f"{reading.change:+.1f} since last"
    console.print(
        Panel(
            f"[bold]{reading.index:.1f}[/] / 100   regime: [bold]{reading.regime}[/]   ({change})",
            title=f"AI bubble-risk index, as of {reading.as_of:%Y-%m-%d %H:%M} UTC",
            expand=False,
        )
    )
    console.print(_components_table(reading))
    if reading.top_headlines:
        console.print(_headlines_table(reading))
    for note in reading.notes:
        console.print(f"note: {note}")
    if reading.stale:
        console.print(f"[red]stale or missing inputs:[/] {', '.join(reading.stale)}")


def _components_table(reading: IndexReading) -> Table:
    table = Table(title="Components (0-100, higher = more bubble risk)")
    for column in ("component", "kind", "value", "weight", "contribution", "detail"):
        table.add_column(column, justify="right" if column in {"value", "weight"} else "left")
    for c in sorted(reading.components, key=lambda c: -c.contribution):
        value = "missing" if c.value is None else f"{c.value:.1f}"
        table.add_row(
            c.name, c.kind, value, f"{c.weight:.2f}", f"{c.contribution:.1f}", c.detail
        )
    return table


def _headlines_table(reading: IndexReading) -> Table:
    table = Table(title="Headlines that moved it")
    for column in ("label", "conf", "outlets", "source", "title"):
        table.add_column(column)
    for h in reading.top_headlines:
        table.add_row(h.label, f"{h.confidence:.2f}", str(h.sources), h.source, h.title)
    return table
