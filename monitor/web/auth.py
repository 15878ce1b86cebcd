"""Access control when the dashboard is exposed: a bearer token or a login cookie.

With a token configured (BUBBLE_MONITOR_DASHBOARD_TOKEN) every request but /healthz, the
login page and the static files must carry `Authorization: Bearer <token>` or the session
cookie the login form sets. The cookie holds an HMAC of the token, never the token, and is
HttpOnly and SameSite=Strict. Browsers are sent to /login; API clients get 401 JSON.
Wrong bearer tokens count against the client's login limit (monitor/web/ratelimit.py) like
wrong tokens in the login form; a client past it gets 429 with Retry-After, unchecked.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import logging
import os
from typing import Final
from urllib.parse import quote

from starlette.datastructures import Headers
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from monitor.errors import ConfigError
from monitor.web.ratelimit import LoginLimiter, client_key, wait_words

log = logging.getLogger("monitor.web")

TOKEN_ENV: Final[str] = "BUBBLE_MONITOR_DASHBOARD_TOKEN"
COOKIE: Final[str] = "bubble_monitor_session"
COOKIE_MAX_AGE: Final[int] = 30 * 24 * 3600
#: Shorter tokens are refused: the login form and the bearer check are the only barrier.
MIN_TOKEN_CHARS: Final[int] = 16
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
    if token is None and not is_loopback(host):
        raise ConfigError(
            f"{option} {host} exposes the dashboard beyond this machine: set {TOKEN_ENV} "
            "to a long random secret (clients send it as a bearer token or log in with it), "
            "or pass --no-auth to serve it to anyone who can reach the port"
        )
    return token


def is_loopback(host: str) -> bool:
    """Whether binding `host` keeps the server on this machine: `localhost`, 127.0.0.0/8,
    ::1 (in any spelling, with or without brackets) and ::ffff:127.x."""
    if host.lower() == "localhost":
        return True
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped.is_loopback
    return address.is_loopback


def bind_host(host: str) -> str:
    """`--host` as the socket takes it: an IPv6 address may be given as `[::1]`."""
    return host[1:-1] if host.startswith("[") and host.endswith("]") else host


def bearer(headers: Headers) -> str | None:
    """The bearer token the request carries, if any."""
    scheme, _, given = headers.get("authorization", "").partition(" ")
    return given.strip() if scheme.lower() == "bearer" else None


def same_token(given: str, token: str) -> bool:
    """Constant-time comparison of digests: the time taken says nothing of how much of the
    token matched, nor (compare_digest returns early on unequal lengths) of its length."""
    digest = hashlib.sha256
    return hmac.compare_digest(digest(given.encode()).digest(), digest(token.encode()).digest())


def has_session(headers: Headers, token: str) -> bool:
    cookie = _cookie(headers.get("cookie", ""), COOKIE)
    return cookie is not None and hmac.compare_digest(cookie, session_value(token))


def client_of(scope: Scope) -> str:
    """The login-limit key of the request's client (its address after any trusted proxy)."""
    client = scope.get("client")
    return client_key(str(client[0]) if client else None)


def record_failure(limiter: LoginLimiter, key: str, how: str) -> int:
    """Counts a wrong token from `key`; logs (never the token) when that locks it out."""
    left = limiter.failed(key)
    if left <= 0:
        window = wait_words(int(limiter.limit.window.total_seconds()))
        log.warning(
            "dashboard: %d wrong tokens (%s) from %s within %s; its attempts are refused "
            "until the oldest leaves the window",
            limiter.limit.max_failures, how, key, window,
        )  # fmt: skip
    return left


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
    """Lets a request through when no token is set, the path is public, or it is authorised;
    wrong bearer tokens count against the client's login limit."""

    def __init__(self, app: ASGIApp, token: str | None, limiter: LoginLimiter) -> None:
        self.app, self.token, self.limiter = app, token, limiter

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        token = self.token
        if scope["type"] != "http" or token is None or _public(scope["path"]):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        given = bearer(headers)
        if given is None:
            allowed = has_session(headers, token)
        else:
            response = self._check_bearer(client_of(scope), given, token)
            if response is not None:
                await response(scope, receive, send)
                return
            allowed = True
        if allowed:
            await self.app(scope, receive, send)
            return
        await _refuse(scope)(scope, receive, send)

    def _check_bearer(self, key: str, given: str, token: str) -> Response | None:
        """None when `given` is the token; else the 429 or 401 to answer with."""
        wait = self.limiter.retry_after(key)
        if wait:
            return too_many_json(wait)
        if same_token(given, token):
            self.limiter.succeeded(key)
            return None
        record_failure(self.limiter, key, "bearer")
        return _unauthorised_json()


def too_many_json(wait: int) -> Response:
    return JSONResponse(
        {"error": f"too many wrong tokens from this address: try again in {wait_words(wait)}"},
        status_code=429,
        headers={"Retry-After": str(wait)},
    )


def _unauthorised_json() -> Response:
    return JSONResponse(
        {"error": f"authentication required: send 'Authorization: Bearer <{TOKEN_ENV}>'"},
        status_code=401,
        headers={"WWW-Authenticate": 'Bearer realm="bubble-monitor"'},
    )


def _public(path: str) -> bool:
    return path in PUBLIC_PATHS or path.startswith("/static/")


def _refuse(scope: Scope) -> Response:
    path: str = scope["path"]
    if path.startswith("/api/") or path == "/metrics":
        return _unauthorised_json()
    query = scope.get("query_string", b"").decode("latin-1")
    target = path + (f"?{query}" if query else "")
    return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
