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
    from monitor.demo import DEMO_NOW, demo_config, seed_demo_history
    from monitor.pipeline import Context, run_all
    from monitor.report import reading_to_dict, render_reading
    from monitor.store import Store

    cfg = config(feeds)
    with tempfile.TemporaryDirectory(prefix="bubble-monitor-demo-") as tmp:
        db_file = db if (db is not None or not demo) else Path(tmp) / "demo.db"
        with Store(paths.db_path(db_file)) as store:
            if demo:
                ctx = Context(demo_config(cfg), store, clock=lambda: DEMO_NOW)
                seed_demo_history(ctx)
            else:
                ctx = Context(cfg, store)
            if not as_json and not demo and not no_collect:
                err_console.print("collecting prices and news...")
            summary = run_all(ctx, collect=not (demo or no_collect), send=False)
            if slack:
                from monitor.alerting import send_report

                send_report(store, cfg, summary.reading)
    if as_json:
        print_json(reading_to_dict(summary.reading))
    else:
        render_reading(console, summary.reading, demo=demo)
