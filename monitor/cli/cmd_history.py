"""`bubble-monitor history`: the stored index readings as a table, JSON or a chart."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Final

import typer

from monitor.cli.common import (
    DbOption,
    JsonOption,
    console,
    new_console,
    new_table,
    open_store,
    print_json,
)

if TYPE_CHECKING:
    from signals.models import IndexReading


#: Table rows shown without --since, --limit or --all: a service reading daily for months
#: (the demo store alone holds 557 readings) printed every one of them.
DEFAULT_ROWS: Final[int] = 20


def register(app: typer.Typer) -> None:
    app.command("history")(history)


def history(
    as_json: JsonOption = False,
    chart: Annotated[
        Path | None,
        typer.Option("--chart", help="Also write the index chart (PNG) to this file."),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option("--since", help="Only readings on or after this date (YYYY-MM-DD)."),
    ] = None,
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit",
            min=1,
            help=f"Only the newest N readings (the table's default: {DEFAULT_ROWS}).",
        ),
    ] = None,
    show_all: Annotated[
        bool, typer.Option("--all", help="Every stored reading in the table (as --json).")
    ] = False,
    db: DbOption = None,
) -> None:
    """Stored index readings, oldest first: index, regime, change and what drove it.

    The table shows the newest 20 unless --since, --limit or --all says otherwise;
    --json and --chart take every reading (or those --since and --limit choose)."""
    from monitor.present.reading import reading_to_dict
    from monitor.store.readings import list_readings, readings_between

    _one_of(show_all, limit)
    start = _since(since)
    with open_store(db, create=False) as store:
        readings = readings_between(store, start) if start else list_readings(store)
    if limit is not None:
        readings = readings[-limit:]
    if chart is not None:
        from monitor.present.chart import write_index_chart

        write_index_chart(readings, chart)
    if as_json:
        print_json([reading_to_dict(r) for r in readings])
        return
    if not readings and start is not None:
        # Not "none yet": the readings before --since are there, and `report` would not help.
        console.print(f"no stored readings on or after {since}")
        return
    if not readings:
        console.print("no stored readings yet; run `bubble-monitor report` first")
        return
    _windowed_table(readings, window=start is None and limit is None and not show_all)
    if chart is not None:
        console.print(f"chart written to {chart}")


def _one_of(show_all: bool, limit: int | None) -> None:
    if show_all and limit is not None:
        from monitor.errors import InputError

        raise InputError("--all and --limit: give one (--all shows every reading)")


def _windowed_table(readings: list[IndexReading], *, window: bool) -> None:
    """The table of the newest DEFAULT_ROWS readings when `window`, saying how to see more."""
    shown = readings[-DEFAULT_ROWS:] if window else readings
    _table(shown)
    if len(shown) < len(readings):
        console.print(
            f"the newest {len(shown)} of {len(readings)} readings; "
            "--limit N or --all shows more, --since DATE those from a day",
            highlight=False,
        )


def _since(text: str | None) -> datetime | None:
    if text is None:
        return None
    from monitor.errors import InputError

    try:
        return datetime.combine(date.fromisoformat(text), time(), UTC)
    except ValueError as e:
        raise InputError(f"--since {text!r}: expected a date like 2026-03-01") from e


def _table(readings: list[IndexReading]) -> None:
    """The readings as a table that fits the terminal, by the names the report uses: from
    100 columns every column and three movers; below, the date alone, two movers and no
    stale count; below 80, no segments and one mover (rich broke "change" and the dates
    mid-word at 60). Long names fold, never cut with an ellipsis."""
    screen = new_console()  # made now, so it has this terminal's width (COLUMNS included)
    wide, narrow = screen.width >= 100, screen.width < 80
    shown = [c for c in _COLUMNS if wide or c != "stale"]
    shown = [c for c in shown if not narrow or c != "segments"]
    table = new_table(title="AI bubble index history")
    for column in shown:
        right = column in ("index", "change")
        table.add_column(column, justify="right" if right else "left", overflow="fold")
    for r in readings:
        cells = _cells(
            r,
            stamp="%Y-%m-%d %H:%M" if wide else "%Y-%m-%d",
            movers=3 if wide else 2 if not narrow else 1,
        )
        table.add_row(*(cells[c] for c in shown))
    screen.print(table)


_COLUMNS: Final = ("as of (UTC)", "index", "regime", "change", "segments", "moved most", "stale")


def _cells(r: IndexReading, *, stamp: str, movers: int) -> dict[str, str]:
    from signals.crash.relative import display_name
    from signals.wording import input_name

    # The baseline is the probability at average inputs: it is there every day, so it
    # never "moved" a reading.
    moved = sorted(
        (c for c in r.components if c.value is not None and c.name != "baseline"),
        key=lambda c: -abs(c.contribution),
    )
    return {
        "as of (UTC)": r.as_of.astimezone(UTC).strftime(stamp),
        "index": f"{r.index:.1f}",
        "regime": r.regime,
        "change": "" if r.change is None else f"{r.change:+.1f}",
        "segments": " · ".join(
            f"{display_name(s.name)} {s.index:.0f}" for s in r.segments if s.index is not None
        ),
        "moved most": "; ".join(
            f"{input_name(c.name)} {c.contribution:+.1f}" for c in moved[:movers]
        ),
        "stale": str(len(r.stale)) if r.stale else "",
    }
