"""`bubble-monitor dashboard` as a real process (serves the page read-only, stops 0 on
SIGTERM) and the refusals: a missing database, an exposed --host without a token."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from monitor.cli.app import app
from monitor.store import Store
from monitor.web.auth import TOKEN_ENV
from tests.web_helpers import NOW, payload, put_payload

ROOT = Path(__file__).resolve().parents[1]


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BUBBLE_MONITOR_")}
    env.update(BUBBLE_MONITOR_DATA_DIR=str(tmp_path / "data-dir"), COLUMNS="200", **extra)
    return env


def _wait_for_url(proc: subprocess.Popen[str], timeout: float = 30) -> str:
    assert proc.stderr is not None
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        line = proc.stderr.readline()
        found = re.search(r"dashboard on (http://127\.0\.0\.1:\d+/)", line)
        if found:
            return found.group(1)
        if not line and proc.poll() is not None:
            break
    pytest.fail(f"dashboard did not start (exit {proc.poll()})")


def _reap(proc: subprocess.Popen[str]) -> None:
    """Kill the dashboard if a failed test left it running, and close its stderr."""
    if proc.poll() is None:
        proc.kill()
        proc.wait(5)
    assert proc.stderr is not None
    proc.stderr.close()


def test_dashboard_serves_read_only_and_stops_on_sigterm(store: Store, db_path: Path) -> None:
    put_payload(store, payload(NOW, 61.25, regime="frothy"))
    store.close()
    before = db_path.read_bytes()
    opened = db_path.parent / "opened.txt"
    browser = db_path.parent / "browser.sh"  # --open runs $BROWSER with the page's URL
    browser.write_text(f'#!/bin/sh\necho "$1" > {opened}\n')
    browser.chmod(0o755)
    args = ["dashboard", "--db", str(db_path), "--port", "0", "--open"]
    proc = subprocess.Popen(
        [sys.executable, "-m", "monitor", *args],
        cwd=ROOT,
        env=_env(db_path.parent, BROWSER=f"{browser} %s"),
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    try:
        url = _wait_for_url(proc)
        client = httpx.Client()  # kept open: a browser's idle keep-alive connection
        assert client.get(url + "api/reading").json()["index"] == 61.25
        page = httpx.get(url)
        assert page.status_code == 200 and ">61.2</text>" in page.text
        assert httpx.get(url + "healthz").json()["mode"] == "dashboard"
        assert "bubble_monitor_index 61.25" in httpx.get(url + "metrics").text
        for _ in range(50):  # the browser command runs in the background
            if opened.exists() and opened.read_text().strip():
                break
            time.sleep(0.1)
        assert opened.read_text().strip() == url
        t0 = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(10) == 0
        assert time.monotonic() - t0 < 10
        client.close()
    finally:
        _reap(proc)
    assert db_path.read_bytes() == before


def test_dashboard_open_without_a_browser_says_so(store: Store, db_path: Path) -> None:
    put_payload(store, payload(NOW, 61.25, regime="frothy"))
    store.close()
    empty = db_path.parent / "no-programs"  # PATH with no browser, BROWSER not runnable
    empty.mkdir()
    env = _env(db_path.parent, BROWSER=f"{empty / 'missing-browser'} %s", PATH=str(empty))
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "monitor", "dashboard", "--db", str(db_path), "--port", "0",
         "--open"],
        cwd=ROOT, env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    try:
        url = _wait_for_url(proc)
        time.sleep(1)  # the browser lookup runs right after the URL is printed
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(10) == 0
        assert proc.stderr is not None
        rest = " ".join(proc.stderr.read().split())  # rich may wrap the line
        assert f"no web browser found here: open {url} yourself" in rest
    finally:
        _reap(proc)


def test_dashboard_refuses_a_missing_database(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["dashboard", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 2
    assert "no database at" in result.output and "report --demo" in result.output


def test_dashboard_names_an_unreachable_postgresql_server_without_the_password() -> None:
    url = "postgresql://bubble:s3cret@127.0.0.1:1/monitor"
    result = CliRunner().invoke(app, ["dashboard", "--db", url])
    assert result.exit_code == 2
    assert "cannot connect to PostgreSQL" in result.output and "s3cret" not in result.output


@pytest.mark.parametrize("command", ["dashboard", "serve"])
def test_an_exposed_host_needs_the_token_or_no_auth(
    store: Store, db_path: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    monkeypatch.delenv(TOKEN_ENV, raising=False)
    args = [command, "--db", str(db_path), "--host", "0.0.0.0", "--port", "0"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    assert f"--host 0.0.0.0 exposes the dashboard beyond this machine: set {TOKEN_ENV}" in (
        result.output
    )
