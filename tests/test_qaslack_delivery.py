"""Delivery as an operator meets it: the real slack-sdk clients against the local Slack
stand-in (tests/slack_server.py) on 127.0.0.1, through real HTTP."""

from __future__ import annotations

import io
import logging
import threading
import time
from collections.abc import Iterator

import pytest
from slack_sdk.http_retry import FixedValueRetryIntervalCalculator

from monitor.config.secrets import SlackSettings, slack_settings
from monitor.errors import NotifyError, UncertainDeliveryError
from monitor.notify import NotifierManager
from monitor.notify.base import Delivery, stopping
from monitor.notify.slack import SlackBotNotifier, SlackWebhookNotifier, retry_handlers
from signals.models import Alert
from tests.slack_server import (
    CHANNEL,
    TOKEN,
    Scripted,
    SlackStandIn,
    rate_limited,
    server_error,
    slack_error,
)

FAST = retry_handlers(interval=FixedValueRetryIntervalCalculator(0.01))
ALERT = Alert("digest", "digest:2026-12-07", "Daily digest", "Index 16, regime calm.", None)


@pytest.fixture
def slack() -> Iterator[SlackStandIn]:
    with SlackStandIn() as server:
        yield server
    stopping.clear()  # process-wide: a test below sets it to free a stuck sender


def bot(slack: SlackStandIn, channel: str = CHANNEL) -> SlackBotNotifier:
    return SlackBotNotifier(SlackSettings(TOKEN, channel, None, slack.base_url), retries=FAST)


def webhook(url: str) -> SlackWebhookNotifier:
    return SlackWebhookNotifier(slack_settings({"SLACK_WEBHOOK_URL": url}), retries=FAST)


def deliver_within(seconds: float, manager: NotifierManager) -> tuple[Delivery | None, float]:
    """Deliver in a thread; (the delivery or None when still waiting, seconds taken)."""
    result: dict[str, Delivery] = {}
    sender = threading.Thread(target=lambda: result.update(d=manager.deliver(ALERT)))
    t0 = time.monotonic()
    sender.start()
    sender.join(seconds)
    taken = time.monotonic() - t0
    if sender.is_alive():
        stopping.set()  # let the stuck wait end before the test fails
        sender.join(5)
    return result.get("d") if taken < seconds else None, taken


def test_an_hour_long_retry_after_is_not_slept_out(slack: SlackStandIn) -> None:
    """Slack answering 429 with Retry-After: 3600 held the index job (and `report --slack`)
    for two hours (two retries). Now the send gives up at once and says so: the claim is
    released and the next hourly run sends the alert."""
    slack.script("chat.postMessage", rate_limited(3600))
    delivery, taken = deliver_within(10, NotifierManager([bot(slack)]))
    assert delivery is not None, f"still waiting after {taken:.0f} s"
    assert not delivery.ok and len(slack.calls("chat.postMessage")) == 1
    reason = delivery.failed["slack"]
    assert "ratelimited" in reason and "3600 s" in reason and "next run" in reason


def test_a_short_retry_after_is_still_waited_and_retried(slack: SlackStandIn) -> None:
    slack.script("chat.postMessage", rate_limited(1))
    delivery, _ = deliver_within(10, NotifierManager([bot(slack)]))
    assert delivery is not None and delivery.ok and len(slack.calls("chat.postMessage")) == 2


def test_a_retry_after_given_as_a_date_is_understood(slack: SlackStandIn) -> None:
    """RFC 9110 allows an HTTP date; float() of it raised ValueError inside slack-sdk and
    the alert failed with "could not convert string to float"."""
    past = "Wed, 21 Oct 2015 07:28:00 GMT"  # already passed: retry at once
    slack.script(
        "chat.postMessage",
        Scripted(429, {"ok": False, "error": "ratelimited"}, {"Retry-After": past}),
    )
    delivery, _ = deliver_within(10, NotifierManager([bot(slack)]))
    assert delivery is not None and delivery.ok, delivery
    assert len(slack.calls("chat.postMessage")) == 2


@pytest.mark.parametrize("error", ["channel_not_found", "not_in_channel", "is_archived"])
def test_a_channel_error_names_the_channel(slack: SlackStandIn, error: str) -> None:
    slack.script("chat.postMessage", slack_error(error))
    with pytest.raises(NotifyError) as caught:
        bot(slack).send(ALERT)
    assert error in str(caught.value) and CHANNEL in str(caught.value)
    assert TOKEN not in str(caught.value)


def test_an_unknown_channel_from_the_server_names_it(slack: SlackStandIn) -> None:
    with pytest.raises(NotifyError, match=r"channel_not_found\) for channel C9999999999"):
        bot(slack, channel="C9999999999").send(ALERT)


def test_a_rate_limited_webhook_says_so_not_check_the_webhook(slack: SlackStandIn) -> None:
    slack.script("webhook", *(rate_limited(0) for _ in range(3)))
    with pytest.raises(NotifyError) as caught:
        webhook(slack.webhook_url).send(ALERT)
    message = str(caught.value)
    assert "HTTP 429" in message and "rate-limit" in message
    assert "check the webhook" not in message


