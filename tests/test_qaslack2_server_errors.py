"""A Slack server error (5xx) on a post never puts the alert in the channel twice.

Before: slack-sdk's ServerErrorRetryHandler resent chat.postMessage at once after a 500 or
503, and a 502 or 504 failed the send, so the alert stage released its claim and the next
run posted again. Slack (or a proxy before it) may answer a 5xx after the message was
posted: either way the channel got the alert twice. Now a 5xx on chat.postMessage follows
the lost-answer path (monitor.notify.slack_post): the channel's history is read for the
alert's metadata before any resend; the webhook, which cannot read its channel, does not
resend; files.completeUploadExternal is not repeated. Reads are still retried.

The real slack-sdk clients, real HTTP to the local stand-in (tests/qaservice_slack.py,
here taught to answer a 5xx *after* it recorded the post), a real SQLite store and the
real alert stage, run twice an hour apart as the service does.
"""

from __future__ import annotations

import json
from collections import defaultdict, deque
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from slack_sdk.http_retry import FixedValueRetryIntervalCalculator
from typer.testing import CliRunner

from monitor.cli.app import app
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
from tests.slack_server import CHANNEL, TOKEN, Scripted, server_error, slack_error

CONFIG = Config(basket=("NVDA",))
T0 = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)  # 10:00 New York: the digest is due
KEY = "digest:2026-03-02"
FAST = retry_handlers(interval=FixedValueRetryIntervalCalculator(0.01))
#: A proxy's or Slack's error page, with what a careless client might quote or parse.
HOSTILE_HTML = (
    "<!DOCTYPE html><html><head><title>503 Service Unavailable</title></head><body>"
    '<script>alert("x")</script><p>{"ok": true, "ts": "1.000001"}</p>'
    + "<!-- padding -->" * 500
    + "</body></html>"
)


class RawBody(str):
    """A reply body the stand-in sends as these bytes, not as UTF-8 (the stand-in encodes
    a text body with `.encode()`): a proxy's page in another charset."""

    raw: bytes

    def __new__(cls, raw: bytes) -> RawBody:
        body = super().__new__(cls, raw.decode("latin-1"))
        body.raw = raw
        return body

    def encode(self, encoding: str = "utf-8", errors: str = "strict") -> bytes:
        return self.raw


NOT_UTF8_PAGE = RawBody(b"\xff\xfe<html>502 Bad Gateway \xe9\xe8</html>")


class SlackFailingAfter(SlackWithHistory):
    """The stand-in, plus `fail_after(method, *replies)`: the next calls of `method` are
    handled (a post recorded, a file shared) and then answered with `replies` instead, as
    Slack or a proxy answering 5xx after Slack did the work."""

    def __init__(self) -> None:
        super().__init__()
        self._after: dict[str, deque[Scripted]] = defaultdict(deque)

    def fail_after(self, method: str, *replies: Scripted) -> None:
        self._after[method].extend(replies)

    def handle(self, path: str, headers: dict[str, str], body: bytes) -> Scripted:
        reply = super().handle(path, headers, body)
        pending = self._after[self._kind(path)]
        return pending.popleft() if pending else reply

    def order(self) -> list[str]:
        """The Web API methods called, in order (uploads and webhooks left out)."""
        return [r.path.rsplit("/", 1)[-1] for r in self.requests if r.path.startswith("/api/")]


@pytest.fixture
def slack() -> Iterator[SlackFailingAfter]:
    with SlackFailingAfter() as server:
        yield server


def _bot(slack: SlackFailingAfter) -> NotifierManager:
    settings = SlackSettings(TOKEN, CHANNEL, None, slack.base_url)
    notifier = SlackBotNotifier(settings, retries=FAST, timeout=2.0, server_error_pause=0.05)
    return NotifierManager([notifier])


def _webhook(slack: SlackFailingAfter) -> NotifierManager:
    settings = SlackSettings(None, None, slack.webhook_url, None)
    return NotifierManager([SlackWebhookNotifier(settings, retries=FAST, timeout=2.0)])


