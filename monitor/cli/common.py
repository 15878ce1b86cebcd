"""Options and helpers shared by the commands: --db, --feeds, --json, output, progress."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from monitor import paths
from monitor.config import Config, load_config
from monitor.store import Store

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="SQLite database file, or a postgresql:// URL for a shared store "
        "(default: BUBBLE_MONITOR_DB or the data dir).",
    ),
]
FeedsOption = Annotated[
    Path | None,
    typer.Option("--feeds", help="feeds.yaml to use (default: BUBBLE_MONITOR_FEEDS or bundled)."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]

console = Console()
err_console = Console(stderr=True)


def open_store(db: str | Path | None) -> Store:
    return Store(paths.db_path(db))


def config(feeds: Path | None) -> Config:
    return load_config(feeds)


def print_json(payload: Any) -> None:
    """Write JSON to stdout as one document (no rich markup, safe to pipe)."""
    sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2, default=str) + "\n")


def print_json_line(payload: Any) -> None:
    sys.stdout.write(json.dumps(payload, ensure_ascii=False, default=str) + "\n")


@contextmanager
def progress(enabled: bool) -> Iterator[Progress | None]:
    """A progress bar on stderr when it is a terminal and JSON is not asked for."""
    if not enabled or not err_console.is_terminal:
        yield None
        return
    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    )
    with bar:
        yield bar
