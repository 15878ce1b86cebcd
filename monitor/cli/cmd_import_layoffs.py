"""`bubble-monitor import-layoffs FILE.csv`: a layoffs.fyi export into the store.

The layoffs component then has a baseline from the export's first day, in live readings
and in `backtest --db`.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import typer

from monitor.cli.common import DbOption, JsonOption, console, open_store, print_json


def register(app: typer.Typer) -> None:
    app.command("import-layoffs")(import_layoffs_command)


def import_layoffs_command(
    file: Path = typer.Argument(..., help="layoffs.fyi export (CSV: company, date M/D/YYYY, ...)."),
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Import layoff events (one per company and day); re-importing changes nothing."""
    from monitor.sources.layoffs.import_csv import import_layoffs

    with open_store(db) as store:
        result = import_layoffs(store, file)
    if as_json:
        print_json(dataclasses.asdict(result))
        return
    span = f"{result.first_day} .. {result.last_day}" if result.first_day else "no rows"
    console.print(
        f"{result.path}: {result.rows} rows -> {result.events} events ({span}): "
        f"{result.new} new, {result.updated} updated, {result.unchanged} unchanged"
    )
