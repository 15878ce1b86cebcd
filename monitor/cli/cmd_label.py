"""`bubble-monitor label [TITLE LABEL] [--file FILE] [--list] [--json]`: correct a label.

Stores the user's label for a headline in the database (table label_corrections);
`bubble-monitor train --with-corrections` folds them into the training data and
`evaluate` keeps them out of every evaluation set. A file is JSONL (`{"text", "label"}`)
or CSV (`text,label` columns); a bad line stops the command before anything is stored.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from monitor.cli.common import DbOption, JsonOption, console, new_table, open_store, print_json
from monitor.errors import InputError
from signals.labels import LABELS, check_label

if TYPE_CHECKING:
    from rich.table import Table


def register(app: typer.Typer) -> None:
    app.command("label")(label)


def label(
    title: str | None = typer.Argument(
        None, metavar="TITLE", help="The headline to correct.", show_default=False
    ),
    new_label: str | None = typer.Argument(
        None, metavar="LABEL", help=f"Its label: {', '.join(LABELS)}.", show_default=False
    ),
    file: Path | None = typer.Option(
        None, "--file", "-f", help="Corrections in bulk: JSONL or CSV with text,label."
    ),
    show: bool = typer.Option(False, "--list", help="List the stored corrections."),
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Store your own label for a headline; `train --with-corrections` learns from it."""
    items = _items(title, new_label, file)
    if not items and not show:
        raise InputError("give TITLE LABEL, --file FILE or --list")
    from monitor.store.corrections import list_corrections, put_corrections

    # Only listing reads: a mistyped --db is then named, not created empty ("0 corrections").
    with open_store(db, create=bool(items)) as store:
        stored = put_corrections(store, items, datetime.now(UTC)) if items else 0
        corrections = list_corrections(store) if show else []
    rows = [
        {"text": c.text, "label": c.label, "created_at": c.created_at.isoformat()}
        for c in corrections
    ]
    if as_json:
        print_json({"stored": stored, "corrections": rows} if show else {"stored": stored})
        return
    if stored:
        console.print(f"stored {stored} correction(s)", highlight=False)
    if show:
        console.print(_table(rows))


def _items(title: str | None, new_label: str | None, file: Path | None) -> list[tuple[str, str]]:
    items: list[tuple[str, str]] = []
    if title is not None:
        if new_label is None:
            raise InputError(f"missing LABEL after the title; expected one of {', '.join(LABELS)}")
        if not title.strip():
            raise InputError("the title is empty")
        try:
            items.append((title.strip(), check_label(new_label.strip())))
        except ValueError as e:
            raise InputError(str(e)) from e
    if file is not None:
        from monitor.reading.classifier_files import load_examples

        try:
            found = [(e.text, e.label) for e in load_examples(file)]
        except ValueError as e:
            raise InputError(str(e)) from e
        if not found:
            raise InputError(
                f'{file}: no corrections (expected JSONL lines {{"text", "label"}} or '
                "CSV rows under a text,label header)"
            )
        items += found
    return items


def _table(rows: list[dict[str, str]]) -> Table:
    table = new_table(title=f"label corrections ({len(rows)})")
    table.add_column("label")
    table.add_column("headline", overflow="fold")
    for row in rows:
        table.add_row(row["label"], row["text"])
    return table
