"""What the operator sees in the job log when Slack takes an alert only in part, or not at
all: the real index job through the service's runner, the real slack-sdk client, the local
Slack stand-in on 127.0.0.1."""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest
from apscheduler.triggers.interval import IntervalTrigger

from monitor.app import build
from monitor.config.feeds_yaml import Config, ScheduleConfig
from monitor.service.runner import Runner
from monitor.stages.schedule import JobPlan
from monitor.store import Store
from monitor.store import jobs as job_log
from monitor.store.alerts import sent_alerts
from monitor.store.prices import upsert_bars
from signals.models import PriceBar
from tests.slack_server import CHANNEL, SlackStandIn, slack_error

#: A weekday after the digest time (09:00 New York), so the digest is due.
NOW = datetime(2026, 12, 2, 16, 0, tzinfo=UTC)
CONFIG = Config(basket=("NVDA", "MSFT"), benchmarks=("SPY",), schedule=ScheduleConfig())


@pytest.fixture
def slack() -> Iterator[SlackStandIn]:
    with SlackStandIn() as server:
        yield server


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    with Store(db_path) as opened:
        days = pd.bdate_range(end=NOW.date(), periods=300)
        bars = [
            PriceBar(t, d.date(), 100.0 * math.exp(i / 400))
            for t in CONFIG.tickers
            for i, d in enumerate(days)
        ]
        upsert_bars(opened, bars, fetched_at=NOW)
        yield opened


def runner(store: Store, slack: SlackStandIn, env: dict[str, str] | None = None) -> Runner:
    env = env or {
        "SLACK_BOT_TOKEN": slack.token,
        "SLACK_CHANNEL": CHANNEL,
        "BUBBLE_MONITOR_SLACK_BASE_URL": slack.base_url,
    }
    app = build(CONFIG, env, store=store, clock=lambda: NOW)
    plan = JobPlan("index", IntervalTrigger(seconds=3600, timezone=UTC), "every 3600s")
    return Runner(app, [plan], timezone=UTC)


def test_a_chart_slack_refused_is_in_the_job_log_and_the_message_counts_as_sent(
    store: Store, slack: SlackStandIn
) -> None:
    slack.script("files.getUploadURLExternal", slack_error("missing_scope", needed="files:write"))
    outcome = runner(store, slack).run_job("index", scheduled=False)
    (run,) = job_log.recent_runs(store, "index", limit=5)
    assert outcome.outcome == "ok" and run.details["alerts"] == ["digest"]
    (warning,) = run.details["warnings"]
    assert warning.startswith("digest via slack: chart not uploaded")
    assert "files:write" in warning and slack.token not in warning
    assert [a.sent_at for a in sent_alerts(store)] == [NOW]  # sent: no resend of the text
    assert len(slack.messages) == 1


def test_a_refused_alert_leaves_no_claim_and_names_the_channel_in_the_job_log(
    store: Store, slack: SlackStandIn
) -> None:
    """Nothing in the alerts table (the claim is released for the next run); the job log
    says which alert, which channel ID and why, without the token."""
    slack.script("chat.postMessage", slack_error("not_in_channel"))
    runner(store, slack).run_job("index", scheduled=False)
    (run,) = job_log.recent_runs(store, "index", limit=5)
    assert sent_alerts(store) == []
    [(key, why)] = run.details["alerts_undelivered"].items()
    assert key == "digest:2026-12-02" and "not_in_channel" in why and CHANNEL in why
    assert "/invite" in why and slack.token not in why


def test_a_webhook_failure_never_puts_the_url_in_the_job_log(
    store: Store, slack: SlackStandIn
) -> None:
    from tests.slack_server import Scripted

    slack.script("webhook", Scripted(404, "no_service"))
    outcome = runner(store, slack, {"SLACK_WEBHOOK_URL": slack.webhook_url}).run_job(
        "index", scheduled=False
    )
    (run,) = job_log.recent_runs(store, "index", limit=5)
    [(key, why)] = run.details["alerts_undelivered"].items()
    assert key == "digest:2026-12-02"
    assert "no_service" in why and "create a new one" in why
    for text in (why, str(outcome.details), str(run.details), str(run.error)):
        assert "webhooksecret" not in text and slack.webhook_url not in text


def test_a_reading_without_the_crash_model_says_so_at_the_top(store: Store) -> None:
    """The model file unreadable: the stored reading is the v1 index (no probability). Its
    digest read "AI bubble index 62/100 · frothy" beside yesterday's "crash probability 13%
    · calm", the reason only in the last context line."""
    from monitor.errors import ModelError
    from monitor.notify.slack_blocks import alert_blocks
    from monitor.stages.index import compute_reading
    from signals.alerts import summary
    from signals.models import Alert

    def unreadable(name: str) -> object:
        raise ModelError(f"crash model {name}: file unreadable")

    reading = compute_reading(store, CONFIG, now=NOW, crash_model=unreadable)  # type: ignore[arg-type]
    assert reading.probability is None
    title = "Daily digest 2026-12-02: AI bubble index"
    blocks, fallback = alert_blocks(Alert("digest", "k", title, summary(reading), reading))
    top = next(b for b in blocks if b["type"] == "section" and title in b["text"]["text"])
    assert ":warning: crash model not used, no probability in this reading" in top["text"]["text"]
    assert fallback.startswith(f"{title} (crash model not used")
