"""`bubble-monitor migrate-store --from monitor.db --to postgresql://...`: a SQLite history
into a shared PostgreSQL store (see monitor/store/copy_store.py); safe to run again."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import typer

from monitor.cli.common import JsonOption, console, err_console, new_table, print_json
from monitor.config.db_target import display_location, is_postgres_url
from monitor.errors import InputError


def register(app: typer.Typer) -> None:
    app.command("migrate-store")(migrate_store)


def migrate_store(
    source: Path = typer.Option(..., "--from", help="The SQLite file to copy from."),
    target: str = typer.Option(
        ..., "--to", help="The PostgreSQL store to copy into (postgresql://user@host/db)."
    ),
    as_json: JsonOption = False,
) -> None:
    """Copy every table of a SQLite store into PostgreSQL. Rows already there are kept, so
    an interrupted copy resumes where it stopped and a second run adds nothing."""
    from monitor.store.copy_store import copy_store

    if not is_postgres_url(target):
        raise InputError(f"--to {display_location(target)}: give a postgresql:// URL")

    def report(table: str, done: int, total: int) -> None:
        if not as_json:
            err_console.print(f"{table}: {done}/{total}", highlight=False)

    results = copy_store(source, target, on_batch=report)
    if as_json:
        print_json(
            {
                "from": str(source),
                "to": display_location(target),
                "tables": [
                    {**dataclasses.asdict(r), "already_there": r.already_there} for r in results
                ],
            }
        )
        return
    table = new_table(title=f"{source} -> {display_location(target)}")
    for column in ("table", "rows", "copied", "already there"):
        table.add_column(column, justify="left" if column == "table" else "right")
    for r in results:
        table.add_row(r.table, str(r.source_rows), str(r.copied), str(r.already_there))
    console.print(table)
