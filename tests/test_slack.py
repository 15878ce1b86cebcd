"""The real slack-sdk clients against the local stand-in for Slack on 127.0.0.1."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from slack_sdk.http_retry import FixedValueRetryIntervalCalculator

from monitor.config.secrets import SlackSettings, slack_settings
from monitor.errors import ConfigError, NotifyError, PartialDeliveryError, UncertainDeliveryError
from monitor.notify import ConsoleNotifier, NotifierManager, build_notifier
from monitor.notify.slack import (
    SlackBotNotifier,
    SlackWebhookNotifier,
    retry_handlers,
)
from signals.models import Alert, Component, HeadlineRef, IndexReading
from tests.slack_server import (
    CHANNEL,
    TOKEN,
    SlackStandIn,
    rate_limited,
    server_error,
    slack_error,
)

NOW = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
# Fast backoff for 5xx and connection errors; 429 still waits Retry-After.
FAST = retry_handlers(interval=FixedValueRetryIntervalCalculator(0.01))
PNG = b"\x89PNG\r\n\x1a\n" + b"fake-png-bytes" * 10


@pytest.fixture
def slack() -> Iterator[SlackStandIn]:
    with SlackStandIn() as server:
        yield server


def bot_settings(slack: SlackStandIn, token: str = TOKEN, channel: str = CHANNEL) -> SlackSettings:
    env = {
        "SLACK_BOT_TOKEN": token,
        "SLACK_CHANNEL": channel,
        "BUBBLE_MONITOR_SLACK_BASE_URL": slack.base_url,
    }
    return slack_settings(env)


def digest() -> Alert:
    reading = IndexReading(
        as_of=NOW,
        index=61.4,
        regime="frothy",
        change=4.2,
        components=(
            Component("overextension", "market", 80.0, 0.5, 40.0, "basket +35% vs 200-day MA"),
            Component("layoffs", "news", 42.8, 0.5, 21.4, "6 stories in 7 d"),
            Component("credit", "market", None, 0.0, 0.0, "no input", 0.0),
        ),
        top_headlines=(
            HeadlineRef(
                "Cuts <!channel> & <@U123>", "https://n.example/a", "Reuters", "layoffs", 0.9
            ),
        ),
        stale=("credit",),
    )
    return Alert("digest", "digest:2026-03-02", "Daily digest", "text", reading)


def test_bot_posts_blocks_and_uploads_the_chart_in_the_thread(slack: SlackStandIn) -> None:
    notifier = SlackBotNotifier(bot_settings(slack), retries=FAST)
    notifier.send(digest(), chart=PNG)
    (message,) = [m for m in slack.messages if "blocks" in m]
    assert message["channel"] == CHANNEL
    assert message["blocks"][0]["type"] == "header"
    assert "&lt;!channel&gt;" in json.dumps(message["blocks"])
    assert "<!channel>" not in json.dumps(message) and "<@U123>" not in message["text"]
    assert message["text"].startswith("Daily digest")
    # files_upload_v2: URL, upload to that URL (here), then complete into the thread.
    assert [r.path.rsplit("/", 1)[-1] for r in slack.requests][1:] == [
        "files.getUploadURLExternal",
        slack.calls("upload")[0].path.rsplit("/", 1)[-1],
        "files.completeUploadExternal",
    ]
    assert list(slack.uploads.values()) == [PNG]
    (done,) = slack.completed
    assert done["channel_id"] == CHANNEL and done["thread_ts"] == message["ts"]
    assert all(
        r.headers["authorization"] == f"Bearer {TOKEN}" for r in slack.calls("chat.postMessage")
    )


def test_429_waits_retry_after_then_succeeds(slack: SlackStandIn) -> None:
    slack.script("chat.postMessage", rate_limited(retry_after=1))
    started = time.monotonic()
    SlackBotNotifier(bot_settings(slack), retries=FAST).send(digest())
    assert time.monotonic() - started >= 1.0
    assert len(slack.calls("chat.postMessage")) == 2
    assert len([m for m in slack.messages if "blocks" in m]) == 1


def test_a_5xx_on_a_post_is_never_resent_blindly(slack: SlackStandIn) -> None:
    # Slack may have posted before answering 5xx; this stand-in has no history to check
    # (tests/test_qaslack2_server_errors.py covers the checks), so the alert is not resent.
    slack.script("chat.postMessage", *(server_error(503) for _ in range(5)))
    with pytest.raises(UncertainDeliveryError, match="not resent"):
        SlackBotNotifier(bot_settings(slack), retries=FAST).send(digest())
    assert len(slack.calls("chat.postMessage")) == 1


@pytest.mark.parametrize(
    ("error", "hint"),
    [
        ("channel_not_found", "channel ID"),
        ("not_in_channel", "/invite @"),
        ("invalid_auth", "Bot User OAuth Token"),
    ],
)
def test_slack_errors_name_the_fix(slack: SlackStandIn, error: str, hint: str) -> None:
    slack.script("chat.postMessage", slack_error(error))
    with pytest.raises(NotifyError) as caught:
        SlackBotNotifier(bot_settings(slack), retries=FAST).send(digest())
    assert error in str(caught.value) and hint in str(caught.value)
    assert TOKEN not in str(caught.value)


def test_wrong_token_and_unknown_channel_from_the_server_itself(slack: SlackStandIn) -> None:
    with pytest.raises(NotifyError, match="invalid_auth"):
        SlackBotNotifier(retries=FAST, settings=bot_settings(slack, token="xoxb-wrong")).send(
            digest()
        )
    with pytest.raises(NotifyError, match="channel_not_found"):
        SlackBotNotifier(retries=FAST, settings=bot_settings(slack, channel="C9999999999")).send(
            digest()
        )


def test_missing_scope_names_the_scope(slack: SlackStandIn) -> None:
    slack.script("chat.postMessage", slack_error("missing_scope", needed="chat:write"))
    with pytest.raises(NotifyError, match=r"lacks the scope chat:write.*Bot Token Scopes"):
        SlackBotNotifier(bot_settings(slack), retries=FAST).send(digest())


def test_chart_upload_failure_is_a_partial_delivery_the_message_stands(
    slack: SlackStandIn,
) -> None:
    slack.script("files.getUploadURLExternal", slack_error("missing_scope", needed="files:write"))
    notifier = SlackBotNotifier(bot_settings(slack), retries=FAST)
    with pytest.raises(PartialDeliveryError, match="files:write") as caught:
        notifier.send(digest(), chart=PNG)
    assert "files.getUploadURLExternal" in str(caught.value)
    assert len([m for m in slack.messages if "blocks" in m]) == 1
    slack.script("files.getUploadURLExternal", slack_error("missing_scope", needed="files:write"))
    delivery = NotifierManager([notifier]).deliver(digest(), lambda: PNG)
    assert delivery.ok and delivery.sent == ("slack",)
    assert "files:write" in delivery.warnings["slack"]


def test_auth_check_reports_missing_scopes(slack: SlackStandIn) -> None:
    notifier = SlackBotNotifier(bot_settings(slack), retries=FAST)
    info = notifier.check()
    assert info["user"] == "bubble-bot" and info["missing_scopes"] == []
    slack.scopes = "chat:write"
    assert notifier.check()["missing_scopes"] == ["files:write"]


def test_unreachable_slack_is_a_notify_error_without_the_token() -> None:
    with SlackStandIn() as gone:
        settings = bot_settings(gone)
    with pytest.raises(NotifyError, match="cannot reach Slack") as caught:
        SlackBotNotifier(settings, retries=FAST).send(digest())
    assert TOKEN not in str(caught.value)


def test_webhook_posts_the_same_blocks(slack: SlackStandIn) -> None:
    settings = slack_settings({"SLACK_WEBHOOK_URL": slack.webhook_url})
    assert settings.mode == "webhook"
    SlackWebhookNotifier(settings, retries=FAST).send(digest(), chart=PNG)
    (message,) = slack.messages
    assert message["blocks"][0]["text"]["text"].startswith("AI bubble index 61/100")
    assert slack.uploads == {}


def test_webhook_retries_then_reports_errors_without_the_url(slack: SlackStandIn) -> None:
    settings = slack_settings({"SLACK_WEBHOOK_URL": slack.webhook_url})
    slack.script("webhook", rate_limited(1))
    SlackWebhookNotifier(settings, retries=FAST).send(digest())
    assert len(slack.calls("webhook")) == 2
    from tests.slack_server import Scripted

    slack.script("webhook", Scripted(404, "no_service"))
    with pytest.raises(NotifyError, match=r"no_service.*create a new one") as caught:
        SlackWebhookNotifier(settings, retries=FAST).send(digest())
    assert slack.webhook_url not in str(caught.value) and "webhooksecret" not in str(caught.value)


def test_no_token_in_logs(slack: SlackStandIn, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    slack.script("chat.postMessage", server_error(500), slack_error("not_in_channel"))
    manager = NotifierManager([SlackBotNotifier(bot_settings(slack), retries=FAST)])
    assert not manager.deliver(digest()).ok
    assert caplog.records and TOKEN not in caplog.text


def test_settings_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ConfigError, match=r"not a channel ID.*C0123ABCDEF"):
        slack_settings({"SLACK_BOT_TOKEN": TOKEN, "SLACK_CHANNEL": "#general"})
    with pytest.raises(ConfigError, match="SLACK_CHANNEL is not"):
        slack_settings({"SLACK_BOT_TOKEN": TOKEN})
    with pytest.raises(ConfigError, match="does not look like a Slack token") as caught:
        slack_settings({"SLACK_BOT_TOKEN": "hunter2", "SLACK_CHANNEL": CHANNEL})
    assert "hunter2" not in str(caught.value)
    with pytest.raises(ConfigError, match="BUBBLE_MONITOR_SLACK_BASE_URL"):
        slack_settings({"BUBBLE_MONITOR_SLACK_BASE_URL": "ftp://x"})
    # The bot token would travel in clear over plain http: only loopback may use it.
    for url in ("http://slack.example.com/api/", "http://10.0.0.5/api/", "http://[::2]/"):
        with pytest.raises(ConfigError, match=r"BUBBLE_MONITOR_SLACK_BASE_URL.*https"):
            slack_settings({"BUBBLE_MONITOR_SLACK_BASE_URL": url})
    with pytest.raises(ConfigError, match=r"SLACK_WEBHOOK_URL.*https") as plain_hook:
        slack_settings({"SLACK_WEBHOOK_URL": "http://hooks.example.com/services/T/B/sekrit"})
    assert "sekrit" not in str(plain_hook.value)
    for url in ("http://127.0.0.1:8080/api/", "http://localhost:9/", "http://[::1]:5/"):
        assert slack_settings({"BUBBLE_MONITOR_SLACK_BASE_URL": url}).base_url.startswith(url)
    mirror = slack_settings({"BUBBLE_MONITOR_SLACK_BASE_URL": "https://slack.mirror.test/api"})
    assert mirror.base_url == "https://slack.mirror.test/api/"
    settings = slack_settings({"SLACK_BOT_TOKEN": TOKEN, "SLACK_CHANNEL": CHANNEL})
    assert settings.mode == "bot" and settings.base_url == "https://slack.com/api/"
    assert TOKEN not in repr(settings) and "xoxb-***" in repr(settings)
    hook = slack_settings({"SLACK_WEBHOOK_URL": "https://hooks.slack.com/services/T/B/sekrit"})
    assert "sekrit" not in repr(hook) and "sekrit" not in str(hook)
    assert slack_settings({}).mode == "none"
    monkeypatch.setenv("SLACK_WEBHOOK_URL", "https://hooks.slack.com/services/T/B/x")
    assert slack_settings().mode == "webhook"


def test_build_notifier_picks_the_channel(slack: SlackStandIn) -> None:
    (bot,) = build_notifier(bot_settings(slack)).notifiers
    assert isinstance(bot, SlackBotNotifier)
    hook_settings = slack_settings({"SLACK_WEBHOOK_URL": slack.webhook_url})
    (hook,) = build_notifier(hook_settings).notifiers
    assert isinstance(hook, SlackWebhookNotifier)
    (console,) = build_notifier(slack_settings({})).notifiers
    assert isinstance(console, ConsoleNotifier)
