"""`report --slack` says where the report went and what it went without: it ended
silently, so a refused chart showed only as a log line and nothing confirmed the post."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from monitor.cli.app import app
from tests.slack_server import CHANNEL, TOKEN, Scripted, SlackStandIn


def _report(slack: SlackStandIn, db: Path) -> tuple[int, str]:
    env = {
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_CHANNEL": CHANNEL,
        "BUBBLE_MONITOR_SLACK_BASE_URL": slack.base_url,
    }
    result = CliRunner(env=env).invoke(app, ["report", "--demo", "--slack", "--db", str(db)])
    return result.exit_code, result.stderr


def test_the_post_is_confirmed_and_a_refused_chart_named(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with SlackStandIn() as slack:
        code, err = _report(slack, tmp_path / "a.db")
        assert code == 0 and "report sent to slack" in err
        slack.script("upload", Scripted(500, "upstream broke"))
        code, err = _report(slack, tmp_path / "b.db")
    assert code == 0
    text = " ".join(err.split())
    # The channel logs why (on stderr in the CLI; pytest captures the log) and the report
    # line points to it rather than repeating it.
    why = [r.getMessage() for r in caplog.records if "chart not uploaded" in r.getMessage()]
    assert len(why) == 1 and "files_upload_v2 failed (HTTP 500" in why[0]
    assert "report sent to slack without part of it (slack: see above)" in text
    assert TOKEN not in err
