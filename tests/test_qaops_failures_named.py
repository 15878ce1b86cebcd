"""One failing feed or ticker among good ones: the run stays `ok`, and the job log and its
log line name what failed and why.

Found by running `serve` with a few broken feeds beside good ones (qaops walk,
2026-12-07): the log said `feeds_failed=5` and job_runs held the same count, but nothing
said which feeds or why; a feed answering a truncated body was stored as a success with
0 entries and its parse error was dropped. The operator had to query feed_state by hand.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import UTC, date, datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest
from apscheduler.triggers.interval import IntervalTrigger

from monitor.app import App
from monitor.config.feeds_yaml import Config, FeedConfig, ScheduleConfig
from monitor.service.logging_setup import JsonFormatter
from monitor.service.runner import Runner
from monitor.sources.yahoo.collect_prices import PriceCollectResult, TickerOutcome
from monitor.stages.schedule import JobPlan
from monitor.store import Store
from monitor.store import jobs as job_log
from tests.fakes import make_app
from tests.feed_server import QuietHandler, news_job, serving

GOOD = (
    "<rss version='2.0'><channel><title>good</title><item>"
    "<title>Chipmaker cuts 1,200 jobs as AI spending shifts</title>"
    "<link>https://example.com/a</link><pubDate>{now}</pubDate></item></channel></rss>"
)


class _Feeds(QuietHandler):
    def get(self) -> None:
        rss = "application/rss+xml"
        if self.path == "/good.xml":
            body = GOOD.replace("{now}", format_datetime(datetime.now(UTC))).encode()
            self.send_body(200, body, rss)
        elif self.path == "/truncated.xml":
            self.send_body(200, b"<rss version='2.0'><channel><item><title>cut &&& off", rss)
        elif self.path == "/partial.xml":  # one whole item, then cut off in the next
            whole = GOOD.replace("{now}", format_datetime(datetime.now(UTC)))
            whole = whole.replace("Chipmaker cuts", "Cloud firm trims").replace("/a<", "/b<")
            cut = whole.split("</channel>")[0].encode() + b"<item><title>cut &&& off"
            self.send_body(200, cut, rss)
        else:
            self.send_body(500, b"feed server error", rss)


@pytest.fixture
def feed_base() -> Iterator[str]:
    with serving(_Feeds) as base:
        yield base


def _runner(store: Store, config: Config, job: Any, name: str) -> Runner:
    app: App = make_app(config, store)
    plan = JobPlan(name, IntervalTrigger(seconds=3600, timezone=UTC), "every 3600s")
    return Runner(app, [plan], timezone=UTC, jobs={name: job})


def test_each_failing_feed_is_named_with_its_error_in_the_job_log_and_the_log_line(
    db_path: Path, feed_base: str, caplog: pytest.LogCaptureFixture
) -> None:
    feeds = (
        FeedConfig(name="good", url=f"{feed_base}/good.xml"),  # type: ignore[arg-type]
        FeedConfig(name="broken", url=f"{feed_base}/broken.xml"),  # type: ignore[arg-type]
        FeedConfig(name="truncated", url=f"{feed_base}/truncated.xml"),  # type: ignore[arg-type]
        FeedConfig(name="partial", url=f"{feed_base}/partial.xml"),  # type: ignore[arg-type]
    )
    config = Config(basket=("NVDA",), feeds=feeds, schedule=ScheduleConfig())

    with Store(db_path) as store:
        runner = _runner(store, config, news_job, "news")
        with caplog.at_level(logging.INFO, logger="monitor.service"):
            outcome = runner.run_job("news", scheduled=False)
        [run] = job_log.recent_runs(store, "news")
    assert outcome.outcome == "ok" and run.outcome == "ok"
    assert run.details["new"] == 2 and run.details["feeds_failed"] == 2
    failed = run.details["failed_feeds"]
    assert sorted(failed) == ["broken", "truncated"]
    assert "HTTP 500" in failed["broken"] and "/broken.xml" in failed["broken"]
    # A body from which nothing titled parsed is a failed feed; one cut after a whole
    # item keeps that item and says what broke.
    assert "malformed feed, no entry read" in failed["truncated"]
    assert list(run.details["feed_warnings"]) == ["partial"]
    [line] = [r for r in caplog.records if getattr(r, "job", None) == "news"]
    text = line.getMessage()
    assert "broken" in text and "truncated" in text and "feed_warnings=partial" in text
    doc = json.loads(JsonFormatter().format(line))
    assert "HTTP 500" in doc["details"]["failed_feeds"]["broken"]


def test_each_failing_ticker_is_named_with_its_reason(db_path: Path) -> None:
    result = PriceCollectResult(
        started=datetime(2026, 12, 7, tzinfo=UTC),
        tickers=(
            TickerOutcome("NVDA", "ok", 3, date(2026, 12, 4)),
            TickerOutcome("DELISTED", "failed", 0, None, "no data from Yahoo (all NaN)"),
        ),
    )
    with Store(db_path) as store:
        runner = _runner(store, Config(basket=("NVDA",)), lambda app: result, "prices")
        assert runner.run_job("prices", scheduled=False).outcome == "ok"
        [run] = job_log.recent_runs(store, "prices")
    assert run.details["failed_tickers"] == {"DELISTED": "no data from Yahoo (all NaN)"}
    assert run.details["failed"] == 1  # the summary's count is kept beside the names
