"""An alert whose chat.postMessage answer is lost reaches the channel once.

Before: a post Slack took whose answer timed out failed the send; the alert stage released
its claim and the next run posted it again (two messages). A connection closed after the
request went out was retried at once by slack-sdk (two messages in one send). Now every
post carries metadata with the alert's id, and after a lost answer the channel's history
is searched for it before any resend (monitor.notify.slack_post). The real slack-sdk
WebClient against the local stand-in (tests/qaservice_slack.py), a real SQLite store, the
real alert stage.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from slack_sdk.http_retry import FixedValueRetryIntervalCalculator

from monitor.config.feeds_yaml import Config
from monitor.config.secrets import SlackSettings
from monitor.notify import NotifierManager
from monitor.notify.slack import SlackBotNotifier, SlackWebhookNotifier
from monitor.notify.slack_retry import retry_handlers
from monitor.stages.alerts import dispatch
from monitor.store import Store
from monitor.store.alerts import sent_alerts
from monitor.store.readings import save_reading
from signals.models import Component, IndexReading
from tests.qaservice_slack import SlackWithHistory
from tests.slack_server import CHANNEL, TOKEN

CONFIG = Config(basket=("NVDA",))
T0 = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)  # 10:00 New York: the digest is due
FAST = retry_handlers(interval=FixedValueRetryIntervalCalculator(0.01))
TIMEOUT = 0.5


@pytest.fixture
def slack() -> Iterator[SlackWithHistory]:
    with SlackWithHistory(hold_seconds=3 * TIMEOUT) as server:
        yield server


def _manager(slack: SlackWithHistory) -> NotifierManager:
    settings = SlackSettings(TOKEN, CHANNEL, None, slack.base_url)
    return NotifierManager([SlackBotNotifier(settings, retries=FAST, timeout=TIMEOUT)])


def _run(
    store: Store,
    slack: SlackWithHistory,
    at: datetime,
    warnings: list[str],
    manager: NotifierManager | None = None,
) -> list[str]:
    """One index run's alert stage at `at` (a reading of 40: the digest is due)."""
    manager = manager or _manager(slack)
    comp = Component("overextension", "market", 40.0, 1.0, 40.0, "detail")
    reading = IndexReading(at, 40.0, "warming", None, (comp,))
    save_reading(store, reading, computed_at=at)
    sent = dispatch(store, CONFIG, reading, manager, now=at, on_warning=warnings.append)
    return [a.dedup_key for a in sent]


def _digests(slack: SlackWithHistory) -> list[str]:
    return [str(m.get("text")) for m in slack.posted() if "digest" in str(m.get("text"))]


def test_a_post_whose_answer_timed_out_is_in_the_channel_once(
    store: Store, slack: SlackWithHistory
) -> None:
    slack.lose_answers(1)
    warnings: list[str] = []
    assert _run(store, slack, T0, warnings) == ["digest:2026-03-02"]  # found in the history
    assert _run(store, slack, T0 + timedelta(hours=1), warnings) == []
    assert len(_digests(slack)) == 1, _digests(slack)
    assert len(slack.calls("conversations.history")) == 1
    [stored] = sent_alerts(store, since=T0)
    assert stored.sent_at is not None
    meta = slack.posted()[0]["metadata"]
    assert meta == {
        "event_type": "bubble_monitor_alert",
        "event_payload": {"alert_id": "digest:2026-03-02"},
    }


def test_a_connection_closed_after_the_post_is_not_resent(
    store: Store, slack: SlackWithHistory
) -> None:
    slack.drop_answers(1)
    assert _run(store, slack, T0, []) == ["digest:2026-03-02"]
    assert len(_digests(slack)) == 1, _digests(slack)
    assert len(slack.calls("chat.postMessage")) == 1


def test_a_lost_answer_of_a_post_slack_did_not_keep_is_posted_again(
    store: Store, slack: SlackWithHistory
) -> None:
    """The answer lost and the channel shows no such post: it is sent once more."""
    slack.lose_answers(1)
    slack.messages_lost = True  # the stand-in forgets the first post (Slack never kept it)
    assert _run(store, slack, T0, []) == ["digest:2026-03-02"]
    assert len(slack.calls("chat.postMessage")) == 2
    assert len(_digests(slack)) == 1


def test_without_the_history_scope_a_lost_answer_is_not_resent_and_said(
    store: Store, slack: SlackWithHistory
) -> None:
    slack.scopes = "chat:write,files:write"
    slack.lose_answers(1)
    manager = _manager(slack)
    assert _run(store, slack, T0, [], manager) == []
    [failure] = manager.take_failures()  # what the service's job log keeps
    assert failure.key == "digest:2026-03-02" and failure.channel == "slack"
    assert "not resent" in failure.error and "channels:history" in failure.error
    assert TOKEN not in failure.error
    [claim] = sent_alerts(store)
    assert claim.sent_at is None  # kept claimed: no run posts it again
    assert _run(store, slack, T0 + timedelta(hours=1), []) == []
    assert len(_digests(slack)) == 1


def test_a_webhook_post_whose_answer_timed_out_is_not_posted_again(
    store: Store, slack: SlackWithHistory
) -> None:
    """A webhook's channel cannot be read back: after a lost answer the alert is kept
    claimed and named in the job log, not posted a second time by the next run."""
    settings = SlackSettings(None, None, slack.webhook_url, None)
    manager = NotifierManager([SlackWebhookNotifier(settings, retries=FAST, timeout=TIMEOUT)])
    slack.lose_answers(1)
    assert _run(store, slack, T0, [], manager) == []
    [failure] = manager.take_failures()
    assert "not resent" in failure.error and "webhooksecret" not in failure.error
    assert _run(store, slack, T0 + timedelta(hours=1), [], manager) == []
    assert len(slack.calls("webhook")) == 1
