"""A local HTTP server for feed tests: a request-handler class served on 127.0.0.1 and a free
port from a thread, and the news job that collects through it.

Tests that need scripted feed answers (a 500, a truncated body, every feed down) write a
small `QuietHandler` subclass and serve it with `serving(handler)`; the collectors then
fetch over real HTTP, as they do in production.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from monitor.app import App
from monitor.sources.news.collect import collect_news
from monitor.stages.base import StageResult
from monitor.stages.news import NewsResult


class QuietHandler(BaseHTTPRequestHandler):
    """A handler that logs nothing (the test output stays readable) and sends whole bodies;
    a subclass answers GET requests in `get`."""

    def do_GET(self) -> None:
        self.get()

    def get(self) -> None:
        self.send_body(404, b"not found")

    def send_body(self, status: int, body: bytes, content_type: str | None = None) -> None:
        self.send_response(status)
        if content_type is not None:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serving(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """Serve `handler` on 127.0.0.1 and a free port; yield the base URL (no trailing /)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def news_job(app: App) -> StageResult:
    """The news stage's collection, through real HTTP (a job for a `Runner`)."""
    return NewsResult(collect_news(app.store, app.config, now=app.clock()))
