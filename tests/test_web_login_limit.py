"""The limit on wrong tokens per client address, through the real app: the login form and
bearer headers, the lock and its Retry-After, other clients and routes untouched, the
bounded table, forged X-Forwarded-For ignored unless the proxy is trusted, and the token
in no log line or response."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from monitor.errors import ConfigError
from monitor.store import Store
from monitor.web.app import build_app
from monitor.web.auth import COOKIE, session_value
from monitor.web.proxies import parse_trusted_proxies
from monitor.web.ratelimit import LoginLimit, LoginLimiter, client_key
from tests.web_helpers import NOW, payload, put_payload, settings

TOKEN = "s3cret-token-for-tests-0123456789"
ATTACKER = ("203.0.113.9", 40000)
NEIGHBOUR = ("198.51.100.7", 40001)
WINDOW = timedelta(minutes=15)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def _app(db: Path, clock: FakeClock, **changes: Any) -> Starlette:
    limit = LoginLimit(max_failures=5, window=WINDOW, monotonic=clock)
    return build_app(replace(settings(db, token=TOKEN), login_limit=limit, **changes))


@pytest.fixture
def app(store: Store, db_path: Path, clock: FakeClock) -> Starlette:
    put_payload(store, payload(NOW, 50.0))
    return _app(db_path, clock)


def _client(app: Starlette, address: tuple[str, int] = ATTACKER) -> TestClient:
    return TestClient(app, client=address, follow_redirects=False)


def _login(client: TestClient, token: str) -> httpx.Response:
    return client.post("/login", data={"token": token, "next": "/api/reading"})


def test_the_sixth_wrong_login_is_429_and_the_token_works_after_the_window(
    app: Starlette, clock: FakeClock
) -> None:
    client = _client(app)
    for n in range(5):
        clock.now += 10
        wrong = _login(client, f"guess-{n}")
        assert wrong.status_code == 401, n
    assert "That was the last attempt for now: try again in 14 min 20 s." in wrong.text
    locked = _login(client, "guess-5")
    assert locked.status_code == 429
    # the oldest failure (t+10) leaves the window 15 min after it; now is t+50
    assert locked.headers["retry-after"] == str(15 * 60 - 40)
    assert "try again in 14 min 20 s (at 22:14:20 UTC)" in locked.text
    assert 'name="next" value="/api/reading"' in locked.text  # the form is still there
    assert _login(client, TOKEN).status_code == 429  # refused unchecked while locked
    clock.now += 15 * 60 - 40
    good = _login(client, TOKEN)
    assert good.status_code == 303 and good.headers["location"] == "/api/reading"
    assert client.get("/api/reading").status_code == 200


def test_the_window_slides_one_failure_at_a_time(app: Starlette, clock: FakeClock) -> None:
    client = _client(app)
    for _ in range(5):
        _login(client, "guess")
        clock.now += 60
    assert _login(client, "guess").status_code == 429
    clock.now = 1000.0 + WINDOW.total_seconds() + 1  # only the first failure has left
    assert _login(client, "guess").status_code == 401
    assert _login(client, "guess").status_code == 429


def test_a_successful_login_clears_the_count(app: Starlette) -> None:
    client = _client(app)
    for _ in range(4):
        wrong = _login(client, "guess")
    assert wrong.status_code == 401 and "(1 more attempt(s) for now)" in wrong.text
    assert _login(client, TOKEN).status_code == 303
    for _ in range(5):
        assert _login(client, "guess").status_code == 401
    assert _login(client, "guess").status_code == 429


def test_other_addresses_and_routes_are_not_blocked(app: Starlette) -> None:
    attacker = _client(app)
    for _ in range(6):
        _login(attacker, "guess")
    assert _login(attacker, "guess").status_code == 429
    neighbour = _client(app, NEIGHBOUR)
    assert _login(neighbour, "guess").status_code == 401  # its own count, not locked
    assert _login(neighbour, TOKEN).status_code == 303
    assert attacker.get("/healthz").status_code == 200
    assert attacker.get("/login").status_code == 200
    assert attacker.get("/api/reading").status_code == 401  # no credentials: as before
    cookie = {"Cookie": f"{COOKIE}={session_value(TOKEN)}"}
    assert attacker.get("/api/reading", headers=cookie).status_code == 200  # a session works


def test_wrong_bearer_tokens_count_and_are_refused_unchecked(
    app: Starlette, clock: FakeClock
) -> None:
    client = _client(app)
    for n in range(5):
        wrong = client.get("/api/reading", headers={"Authorization": f"Bearer guess-{n}"})
        assert wrong.status_code == 401
    right = {"Authorization": f"Bearer {TOKEN}"}
    locked = client.get("/api/reading", headers=right)
    assert locked.status_code == 429 and locked.headers["retry-after"] == "900"
    assert "too many wrong tokens" in locked.json()["error"]
    assert _login(client, TOKEN).status_code == 429  # one count for form and header
    assert _client(app, NEIGHBOUR).get("/api/reading", headers=right).status_code == 200
    clock.now += 900
    assert client.get("/api/reading", headers=right).status_code == 200


def test_ipv6_clients_are_counted_by_their_64(app: Starlette) -> None:
    for n in range(5):
        _login(_client(app, (f"2001:db8:1:2::{n + 1:x}", 1)), "guess")
    assert _login(_client(app, ("2001:db8:1:2:ffff::1", 1)), TOKEN).status_code == 429
    assert _login(_client(app, ("2001:db8:1:3::1", 1)), TOKEN).status_code == 303


@pytest.mark.parametrize(
    ("host", "key"),
    [("203.0.113.9", "203.0.113.9"), ("2001:db8::1", "2001:db8::/64"),
     ("::ffff:203.0.113.9", "203.0.113.9"), ("[::1]", "::/64"), (None, "unknown"),
     ("x" * 500, "x" * 64)],
)  # fmt: skip
def test_client_keys(host: str | None, key: str) -> None:
    assert client_key(host) == key


def _bearer_scope(address: str) -> dict[str, Any]:
    return {
        "type": "http", "method": "GET", "path": "/api/reading", "raw_path": b"/api/reading",
        "query_string": b"", "root_path": "", "scheme": "http", "http_version": "1.1",
        "headers": [(b"authorization", b"Bearer wrong-guess")], "client": (address, 1),
        "server": ("127.0.0.1", 8050),
    }  # fmt: skip


def test_the_table_stays_capped_under_a_flood_of_100000_addresses(
    store: Store, db_path: Path, clock: FakeClock
) -> None:
    limit = LoginLimit(max_failures=5, window=WINDOW, max_clients=1000, monotonic=clock)
    app = build_app(replace(settings(db_path, token=TOKEN), login_limit=limit))
    statuses: list[int] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            statuses.append(message["status"])

    async def flood() -> None:
        for n in range(100_000):
            address = f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}"
            await app(_bearer_scope(address), receive, send)

    asyncio.run(flood())
    limiter: LoginLimiter = app.state.login_limiter
    assert len(limiter) == 1000
    assert statuses.count(401) == 100_000
    assert limiter.retry_after("10.1.134.159") == 0  # the newest is held, one failure
    for _ in range(4):
        limiter.failed("10.1.134.159")
    assert limiter.retry_after("10.1.134.159") == 900


def test_expired_entries_leave_the_table(clock: FakeClock) -> None:
    limiter = LoginLimiter(LoginLimit(window=WINDOW, monotonic=clock))
    for n in range(50):
        limiter.failed(f"192.0.2.{n}")
    clock.now += WINDOW.total_seconds()
    limiter.failed("198.51.100.1")
    assert len(limiter) == 1


def test_forged_forwarded_for_is_ignored_by_default(app: Starlette) -> None:
    client = _client(app)
    for n in range(5):
        client.post("/login", data={"token": "guess"}, headers={"X-Forwarded-For": f"192.0.2.{n}"})
    forged = {"X-Forwarded-For": "192.0.2.200"}
    assert client.post("/login", data={"token": TOKEN}, headers=forged).status_code == 429


def test_a_trusted_proxy_names_the_client(store: Store, db_path: Path, clock: FakeClock) -> None:
    app = _app(db_path, clock, trusted_proxies=parse_trusted_proxies("10.0.0.5"))
    proxy = _client(app, ("10.0.0.5", 443))
    for _ in range(5):  # the proxy appends the real client to whatever the client sent
        headers = {"X-Forwarded-For": "192.0.2.1, 203.0.113.9"}
        assert proxy.post("/login", data={"token": "g"}, headers=headers).status_code == 401
    forged = {"X-Forwarded-For": "192.0.2.77, 203.0.113.9"}
    assert proxy.post("/login", data={"token": TOKEN}, headers=forged).status_code == 429
    other = {"X-Forwarded-For": "198.51.100.7"}
    assert proxy.post("/login", data={"token": TOKEN}, headers=other).status_code == 303
    # a client that is not the proxy cannot use the header at all
    direct = _client(app, ("203.0.113.9", 5))
    assert direct.post("/login", data={"token": TOKEN}, headers=other).status_code == 429


@pytest.mark.parametrize(
    ("value", "parsed"),
    [(None, ()), ("", ()), ("10.0.0.5", ("10.0.0.5",)),
     (" 10.0.0.0/24 , ::1,[fd00::1]", ("10.0.0.0/24", "::1", "fd00::1")),
     ("10.0.0.7/24", ("10.0.0.0/24",))],
)  # fmt: skip
def test_trusted_proxies_parse(value: str | None, parsed: tuple[str, ...]) -> None:
    assert parse_trusted_proxies(value) == parsed


@pytest.mark.parametrize(
    ("value", "message"),
    [("*", "'\\*' would let any client choose its own address"),
     ("10.0.0.5,proxy.internal", "'proxy.internal' is not an IP address or network")],
)  # fmt: skip
def test_bad_trusted_proxies_are_refused(value: str, message: str) -> None:
    with pytest.raises(ConfigError, match=f"--trusted-proxies: {message}"):
        parse_trusted_proxies(value)


def test_the_token_is_in_no_log_line_or_response(
    app: Starlette, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    client = _client(app)
    near_misses = [TOKEN[:-1] + "X", TOKEN + "0", "guess", TOKEN.upper(), TOKEN[:8]]
    responses = [_login(client, guess) for guess in near_misses]
    responses += [_login(client, TOKEN), client.get("/login")]
    responses.append(client.get("/api/reading", headers={"Authorization": f"Bearer {TOKEN}"}))
    assert [r.status_code for r in responses] == [401] * 5 + [429, 200, 429]
    assert "wrong tokens (login form) from 203.0.113.9 within 15 min 0 s" in caplog.text
    for text in [caplog.text] + [r.text + str(r.headers) for r in responses]:
        assert TOKEN not in text and TOKEN[:8] not in text
        for guess in near_misses:
            assert guess not in text


def test_an_oversized_login_body_is_refused_unread(app: Starlette) -> None:
    client = _client(app)
    big = {"token": "x" * 9000}
    assert client.post("/login", data=big).status_code == 413

    def chunks() -> Iterator[bytes]:  # streamed, no Content-Length
        yield b"token="
        for _ in range(10):
            yield b"y" * 1000

    streamed = client.post(
        "/login", content=chunks(), headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert streamed.status_code == 413
    assert _login(client, TOKEN).status_code == 303  # neither counted as a wrong token
