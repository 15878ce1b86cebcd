"""The `bubble-monitor` command: the Typer app, error handling and command registration.

Each command lives in its own module `monitor.cli.cmd_<name>` with a `register(app)`
function. Modules import heavy libraries (torch, pandas, yfinance) inside the command
bodies, so `--help` stays fast.
"""

from __future__ import annotations

import importlib
from typing import Any

import typer
from typer import _click
from typer.core import TyperGroup

from monitor.errors import BubbleMonitorError

#: Command modules, in the order `--help` lists them.
COMMAND_MODULES: tuple[str, ...] = (
    "report",
    "collect",
    "headlines",
    "doctor",
    "classify",
    "train",
    "evaluate",
    "import-layoffs",
    "backtest",
    "import-prices",
    "serve",
    "bubbles",
    "history",
    "migrate-store",
)


class _Group(TyperGroup):
    """Turns a BubbleMonitorError into one line on stderr and exit status 2."""

    def invoke(self, ctx: _click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BubbleMonitorError as e:
            if (ctx.obj or {}).get("debug"):
                raise
            typer.echo(f"error: {e}", err=True)
            raise typer.Exit(2) from None


def build_app() -> typer.Typer:
    app = typer.Typer(
        cls=_Group,
        name="bubble-monitor",
        help="Measure the risk that AI stocks are in a bubble about to break.",
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        add_completion=False,
        rich_markup_mode=None,
    )

    @app.callback()
    def _root(
        ctx: typer.Context,
        debug: bool = typer.Option(False, "--debug", help="Show tracebacks on errors."),
    ) -> None:
        ctx.obj = {"debug": debug}

    for name in COMMAND_MODULES:
        importlib.import_module(f"monitor.cli.cmd_{name.replace('-', '_')}").register(app)
    return app


app = build_app()


def main() -> None:
    app(prog_name="bubble-monitor")


if __name__ == "__main__":  # pragma: no cover
    main()
