"""`bubble-monitor serve`: the scheduler service (see monitor/service/)."""

from __future__ import annotations

from enum import StrEnum

import typer

from monitor.cli.common import DbOption, FeedsOption, config


class LogFormat(StrEnum):
    text = "text"
    json = "json"


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)


def serve(
    db: DbOption = None,
    feeds: FeedsOption = None,
    health_port: int | None = typer.Option(
        None,
        "--health-port",
        min=0,
        max=65535,
        help="Serve GET /healthz and GET /metrics on this port (0 picks a free one).",
    ),
    health_host: str = typer.Option(
        "127.0.0.1", "--health-host", help="Address the health endpoint binds to."
    ),
    log_format: LogFormat = typer.Option(
        LogFormat.text, "--log-format", help="text, or json (one object a line) for shippers."
    ),
    once: bool = typer.Option(
        False, "--once", help="Run each enabled job once in pipeline order, then exit."
    ),
) -> None:
    """Run the jobs on their schedules (feeds.yaml `schedule:`) until SIGTERM or Ctrl-C.

    One service per database: a second `serve` on the same --db refuses to start.
    """
    from monitor import paths
    from monitor.service.lifecycle import run_service
    from monitor.service.logging_setup import configure_logging

    cfg = config(feeds)
    configure_logging(log_format.value)
    health = (health_host, health_port) if health_port is not None else None
    code = run_service(cfg, paths.db_path(db), health=health, once=once)
    raise typer.Exit(code)
