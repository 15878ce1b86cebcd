"""Every feed down: /healthz turns 503 after three news runs, whatever the backoff does.

Found on the qaops walk (2026-12-07): with every feed failing (an egress proxy down, say),
the feeds back off 10, 20, 40 ... minutes while the news job runs every 15. A run in which
every feed was still backing off fetched nothing, so it was not a "total failure" and was
recorded `ok`, which reset the job's failure count: error, error, ok, error, ok, ok, ... so
/healthz never reached three failures in a row and never said that no news was coming in.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from apscheduler.triggers.interval import IntervalTrigger

from monitor.config.feeds_yaml import Config, FeedConfig, ScheduleConfig
from monitor.service.runner import Runner
from monitor.stages.schedule import JobPlan
from monitor.store import Store
from monitor.store import jobs as job_log
from tests.fakes import make_app
from tests.feed_server import QuietHandler, news_job, serving

START = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
GOOD = (
    "<rss version='2.0'><channel><title>t</title><item><title>Chipmaker cuts 1,200 jobs"
    "</title><link>https://example.com/a</link></item></channel></rss>"
)


class _Feeds(QuietHandler):
    up = False

    def get(self) -> None:
        body, status = (GOOD.encode(), 200) if _Feeds.up else (b"down", 502)
        self.send_body(status, body)


@pytest.fixture
def base() -> Iterator[str]:
    _Feeds.up = False
    with serving(_Feeds) as url:
        yield url


def test_news_runs_while_every_feed_backs_off_keep_counting_as_failures(
    db_path: Path, base: str
) -> None:
    feeds = tuple(
        FeedConfig(name=n, url=f"{base}/{n}.xml")  # type: ignore[arg-type]
        for n in ("one", "two")
    )
    config = Config(basket=("NVDA",), feeds=feeds, schedule=ScheduleConfig())
    clock = {"now": START}

    with Store(db_path) as store:
        app = make_app(config, store, clock=lambda: clock["now"])
        plan = JobPlan("news", IntervalTrigger(minutes=15, timezone=UTC), "every 15m")
        runner = Runner(app, [plan], timezone=UTC, jobs={"news": news_job})
        outcomes = []
        for minutes in (0, 15, 30):  # the feeds back off 10 then 20 minutes
            clock["now"] = START + timedelta(minutes=minutes)
            outcomes.append(runner.run_job("news", scheduled=False))
        healthy, doc = runner.health()
        assert [o.outcome for o in outcomes] == ["error", "error", "error"]
        assert outcomes[2].details["feeds_skipped"] == 2
        assert "every feed is backing off" in (outcomes[2].error or "")
        assert "one: HTTP 502" in (outcomes[2].error or "")
        assert not healthy and doc["failing_jobs"] == ["news"]

        _Feeds.up = True  # back: the next due run succeeds and clears the count
        clock["now"] = START + timedelta(hours=2)
        assert runner.run_job("news", scheduled=False).outcome == "ok"
        assert runner.health()[0]
        assert job_log.consecutive_failures(store, "news") == 0


def test_a_run_with_no_feed_due_after_successes_is_ok(db_path: Path, base: str) -> None:
    _Feeds.up = True
    feeds = (FeedConfig(name="one", url=f"{base}/one.xml"),)  # type: ignore[arg-type]
    config = Config(basket=("NVDA",), feeds=feeds, schedule=ScheduleConfig())

    with Store(db_path) as store:
        app = make_app(config, store, clock=lambda: START)
        plan = JobPlan("news", IntervalTrigger(minutes=15, timezone=UTC), "every 15m")
        runner = Runner(app, [plan], timezone=UTC, jobs={"news": news_job})
        assert [runner.run_job("news", scheduled=False).outcome for _ in range(2)] == ["ok"] * 2
