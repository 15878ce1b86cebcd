"""`collect prices` on a machine without network, as a new user meets it: one line of why,
what works offline, not a 43-row table repeating the same error.

Every HTTP client goes through a proxy on 127.0.0.1 that refuses connections (the fixture of
tests/test_qademo_report_offline.py): nothing leaves the machine."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from monitor.cli.app import app
from tests.test_qademo_report_offline import refusing_proxy  # noqa: F401  (the fixture)

pytestmark = pytest.mark.filterwarnings("ignore:The inplace keyword")


@pytest.mark.usefixtures("refusing_proxy")
def test_collect_prices_offline_says_it_once_and_what_works_offline(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["collect", "prices", "--db", str(tmp_path / "m.db")])
    assert result.exit_code == 2, result.output
    # Before: a table of 43 rows each "Yahoo unreachable (before asking for NVDA): ...",
    # then "prices failed: all 43 tickers failed ..." and the same again as "error: ...".
    assert "NVDA   │ failed" not in result.output and "prices failed:" not in result.output
    assert result.output.count("all 43 tickers failed") == 1
    lines = result.output.splitlines()
    assert "Yahoo cannot be reached from this machine (no network?)." in lines
    assert "  bubble-monitor import-prices FILE.csv (your own closes)" in lines


@pytest.mark.usefixtures("refusing_proxy")
def test_collect_prices_offline_json_still_names_every_ticker(tmp_path: Path) -> None:
    import json

    args = ["collect", "prices", "--json", "--db", str(tmp_path / "m.db")]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    tickers = json.loads(result.stdout)["prices"]["tickers"]
    assert len(tickers) == 43 and all(t["status"] == "failed" for t in tickers)
