"""`bubble-monitor doctor`: check config, store, model, feeds, prices and Slack."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import typer

from monitor.cli.common import (
    DbOption,
    FeedsOption,
    JsonOption,
    console,
    new_table,
    plain,
    print_json,
    styled,
)

_STYLE = {"ok": "green", "warn": "yellow", "fail": "red"}


def register(app: typer.Typer) -> None:
    app.command("doctor")(doctor)


def doctor(
    as_json: JsonOption = False,
    db: DbOption = None,
    feeds: FeedsOption = None,
    skip_model: bool = typer.Option(False, "--skip-model", help="Do not load the model."),
) -> None:
    """Check every part and say what is wrong; exit status 1 when a check fails."""
    from monitor.ops.doctor import run_checks

    checks = run_checks(feeds, db, now=datetime.now(UTC), check_model=not skip_model)
    if as_json:
        print_json([dataclasses.asdict(c) for c in checks])
    else:
        table = new_table(title="bubble-monitor doctor")
        for column in ("check", "status", "detail"):
            table.add_column(column)
        for c in checks:
            table.add_row(c.name, styled(c.status, _STYLE[c.status]), plain(c.detail))
        console.print(table)
    if any(c.status == "fail" for c in checks):
        raise typer.Exit(1)