def _run(store: Store, manager: NotifierManager, at: datetime) -> list[str]:
    """One index run's alert stage at `at` (a reading of 40: the digest is due)."""
    comp = Component("overextension", "market", 40.0, 1.0, 40.0, "detail")
    reading = IndexReading(at, 40.0, "warming", None, (comp,))
    save_reading(store, reading, computed_at=at)
    sent = dispatch(store, CONFIG, reading, manager, now=at, on_warning=lambda _: None)
    return [a.dedup_key for a in sent]


def _two_runs(store: Store, manager: NotifierManager) -> tuple[list[str], list[str]]:
    return _run(store, manager, T0), _run(store, manager, T0 + timedelta(hours=1))


def _digests(slack: SlackFailingAfter) -> list[str]:
    return [str(m.get("text")) for m in slack.posted() if "digest" in str(m.get("text"))]


def _webhook_digests(slack: SlackFailingAfter) -> list[str]:
    return [str(m.get("text")) for m in slack.messages if "ts" not in m]


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_a_post_slack_kept_before_a_5xx_is_in_the_channel_once(
    store: Store, slack: SlackFailingAfter, status: int
) -> None:
    """Old code: 500/503 resent at once (two messages in one run); 502/504 failed the
    send, released the claim, and the next run posted it again."""
    slack.fail_after("chat.postMessage", server_error(status))
    manager = _bot(slack)
    assert _two_runs(store, manager) == ([KEY], [])
    assert len(_digests(slack)) == 1, _digests(slack)
    assert len(slack.calls("chat.postMessage")) == 1
    assert slack.order()[:2] == ["chat.postMessage", "conversations.history"]
    [stored] = sent_alerts(store, since=T0)
    assert stored.sent_at is not None and manager.take_failures() == []
    # The chart still threads under the message the history showed.
    [done] = slack.completed
    assert done["thread_ts"] == slack.posted()[0]["ts"]


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_a_5xx_without_a_post_is_posted_again_after_the_channel_shows_none(
    store: Store, slack: SlackFailingAfter, status: int
) -> None:
    """Old code: 500/503 resent blindly (no look at the channel), 502/504 not at all in
    that run. The history read itself answers 503 once: reads are still retried."""
    slack.script("chat.postMessage", server_error(status))
    slack.script("conversations.history", server_error(503))
    assert _run(store, _bot(slack), T0) == [KEY]
    assert len(_digests(slack)) == 1
    assert slack.order()[:4] == [
        "chat.postMessage",
        "conversations.history",  # 503, retried by slack-sdk
        "conversations.history",
        "chat.postMessage",
    ]


def test_an_html_5xx_is_named_by_its_status_and_never_parsed_as_an_answer(
    store: Store, slack: SlackFailingAfter
) -> None:
    """A proxy's HTML page (with JSON-looking text in it) on both posts, Slack keeping
    neither: two posts, each after a look at the channel, then the claim is released with
    a message that names the status and quotes none of the page. Old code: three posts."""
    page = Scripted(503, HOSTILE_HTML)
    slack.script("chat.postMessage", page, page)
    manager = _bot(slack)
    assert _run(store, manager, T0) == []
    assert _digests(slack) == [] and len(slack.calls("chat.postMessage")) == 2
    assert slack.order() == ["chat.postMessage", "conversations.history"] * 2
    [failure] = manager.take_failures()
    assert "a server error (HTTP 503) in 2 tries" in failure.error
    assert "channel shows no such post" in failure.error
    assert "<" not in failure.error and "script" not in failure.error
    assert sent_alerts(store) == []  # released: the channel showed it was not posted
    assert _run(store, manager, T0 + timedelta(hours=1)) == [KEY]
    assert len(_digests(slack)) == 1


def test_a_5xx_page_that_is_not_utf8_is_checked_not_resent(
    store: Store, slack: SlackFailingAfter
) -> None:
    """slack-sdk decodes the body before it looks at the status: a page that is not UTF-8
    raised UnicodeDecodeError, which old code took for a plain failure: the claim was
    released and the next run posted the alert again."""
    slack.fail_after("chat.postMessage", Scripted(502, NOT_UTF8_PAGE))
    assert _two_runs(store, _bot(slack)) == ([KEY], [])
    assert len(_digests(slack)) == 1 and len(slack.calls("chat.postMessage")) == 1
    assert slack.order()[:2] == ["chat.postMessage", "conversations.history"]


