"""Options and helpers shared by the commands: --db, --feeds, --json, output, progress.

Importing this module is cheap on purpose: `bubble-monitor --help` loads every command
module, so rich, pydantic (the config) and the store are imported only when a command
runs (the consoles are built on first use).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, cast

import typer

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress
    from rich.table import Table
    from rich.text import Text

    from monitor.config.db_target import DbTarget
    from monitor.config.feeds_yaml import Config
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
#: The web server's bind address and the explicit opt-out of its token (serve, dashboard).
EXPOSE_HELP = "Beyond loopback it needs BUBBLE_MONITOR_DASHBOARD_TOKEN or --no-auth."
NoAuthOption = Annotated[
    bool,
    typer.Option("--no-auth", help="Serve an exposed --host without a token (anyone can read)."),
]


class _LazyConsole:
    """A rich Console made on first use (rich costs tens of milliseconds to import)."""

    def __init__(self, *, stderr: bool) -> None:
        self._stderr = stderr
        self._console: Console | None = None

    def __getattr__(self, name: str) -> Any:
        if self._console is None:
            self._console = new_console(stderr=self._stderr)
        return getattr(self._console, name)


def new_console(*, stderr: bool = False) -> Console:
    """A rich Console that prints strings as written: no markup (`[bold]`, `[/]` in a
    path, a column or a feed's name vanished or stopped the command with a MarkupError)
    and no emoji codes (`:fire:` in a folder's name became a flame). Styles are given as
    styles (`styled`, `Text`). Made when called, so it has the terminal's width."""
    from rich.console import Console

    return Console(stderr=stderr, markup=False, emoji=False)


def styled(label: str, style: str, rest: object = "") -> Text:
    """`label` in `style`, then `rest` as written: "news failed: <a feed's error>"."""
    from rich.text import Text

    text = Text(label, style=style)
    text.append(f" {rest}" if rest != "" else "")
    return text


console = cast("Console", _LazyConsole(stderr=False))
err_console = cast("Console", _LazyConsole(stderr=True))


def plain(text: object) -> Text:
    """A table cell shown as written. Rich reads `[bold]` or `[/]` in a string cell as
    markup: a headline, a feed's error or a path with square brackets restyled the table,
    linked elsewhere, or stopped the command with a MarkupError."""
    from rich.text import Text

    return Text(str(text))


def new_table(*args: Any, **kwargs: Any) -> Table:
    """A rich Table (imported here, when a command draws one)."""
    from rich.table import Table

    return Table(*args, **kwargs)


def open_store(db: str | Path | None, *, create: bool = True) -> Store:
    """The store `--db` names. Commands that only read pass `create=False`: a mistyped
    file name is then an error naming it, not a new empty database that reads as
    "nothing stored yet"."""
    from monitor.store import Store

    return Store(require_store(db) if not create else _target(db))


def _target(db: str | Path | None) -> DbTarget:
    from monitor.config import paths

    return paths.db_path(db)


def require_store(db: str | Path | None) -> DbTarget:
    """The store `--db` names, which must exist: a command with nothing to read in a new
    file says so, naming it, instead of creating it empty."""
    target = _target(db)
    if isinstance(target, Path) and not target.exists():
        from monitor.errors import InputError

        raise InputError(
            f"{target}: no such database: check --db or BUBBLE_MONITOR_DB, or create one "
            "with `bubble-monitor collect` (offline: `bubble-monitor import-prices FILE.csv`; "
            "a simulated one: `bubble-monitor report --demo`)"
        )
    return target


def config(feeds: Path | None) -> Config:
    from monitor.config.feeds_yaml import load_config

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
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

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


def say_offline_next(error: str) -> None:
    """On stderr, when a collection found Yahoo unreachable: the error's own fix (`collect
    prices`) would fail the same way, so say what works without network."""
    from monitor.sources.yahoo.probe import yahoo_unreachable

    if not yahoo_unreachable(error):
        return
    for line in (  # short lines, each command whole, even at 60 columns
        "Yahoo cannot be reached from this machine (no network?).",
        "What works without network:",
        "  bubble-monitor report --demo (a simulated scenario)",
        "  bubble-monitor import-prices FILE.csv (your own closes)",
    ):
        err_console.print(line, markup=False, highlight=False, soft_wrap=True)
