"""A first `report` that cannot reach Yahoo says so at once, naming the ticker it tried.

The whole CLI runs with every HTTP client sent through a proxy on 127.0.0.1 that refuses
connections (curl, under yfinance, and httpx, under the feeds, both honour the proxy
variables): nothing leaves the machine, and the error text shows the proxy was used. Before
the Yahoo probe, the price collector ran yfinance's threaded batch of all the tickers and
then retried it four times with 2-16 s of backoff between, before the same answer (38.7 s).
"""

from __future__ import annotations

import socket
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from typer.testing import CliRunner

from monitor.cli.app import app

# yfinance 1.7 still passes inplace= to pandas, which pandas 3.1 deprecates; not ours.
pytestmark = pytest.mark.filterwarnings("ignore:The inplace keyword")

PROXY_VARIABLES = ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY")


@pytest.fixture
def refusing_proxy(monkeypatch: pytest.MonkeyPatch) -> str:
    """Every proxy variable names a port on 127.0.0.1 that nothing listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        proxy = f"http://127.0.0.1:{s.getsockname()[1]}"
    for name in PROXY_VARIABLES:
        monkeypatch.setenv(name, proxy)
        monkeypatch.setenv(name.lower(), proxy)
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    return proxy


def test_an_offline_report_names_the_ticker_and_says_yahoo_is_unreachable(
    refusing_proxy: str, tmp_path: Path
) -> None:
    db = tmp_path / "live.db"
    result = CliRunner().invoke(app, ["report", "--db", str(db)])
    assert result.exit_code == 2, result.output
    output = " ".join(result.output.split())
    assert "no reading can be computed" in output
    assert "(first: NVDA: Yahoo unreachable (before asking for NVDA): " in output
    assert "over proxy 127.0.0.1" in output  # curl went to the local proxy, nowhere else
    assert "run `bubble-monitor collect prices`" in output
    # ... which would fail the same way offline: what works without network, said first.
    assert output.index("Yahoo cannot be reached from this machine (no network?)") < output.index(
        "error:"
    )
    lines = result.output.splitlines()
    assert "  bubble-monitor report --demo (a simulated scenario)" in lines
    assert "  bubble-monitor import-prices FILE.csv (your own closes)" in lines
    with closing(sqlite3.connect(db)) as conn:
        states = conn.execute("SELECT ticker, last_error FROM ticker_state").fetchall()
    assert len(states) >= 40
    unreachable = "Yahoo unreachable (before asking for NVDA)"
    assert all(error.startswith(unreachable) for _, error in states)
