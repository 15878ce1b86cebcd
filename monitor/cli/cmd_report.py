"""`bubble-monitor report`: run the whole pipeline once and print the reading."""

from __future__ import annotations

import contextlib
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from monitor.cli.common import (
    DbOption,
    FeedsOption,
    JsonOption,
    config,
    err_console,
    new_console,
    print_json,
    require_store,
    say_offline_next,
)

if TYPE_CHECKING:
    from monitor.config.feeds_yaml import Config
    from monitor.present.report_view import ReportView


def register(app: typer.Typer) -> None:
    app.command("report")(report)


def report(
    demo: bool = typer.Option(
        False, "--demo", help="Run offline on the bundled SIMULATED scenario (no network)."
    ),
    no_collect: bool = typer.Option(
        False,
        "--no-collect",
        help="Use what is stored, collect nothing; the reading is dated by its newest data.",
    ),
    slack: bool = typer.Option(False, "--slack", help="Also post the report to Slack now."),
    full: bool = typer.Option(False, "--full", help="Also print the component and segment tables."),
    as_json: JsonOption = False,
    db: DbOption = None,
    feeds: FeedsOption = None,
) -> None:
    """One-off run of the whole pipeline (collect, score, index) and a report.

    Policy alerts (digest, regime change, jumps, breaking news) are the service's job;
    --slack posts this report itself.
    """
    from monitor.ops.demo import demo_config

    cfg = demo_config(config(feeds)) if demo else config(feeds)
    # With --json, stdout is the JSON alone: the console channel (--slack without Slack
    # configured) and anything else a stage prints go to stderr.
    quiet = contextlib.redirect_stdout(sys.stderr) if as_json else contextlib.nullcontext()
    with quiet, tempfile.TemporaryDirectory(prefix="bubble-monitor-demo-") as tmp:
        db_file = db if (db is not None or not demo) else Path(tmp) / "demo.db"
        view = _run(cfg, db_file, demo=demo, no_collect=no_collect, slack=slack, text=not as_json)
    if as_json:
        print_json(view.doc)
    else:
        _print_compact(view, demo=demo, full=full)


def _run(
    cfg: Config,
    db_file: str | Path | None,
    *,
    demo: bool,
    no_collect: bool,
    slack: bool,
    text: bool,
) -> ReportView:
    """Collect (unless --no-collect or --demo), score, index, and --slack: the report."""
    from monitor.app import build
    from monitor.cli.stored_reading import stored_reading
    from monitor.errors import ModelError, NoReadingError
    from monitor.ops.demo import DEMO_NOW, refuse_collected_data, seed_demo_history
    from monitor.ops.demo_history import mark_simulated
    from monitor.present.reading import reading_to_dict
    from monitor.present.report_view import report_view
    from monitor.stages.alerts import require_slack, send_report
    from monitor.stages.no_reading import send_no_reading
    from monitor.stages.pipeline import run_all

    stored = no_collect and not demo  # dated by the store's data, not the clock
    if stored:  # nothing to read in a new file: a mistyped --db is named, not created
        require_store(db_file)
    with build(cfg, db=db_file, clock=(lambda: DEMO_NOW) if demo else None) as app:
        if slack:  # before anything is collected or the day's no-reading key is claimed
            require_slack(app.notifier)
        if demo:
            refuse_collected_data(app.store)
            seed_demo_history(app, cache=demo_cache_dir())
        if text and not demo and not no_collect:
            err_console.print("collecting prices and news...")
        try:
            if stored:
                reading = stored_reading(app)
            else:
                reading = run_all(app, collect=not demo, send=False).index.reading
        except (NoReadingError, ModelError) as e:
            if slack:  # the channel hears why there is no reading (once a day)
                send_no_reading(app.store, cfg, e, app.notifier, now=app.clock())
            if not demo and not no_collect:
                say_offline_next(str(e))
            raise
        if stored and text:
            _say_data_age(reading.as_of, app.clock())
        if demo:
            reading = mark_simulated(app.store, reading)
        view = report_view(app.store, cfg, reading, reading_to_dict(reading))
        if slack:
            delivery = send_report(app.store, cfg, reading, app.notifier, now=app.clock())
            _say_delivered(delivery.sent, delivery.warnings)
    return view


def demo_cache_dir() -> Path:
    """Where `report --demo` keeps its computed history (monitor.ops.demo_cache): the
    data directory's `demo-cache` folder (BUBBLE_MONITOR_DATA_DIR moves it)."""
    from monitor.config.paths import data_dir

    return data_dir() / "demo-cache"


def _say_delivered(sent: tuple[str, ...], warnings: dict[str, str]) -> None:
    """On stderr: where the report went, and whether incomplete (the channel has already
    logged why, e.g. "chart not uploaded: ..."), so `report --slack` does not end silently."""
    partial = f" without part of it ({', '.join(warnings)}: see above)" if warnings else ""
    err_console.print(f"report sent to {', '.join(sent)}{partial}", markup=False, highlight=False)


def _say_data_age(as_of: datetime, now: datetime) -> None:
    """On stderr, when the reading of stored data is over an hour old: say so, and how to
    get today's (the report itself is dated by its data)."""
    if now - as_of <= timedelta(hours=1):
        return
    age = now - as_of
    ago = f"{age.days} days" if age.days >= 1 else f"{age.seconds // 3600} hours"
    err_console.print(
        f"report --no-collect: the store's newest data is from "
        f"{as_of.astimezone(UTC):%Y-%m-%d %H:%M} UTC ({ago} before now); "
        "`bubble-monitor collect all` brings it up to date",
        markup=False,
        highlight=False,
    )


def _print_compact(view: ReportView, *, demo: bool, full: bool) -> None:
    """The compact report at this terminal's width; `--full` adds the tables."""
    from monitor.present.console_compact import compact_lines

    screen = new_console()  # made now, so it has this terminal's width (COLUMNS included)
    for line in compact_lines(view.doc, view.beside, width=screen.width, demo=demo):
        screen.print(line, markup=False, highlight=False, soft_wrap=True)
    if full:
        from monitor.present.console_tables import print_full

        print_full(screen, view.doc)
