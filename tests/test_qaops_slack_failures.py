"""A Slack channel that refuses the service's alerts shows in the job log and /metrics.

Found on the qaops walk (2026-12-07), running the real index job against the local Slack
stand-in answering `invalid_auth` (a revoked or mistyped bot token): the digest was not
delivered and was retried on every run, but the job log said `alerts=[]` and `ok`, /metrics
counted nothing and /healthz stayed ok. Only a WARNING line in the log said the team was
no longer hearing anything.
"""

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
from monitor.store.prices import upsert_bars
from signals.models import PriceBar
from tests.slack_server import CHANNEL, SlackStandIn, rate_limited, slack_error

#: A weekday after the digest time (09:00 New York), so the digest is due.
NOW = datetime(2026, 12, 2, 16, 0, tzinfo=UTC)


@pytest.fixture
def slack() -> Iterator[SlackStandIn]:
    with SlackStandIn() as server:
        yield server


def _seeded(db: Path, config: Config) -> Store:
    store = Store(db)
    days = pd.bdate_range(end=NOW.date(), periods=300)
    bars = [
        PriceBar(t, d.date(), 100.0 * math.exp(i / 400))
        for t in config.tickers
        for i, d in enumerate(days)
    ]
    upsert_bars(store, bars, fetched_at=NOW)
    return store


def _runner(store: Store, config: Config, slack: SlackStandIn) -> Runner:
    env = {
        "SLACK_BOT_TOKEN": slack.token,
        "SLACK_CHANNEL": CHANNEL,
        "BUBBLE_MONITOR_SLACK_BASE_URL": slack.base_url,
    }
    app = build(config, env, store=store, clock=lambda: NOW)
    plan = JobPlan("index", IntervalTrigger(seconds=3600, timezone=UTC), "every 3600s")
    return Runner(app, [plan], timezone=UTC)


def test_a_refused_alert_is_named_in_the_job_log_and_counted_then_sent_when_slack_is_back(
    db_path: Path, slack: SlackStandIn
) -> None:
    config = Config(basket=("NVDA", "MSFT"), benchmarks=("SPY",), schedule=ScheduleConfig())
    slack.script("chat.postMessage", slack_error("invalid_auth"))
    with _seeded(db_path, config) as store:
        runner = _runner(store, config, slack)
        first = runner.run_job("index", scheduled=False)
        second = runner.run_job("index", scheduled=False)  # the token was fixed meanwhile
        runs = job_log.recent_runs(store, "index", limit=5)
    assert first.outcome == "ok" and first.details["alerts"] == []
    [(key, why)] = first.details["alerts_undelivered"].items()
    assert key.startswith("digest:") and why.startswith("slack: Slack chat.postMessage failed")
    assert "invalid_auth" in why and slack.token not in why
    assert runs[-1].details["alerts_undelivered"] == first.details["alerts_undelivered"]
    assert second.details["alerts"] == ["digest"] and "alerts_undelivered" not in second.details
    assert len(slack.messages) == 1  # delivered once, on the retry
    metrics = runner.metrics.render().decode()
    assert 'bubble_monitor_alert_failures_total{channel="slack"} 1.0' in metrics


def test_a_rate_limited_post_waits_retry_after_and_is_not_a_failure(
    db_path: Path, slack: SlackStandIn
) -> None:
    config = Config(basket=("NVDA", "MSFT"), benchmarks=("SPY",), schedule=ScheduleConfig())
    slack.script("chat.postMessage", rate_limited(1))
    with _seeded(db_path, config) as store:
        outcome = _runner(store, config, slack).run_job("index", scheduled=False)
    assert outcome.details["alerts"] == ["digest"] and "alerts_undelivered" not in outcome.details
    assert len(slack.calls("chat.postMessage")) == 2 and len(slack.messages) == 1