def test_a_webhook_server_error_is_not_resent(slack: SlackStandIn) -> None:
    # A webhook's channel cannot be read back: after a 5xx Slack may have posted it.
    slack.script("webhook", *(server_error(500) for _ in range(3)))
    with pytest.raises(UncertainDeliveryError) as caught:
        webhook(slack.webhook_url).send(ALERT)
    message = str(caught.value)
    assert "HTTP 500" in message and "not resent" in message and "check the channel" in message
    assert "<html>" not in message
    assert len(slack.calls("webhook")) == 1


@pytest.fixture
def root_log() -> Iterator[io.StringIO]:
    """Everything logged at INFO, as an application with basicConfig(level=INFO) sees it
    (the service's own handler redacts; a host application's does not)."""
    text = io.StringIO()
    handler = logging.StreamHandler(text)
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield text
    root.removeHandler(handler)
    root.setLevel(level)


def test_slack_sdk_never_logs_the_webhook_url(root_log: io.StringIO) -> None:
    """slack-sdk logs "Going to retry the same request: POST <url>" at INFO: the webhook
    URL is the secret. Its loggers now redact it before any handler sees it."""
    with SlackStandIn() as gone:
        url = gone.webhook_url
    delivery = NotifierManager([webhook(url)]).deliver(ALERT)
    assert not delivery.ok and "cannot reach" in delivery.failed["slack-webhook"]
    assert "Going to retry" in root_log.getvalue()  # the lines are kept, redacted
    assert "webhooksecret" not in root_log.getvalue()


def test_an_unexpected_client_error_is_redacted(slack: SlackStandIn, root_log: io.StringIO) -> None:
    """A webhook URL with a space inside (pasted with a stray blank) passes the settings
    check; http.client's InvalidURL then quoted the secret path in the failure, the log
    and the job log."""
    delivery = NotifierManager([webhook(slack.webhook_url + " x")]).deliver(ALERT)
    assert not delivery.ok
    reason = delivery.failed["slack-webhook"]
    assert "webhooksecret" not in reason and "InvalidURL" in reason
    assert "webhooksecret" not in root_log.getvalue()


def test_an_unexpected_bot_error_is_redacted(slack: SlackStandIn, root_log: io.StringIO) -> None:
    base = f"{slack.root}/api/{TOKEN}/ x/"  # a base URL that carries the token, and a blank
    notifier = SlackBotNotifier(SlackSettings(TOKEN, CHANNEL, None, base), retries=FAST)
    delivery = NotifierManager([notifier]).deliver(ALERT)
    assert not delivery.ok and TOKEN not in delivery.failed["slack"]
    assert TOKEN not in root_log.getvalue()


def test_a_refused_chart_upload_says_what_slack_answered(slack: SlackStandIn) -> None:
    """The upload to the URL files.getUploadURLExternal hands out answered 500 (or 429):
    the warning said "cannot reach Slack for files_upload_v2 at <base URL>", pointing the
    operator at the network, not at Slack's answer."""
    slack.script("upload", server_error(500))
    delivery = NotifierManager([bot(slack)]).deliver(ALERT, lambda: b"\x89PNG chart")
    assert delivery.ok and len(slack.messages) == 1  # the message stands
    warning = delivery.warnings["slack"]
    assert "HTTP 500" in warning and "upload" in warning and "cannot reach" not in warning
    assert CHANNEL in warning


def test_a_webhook_asking_for_an_hour_is_not_waited_either(slack: SlackStandIn) -> None:
    slack.script("webhook", rate_limited(3600))
    delivery, taken = deliver_within(10, NotifierManager([webhook(slack.webhook_url)]))
    assert delivery is not None, f"still waiting after {taken:.0f} s"
    reason = delivery.failed["slack-webhook"]
    assert "HTTP 429" in reason and "3600 s" in reason and "webhooksecret" not in reason
    assert len(slack.calls("webhook")) == 1


def test_a_traceback_of_a_slack_failure_carries_no_secret(slack: SlackStandIn) -> None:
    """slack-sdk's SlackApiError holds the request (headers with the bearer token); the
    NotifyError is raised `from None`, so a logged traceback does not show it."""
    import traceback

    slack.script("chat.postMessage", slack_error("invalid_auth"))
    with pytest.raises(NotifyError) as caught:
        bot(slack).send(ALERT)
    shown = "".join(traceback.format_exception(caught.value))
    assert "invalid_auth" in shown and TOKEN not in shown and "SlackApiError" not in shown
    assert caught.value.__cause__ is None and caught.value.__suppress_context__
    with SlackStandIn() as gone:
        url = gone.webhook_url
    with pytest.raises(NotifyError) as caught:
        webhook(url).send(ALERT)
    assert "webhooksecret" not in "".join(traceback.format_exception(caught.value))
