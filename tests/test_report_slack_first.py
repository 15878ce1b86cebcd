"""`report --slack` checks that Slack is configured before it runs: on a store with no
reading it printed "== No AI bubble reading today ==" into stdout (so `--json` did not
parse) and claimed the day's no-reading message for the console, so once Slack was set up
later that day the channel never heard why there was no reading."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from monitor.cli.app import app
from monitor.store import Store

runner = CliRunner()


def test_no_reading_with_slack_unconfigured_claims_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("SLACK_BOT_TOKEN", "SLACK_CHANNEL", "SLACK_WEBHOOK_URL"):
        monkeypatch.delenv(name, raising=False)
    db = tmp_path / "empty.db"
    Store(db).close()
    args = ["report", "--slack", "--no-collect", "--json", "--db", str(db)]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "Slack is not configured" in result.output
    assert "No AI bubble reading" not in result.output
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM alerts").fetchone() == (0,)
