"""The `bubble-monitor` command: the Typer app, error handling and command registration.

Each command lives in its own module `monitor.cli.cmd_<name>` with a `register(app)`
function, imported explicitly below. Command modules import only typer and
monitor.cli.common at the top; everything heavy (rich, pydantic config, the store, numpy,
pandas, torch, APScheduler) is imported inside the command bodies, so `--help` stays
fast (tests/test_startup.py checks which modules it loads).
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

import typer
from typer import _click
from typer.core import TyperGroup

from monitor.cli import (
    cmd_backfill_readings,
    cmd_backtest,
    cmd_bubbles,
    cmd_classify,
    cmd_collect,
    cmd_dashboard,
    cmd_deals,
    cmd_doctor,
    cmd_evaluate,
    cmd_evaluate_index,
    cmd_fundamentals,
    cmd_headlines,
    cmd_history,
    cmd_import_headlines,
    cmd_import_layoffs,
    cmd_import_prices,
    cmd_label,
    cmd_migrate_store,
    cmd_report,
    cmd_segments,
    cmd_serve,
    cmd_spread,
    cmd_train,
)
from monitor.config.secrets import redact
from monitor.errors import BubbleMonitorError

#: Command modules, in the order `--help` lists them.
COMMAND_MODULES: tuple[ModuleType, ...] = (
    cmd_report,
    cmd_collect,
    cmd_headlines,
    cmd_doctor,
    cmd_classify,
    cmd_train,
    cmd_evaluate,
    cmd_label,
    cmd_import_layoffs,
    cmd_import_headlines,
    cmd_backtest,
    cmd_backfill_readings,
    cmd_import_prices,
    cmd_serve,
    cmd_dashboard,
    cmd_bubbles,
    cmd_history,
    cmd_evaluate_index,
    cmd_segments,
    cmd_spread,
    cmd_migrate_store,
    cmd_deals,
    cmd_fundamentals,
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
        except _click.exceptions.UsageError as e:
            # click quotes the offending argument: a mistyped `--db postgresql://u:pw@...`
            # printed the password in "Got unexpected extra argument(s) (...)".
            e.message = redact(e.message)
            raise


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

    for module in COMMAND_MODULES:
        module.register(app)
    return app


app = build_app()


def main() -> None:
    app(prog_name="bubble-monitor")


if __name__ == "__main__":  # pragma: no cover
    main()
