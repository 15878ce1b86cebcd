"""`bubble-monitor serve`: the scheduler service (see monitor/service/), with the web
dashboard, /healthz and /metrics on `--port` (see monitor/web/)."""

from __future__ import annotations

from enum import StrEnum

import typer

from monitor.cli.cmd_dashboard import TrustedProxiesOption
from monitor.cli.common import EXPOSE_HELP, DbOption, FeedsOption, NoAuthOption, config


class LogFormat(StrEnum):
    text = "text"
    json = "json"


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)


def serve(
    db: DbOption = None,
    feeds: FeedsOption = None,
    port: int | None = typer.Option(
        None,
        "--port",
        "--health-port",
        min=0,
        max=65535,
        help="Serve the dashboard, its JSON API, /healthz and /metrics on this port "
        "(0 picks a free one). --health-port is the old name.",
    ),
    host: str = typer.Option(
        "127.0.0.1",
        "--host",
        "--health-host",
        help=f"Address to bind. {EXPOSE_HELP}",
    ),
    no_auth: NoAuthOption = False,
    trusted_proxies: TrustedProxiesOption = None,
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
    from monitor.config import paths
    from monitor.service.lifecycle import run_service
    from monitor.service.logging_setup import configure_logging
    from monitor.web.auth import bind_host, resolve_token

    cfg = config(feeds)
    host = bind_host(host)
    token = resolve_token(host, no_auth=no_auth) if port is not None else None
    _hand_over_proxies(trusted_proxies)
    configure_logging(log_format.value)
    address = (host, port) if port is not None else None
    code = run_service(cfg, paths.db_path(db), health=address, once=once, token=token)
    raise typer.Exit(code)


def _hand_over_proxies(value: str | None) -> None:
    """Validates --trusted-proxies now (a typo stops the start, exit 2) and hands them to the
    web app through the environment, which the service builds it from."""
    import os

    from monitor.web.proxies import TRUSTED_PROXIES_ENV, parse_trusted_proxies

    proxies = parse_trusted_proxies(value)
    if proxies:
        os.environ[TRUSTED_PROXIES_ENV] = ",".join(proxies)
    else:
        os.environ.pop(TRUSTED_PROXIES_ENV, None)
