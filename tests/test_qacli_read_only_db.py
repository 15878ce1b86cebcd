"""`spread` and `backtest` only read the store, yet a mistyped `--db` made a new empty
SQLite file there, and the command then said "no stored prices" (spread) or replayed
without the store's news (backtest, exit 0): the typo went unnoticed and left a file.
Like `history` and `headlines`, they now refuse a missing file, naming it (exit 2).
Real files, the real CLI."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from monitor.cli.app import app

runner = CliRunner()


@pytest.fixture
def prices(tmp_path: Path) -> Path:
    days = pd.bdate_range(end="2026-07-13", periods=80)
    rng = np.random.default_rng(5)
    frame = pd.DataFrame({"date": days.strftime("%Y-%m-%d")})
    for ticker in ("NVDA", "MSFT"):
        frame[ticker] = 100 * np.exp(np.cumsum(rng.normal(0.001, 0.02, len(days))))
    path = tmp_path / "prices.csv"
    frame.to_csv(path, index=False)
    return path


@pytest.mark.parametrize(
    "command",
    [["spread"], ["backtest", "--stored-headlines"], ["backtest"]],
)
def test_a_missing_database_is_refused_not_created(
    tmp_path: Path, prices: Path, command: list[str]
) -> None:
    typo = tmp_path / "monitr.db"
    args = [*command, "--db", str(typo)]
    if command[0] == "backtest":
        args += ["--prices", str(prices)]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert f"error: {typo}: no such database" in result.output
    assert not typo.exists()


def test_a_missing_database_says_how_to_make_one(tmp_path: Path) -> None:
    # Before: "the commands that collect or import create it": a new user did not learn
    # which, nor that `report --demo` shows the monitor without any data.
    result = runner.invoke(app, ["history", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 2
    text = " ".join(result.output.split())
    for command in ("bubble-monitor collect", "import-prices FILE.csv", "report --demo"):
        assert command in text, text
