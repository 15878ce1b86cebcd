"""Smart money and model mix as the report shows them: JSON, rich tables, Slack lines.

13F option values are notional (the underlying shares at the quarter's end), not the
premium paid; every rendering says so.
"""

from __future__ import annotations

from typing import Any, Final

from rich.console import Console
from rich.table import Table

from monitor.smart_money import SmartMoneyView
from signals.model_mix import top_categories
from signals.models import Signal

NOTIONAL_NOTE: Final = (
    "13F option values are notional (underlying shares at quarter end), not premium"
)
LAGS_NOTE: Final = (
    "13F: up to 45 days after quarter end; short interest: twice a month, about two weeks late"
)


def view_to_dict(view: SmartMoneyView) -> dict[str, Any]:
    """The `smart_money` and `model_mix` members of `report --json`."""
    return {
        "smart_money": {
            "line": view.line,
            "segments": [
                {
                    "name": s.segment,
                    "positioning": _signal(s.positioning),
                    "names": [
                        {
                            "ticker": p.ticker,
                            "settlement": p.settlement.isoformat(),
                            "short_percent_of_float": _pct(p.share_of_float),
                            "days_to_cover": _round(p.days_to_cover, 2),
                            "percentile": _round(p.percentile, 1),
                            "history": p.history,
                        }
                        for p in s.names
                    ],
                    "smart_money": _signal(s.smart_money),
                    "quarters": [
                        {
                            "period": q.period.isoformat(),
                            "funds": q.funds,
                            "long_value": round(q.long_value),
                            "put_notional": round(q.put_notional),
                            "call_notional": round(q.call_notional),
                            "put_share": _round(q.put_share, 4),
                        }
                        for q in s.quarters
                    ],
                }
                for s in view.segments
            ],
            "events": list(view.events),
            "notes": [NOTIONAL_NOTE, LAGS_NOTE],
        },
        "model_mix": {
            "line": view.model_line,
            "weeks": [
                {"week_start": w.week_start.isoformat(), "total": w.total, "counts": dict(w.counts)}
                for w in view.model_weeks
            ],
        },
    }


def context_lines(view: SmartMoneyView) -> tuple[str, ...]:
    """The lines Slack and plain-text channels add under a reading."""
    lines = []
    if view.line:
        lines.append(f"Smart money: {view.line}")
    lines.extend(f"13F: {e}" for e in view.events[1:4])
    if view.model_line:
        lines.append(f"Model mix: {view.model_line}")
    if view.line:
        lines.append(f"({NOTIONAL_NOTE}; lags: {LAGS_NOTE})")
    return tuple(lines)


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


def _signal(signal: Signal) -> dict[str, Any]:
    return {
        "value": _round(signal.value, 2),
        "status": "component" if signal.value is not None else "context",
        "detail": signal.detail,
        "coverage": round(signal.coverage, 3),
    }


def _pct(fraction: float | None) -> float | None:
    return None if fraction is None else round(100 * fraction, 2)


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)
