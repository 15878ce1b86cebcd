"""The service's index job dates its reading by the data it was computed from.

Before: the index job took the wall clock as the reading's as-of even when the price job
had just failed (Yahoo down, an empty frame) or brought nothing new (a weekend): a reading
of prices ending on Tuesday said "as of" the next Monday, and every hourly run stored
another reading of the same data (another point in the history and in the alert policy's
windows). Now the reading is dated by the newest close, headline or reading
(monitor.stages.as_of, the rule `report --no-collect` uses). Real SQLite file, the real
price stage with the download seam failing, the real runner and its jobs.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pandas as pd
from apscheduler.triggers.interval import IntervalTrigger

from monitor.app import App
from monitor.config.feeds_yaml import Config, PricesConfig, ScheduleConfig
from monitor.service.runner import Runner
from monitor.stages.jobs import default_jobs
from monitor.stages.schedule import JobPlan
from monitor.store import Store
from monitor.store.prices import upsert_bars
from monitor.store.readings import readings_between
from signals.models import PriceBar
from tests.fakes import FakeDownloader, make_app

#: A Tuesday evening after the US close, then six days later (Monday noon).
COLLECTED = datetime(2026, 7, 14, 22, 0, tzinfo=UTC)
LATER = datetime(2026, 7, 20, 12, 0, tzinfo=UTC)
#: No retries: the failed collection is the point, and four retries slept ~30 s of backoff.
CONFIG = Config(
    basket=("NVDA", "MSFT"),
    schedule=ScheduleConfig(prices=None, prices_intraday=None),
    prices=PricesConfig(max_retries=0),
)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def _runner(app: App) -> Runner:
    jobs = {name: default_jobs()[name] for name in ("prices", "index")}
    plans = [JobPlan(name, IntervalTrigger(seconds=3600, timezone=UTC), "hourly") for name in jobs]
    return Runner(app, plans, timezone=UTC, jobs=jobs)


def _seed(store: Store) -> None:
    """300 sessions of closes ending on Tuesday 2026-07-14, collected that evening."""
    days = pd.bdate_range(end=COLLECTED.date(), periods=300)
    rng = np.random.default_rng(3)
    bars = [
        PriceBar(ticker, day.date(), float(close))
        for ticker in ("NVDA", "MSFT", "SPY")
        for day, close in zip(
            days, 100 * np.exp(np.cumsum(rng.normal(0.001, 0.02, len(days)))), strict=True
        )
    ]
    upsert_bars(store, bars, fetched_at=COLLECTED)


def _readings(store: Store) -> list[datetime]:
    span = readings_between(store, COLLECTED - timedelta(days=30), LATER + timedelta(days=1))
    return [r.as_of for r in span]


def test_a_reading_after_a_failed_collection_is_dated_by_its_prices(store: Store) -> None:
    _seed(store)
    clock = Clock(COLLECTED)
    downloader = FakeDownloader(fail=True)
    runner = _runner(make_app(CONFIG, store, clock=clock, downloader=downloader))
    assert runner.run_job("index").outcome == "ok"
    [last_close] = _readings(store)
    assert last_close == datetime(2026, 7, 14, 21, 0, tzinfo=UTC)

    clock.now = LATER  # six days later; Yahoo returns nothing
    assert runner.run_job("prices").outcome == "error"
    for hour in range(3):  # three hourly index runs on the same data
        clock.now = LATER + timedelta(hours=hour)
        assert runner.run_job("index").outcome == "ok"
    as_of = _readings(store)
    assert as_of == [last_close], f"readings of no new data: {as_of}"
    assert all(t < LATER for t in as_of)
