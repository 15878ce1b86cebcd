"""`report --slack` after a Slack 5xx: Slack may have posted the report, so the error must
not say "not sent" (the user would send it again and the channel get it twice)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from slack_sdk.http_retry import FixedValueRetryIntervalCalculator

from monitor.config.feeds_yaml import Config
from monitor.config.secrets import slack_settings
from monitor.errors import NotifyError
from monitor.notify import NotifierManager
from monitor.notify.slack import SlackWebhookNotifier, retry_handlers
from monitor.stages.alerts import send_report
from monitor.store import Store
from signals.models import Component, IndexReading
from tests.slack_server import Scripted, SlackStandIn, server_error

T0 = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
FAST = retry_handlers(interval=FixedValueRetryIntervalCalculator(0.01))


def _send(slack: SlackStandIn, db: Path) -> None:
    notifier = SlackWebhookNotifier(
        slack_settings({"SLACK_WEBHOOK_URL": slack.webhook_url}), retries=FAST
    )
    comp = Component("overextension", "market", 40.0, 1.0, 40.0, "detail")
    reading = IndexReading(T0, 40.0, "warming", None, (comp,))
    with Store(db) as store:
        send_report(store, Config(basket=("NVDA",)), reading, NotifierManager([notifier]), now=T0)


def test_a_5xx_says_the_report_may_have_been_sent(tmp_path: Path) -> None:
    with SlackStandIn() as slack:
        slack.script("webhook", server_error(503))
        with pytest.raises(NotifyError) as caught:
            _send(slack, tmp_path / "m.db")
        assert len(slack.calls("webhook")) == 1
    message = str(caught.value)
    assert message.startswith("report may have been sent (slack-webhook: ")
    assert "check the channel" in message


def test_a_refusal_still_says_not_sent(tmp_path: Path) -> None:
    with SlackStandIn() as slack:
        slack.script("webhook", Scripted(403, "invalid_token"))  # what Slack answers a revoked URL
        with pytest.raises(NotifyError, match=r"^report not sent \("):
            _send(slack, tmp_path / "m.db")
