"""`--json` writes one JSON document on stdout and nothing else. `report --slack --json`
with no Slack configured sends the report to the console channel, which wrote its text
to stdout ahead of the JSON: `report --slack --json | jq` failed on the first line
("== AI bubble index report ..."). The console channel's text now goes to stderr when
stdout carries JSON. Real SQLite file, the real CLI."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from monitor.cli.app import app

runner = CliRunner()
NO_SLACK = {"SLACK_BOT_TOKEN": "", "SLACK_CHANNEL": "", "SLACK_WEBHOOK_URL": ""}


@pytest.fixture
def store(tmp_path: Path) -> tuple[Path, Path]:
    days = pd.bdate_range(end="2026-07-13", periods=300)
    rng = np.random.default_rng(11)
    frame = pd.DataFrame({"date": days.strftime("%Y-%m-%d")})
    for ticker in ("NVDA", "MSFT"):
        frame[ticker] = 100 * np.exp(np.cumsum(rng.normal(0.001, 0.02, len(days))))
    prices = tmp_path / "prices.csv"
    frame.to_csv(prices, index=False)
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text("basket: [NVDA, MSFT]\nfeeds: []\n", encoding="utf-8")
    db = tmp_path / "m.db"
    assert runner.invoke(app, ["import-prices", str(prices), "--db", str(db)]).exit_code == 0
    return db, feeds


def test_report_slack_without_slack_prints_nothing_but_the_error(
    store: tuple[Path, Path],
) -> None:
    """Since qaslack, `report --slack` without Slack configured fails (exit 2) before it
    runs instead of printing the console channel's alert: stdout then holds nothing, so
    `| jq` sees no stray text either way."""
    db, feeds = store
    for extra in (["--json"], []):
        args = ["report", "--no-collect", "--slack", *extra, "--db", str(db), "--feeds", str(feeds)]
        result = runner.invoke(app, args, env=NO_SLACK)
        assert result.exit_code == 2, result.output
        assert result.stdout == ""
        assert "Slack is not configured" in result.stderr
