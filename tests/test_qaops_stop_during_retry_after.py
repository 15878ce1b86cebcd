"""Stopping the service while Slack says "wait" no longer loses the alert.

Found on the qaops walk (2026-12-07), with `serve` against the local Slack stand-in
answering the day's digest with 429 and `Retry-After: 30`, then SIGTERM (a routine
`systemctl restart`): the index job slept out the Retry-After inside slack-sdk, the
service gave up on it at its 8 s stop deadline and exited, and the digest's claim, taken
before sending, stayed claimed with no delivery. After the restart the policy saw it as
sent: that day's digest never went out (0 messages delivered, 1 postMessage call). A 429
means Slack did not take the message, so the wait now ends when the service stops: the
send fails, its claim is released, and the next start sends it.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator

import pytest

from monitor.config.secrets import SlackSettings
from monitor.notify.base import NotifierManager, stopping
from monitor.notify.slack import SlackBotNotifier
from monitor.service.lifecycle import StopSignals
from signals.models import Alert
from tests.slack_server import CHANNEL, SlackStandIn, rate_limited


@pytest.fixture
def slack() -> Iterator[SlackStandIn]:
    with SlackStandIn() as server:
        yield server
    stopping.clear()  # process-wide: leave it as found


def test_a_retry_after_wait_ends_when_the_service_stops_and_the_send_fails(
    slack: SlackStandIn,
) -> None:
    slack.script("chat.postMessage", rate_limited(30))
    settings = SlackSettings(slack.token, CHANNEL, None, slack.base_url)
    manager = NotifierManager([SlackBotNotifier(settings)])
    alert = Alert("digest", "digest:2026-12-07", "AI bubble index 16", "digest", None)
    result: dict[str, object] = {}
    sender = threading.Thread(target=lambda: result.update(d=manager.deliver(alert)))
    sender.start()
    deadline = time.monotonic() + 10
    while not slack.calls("chat.postMessage") and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.2)  # inside the Retry-After wait now
    t0 = time.monotonic()
    stopping.set()
    sender.join(10)
    assert time.monotonic() - t0 < 2  # not the 30 s Slack asked for
    delivery = result["d"]
    assert not delivery.ok  # type: ignore[attr-defined]
    assert "ratelimited" in delivery.failed["slack"]  # type: ignore[attr-defined]
    assert len(slack.calls("chat.postMessage")) == 1 and slack.messages == []


def test_a_rate_limited_send_still_waits_and_retries_while_running(slack: SlackStandIn) -> None:
    slack.script("chat.postMessage", rate_limited(1))
    settings = SlackSettings(slack.token, CHANNEL, None, slack.base_url)
    manager = NotifierManager([SlackBotNotifier(settings)])
    delivery = manager.deliver(Alert("digest", "digest:x", "t", "body", None))
    assert delivery.ok and len(slack.messages) == 1


def test_the_stop_signal_tells_the_notifiers(slack: SlackStandIn) -> None:
    signals = StopSignals()
    signals._handle(signal.SIGTERM, None)
    assert signals.event.is_set() and stopping.is_set()
