"""Smart money and model mix in the rich report: the line, a table per segment, the 13F
events and the week's model mix (13F option values are notional, not premium)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from monitor.present.smart_money_json import LAGS_NOTE, NOTIONAL_NOTE
from monitor.reading.smart_money import SmartMoneyView
from signals.model_mix import top_categories


def render_view(console: Console, view: SmartMoneyView) -> None:
    if view.empty:
        return
    if view.line:
        console.print(f"[bold]Smart money:[/] {view.line}")
        console.print(_segments_table(view))
        for event in view.events:
            console.print(f"  13F: {event}")
        console.print(f"[dim]{NOTIONAL_NOTE}; lags: {LAGS_NOTE}[/]")
    if view.model_weeks:
        console.print(f"[bold]Model mix:[/] {view.model_line} (context, not in the index)")
        console.print(_mix_table(view))


def _segments_table(view: SmartMoneyView) -> Table:
    table = Table(title="Smart money per segment (0-100, higher = more bets on a fall)")
    for column in ("segment", "component", "value", "detail"):
        table.add_column(column, justify="right" if column == "value" else "left")
    for s in view.segments:
        for signal in (s.positioning, s.smart_money):
            value = "context" if signal.value is None else f"{signal.value:.1f}"
            table.add_row(s.segment, signal.name, value, signal.detail)
    return table


def _mix_table(view: SmartMoneyView) -> Table:
    last = max(view.model_weeks, key=lambda w: w.week_start)
    table = Table(title=f"New Hub models, week of {last.week_start} ({last.total:,})")
    table.add_column("kind")
    table.add_column("models", justify="right")
    table.add_column("share", justify="right")
    for name, count, share in top_categories(last, n=10):
        table.add_row(name, f"{count:,}", f"{100 * share:.0f}%")
    return table
