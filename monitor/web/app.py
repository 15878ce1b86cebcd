"""The Starlette app: the page, the JSON API, /healthz, /metrics, login, static files.

Security headers on every response: a Content-Security-Policy of `default-src 'self'`
(no inline script or style anywhere, no request to another origin), nosniff, no referrer,
no framing. No OpenAPI page exists. Each request opens its own read-only connection.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Final
from urllib.parse import parse_qs

from prometheus_client import CONTENT_TYPE_LATEST
from starlette.applications import Starlette
from starlette.datastructures import MutableHeaders
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from monitor.errors import QueryError, StoreError
from monitor.store.db import Store
from monitor.store.readonly import open_readonly
from monitor.web import api, fmt
from monitor.web.auth import (
    COOKIE,
    COOKIE_MAX_AGE,
    AuthMiddleware,
    client_of,
    record_failure,
    safe_next,
    same_token,
    session_value,
)
from monitor.web.health import HealthProbe
from monitor.web.method_facts import method_facts
from monitor.web.page import PageSettings, page_context
from monitor.web.ratelimit import LoginLimit, LoginLimiter, wait_words

HERE: Final[Path] = Path(__file__).resolve().parent
#: A token and a redirect target fit many times over; a bigger body is refused unread.
MAX_LOGIN_BODY: Final[int] = 8192
CSP: Final[str] = "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
SECURITY_HEADERS: Final[tuple[tuple[str, str], ...]] = (
    ("Content-Security-Policy", CSP),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    ("X-Frame-Options", "DENY"),
)


@dataclass(frozen=True)
class WebSettings:
    """Everything the app serves from: the database, the page's sources, health, auth."""

    db: Path | str  # a SQLite file or a PostgreSQL URL, opened read-only per request
    page: PageSettings
    health: HealthProbe
    metrics: Callable[[], bytes]
    clock: Callable[[], datetime]
    token: str | None = None
    login_limit: LoginLimit = field(default_factory=LoginLimit)
    #: proxies whose X-Forwarded-For/-Proto are believed (monitor/web/proxies.py)
    trusted_proxies: tuple[str, ...] = ()


