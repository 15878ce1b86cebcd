"""A local stand-in for Slack's Web API and an incoming webhook, on 127.0.0.1.

Implements what the monitor uses: auth.test, chat.postMessage, files.getUploadURLExternal,
the upload URL it hands out (pointing back at this server), files.completeUploadExternal,
and a webhook URL. It checks the bearer token and the channel like Slack does, records
every request, and plays scripted responses first (429 with Retry-After, 500, ok:false
with a given error), so tests drive the real slack-sdk client through real HTTP.
"""

from __future__ import annotations

import json
import threading
from collections import defaultdict, deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

TOKEN = "xoxb-test-0000-secret-token"
CHANNEL = "C0123456789"
SCOPES = "chat:write,files:write"


@dataclass
class Recorded:
    """One request as the server saw it."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    form: dict[str, Any] = field(default_factory=dict)


@dataclass
class Scripted:
    """A canned response: status, JSON (or text) body, headers."""

    status: int = 200
    body: dict[str, Any] | str = field(default_factory=lambda: {"ok": True})
    headers: dict[str, str] = field(default_factory=dict)


def rate_limited(retry_after: int = 1) -> Scripted:
    return Scripted(429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(retry_after)})


def server_error(status: int = 500) -> Scripted:
    return Scripted(status, "<html>Internal Server Error</html>")


def slack_error(error: str, **extra: Any) -> Scripted:
    return Scripted(200, {"ok": False, "error": error, **extra})


class SlackStandIn:
    """Start with `with SlackStandIn() as slack:`; use slack.base_url and slack.webhook_url."""

    def __init__(self, *, token: str = TOKEN, channels: tuple[str, ...] = (CHANNEL,)) -> None:
        self.token = token
        self.channels = set(channels)
        self.scopes = SCOPES
        self.requests: list[Recorded] = []
        self.uploads: dict[str, bytes] = {}
        self.messages: list[dict[str, Any]] = []
        self.completed: list[dict[str, Any]] = []
        self._script: dict[str, deque[Scripted]] = defaultdict(deque)
        self._lock = threading.Lock()
        self._ts = 0
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    def __enter__(self) -> SlackStandIn:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    @property
    def root(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def base_url(self) -> str:
        return f"{self.root}/api/"

    @property
    def webhook_url(self) -> str:
        return f"{self.root}/services/T000/B000/webhooksecret"

    def script(self, method: str, *responses: Scripted) -> None:
        """Queue responses for `method` (an API method, "upload" or "webhook")."""
        with self._lock:
            self._script[method].extend(responses)

    def calls(self, method: str) -> list[Recorded]:
        return [
            r
            for r in self.requests
            if r.path.rsplit("/", 1)[-1] == method
            or (method == "webhook" and r.path.startswith("/services/"))
            or (method == "upload" and r.path.startswith("/upload/"))
        ]

    # -- behaviour -------------------------------------------------------------------

    def handle(self, path: str, headers: dict[str, str], body: bytes) -> Scripted:
        kind = self._kind(path)
        form = {} if kind == "upload" else _parse(headers, body)
        with self._lock:
            self.requests.append(Recorded("POST", path, headers, body, form))
            if self._script[kind]:
                return self._script[kind].popleft()
        if kind == "webhook":
            self.messages.append(form)
            return Scripted(200, "ok")
        if kind == "upload":
            self.uploads[path.rsplit("/", 1)[-1]] = body
            return Scripted(200, f"OK - {len(body)}")
        if headers.get("authorization") != f"Bearer {self.token}":
            return slack_error("invalid_auth")
        return self._api(kind, form)

    def _kind(self, path: str) -> str:
        if path.startswith("/services/"):
            return "webhook"
        if path.startswith("/upload/"):
            return "upload"
        return path.rsplit("/", 1)[-1]

    def _api(self, method: str, form: dict[str, Any]) -> Scripted:
        if method == "auth.test":
            return Scripted(
                200,
                {
                    "ok": True,
                    "team": "Test",
                    "user": "bubble-bot",
                    "team_id": "T1",
                    "user_id": "U1",
                    "bot_id": "B1",
                    "url": "https://test.slack.com/",
                },
                {"x-oauth-scopes": self.scopes},
            )
        if method == "chat.postMessage":
            return self._post_message(form)
        if method == "files.getUploadURLExternal":
            file_id = f"F{len(self.uploads) + len(self.calls('files.getUploadURLExternal')):08d}"
            return Scripted(
                200, {"ok": True, "file_id": file_id, "upload_url": f"{self.root}/upload/{file_id}"}
            )
        if method == "files.completeUploadExternal":
            return self._complete(form)
        return slack_error("unknown_method")

    def _post_message(self, form: dict[str, Any]) -> Scripted:
        if form.get("channel") not in self.channels:
            return slack_error("channel_not_found")
        self._ts += 1
        ts = f"1772460000.{self._ts:06d}"
        self.messages.append({**form, "ts": ts})
        return Scripted(
            200,
            {
                "ok": True,
                "channel": form["channel"],
                "ts": ts,
                "message": {"text": form.get("text"), "ts": ts},
            },
        )

    def _complete(self, form: dict[str, Any]) -> Scripted:
        files = json.loads(form.get("files", "[]"))
        if not files or any(f["id"] not in self.uploads for f in files):
            return slack_error("file_not_found")
        if form.get("channel_id") not in self.channels:
            return slack_error("channel_not_found")
        self.completed.append(form)
        return Scripted(
            200, {"ok": True, "files": [{"id": f["id"], "title": f.get("title")} for f in files]}
        )


def _parse(headers: dict[str, str], body: bytes) -> dict[str, Any]:
    kind = headers.get("content-type", "")
    if "json" in kind:
        return dict(json.loads(body or b"{}"))
    if "x-www-form-urlencoded" in kind:
        return {k: v[0] for k, v in parse_qs(body.decode()).items()}
    return {}


def _handler(slack: SlackStandIn) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            headers = {k.lower(): v for k, v in self.headers.items()}
            reply = slack.handle(self.path, headers, body)
            payload = reply.body if isinstance(reply.body, str) else json.dumps(reply.body)
            data = payload.encode()
            self.send_response(reply.status)
            kind = "text/plain" if isinstance(reply.body, str) else "application/json"
            self.send_header("Content-Type", f"{kind}; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            for key, value in reply.headers.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler
