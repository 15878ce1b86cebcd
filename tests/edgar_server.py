"""A local stand-in for SEC EDGAR on 127.0.0.1, serving tests/fixtures/edgar.

Behaves like EDGAR where the client must care: 403 with EDGAR's "Undeclared Automated
Tool" page to a request without a User-Agent naming an e-mail, an ETag and Last-Modified
on every file with 304 to a matching If-None-Match, and scripted answers (429 with
Retry-After, 500, a replaced body) played first for a given path. Every request is
recorded with its headers and arrival time.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from pathlib import Path

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

FOLDER = Path(__file__).resolve().parent / "fixtures" / "edgar"
UNDECLARED = (
    "<html><body><h1>Your Request Originates from an Undeclared Automated Tool</h1>"
    "<p>Please declare your traffic by updating your user agent to include company "
    "specific information.</p></body></html>"
)
LAST_MODIFIED = "Mon, 03 Nov 2025 17:30:02 GMT"


@dataclass
class Seen:
    path: str
    headers: dict[str, str]
    at: float


@dataclass
class EdgarStandIn:
    server: HTTPServer
    folder: Path = FOLDER
    scripted: dict[str, deque[Response]] = field(default_factory=lambda: defaultdict(deque))
    bodies: dict[str, bytes] = field(default_factory=dict)
    seen: list[Seen] = field(default_factory=list)

    def start(self) -> EdgarStandIn:
        self.server.expect_request(re.compile(r"^/.*")).respond_with_handler(self._handle)
        return self

    @property
    def data_url(self) -> str:
        return self.server.url_for("").rstrip("/")

    @property
    def archives_url(self) -> str:
        return self.server.url_for("/Archives").rstrip("/")

    def script(self, path: str, *responses: Response) -> None:
        self.scripted[path].extend(responses)

    def paths(self) -> list[str]:
        return [s.path for s in self.seen]

    def _handle(self, request: Request) -> Response:
        self.seen.append(Seen(request.path, dict(request.headers), time.monotonic()))
        if "@" not in request.headers.get("User-Agent", ""):
            return Response(UNDECLARED, status=403, content_type="text/html")
        if self.scripted[request.path]:
            return self.scripted[request.path].popleft()
        body = self.bodies.get(request.path) or self._file(request.path)
        if body is None:
            return Response("<html>Not Found</html>", status=404, content_type="text/html")
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        headers = {"ETag": etag, "Last-Modified": LAST_MODIFIED}
        if request.headers.get("If-None-Match") == etag:
            return Response(status=304, headers=headers)
        kind = "application/json" if request.path.endswith(".json") else "text/xml"
        return Response(body, status=200, headers=headers, content_type=kind)

    def _file(self, path: str) -> bytes | None:
        if path.startswith("/submissions/"):
            target = self.folder / "submissions" / path.rsplit("/", 1)[1]
        elif path.startswith("/Archives/edgar/data/"):
            target = self.folder / "archives" / path.removeprefix("/Archives/edgar/data/")
        else:
            return None
        return target.read_bytes() if target.is_file() else None


def too_many(retry_after: int = 1) -> Response:
    return Response(
        "<html>Request Rate Threshold Exceeded</html>",
        status=429,
        headers={"Retry-After": str(retry_after)},
        content_type="text/html",
    )
