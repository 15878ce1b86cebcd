"""`bubble-monitor dashboard`: the web dashboard alone, read-only, without the scheduler."""

from __future__ import annotations

from typing import Annotated

import typer

from monitor.cli.common import (
    EXPOSE_HELP,
    DbOption,
    FeedsOption,
    NoAuthOption,
    config,
    err_console,
)
from monitor.web.proxies import TRUSTED_PROXIES_ENV

#: Shared with `serve`: the reverse proxies whose X-Forwarded-For is believed.
TrustedProxiesOption = Annotated[
    str | None,
    typer.Option(
        "--trusted-proxies",
        envvar=TRUSTED_PROXIES_ENV,
        show_envvar=False,
        help="Comma-separated addresses or networks of reverse proxies in front of the "
        "dashboard, whose X-Forwarded-For names the client (for the login limit). "
        "None by default: behind a proxy every client then counts as the proxy.",
    ),
]


def register(app: typer.Typer) -> None:
    app.command("dashboard")(dashboard)


def dashboard(
    db: DbOption = None,
    feeds: FeedsOption = None,
    port: int = typer.Option(8050, "--port", min=0, max=65535, help="Port (0 picks a free one)."),
    host: str = typer.Option(
        "127.0.0.1",
        "--host",
        help=f"Address to bind. {EXPOSE_HELP}",
    ),
    no_auth: NoAuthOption = False,
    open_browser: bool = typer.Option(False, "--open", help="Open the page in a web browser."),
    trusted_proxies: TrustedProxiesOption = None,
) -> None:
    """Serve the dashboard from a database, read-only, until SIGTERM or Ctrl-C.

    Runs no job and never writes: use `serve` to keep the data fresh.
    """
    import webbrowser
    from datetime import UTC, datetime

    from monitor.config import paths
    from monitor.config.db_target import display_location
    from monitor.service.lifecycle import StopSignals
    from monitor.service.logging_setup import configure_logging
    from monitor.store.readonly import open_readonly
    from monitor.web.app import build_app
    from monitor.web.auth import bind_host, resolve_token
    from monitor.web.proxies import parse_trusted_proxies
    from monitor.web.server import WebServer
    from monitor.web.settings import dashboard_settings

    cfg = config(feeds)
    db_file = paths.db_path(db)
    host = bind_host(host)
    token = resolve_token(host, no_auth=no_auth)
    proxies = parse_trusted_proxies(trusted_proxies)
    open_readonly(db_file).close()  # a missing or unreadable database fails now, clearly
    configure_logging("text")
    clock = lambda: datetime.now(UTC)  # noqa: E731
    settings = dashboard_settings(db_file, cfg, token=token, clock=clock, trusted_proxies=proxies)
    server = WebServer(build_app(settings), host, port)
    stop = StopSignals().install()
    try:
        server.start()
        shown = display_location(db_file)  # a URL's password is never printed
        err_console.print(f"dashboard on {server.url} (read-only: {shown}); Ctrl-C stops it")
        if open_browser and not webbrowser.open(server.url):
            err_console.print(f"no web browser found here: open {server.url} yourself")
        stop.wait()
    finally:
        server.stop()
        stop.restore()
