"""Access control when the dashboard is exposed: a bearer token or a login cookie.

With a token configured (BUBBLE_MONITOR_DASHBOARD_TOKEN) every request but /healthz, the
login page and the static files must carry `Authorization: Bearer <token>` or the session
cookie the login form sets. The cookie holds an HMAC of the token, never the token, and is
HttpOnly and SameSite=Strict. Browsers are sent to /login; API clients get 401 JSON.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from typing import Final
from urllib.parse import quote

from starlette.datastructures import Headers
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from monitor.errors import ConfigError

TOKEN_ENV: Final[str] = "BUBBLE_MONITOR_DASHBOARD_TOKEN"
COOKIE: Final[str] = "bubble_monitor_session"
COOKIE_MAX_AGE: Final[int] = 30 * 24 * 3600
#: Shorter tokens are refused: the login form and the bearer check are the only barrier.
MIN_TOKEN_CHARS: Final[int] = 16
LOOPBACK: Final[frozenset[str]] = frozenset({"127.0.0.1", "localhost", "::1"})
PUBLIC_PATHS: Final[frozenset[str]] = frozenset({"/healthz", "/login"})


def session_value(token: str) -> str:
    """The cookie value for `token`: an HMAC, so the cookie never carries the token."""
    return hmac.new(token.encode(), b"bubble-monitor dashboard session", hashlib.sha256).hexdigest()


def resolve_token(host: str, *, no_auth: bool, option: str = "--host") -> str | None:
    """The token to require, from the environment; ConfigError when an exposed address has
    none and --no-auth was not given. On loopback a token is optional (used when set)."""
    token = os.environ.get(TOKEN_ENV, "").strip() or None
    if no_auth:
        return None
    if token is not None and len(token) < MIN_TOKEN_CHARS:
        raise ConfigError(
            f"{TOKEN_ENV} is {len(token)} characters long; use at least {MIN_TOKEN_CHARS}, "
            "e.g. the output of `python -c 'import secrets; print(secrets.token_urlsafe(32))'`"
        )
    if token is None and host not in LOOPBACK:
        raise ConfigError(
            f"{option} {host} exposes the dashboard beyond this machine: set {TOKEN_ENV} "
            "to a long random secret (clients send it as a bearer token or log in with it), "
            "or pass --no-auth to serve it to anyone who can reach the port"
        )
    return token


def is_authorised(headers: Headers, token: str) -> bool:
    auth = headers.get("authorization", "")
    scheme, _, given = auth.partition(" ")
    if scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode()):
        return True
    cookie = _cookie(headers.get("cookie", ""), COOKIE)
    return cookie is not None and hmac.compare_digest(cookie, session_value(token))


def _cookie(header: str, name: str) -> str | None:
    for part in header.split(";"):
        key, _, value = part.strip().partition("=")
        if key == name:
            return value
    return None


def safe_next(target: str | None) -> str:
    """A post-login redirect target on this site only (no scheme, host or `//`)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


class AuthMiddleware:
    """Lets a request through when no token is set, the path is public, or it is authorised."""

    def __init__(self, app: ASGIApp, token: str | None) -> None:
        self.app, self.token = app, token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.token is None or _public(scope["path"]):
            await self.app(scope, receive, send)
            return
        if is_authorised(Headers(scope=scope), self.token):
            await self.app(scope, receive, send)
            return
        await _refuse(scope)(scope, receive, send)


def _public(path: str) -> bool:
    return path in PUBLIC_PATHS or path.startswith("/static/")


def _refuse(scope: Scope) -> Response:
    path: str = scope["path"]
    if path.startswith("/api/") or path == "/metrics":
        return JSONResponse(
            {"error": f"authentication required: send 'Authorization: Bearer <{TOKEN_ENV}>'"},
            status_code=401,
            headers={"WWW-Authenticate": 'Bearer realm="bubble-monitor"'},
        )
    query = scope.get("query_string", b"").decode("latin-1")
    target = path + (f"?{query}" if query else "")
    return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
