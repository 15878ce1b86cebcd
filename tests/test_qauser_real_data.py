"""A new user's first report on the real closes of ../shared/data (33 tickers, 2015-2026),
imported into an empty store with nothing else: what the report says is missing."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from monitor.cli.app import app

pytestmark = pytest.mark.validation

runner = CliRunner()


def test_first_report_on_the_real_closes_says_what_is_missing_and_what_to_run(
    shared_data: Path, tmp_path: Path
) -> None:
    db = tmp_path / "m.db"
    prices = shared_data / "ai_stocks_daily_adjclose_2015_2026.csv"
    imported = runner.invoke(app, ["import-prices", str(prices), "--db", str(db)])
    assert imported.exit_code == 0, imported.output
    assert f"85613 new, 0 updated, 0 unchanged bars, in {db}" in " ".join(imported.stdout.split())
    result = runner.invoke(app, ["report", "--no-collect", "--db", str(db)], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    text = " ".join(line.strip() for line in result.stdout.splitlines())
    # Before: "LLM crash probability 69% vs applied AI no data yet: no gap without both" and
    # "prices: 16 tickers stale (never collected): 9984.T, RXRX, SDGR, ABSI and 12 more".
    assert "applied AI has no prices: none of its 9 tickers (RXRX, SDGR, ABSI and 6 more)" in text
    assert "`bubble-monitor collect prices` fetches them" in text
    assert "prices: 16 tickers never collected: 9984.T, RXRX, SDGR, ABSI and 12 more" in text
    assert "no gap without both" not in text and "stale (never" not in text
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert not any(line.rstrip().endswith("bubble-") for line in lines)
