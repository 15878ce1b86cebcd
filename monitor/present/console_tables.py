"""`report --full`: the component and segment tables, laid out so that no cell is cut.

From 100 columns the components are a table whose short columns never wrap and whose
detail column folds onto more lines; below 100 each component is a stacked block (a line
of numbers, the detail wrapped under it). Segments are always stacked blocks: eleven
columns side by side do not fit a terminal. Rendered from the reading document.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from typing import Any, Final

from rich.console import Console
from rich.table import Table

from monitor.present.segments import context_v3_lines, missing_reason
from signals.crash.relative import display_name
from signals.index import component_kind

TABLE_WIDTH: Final[int] = 100


def print_full(console: Console, doc: Mapping[str, Any]) -> None:
    width = console.width
    comps = [c for c in doc.get("components") or [] if isinstance(c, Mapping)]
    comps.sort(key=lambda c: -(c.get("contribution") or 0.0))
    v2 = doc.get("probability") is not None
    title = (
        "Components (contribution in index points; value in the feature's own unit)"
        if v2
        else "Components (0-100, higher = more bubble risk)"
    )
    console.print()
    if width >= TABLE_WIDTH:
        console.print(_table(title, comps))
    else:
        # The v2 title alone is 74 characters: wrapped like the blocks under it.
        heading = textwrap.wrap(title, width=width, subsequent_indent="  ", break_on_hyphens=False)
        _plain(console, [*heading, *_stacked(comps, width)])
    segments = [s for s in doc.get("segments") or [] if isinstance(s, Mapping)]
    if segments:
        _plain(console, ["", "Segments", *_segments(segments, width)])
    evidence = context_v3_lines(doc)
    if evidence:
        wrapped = [
            part
            for line in evidence
            for part in textwrap.wrap(
                line,
                width=width,
                initial_indent="  ",
                subsequent_indent="      ",
                break_on_hyphens=False,
            )
        ]
        _plain(console, ["", "History's evidence (index v3)", *wrapped])


def _table(title: str, comps: Sequence[Mapping[str, Any]]) -> Table:
    table = Table(title=title, title_justify="left")
    for name in ("component", "kind"):
        table.add_column(name, justify="left", no_wrap=True)
    for name in ("value", "weight", "contribution"):
        table.add_column(name, justify="right", no_wrap=True)
    table.add_column("detail", overflow="fold", ratio=1, min_width=20)
    for c in comps:
        table.add_row(c.get("name"), _kind(c), _value(c), _weight(c), _points(c), c.get("detail"))
    return table


def _stacked(comps: Sequence[Mapping[str, Any]], width: int) -> list[str]:
    out = []
    for c in comps:
        head = f"{c.get('name')} ({_kind(c)}): value {_value(c)}, weight {_weight(c)}, "
        head += f"contribution {_points(c)}"
        out += textwrap.wrap(
            head, width=width, initial_indent="  ", subsequent_indent="    ", break_on_hyphens=False
        )
        out += textwrap.wrap(
            str(c.get("detail") or ""), width=width, initial_indent="    ",
            subsequent_indent="    ", break_on_hyphens=False,
        )  # fmt: skip
    return out


def _segments(segments: Sequence[Mapping[str, Any]], width: int) -> list[str]:
    out = []
    for s in segments:
        parts = [f"{display_name(str(s.get('name')))}: regime {s.get('regime')}"]
        if s.get("probability") is not None:
            base = s.get("base_rate")
            rate = f" (base rate {base:.0%})" if base is not None else ""
            parts.append(f"crash probability {s['probability']:.0%}{rate}")
        if s.get("index") is not None:
            change = s.get("change")
            moved = "" if change is None else f", {change:+.1f}"
            parts.append(f"index {s['index']:.1f}{moved}")
        for key, label in (("froth", "froth"), ("stress", "stress")):
            if s.get(key) is not None:
                parts.append(f"{label} {s[key]:.0f}")
        if s.get("runup") is not None:
            net = s.get("runup_net")
            parts.append(
                f"2-year run-up {s['runup']:+.0%}"
                + ("" if net is None else f" ({net:+.0%} net of {s.get('benchmark')})")
            )
        if s.get("index") is None and s.get("probability") is None:
            parts.append(missing_reason(s.get("tickers") or [], s.get("stale") or []))
        parts.append(f"{s.get('headlines') or 0} headlines")
        tickers = ", ".join(s.get("tickers") or [])
        if tickers:
            parts.append(f"tickers {tickers}")
        out += textwrap.wrap(
            "; ".join(parts),
            width=width,
            initial_indent="  ",
            subsequent_indent="    ",
            break_on_hyphens=False,
        )
        top = sorted(
            (c for c in s.get("components") or [] if isinstance(c, Mapping)),
            key=lambda c: -abs(c.get("contribution") or 0.0),
        )[:4]
        if top:
            moved = ", ".join(f"{c.get('name')} {_points(c)}" for c in top)
            out += textwrap.wrap(
                f"largest contributions: {moved}", width=width, initial_indent="    ",
                subsequent_indent="    ", break_on_hyphens=False,
            )  # fmt: skip
    return out


def _plain(console: Console, lines: Sequence[str]) -> None:
    for line in lines:
        console.print(line, markup=False, highlight=False, soft_wrap=True)


def _kind(c: Mapping[str, Any]) -> str:
    """Whether the fitted model uses the component (index v2), else its kind (v1: the
    reading document has no `kind`, so the column was empty; news components are named by
    their labels, everything else is market)."""
    if "unfitted" in c:
        return "unfitted" if c["unfitted"] else "fitted"
    return str(c.get("kind") or component_kind(str(c.get("name"))))


def _value(c: Mapping[str, Any]) -> str:
    value = c.get("value")
    return "missing" if value is None else f"{value:.2f}"


def _weight(c: Mapping[str, Any]) -> str:
    return f"{c.get('weight') or 0.0:.2f}"


def _points(c: Mapping[str, Any]) -> str:
    return f"{c.get('contribution') or 0.0:+.1f}"
