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
    from monitor.app import build
    from monitor.ops.demo import DEMO_NOW, demo_config, seed_demo_history
    from monitor.present.reading import reading_to_dict, render_reading
    from monitor.present.smart_money_console import render_view
    from monitor.reading.smart_money import smart_money_view
    from monitor.stages.alerts import send_report
    from monitor.stages.pipeline import run_all

    cfg = demo_config(config(feeds)) if demo else config(feeds)
    with tempfile.TemporaryDirectory(prefix="bubble-monitor-demo-") as tmp:
        db_file = db if (db is not None or not demo) else Path(tmp) / "demo.db"
        with build(cfg, db=db_file, clock=(lambda: DEMO_NOW) if demo else None) as app:
            if demo:
                seed_demo_history(app)
            if not as_json and not demo and not no_collect:
                err_console.print("collecting prices and news...")
            run = run_all(app, collect=not (demo or no_collect), send=False)
            view = smart_money_view(app.store, cfg, now=run.index.reading.as_of)
            if slack:
                send_report(app.store, cfg, run.index.reading, app.notifier, now=app.clock())
    reading = run.index.reading
    if as_json:
        print_json(reading_to_dict(reading))
    else:
        render_reading(console, reading, demo=demo)
        render_view(console, view)
        from monitor.reading.fundamentals_json import fundamentals_lines

        for line in fundamentals_lines(reading.context):
            console.print(line, markup=False)
