"""Runs the web app under uvicorn (one worker) on a thread, beside the scheduler or alone.

The socket is bound here, before uvicorn starts, so a taken port is a ConfigError naming
it (uvicorn would log and exit the process) and port 0 reports the port it got. uvicorn
installs no signal handlers off the main thread: the service's own handling stays in
charge and calls `stop()`.
"""

from __future__ import annotations

import errno
import logging
import socket
import threading
import time
from typing import Final

import uvicorn
from starlette.applications import Starlette

from monitor.errors import ConfigError

log = logging.getLogger("monitor.web")
START_TIMEOUT: Final[float] = 10.0
#: uvicorn waits this long for open connections on stop (SIGTERM must end within 10 s).
GRACEFUL_SECONDS: Final[int] = 2


class WebServer:
    """`start()` binds and serves on a daemon thread; `stop()` shuts down and joins."""

    def __init__(self, app: Starlette, host: str, port: int, *, option: str = "--port") -> None:
        self.app, self.host, self.port, self.option = app, host, port, option
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._socket: socket.socket | None = None

    @property
    def address(self) -> tuple[str, int]:
        if self._socket is None:
            return self.host, self.port
        host, port = self._socket.getsockname()[:2]
        return str(host), int(port)

    @property
    def url(self) -> str:
        host, port = self.address
        return f"http://{f'[{host}]' if ':' in host else host}:{port}/"

    def start(self) -> None:
        self._socket = _bind(self.host, self.port, self.option)
        config = uvicorn.Config(
            self.app,
            log_config=None,  # the service's logging setup applies
            access_log=False,
            lifespan="off",
            workers=1,
            server_header=False,
            # uvicorn would believe X-Forwarded-For from 127.0.0.1 by default; the app does
            # that itself, only for the proxies the operator names (monitor/web/proxies.py)
            proxy_headers=False,
            timeout_graceful_shutdown=GRACEFUL_SECONDS,
        )
        self._server = uvicorn.Server(config)
        sockets = [self._socket]
        self._thread = threading.Thread(
            target=self._server.run, args=(sockets,), name="web-http", daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + START_TIMEOUT
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise ConfigError(f"{self.option} {self.port}: the web server did not start")
            time.sleep(0.02)
        url = self.url  # "health on <url>healthz" is the line log readers look for
        log.info("dashboard on %s, health on %shealthz, metrics on %smetrics", url, url, url)

    def request_stop(self) -> None:
        """Begin shutting down (close the socket, finish open requests) without waiting, so
        the service can stop the web server and its jobs at the same time."""
        if self._server is not None:
            self._server.should_exit = True

    def stop(self) -> None:
        """Shut down and wait for it (at most the grace period and a little more)."""
        self.request_stop()
        if self._thread is not None:
            self._thread.join(GRACEFUL_SECONDS + 3)
        if self._socket is not None:
            self._socket.close()
        self._server = self._thread = self._socket = None


def _bind(host: str, port: int, option: str) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(128)
    except OSError as e:
        sock.close()
        # A port taken or reserved is the port's fault; anything else (an address this
        # machine does not have, a name that does not resolve) is the host's.
        if e.errno in (errno.EADDRINUSE, errno.EACCES):
            raise ConfigError(f"{option} {port}: cannot listen on {host}:{port}: {e}") from e
        raise ConfigError(f"--host {host}: cannot listen on {host}:{port}: {e}") from e
    sock.setblocking(False)
    return sock
