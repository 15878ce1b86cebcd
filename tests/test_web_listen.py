"""The web server on real sockets: IPv6 loopback (`--host ::1` for `dashboard` and `serve`),
the loopback rule for every spelling of it, exposed IPv6 addresses needing the token, and
uvicorn's own X-Forwarded-For handling kept off (the app alone decides whom to believe)."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from monitor.cli.app import app as cli
from monitor.errors import ConfigError
from monitor.store import Store
from monitor.web.app import build_app
from monitor.web.auth import TOKEN_ENV, bind_host, is_loopback, resolve_token
from monitor.web.ratelimit import LoginLimit
from monitor.web.server import WebServer
from tests.web_helpers import NOW, payload, put_payload, settings

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "s3cret-token-for-tests-0123456789"


def _ipv6_loopback() -> str | None:
    """None when this machine can listen on [::1]; else why not."""
    if not socket.has_ipv6:
        return "Python was built without IPv6"
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as sock:
            sock.bind(("::1", 0))
    except OSError as e:
        return f"no IPv6 loopback on this machine: {e}"
    return None


needs_ipv6 = pytest.mark.skipif(
    _ipv6_loopback() is not None, reason=str(_ipv6_loopback())
)  # fmt: skip


@pytest.mark.parametrize(
    "host",
    ["127.0.0.1", "127.0.0.2", "localhost", "LOCALHOST", "::1", "[::1]", "0:0:0:0:0:0:0:1",
     "::ffff:127.0.0.1"],
)  # fmt: skip
def test_every_spelling_of_loopback_needs_no_token(
    host: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(TOKEN_ENV, raising=False)
    assert is_loopback(host)
    assert resolve_token(host, no_auth=False) is None


@pytest.mark.parametrize(
    "host", ["::", "0.0.0.0", "2001:db8::1", "fe80::1", "::ffff:203.0.113.9", "example.com", ""]
)
def test_an_exposed_or_unknown_host_needs_the_token(
    host: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(TOKEN_ENV, raising=False)
    assert not is_loopback(host)
    with pytest.raises(ConfigError, match=f"--host {re.escape(host)} exposes the dashboard"):
        resolve_token(host, no_auth=False)
    monkeypatch.setenv(TOKEN_ENV, TOKEN)
    assert resolve_token(host, no_auth=False) == TOKEN


def test_bracketed_ipv6_is_unwrapped_for_the_socket() -> None:
    assert bind_host("[::1]") == "::1"
    assert bind_host("::1") == "::1" and bind_host("127.0.0.1") == "127.0.0.1"


@pytest.fixture
def server(store: Store, db_path: Path) -> Iterator[WebServer]:
    put_payload(store, payload(NOW, 50.0))
    web = WebServer(build_app(settings(db_path)), "::1", 0)
    web.start()
    yield web
    web.stop()


@needs_ipv6
def test_the_server_binds_and_answers_on_ipv6_loopback(server: WebServer) -> None:
    host, port = server.address
    assert host == "::1" and server.url == f"http://[::1]:{port}/"
    assert httpx.get(server.url + "healthz").status_code == 200
    reading = httpx.get(server.url + "api/reading")  # loopback: no token asked
    assert reading.status_code == 200 and reading.json()["index"] == 50.0
    with pytest.raises(httpx.ConnectError):  # IPv6 only: nothing on the IPv4 loopback
        httpx.get(f"http://127.0.0.1:{port}/healthz")


def test_uvicorn_does_not_believe_forwarded_for_from_loopback(store: Store, db_path: Path) -> None:
    """uvicorn trusts X-Forwarded-For from 127.0.0.1 unless told not to; with that on, a
    local client could pick a fresh address for every guess."""
    limit = LoginLimit(max_failures=3, window=timedelta(minutes=15))
    web = WebServer(build_app(replace(settings(db_path, token=TOKEN), login_limit=limit)),
                    "127.0.0.1", 0)  # fmt: skip
    web.start()
    try:
        codes = []
        for n in range(4):
            headers = {"Authorization": "Bearer wrong", "X-Forwarded-For": f"192.0.2.{n}"}
            codes.append(httpx.get(web.url + "api/reading", headers=headers).status_code)
    finally:
        web.stop()
    assert codes == [401, 401, 401, 429]


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BUBBLE_MONITOR_")}
    env.update(BUBBLE_MONITOR_DATA_DIR=str(tmp_path / "data-dir"), COLUMNS="200", **extra)
    return env


def _quiet_feeds(tmp_path: Path) -> Path:
    """A feeds.yaml whose jobs never run during a test (so `serve` reaches no network)."""
    path = tmp_path / "feeds.yaml"
    path.write_text(
        "basket: [NVDA]\nbenchmarks: [SPY]\n"
        "feeds:\n  - name: local\n    url: http://127.0.0.1:9/feed.xml\n"
        "schedule:\n  timezone: UTC\n  prices: null\n  prices_intraday: null\n"
        "  positioning: null\n  filings: null\n  models: null\n  news: null\n  index: null\n"
        "  digest: {cron: '0 9 1 1 *'}\n",
        encoding="utf-8",
    )
    return path


def _free_ipv6_port() -> int:
    with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as s:
        s.bind(("::1", 0))
        return int(s.getsockname()[1])


def _wait_for(url: str, proc: subprocess.Popen[bytes], timeout: float = 30) -> httpx.Response:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"exited with {proc.returncode}")
        try:
            return httpx.get(url, timeout=2)
        except httpx.TransportError:
            time.sleep(0.1)
    pytest.fail(f"nothing answered on {url} in {timeout}s")


@needs_ipv6
@pytest.mark.parametrize(("command", "host"), [("dashboard", "::1"), ("serve", "[::1]")])
def test_dashboard_and_serve_listen_on_ipv6_loopback(
    store: Store, db_path: Path, command: str, host: str
) -> None:
    put_payload(store, payload(NOW, 61.25, regime="frothy"))
    store.close()
    port = _free_ipv6_port()
    args = [command, "--db", str(db_path), "--host", host, "--port", str(port)]
    args += ["--feeds", str(_quiet_feeds(db_path.parent))]
    log = (db_path.parent / "out.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "monitor", *args], cwd=ROOT, env=_env(db_path.parent),
        stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        health = _wait_for(f"http://[::1]:{port}/healthz", proc)
        assert health.status_code == 200
        reading = httpx.get(f"http://[::1]:{port}/api/reading")
        assert reading.status_code == 200 and reading.json()["index"] == 61.25
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(5)
        log.close()
    assert f"http://[::1]:{port}/" in (db_path.parent / "out.log").read_text()


@pytest.mark.parametrize("command", ["dashboard", "serve"])
@pytest.mark.parametrize("host", ["::", "2001:db8::1", "[2001:db8::1]"])
def test_an_exposed_ipv6_host_needs_the_token_or_no_auth(
    store: Store, db_path: Path, monkeypatch: pytest.MonkeyPatch, command: str, host: str
) -> None:
    monkeypatch.delenv(TOKEN_ENV, raising=False)
    args = [command, "--db", str(db_path), "--host", host, "--port", "0"]
    refused = CliRunner().invoke(cli, args)
    assert refused.exit_code == 2
    assert "exposes the dashboard beyond this machine" in refused.output


@pytest.mark.parametrize("extra", [["--no-auth"], []])
def test_with_the_token_or_no_auth_an_ipv6_host_gets_as_far_as_binding(
    store: Store, db_path: Path, monkeypatch: pytest.MonkeyPatch, extra: list[str]
) -> None:
    """2001:db8::/32 is for documentation: no machine has it, so the bind fails, after
    the auth rule let it through (nothing is ever exposed by this test)."""
    monkeypatch.setenv(TOKEN_ENV, TOKEN) if not extra else monkeypatch.delenv(TOKEN_ENV, False)
    args = ["dashboard", "--db", str(db_path), "--host", "[2001:db8::1]", "--port", "0", *extra]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2
    assert "cannot listen on 2001:db8::1:0" in result.output
    # An address the machine does not have is the host's fault, not the port's (qainput).
    assert "--host 2001:db8::1: cannot listen" in result.output and "--port 0" not in result.output
    assert TOKEN not in result.output


@pytest.mark.parametrize("command", ["dashboard", "serve"])
def test_trusted_proxies_reach_the_app_of_either_command(
    store: Store, db_path: Path, command: str
) -> None:
    """`--trusted-proxies 127.0.0.1` end to end: clients behind the local proxy count
    apart (serve hands the option to the web app through the environment)."""
    put_payload(store, payload(NOW, 61.25))
    store.close()
    port = _free_ipv4_port()
    args = [command, "--db", str(db_path), "--port", str(port), "--trusted-proxies", "127.0.0.1"]
    args += ["--feeds", str(_quiet_feeds(db_path.parent))]
    proc = subprocess.Popen(
        [sys.executable, "-m", "monitor", *args], cwd=ROOT,
        env=_env(db_path.parent, **{TOKEN_ENV: TOKEN}),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}/"
    try:
        _wait_for(base + "healthz", proc)
        codes = []
        for token, client in [("wrong", "192.0.2.1")] * 6 + [(TOKEN, "192.0.2.2")]:
            headers = {"Authorization": f"Bearer {token}", "X-Forwarded-For": client}
            codes.append(httpx.get(base + "api/reading", headers=headers).status_code)
        assert codes == [401] * 5 + [429, 200]
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(10)


@pytest.mark.parametrize("command", ["dashboard", "serve"])
@pytest.mark.parametrize("via_env", [False, True])
def test_a_bad_trusted_proxy_stops_the_start(
    db_path: Path, monkeypatch: pytest.MonkeyPatch, command: str, via_env: bool
) -> None:
    Store(db_path).close()
    args = [command, "--db", str(db_path), "--port", "0"]
    if via_env:
        monkeypatch.setenv("BUBBLE_MONITOR_DASHBOARD_TRUSTED_PROXIES", "10.0.0.5,proxy.internal")
    else:
        args += ["--trusted-proxies", "10.0.0.5,proxy.internal"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2
    assert "'proxy.internal' is not an IP address or network" in result.output


def _free_ipv4_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
