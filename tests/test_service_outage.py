"""A price outage must not starve the other jobs, and a source whose every item failed is a
failed job (job_runs, /healthz, /metrics), on the real runner and a real SQLite file."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime

import pandas as pd
from apscheduler.triggers.interval import IntervalTrigger

from monitor.app import App
from monitor.config.feeds_yaml import Config, ScheduleConfig
from monitor.service.runner import Runner
from monitor.sources.news.collect import FeedResult, NewsCollectResult
from monitor.sources.yahoo.download import ERRORS_ATTR
from monitor.stages.base import StageResult
from monitor.stages.news import NewsResult
from monitor.stages.prices import run_prices
from monitor.stages.schedule import JobPlan
from monitor.stages.score import ScoreResult
from monitor.store import Store
from monitor.store import jobs as job_log
from monitor.store.headlines import insert_headlines
from signals.models import Headline
from tests.conftest import wait_for
from tests.fakes import make_app

NOW = datetime(2025, 3, 7, 17, 0, tzinfo=UTC)


def _config() -> Config:
    schedule = ScheduleConfig(prices=None, prices_intraday=None)
    config = Config(basket=("NVDA", "MSFT"), schedule=schedule)
    no_retries = config.prices.model_copy(update={"max_retries": 0})
    return config.model_copy(update={"prices": no_retries})


def _plan(name: str) -> JobPlan:
    return JobPlan(name, IntervalTrigger(seconds=3600, timezone=UTC), "every 3600s")


class _HangingYahoo:
    """Yahoo unreachable: each download waits like a connect timeout, then yields nothing."""

    def __init__(self, release: threading.Event) -> None:
        self.release = release
        self.calls = 0

    def __call__(self, tickers: Sequence[str], *, start: date, end: date) -> pd.DataFrame:
        self.calls += 1
        self.release.wait(10)
        return pd.DataFrame()


def test_news_runs_and_writes_while_the_price_download_hangs(
    store: Store, stopper: list[Runner]
) -> None:
    release = threading.Event()
    yahoo = _HangingYahoo(release)
    ctx = make_app(_config(), store, downloader=yahoo)  # the scheduler needs the real clock
    stored: list[int] = []

    def news(c: App) -> StageResult:
        headline = Headline("Nvidia beats", "https://n.test/1", "feed", NOW, NOW)
        stored.extend(insert_headlines(c.store, [headline], fetched_at=NOW))
        return ScoreResult(len(stored))

    jobs: dict[str, Callable[[App], StageResult]] = {"prices": run_prices, "news": news}
    runner = Runner(ctx, [_plan("prices"), _plan("news")], timezone=UTC, jobs=jobs)
    stopper.append(runner)
    runner.start()
    try:
        # prices starts first and hangs in the download; news must still run and write.
        wait_for(lambda: yahoo.calls >= 1)
        wait_for(lambda: runner.status["news"].last_outcome == "ok", timeout=5)
        assert runner.status["prices"].running_since is not None
        assert stored
    finally:
        release.set()


def test_prices_with_every_ticker_failed_is_a_failed_job(store: Store) -> None:
    def down(tickers: Sequence[str], *, start: date, end: date) -> pd.DataFrame:
        frame = pd.DataFrame()
        frame.attrs[ERRORS_ATTR] = {t: "curl: (7) Failed to connect" for t in tickers}
        return frame

    ctx = make_app(_config(), store, downloader=down, clock=lambda: NOW)
    runner = Runner(ctx, [_plan("prices")], timezone=UTC, jobs={"prices": run_prices})
    outcome = runner.run_job("prices")
    assert outcome.outcome == "error"
    assert outcome.error is not None and "all 2 tickers failed" in outcome.error
    assert "NVDA" in outcome.error
    [run] = job_log.recent_runs(store, "prices")
    assert run.outcome == "error" and run.details.get("failed") == 2
    assert runner.health()[1]["jobs"]["prices"]["consecutive_failures"] == 1
    text = runner.metrics.render().decode()
    assert 'bubble_monitor_job_runs_total{job="prices",outcome="error"} 1.0' in text


def test_news_with_every_due_feed_failed_is_a_failed_job(store: Store) -> None:
    feeds = (
        FeedResult("a", "https://a.test/rss", "failed", error="ConnectError: refused"),
        FeedResult("b", "https://b.test/rss", "failed", error="timed out"),
        FeedResult("c", "https://c.test/rss", "skipped"),
    )
    some_ok = (*feeds[:1], FeedResult("b", "https://b.test/rss", "unchanged"))
    results = iter(
        [
            NewsResult(NewsCollectResult(feeds, (), None)),
            NewsResult(NewsCollectResult(some_ok, (), None)),
        ]
    )
    ctx = make_app(_config(), store, clock=lambda: NOW)
    runner = Runner(ctx, [_plan("news")], timezone=UTC, jobs={"news": lambda c: next(results)})
    failed = runner.run_job("news")
    assert failed.outcome == "error"
    assert failed.error is not None and "all 2 feeds asked failed" in failed.error
    assert "a: ConnectError: refused" in failed.error
    assert runner.run_job("news").outcome == "ok"  # one feed answering is a working source
