"""`doctor` says whether the bot can post to the configured channel, not only that its
token is valid.

Before: a valid token passed ("bot ... authenticated") while the bot was not in the
channel, or the channel ID named nothing the bot could see: the operator learned it at the
first alert (`not_in_channel`, `channel_not_found`). The real CLI and slack-sdk against the
local Slack stand-in (tests/qaservice_slack.py), which answers conversations.info.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from monitor.cli.app import app
from tests.qaservice_slack import SlackWithHistory
from tests.slack_server import CHANNEL, TOKEN

runner = CliRunner()
OTHER = "C0999999999"


@pytest.fixture
def slack() -> Iterator[SlackWithHistory]:
    with SlackWithHistory(channels=(CHANNEL, OTHER), member_of=(CHANNEL,)) as server:
        yield server


def _doctor(
    slack: SlackWithHistory, channel: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> dict[str, str]:
    monkeypatch.setenv("SLACK_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("SLACK_CHANNEL", channel)
    monkeypatch.setenv("BUBBLE_MONITOR_SLACK_BASE_URL", slack.base_url)
    args = ["doctor", "--skip-model", "--json", "--db", str(tmp_path / "m.db")]
    result = runner.invoke(app, args)
    assert TOKEN not in result.output
    checks = {c["name"]: c for c in json.loads(result.stdout)}
    assert not slack.calls("chat.postMessage")  # a check never posts
    return dict(checks["slack"])


def test_a_channel_the_bot_is_in_passes(
    slack: SlackWithHistory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    check = _doctor(slack, CHANNEL, tmp_path, monkeypatch)
    assert check["status"] == "ok" and "can post to #bubble-alerts" in check["detail"]


def test_a_channel_the_bot_is_not_in_fails_with_the_invite(
    slack: SlackWithHistory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    check = _doctor(slack, OTHER, tmp_path, monkeypatch)
    assert check["status"] == "fail", check
    assert "not_in_channel" in check["detail"] and "/invite @" in check["detail"]


def test_a_channel_the_bot_cannot_see_fails(
    slack: SlackWithHistory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    check = _doctor(slack, "C0000000404", tmp_path, monkeypatch)
    assert check["status"] == "fail", check
    assert "channel_not_found" in check["detail"] and "C0000000404" in check["detail"]


def test_a_token_without_chat_write_fails(
    slack: SlackWithHistory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    slack.scopes = "files:write,channels:read,channels:history"
    check = _doctor(slack, CHANNEL, tmp_path, monkeypatch)
    assert check["status"] == "fail" and "chat:write" in check["detail"]


def test_a_public_channel_with_chat_write_public_passes_without_membership(
    slack: SlackWithHistory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    slack.scopes += ",chat:write.public"
    assert _doctor(slack, OTHER, tmp_path, monkeypatch)["status"] == "ok"


def test_scopes_that_stop_the_checks_are_warned(
    slack: SlackWithHistory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    slack.scopes = "chat:write,files:write,channels:read"
    check = _doctor(slack, CHANNEL, tmp_path, monkeypatch)
    assert check["status"] == "warn" and "channels:history" in check["detail"]
    slack.scopes = "chat:write,files:write"
    check = _doctor(slack, CHANNEL, tmp_path, monkeypatch)
    assert check["status"] == "warn" and "channels:read" in check["detail"]
