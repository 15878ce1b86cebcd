"""`bubble-monitor import-prices FILE.csv`: bring-your-own daily closes into the store.

Wide (a date column and one column per ticker) or long (date, ticker, close) CSVs are
told apart by their header. Re-importing the same file changes nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from monitor.cli.common import DbOption, JsonOption, console, new_table, open_store, print_json

if TYPE_CHECKING:
    from rich.table import Table

    from monitor.sources.csv.prices import ImportResult


def register(app: typer.Typer) -> None:
    app.command("import-prices")(import_prices_command)


def import_prices_command(
    file: Path = typer.Argument(
        ..., help="CSV of daily closes: wide (date + one column per ticker) or long."
    ),
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Import daily closes (stored with source "csv"); prints new/updated bars per ticker."""
    from monitor.sources.csv.prices import import_prices, read_price_csv

    _refuse_json(file)
    now = datetime.now(UTC)
    # Parsed before the store is opened: a file that is not a price CSV leaves no new,
    # empty database behind.
    parsed = read_price_csv(file, latest=now.date() + timedelta(days=1))
    with open_store(db) as store:
        result = import_prices(store, file, now=now, parsed=parsed)
        location = store.location
    if as_json:
        print_json(summary(result))
        return
    console.print(_table(result))
    # Where they went: a first import without --db fills a file in the data directory.
    console.print(
        f"{result.path} ({result.format}, {result.rows} rows): {result.new} new, "
        f"{result.updated} updated, {result.unchanged} unchanged bars, in {location}",
        highlight=False,
    )


def _refuse_json(file: Path) -> None:
    """A JSON file (the headlines export) read as a CSV gave "no 'date' column in the
    header ({"date": "2022-01-03", "title": ...})": say what it is and what reads it."""
    try:
        with file.open("rb") as f:
            head = f.read(512).lstrip()
    except OSError:
        return  # the import names a missing or unreadable file
    if head[:1] in (b"{", b"["):
        from monitor.errors import InputError

        raise InputError(
            f"{file}: JSON, not a CSV of daily closes; import-prices reads a CSV with a date "
            "column and one column per ticker (or date, ticker, close). Dated headlines: "
            f"`bubble-monitor import-headlines {file}`"
        )


def summary(result: ImportResult) -> dict[str, Any]:
    """The --json object: totals and one entry per ticker."""
    return {
        "file": str(result.path),
        "format": result.format,
        "rows": result.rows,
        "new": result.new,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "tickers": {
            t.ticker: {
                "new": t.counts.new,
                "updated": t.counts.updated,
                "unchanged": t.counts.unchanged,
                "first": t.first.isoformat(),
                "last": t.last.isoformat(),
            }
            for t in result.tickers
        },
    }


def _table(result: ImportResult) -> Table:
    table = new_table(title=f"prices from {result.path.name}")
    for column in ("ticker", "new", "updated", "unchanged", "first", "last"):
        table.add_column(column, justify="right" if column in ("new", "updated") else "left")
    for t in result.tickers:
        c = t.counts
        table.add_row(
            t.ticker, str(c.new), str(c.updated), str(c.unchanged), str(t.first), str(t.last)
        )
    return table
