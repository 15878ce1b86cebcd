"""`report --slack` as a user meets it, through the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from monitor.cli.app import app

runner = CliRunner()
SLACK_ENV = ("SLACK_BOT_TOKEN", "SLACK_CHANNEL", "SLACK_WEBHOOK_URL")


def test_report_slack_without_slack_configured_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With no Slack variables set, `report --demo --slack --json` exited 0, sent nothing
    anywhere, and printed the alert's text on stdout before the JSON (which then no longer
    parsed): the user asked for Slack and was not told it is not configured."""
    for name in SLACK_ENV:
        monkeypatch.delenv(name, raising=False)
    args = ["report", "--demo", "--slack", "--json", "--db", str(tmp_path / "d.db")]
    result = runner.invoke(app, args)
    assert result.exit_code != 0
    assert "Slack is not configured" in result.output
    assert "SLACK_BOT_TOKEN" in result.output and "SLACK_WEBHOOK_URL" in result.output
    assert "== SIMULATED" not in result.stdout  # no console alert mixed into the output