def test_a_500_whose_body_says_ok_is_still_checked(store: Store, slack: SlackFailingAfter) -> None:
    """A 500 carrying `{"ok": true}` is no success (slack-sdk raises on any non-200); the
    post Slack kept is found in the channel, not posted twice."""
    slack.fail_after("chat.postMessage", Scripted(500, {"ok": True, "ts": "1.000001"}))
    assert _two_runs(store, _bot(slack)) == ([KEY], [])
    assert len(_digests(slack)) == 1 and len(slack.calls("chat.postMessage")) == 1


def test_a_5xx_then_no_history_scope_keeps_the_claim_and_says_why(
    store: Store, slack: SlackFailingAfter
) -> None:
    """The channel cannot be checked (no channels:history): not resent, claim kept, the
    job log says what happened and what to do. Old code: two messages."""
    slack.scopes = "chat:write,files:write"
    slack.fail_after("chat.postMessage", Scripted(500, HOSTILE_HTML))
    manager = _bot(slack)
    assert _two_runs(store, manager) == ([], [])
    [failure] = manager.take_failures()
    assert failure.key == KEY and failure.channel == "slack"
    assert "a server error (HTTP 500) after the post went out" in failure.error
    assert "missing_scope" in failure.error or "channels:history" in failure.error
    assert "not resent" in failure.error and "check the channel" in failure.error
    assert TOKEN not in failure.error and "<" not in failure.error
    [claim] = sent_alerts(store)
    assert claim.sent_at is None  # kept claimed: no run posts it again
    assert len(_digests(slack)) == 1 and len(slack.calls("chat.postMessage")) == 1


def test_a_5xx_then_a_failing_history_is_not_resent(store: Store, slack: SlackFailingAfter) -> None:
    """The history read fails too (503 through slack-sdk's two retries): not resent."""
    slack.fail_after("chat.postMessage", server_error(502))
    slack.script("conversations.history", *(server_error(503) for _ in range(3)))
    manager = _bot(slack)
    assert _two_runs(store, manager) == ([], [])
    [failure] = manager.take_failures()
    assert "HTTP 502" in failure.error and "HTTP 503" in failure.error
    assert "not resent" in failure.error
    assert len(slack.calls("conversations.history")) == 3
    assert len(_digests(slack)) == 1


def test_internal_error_after_the_post_is_checked_not_resent(
    store: Store, slack: SlackFailingAfter
) -> None:
    """Slack documents internal_error and fatal_error as "it's possible some aspect of the
    operation succeeded". Old code: the send failed, the next run posted it again."""
    slack.fail_after("chat.postMessage", slack_error("internal_error"))
    assert _two_runs(store, _bot(slack)) == ([KEY], [])
    assert len(_digests(slack)) == 1


def test_a_refusal_is_not_taken_for_a_server_error(store: Store, slack: SlackFailingAfter) -> None:
    """not_in_channel says the post was not made: no history read, the fix is named."""
    slack.script("chat.postMessage", slack_error("not_in_channel"))
    manager = _bot(slack)
    assert _run(store, manager, T0) == []
    [failure] = manager.take_failures()
    assert "/invite" in failure.error
    assert slack.calls("conversations.history") == []


def test_a_chart_share_answered_500_is_not_shared_twice(
    store: Store, slack: SlackFailingAfter
) -> None:
    """files.completeUploadExternal shares the chart into the thread: after a 500 it is
    not repeated (old code: two charts). The alert counts as sent, the warning says why."""
    slack.fail_after("files.completeUploadExternal", server_error(500))
    warnings: list[str] = []
    comp = Component("overextension", "market", 40.0, 1.0, 40.0, "detail")
    reading = IndexReading(T0, 40.0, "warming", None, (comp,))
    save_reading(store, reading, computed_at=T0)
    sent = dispatch(store, CONFIG, reading, _bot(slack), now=T0, on_warning=warnings.append)
    assert [a.dedup_key for a in sent] == [KEY]
    assert len(slack.completed) == 1 and len(slack.calls("files.completeUploadExternal")) == 1
    [warning] = [w for w in warnings if "chart" in w]
    assert "HTTP 500" in warning and "not retried" in warning


