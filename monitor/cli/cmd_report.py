"""`bubble-monitor report`: run the whole pipeline once and print the reading."""

from __future__ import annotations

import tempfile
from pathlib import Path

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


def register(app: typer.Typer) -> None:
    app.command("report")(report)


def report(
    demo: bool = typer.Option(
        False, "--demo", help="Run offline on the bundled SIMULATED scenario (no network)."
    ),
    no_collect: bool = typer.Option(
        False, "--no-collect", help="Use what is stored; collect no prices or news."
    ),
    slack: bool = typer.Option(False, "--slack", help="Also post the report to Slack now."),
    as_json: JsonOption = False,
    db: DbOption = None,
    feeds: FeedsOption = None,
) -> None:
    """One-off run of the whole pipeline (collect, score, index) and a report.

    Policy alerts (digest, regime change, jumps, breaking news) are the service's job;
    --slack posts this report itself.
    """
    from monitor import paths
    from monitor.demo import DEMO_NOW, seed_demo_history
    from monitor.pipeline import Context, run_all
    from monitor.report import reading_to_dict, render_reading
    from monitor.smart_money import smart_money_view
    from monitor.smart_money_report import render_view, view_to_dict
    from monitor.store import Store

    cfg = config(feeds)
    with tempfile.TemporaryDirectory(prefix="bubble-monitor-demo-") as tmp:
        db_file = db if (db is not None or not demo) else Path(tmp) / "demo.db"
        with Store(paths.db_path(db_file)) as store:
            if demo:
                ctx = Context(cfg, store, clock=lambda: DEMO_NOW)
                seed_demo_history(ctx)
            else:
                ctx = Context(cfg, store)
            if not as_json and not demo and not no_collect:
                err_console.print("collecting prices and news...")
            summary = run_all(ctx, collect=not (demo or no_collect), send=False)
            view = smart_money_view(store, cfg, now=summary.reading.as_of)
            if slack:
                from monitor.alerting import send_report

                send_report(store, cfg, summary.reading)
    if as_json:
        print_json({**reading_to_dict(summary.reading), **view_to_dict(view)})
    else:
        render_reading(console, summary.reading, demo=demo)
        render_view(console, view)