class SecurityHeaders:
    """Adds SECURITY_HEADERS to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS:
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers if scope["type"] == "http" else send)


def build_app(settings: WebSettings) -> Starlette:
    templates = Jinja2Templates(directory=HERE / "templates")
    templates.env.filters["web_url"] = fmt.web_url
    limiter = LoginLimiter(settings.login_limit)
    handlers = _Handlers(settings, templates, limiter)
    routes = [
        Route("/", handlers.index),
        Route("/method", handlers.method),
        Route("/login", handlers.login_form, methods=["GET"]),
        Route("/login", handlers.login, methods=["POST"]),
        Route("/logout", handlers.logout, methods=["POST"]),
        Route("/api/reading", handlers.api_reading),
        Route("/api/history", handlers.api_history),
        Route("/api/headlines", handlers.api_headlines),
        Route("/api/segments", handlers.api_segments),
        Route("/api/health", handlers.api_health),
        Route("/healthz", handlers.healthz),
        Route("/metrics", handlers.metrics),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    middleware = [
        Middleware(SecurityHeaders),
        Middleware(GZipMiddleware, minimum_size=1024),
        Middleware(AuthMiddleware, token=settings.token, limiter=limiter),
    ]
    if settings.trusted_proxies:  # first, so every layer sees the real client
        middleware.insert(0, Middleware(ProxyHeadersMiddleware, list(settings.trusted_proxies)))
    app = Starlette(routes=routes, middleware=middleware)
    app.state.login_limiter = limiter  # for operators' debugging and the tests
    return app


class _Handlers:
    """The endpoints (sync: Starlette runs them on its thread pool, off the event loop)."""

    def __init__(
        self, settings: WebSettings, templates: Jinja2Templates, limiter: LoginLimiter
    ) -> None:
        self.settings, self.templates, self.limiter = settings, templates, limiter

    @contextmanager
    def _store(self) -> Iterator[Store]:
        store = open_readonly(self.settings.db)
        try:
            yield store
        finally:
            store.close()

    def _json(self, make: Callable[[Store], Response]) -> Response:
        try:
            with self._store() as store:
                return make(store)
        except QueryError as e:
            return api.error(str(e), 400)
        except StoreError as e:
            return api.error(str(e), 503)

    def index(self, request: Request) -> Response:
        now = self.settings.clock()
        try:
            with self._store() as store:
                context = page_context(store, self.settings.page, now)
        except StoreError as e:
            context = {
                "store_error": str(e),
                "blocks": {},
                "has_reading": False,
                "stale_reasons": [],
                "mode": self.settings.page.mode,
                "now": now,
            }
        context["authenticated"] = self.settings.token is not None
        status = 503 if "store_error" in context else 200
        return self.templates.TemplateResponse(request, "index.html", context, status_code=status)

    def method(self, request: Request) -> Response:
        facts = method_facts(self.settings.page.index_model)
        return self.templates.TemplateResponse(request, "method.html", {"model": facts})

    def login_form(self, request: Request) -> Response:
        return self._login_page(request, None, 200)

    def _login_page(
        self, request: Request, message: str | None, status: int, next_: str | None = None
    ) -> Response:
        if self.settings.token is None:
            return RedirectResponse("/", status_code=303)
        target = safe_next(next_ if next_ is not None else request.query_params.get("next"))
        context = {"message": message, "next": target}
        return self.templates.TemplateResponse(request, "login.html", context, status_code=status)

    async def login(self, request: Request) -> Response:
        body = await _read_body(request, MAX_LOGIN_BODY)
        if body is None:
            return PlainTextResponse("the login form is at most 8 KiB", status_code=413)
        form = parse_qs(body.decode("utf-8", "replace"))
        given = (form.get("token") or [""])[0]
        target = safe_next((form.get("next") or ["/"])[0])
        token = self.settings.token
        if token is None:
            return RedirectResponse("/", status_code=303)
        key = client_of(request.scope)
        wait = self.limiter.retry_after(key)
        if wait:  # refused unchecked: an answer would tell a guesser whether it was right
            return self._too_many(request, wait, target)
        if not same_token(given, token):
            left = record_failure(self.limiter, key, "login form")
            wait = self.limiter.retry_after(key)
            return self._login_page(request, _wrong_token(left, wait), 401, target)
        self.limiter.succeeded(key)
        response = RedirectResponse(target, status_code=303)
        response.set_cookie(
            COOKIE,
            session_value(token),
            max_age=COOKIE_MAX_AGE,
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
        )
        return response

    def _too_many(self, request: Request, wait: int, target: str) -> Response:
        at = (self.settings.clock() + timedelta(seconds=wait)).astimezone(UTC)
        message = (
            f"Too many wrong tokens from your address: try again in {wait_words(wait)} "
            f"(at {at:%H:%M:%S} UTC)."
        )
        response = self._login_page(request, message, 429, target)
        response.headers["Retry-After"] = str(wait)
        return response

    def logout(self, request: Request) -> Response:
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(COOKIE, httponly=True, samesite="strict")
        return response

    def api_reading(self, request: Request) -> Response:
        return self._json(api.reading)

    def api_history(self, request: Request) -> Response:
        return self._json(lambda store: api.history(store, request))

    def api_headlines(self, request: Request) -> Response:
        now = self.settings.clock()
        return self._json(lambda store: api.headlines(store, request, now))

    def api_segments(self, request: Request) -> Response:
        return self._json(api.segments)

    def api_health(self, request: Request) -> Response:
        healthy, doc = self.settings.health()
        now = self.settings.clock()
        return self._json(lambda store: api.health(store, doc, healthy, now))

    def healthz(self, request: Request) -> Response:
        healthy, doc = self.settings.health()
        return JSONResponse(doc, status_code=200 if healthy else 503)

    def metrics(self, request: Request) -> Response:
        return Response(self.settings.metrics(), media_type=CONTENT_TYPE_LATEST)


async def _read_body(request: Request, limit: int) -> bytes | None:
    """The request body, or None once it passes `limit` bytes (declared or streamed)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return None
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            return None
    return bytes(body)


def _wrong_token(left: int, wait: int) -> str:
    wrong = "That token does not match the dashboard token"
    if left <= 0:
        return f"{wrong}. That was the last attempt for now: try again in {wait_words(wait)}."
    return f"{wrong} ({left} more attempt(s) for now)."
