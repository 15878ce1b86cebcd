"""`bubble-monitor import-headlines FILE`: dated historical headlines into the store.

A thin shell over monitor.stages.import_headlines: JSONL (`date`, `title`, `url`,
optional `source`, `collection`) or CSV (header with date, title, url, source). Headlines
are stored without fetching, scored, grouped into stories and marked imported; bad rows
are counted and named (file:line), never stored; re-importing changes nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from monitor.cli.common import (
    DbOption,
    FeedsOption,
    JsonOption,
    config,
    console,
    err_console,
    print_json,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from monitor.stages.import_headlines import ImportResult

#: Rejected rows listed in the text output (--json lists up to the stage's limit).
SHOWN_REJECTIONS = 20


def register(app: typer.Typer) -> None:
    app.command("import-headlines")(import_headlines_command)


def import_headlines_command(
    file: Annotated[
        Path, typer.Argument(help="JSONL (date, title, source, url) or .csv with those columns.")
    ],
    as_json: JsonOption = False,
    db: DbOption = None,
    feeds: FeedsOption = None,
) -> None:
    """Import dated headlines (no fetching): store, score, group into stories, mark imported."""
    from monitor.app import build
    from monitor.stages.import_headlines import run_import_headlines

    cfg = config(feeds)
    progress = None if as_json else _progress(_rows_about(file))
    with build(cfg, db=db) as app:
        result = run_import_headlines(app, file, on_batch=progress)
    if as_json:
        print_json(result.summary())
    else:
        _print(result)
    _refuse_a_file_with_nothing_to_import(result)


def _refuse_a_file_with_nothing_to_import(result: ImportResult) -> None:
    """Exit 2 when every row was rejected: a file of another kind (prices, layoffs) or
    another layout read as "0 stored ..., N rejected" and exit 0, which looked done."""
    if result.rows == 0 or result.stored or result.already_stored:
        return
    from monitor.errors import InputError

    raise InputError(
        f"{result.path}: no row could be imported ({result.rows} read, all rejected); "
        "expected JSONL with date, title, source, url per line, or a CSV with those columns"
    )


def _rows_about(file: Path) -> int | None:
    """The file's rows, from its lines (a CSV title over two lines makes it an estimate);
    None when the file cannot be read (the import names the problem)."""
    try:
        with file.open("rb") as f:
            lines = sum(1 for line in f if line.strip())
    except OSError:
        return None
    return lines - 1 if file.suffix.lower() == ".csv" else lines


def _progress(total: int | None) -> Callable[[ImportResult], None]:
    """Each batch's line, with how far through the file it is (an import of 66,693 rows
    takes minutes: "12000 rows read" alone did not say how long was left)."""

    def say(result: ImportResult) -> None:
        of = f" of about {total} ({result.rows / total:.0%})" if total else ""
        err_console.print(
            f"{result.rows}{of} rows read: {result.stored} stored, {result.already_stored} "
            f"already stored, {sum(result.rejected.values())} rejected",
            highlight=False,
        )

    return say


def _print(result: ImportResult) -> None:
    summary = result.summary()
    span = f"{summary['first_day']} .. {summary['last_day']}" if result.first_day else "none valid"
    rows = f"{result.rows} row{'' if result.rows == 1 else 's'}"
    console.print(
        f"{result.path}: {rows} ({span}): {result.stored} stored and scored "
        f"({result.stories_joined} joined an existing story), {result.already_stored} already "
        f"stored, {summary['rejected']} rejected",
        highlight=False,
    )
    for reason, count in summary["rejected_by_reason"].items():
        console.print(f"  rejected, {reason}: {count}", highlight=False)
    for row in result.rejections[:SHOWN_REJECTIONS]:
        console.print(f"  {row}", highlight=False, markup=False)
    hidden = summary["rejected"] - min(len(result.rejections), SHOWN_REJECTIONS)
    if hidden > 0:
        console.print(f"  ... and {hidden} more rejected rows (--json names them)")
    for error in result.hook_errors:
        err_console.print(f"warning: {error}", highlight=False, markup=False)
