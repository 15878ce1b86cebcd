"""Access control: loopback needs nothing, an exposed address needs the token (or an
explicit --no-auth), and then every page and API answer asks for a bearer token or the
login cookie."""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.testclient import TestClient

from monitor.errors import ConfigError
from monitor.store import Store
from monitor.web.auth import COOKIE, TOKEN_ENV, resolve_token, safe_next, session_value
from tests.web_helpers import NOW, app_for, payload, put_payload

TOKEN = "s3cret-token-for-tests-0123456789"


@pytest.fixture
def client(store: Store, db_path: Path) -> TestClient:
    put_payload(store, payload(NOW, 50.0))
    return TestClient(app_for(db_path, token=TOKEN), follow_redirects=False)


def test_an_exposed_host_needs_a_token_or_no_auth(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(TOKEN_ENV, raising=False)
    assert resolve_token("127.0.0.1", no_auth=False) is None
    with pytest.raises(ConfigError, match=rf"--host 0.0.0.0 exposes .* set {TOKEN_ENV}"):
        resolve_token("0.0.0.0", no_auth=False)
    assert resolve_token("0.0.0.0", no_auth=True) is None
    monkeypatch.setenv(TOKEN_ENV, TOKEN)
    assert resolve_token("0.0.0.0", no_auth=False) == TOKEN
    assert resolve_token("127.0.0.1", no_auth=False) == TOKEN  # set: used on loopback too
    monkeypatch.setenv(TOKEN_ENV, "hunter2")
    with pytest.raises(ConfigError, match="is 7 characters long; use at least 16") as refused:
        resolve_token("0.0.0.0", no_auth=False)
    assert "hunter2" not in str(refused.value)


@pytest.mark.parametrize("path", ["/api/reading", "/api/history", "/api/health", "/metrics"])
def test_api_without_credentials_is_401_json(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert "Authorization: Bearer" in response.json()["error"]
    assert TOKEN not in response.text


def test_the_page_sends_a_browser_to_login_and_back(client: TestClient) -> None:
    response = client.get("/", params={"x": "1"})
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2F%3Fx%3D1"
    form = client.get("/login", params={"next": "/?x=1"})
    assert form.status_code == 200 and 'name="next" value="/?x=1"' in form.text


def test_bearer_token_opens_everything(client: TestClient) -> None:
    headers = {"Authorization": f"Bearer {TOKEN}"}
    for path in ("/", "/api/reading", "/metrics"):
        assert client.get(path, headers=headers).status_code == 200, path
    assert client.get("/api/reading", headers={"Authorization": "Bearer wrong"}).status_code == 401


def test_login_sets_an_httponly_cookie_that_is_not_the_token(client: TestClient) -> None:
    wrong = client.post("/login", data={"token": "guess", "next": "/"})
    assert wrong.status_code == 401 and "does not match the dashboard token" in wrong.text
    assert COOKIE not in wrong.headers.get("set-cookie", "")
    good = client.post("/login", data={"token": TOKEN, "next": "/api/reading"})
    assert good.status_code == 303 and good.headers["location"] == "/api/reading"
    cookie = good.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and TOKEN not in cookie
    assert session_value(TOKEN) in cookie
    assert client.get("/api/reading").status_code == 200  # the client keeps the cookie
    client.post("/logout")
    assert client.get("/api/reading").status_code == 401


def test_healthz_and_static_stay_open(client: TestClient) -> None:
    assert client.get("/healthz").status_code == 200
    assert client.get("/static/app.css").status_code == 200


@pytest.mark.parametrize(
    ("target", "safe"),
    [("/api/reading", "/api/reading"), ("//evil.example/", "/"),
     ("https://evil.example/", "/"), ("/\\evil", "/"), (None, "/")],
)  # fmt: skip
def test_login_redirects_only_within_the_site(target: str | None, safe: str) -> None:
    assert safe_next(target) == safe