@pytest.mark.parametrize("status", [500, 503])
def test_a_webhook_post_answered_5xx_is_not_posted_again(
    store: Store, slack: SlackFailingAfter, status: int
) -> None:
    """Slack posted it, then answered 5xx. Old code: slack-sdk resent it (500/503) up to
    twice, and the next run once more. Now: one post, the claim kept, the job log says
    why and to check the channel."""
    slack.fail_after("webhook", *(server_error(status) for _ in range(3)))
    manager = _webhook(slack)
    assert _two_runs(store, manager) == ([], [])
    assert len(_webhook_digests(slack)) == 1 and len(slack.calls("webhook")) == 1
    [failure] = manager.take_failures()
    assert failure.channel == "slack-webhook"
    assert f"a server error (HTTP {status}) after the post went out" in failure.error
    assert "not resent" in failure.error and "check the channel" in failure.error
    assert "webhooksecret" not in failure.error and "<html>" not in failure.error
    [claim] = sent_alerts(store)
    assert claim.sent_at is None


def test_a_webhook_page_that_is_not_utf8_is_not_posted_again(
    store: Store, slack: SlackFailingAfter
) -> None:
    """Old code: a plain failure (UnicodeDecodeError), released; the next run posted it
    again."""
    slack.fail_after("webhook", Scripted(502, NOT_UTF8_PAGE))
    manager = _webhook(slack)
    assert _two_runs(store, manager) == ([], [])
    assert len(_webhook_digests(slack)) == 1 and len(slack.calls("webhook")) == 1
    [failure] = manager.take_failures()
    assert "not UTF-8" in failure.error and "not resent" in failure.error
    assert "\\x" not in failure.error and "codec" not in failure.error


def test_a_webhook_5xx_slack_did_not_keep_is_not_resent_either(
    store: Store, slack: SlackFailingAfter
) -> None:
    """The price of never doubling: a webhook cannot tell this 503 from the one above, so
    the alert stays unsent and the job log names it (a bot token lets the monitor look).
    Old code: slack-sdk's retry posted it."""
    slack.script("webhook", Scripted(503, HOSTILE_HTML))
    manager = _webhook(slack)
    assert _two_runs(store, manager) == ([], [])
    assert _webhook_digests(slack) == [] and len(slack.calls("webhook")) == 1
    [failure] = manager.take_failures()
    assert "HTTP 503" in failure.error and "check the channel" in failure.error


def test_reads_are_still_retried_after_a_503(slack: SlackFailingAfter) -> None:
    """auth.test and conversations.info post nothing: slack-sdk still retries their 5xx
    (kept behaviour; this test passes on the old code too)."""
    slack.script("auth.test", server_error(503))
    slack.script("conversations.info", server_error(500))
    settings = SlackSettings(TOKEN, CHANNEL, None, slack.base_url)
    bot = SlackBotNotifier(settings, retries=FAST, timeout=2.0)
    assert bot.check()["user"] == "bubble-bot"
    assert bot.channel_info()["id"] == CHANNEL
    assert slack.order() == ["auth.test"] * 2 + ["conversations.info"] * 2


def test_doctor_names_a_5xx_on_the_channel_check_without_its_page(
    slack: SlackFailingAfter, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Old code: "fail", blaming chat.postMessage and quoting slack-sdk's "Received a
    response in a non-JSON format: <!DOCTYPE html>..." (the proxy's page)."""
    slack.script("conversations.info", Scripted(503, HOSTILE_HTML))
    monkeypatch.setenv("SLACK_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("SLACK_CHANNEL", CHANNEL)
    monkeypatch.setenv("BUBBLE_MONITOR_SLACK_BASE_URL", slack.base_url)
    args = ["doctor", "--skip-model", "--json", "--db", str(tmp_path / "m.db")]
    result = CliRunner().invoke(app, args)
    [check] = [c for c in json.loads(result.stdout) if c["name"] == "slack"]
    assert check["status"] == "warn", check
    assert "HTTP 503" in check["detail"] and "could not be checked" in check["detail"]
    assert "<" not in check["detail"] and "chat.postMessage" not in check["detail"]
    assert not slack.calls("chat.postMessage")
