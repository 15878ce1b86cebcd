"""The job runner on real SQLite files: runs recorded, failures contained, missed and
skipped runs noted, shutdown waiting for a safe point, one redacted log line per run."""

from __future__ import annotations

import json
import logging
import math
import re
import sys
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from apscheduler.triggers.interval import IntervalTrigger

from monitor.app import App
from monitor.config.feeds_yaml import Config, ScheduleConfig
from monitor.config.secrets import REDACTED, redact
from monitor.service.logging_setup import JsonFormatter, RedactSecrets
from monitor.service.runner import Runner
from monitor.stages.base import StageResult
from monitor.stages.index import IndexResult
from monitor.stages.jobs import default_jobs
from monitor.stages.schedule import JobPlan, plan_jobs
from monitor.stages.score import ScoreResult
from monitor.store import Store
from monitor.store import jobs as job_log
from monitor.store.prices import upsert_bars
from signals.models import Alert, Component, IndexReading, PriceBar
from tests.conftest import wait_for
from tests.fakes import make_app

TOKEN = "xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUvWx"
WEBHOOK = "https://hooks.slack.com/services/T0001/B0002/abcdefghijklmnop"


def _config() -> Config:
    return Config(basket=("NVDA",), schedule=ScheduleConfig(prices=None, prices_intraday=None))


@pytest.fixture
def ctx(store: Store) -> App:
    return make_app(_config(), store)


def _plan(name: str, every: float = 3600) -> JobPlan:
    return JobPlan(name, IntervalTrigger(seconds=every, timezone=UTC), f"every {every}s")


def _runner(
    ctx: App, jobs: dict[str, Callable[[App], StageResult]], every: float = 3600, **kw: Any
) -> Runner:
    return Runner(ctx, [_plan(n, every) for n in jobs], timezone=UTC, jobs=jobs, **kw)


def _reading(index: float = 42.0) -> IndexReading:
    comps = (
        Component("overextension", "market", 70.0, 1.0, 35.0, "basket 20% above its 200-day MA"),
        Component("layoffs", "news", None, 0.0, 0.0, "no data"),
    )
    return IndexReading(datetime(2025, 3, 7, tzinfo=UTC), index, "warming", 1.5, comps)


def test_an_ok_run_is_stored_with_details_and_logged_once(
    ctx: App, caplog: pytest.LogCaptureFixture
) -> None:
    runner = _runner(ctx, {"news": lambda c: ScoreResult(7)})
    with caplog.at_level(logging.INFO, logger="monitor.service"):
        outcome = runner.run_job("news")
    assert outcome.outcome == "ok"
    [run] = job_log.recent_runs(ctx.store, "news")
    assert run.outcome == "ok" and run.error is None and run.details == {"count": 7}
    assert run.finished_at is not None and run.finished_at >= run.started_at
    lines = [r for r in caplog.records if getattr(r, "job", None) == "news"]
    assert len(lines) == 1
    assert lines[0].getMessage().startswith("job news ok in ")
    assert lines[0].getMessage().endswith(": count=7")
    assert lines[0].outcome == "ok" and lines[0].duration_s >= 0  # type: ignore[attr-defined]


def test_a_failing_job_is_recorded_and_never_stops_the_scheduler(
    ctx: App, stopper: list[Runner]
) -> None:
    ran: list[str] = []

    def broken(c: App) -> StageResult:
        raise RuntimeError("feed server exploded")

    def fine(c: App) -> StageResult:
        ran.append("fine")
        return ScoreResult(1)

    runner = _runner(ctx, {"broken": broken, "fine": fine}, every=0.2)
    stopper.append(runner)
    runner.start()
    wait_for(lambda: runner.status["broken"].consecutive_failures >= 3 and len(ran) >= 3)
    assert runner.scheduler.running
    runner.shutdown(5)
    runs = job_log.recent_runs(ctx.store, "broken", limit=100)
    errors = [r for r in runs if r.outcome == "error"]
    assert len(errors) >= 3
    assert errors[0].error == "RuntimeError: feed server exploded"
    assert job_log.consecutive_failures(ctx.store, "broken") == len(errors)
    assert job_log.consecutive_failures(ctx.store, "fine") == 0


def test_health_turns_503_after_three_failures_in_a_row_and_recovers(ctx: App) -> None:
    state = {"fail": True}

    def flaky(c: App) -> StageResult:
        if state["fail"]:
            raise ConnectionError("offline")
        return ScoreResult(0)

    runner = _runner(ctx, {"news": flaky})
    for expected_healthy in (True, True, False):
        runner.run_job("news")
        healthy, doc = runner.health()
        assert healthy is expected_healthy
    assert doc["status"] == "failing" and doc["failing_jobs"] == ["news"]
    news = doc["jobs"]["news"]
    assert news["consecutive_failures"] == 3
    assert news["last_error"] == "ConnectionError: offline"
    assert news["last_ok"] is None and news["last_run"] is not None
    state["fail"] = False
    runner.run_job("news")
    healthy, doc = runner.health()
    assert healthy and doc["status"] == "ok"
    assert doc["jobs"]["news"]["last_ok"] is not None
    assert doc["jobs"]["news"]["last_error"] == "ConnectionError: offline"


def test_health_after_a_restart_remembers_the_job_log(ctx: App) -> None:
    def broken(c: App) -> StageResult:
        raise ValueError("bad")

    first = _runner(ctx, {"index": broken})
    for _ in range(3):
        first.run_job("index")
    again = _runner(ctx, {"index": broken})
    healthy, doc = again.health()
    assert not healthy
    assert doc["jobs"]["index"]["consecutive_failures"] == 3
    assert doc["jobs"]["index"]["last_error"] == "ValueError: bad"


def test_runs_left_open_by_a_dead_process_are_marked_abandoned(
    ctx: App, stopper: list[Runner]
) -> None:
    job_log.start_run(ctx.store, "news", started_at=datetime.now(UTC) - timedelta(minutes=1))
    runner = _runner(ctx, {"news": lambda c: ScoreResult(0)})
    stopper.append(runner)
    runner.start()
    wait_for(lambda: runner.status["news"].last_outcome == "ok")
    runner.shutdown(5)
    outcomes = [r.outcome for r in job_log.recent_runs(ctx.store, "news")]
    assert outcomes[-1] == "abandoned" and "ok" in outcomes
    assert job_log.consecutive_failures(ctx.store, "news") == 0


def test_a_run_waiting_past_its_grace_time_is_recorded_as_missed(
    ctx: App, stopper: list[Runner]
) -> None:
    gate = threading.Event()

    def slow(c: App) -> StageResult:
        gate.wait(5)
        return ScoreResult(0)

    jobs: dict[str, Callable[[App], StageResult]] = {"slow": slow, "late": lambda c: ScoreResult(0)}
    plans = [_plan("slow", 3600), _plan("late", 0.3)]
    # One worker (the default is one per job) so that late queues behind slow.
    runner = Runner(ctx, plans, timezone=UTC, jobs=jobs, misfire_grace=1, workers=1)
    stopper.append(runner)
    runner.start()  # slow runs at once and holds the only worker; late queues behind it
    time.sleep(2.0)
    gate.set()
    wait_for(lambda: any(r.outcome == "missed" for r in job_log.recent_runs(ctx.store, "late")))
    missed = [r for r in job_log.recent_runs(ctx.store, "late") if r.outcome == "missed"]
    assert missed[0].error is not None and "too late" in missed[0].error


def test_a_run_still_going_when_its_next_turn_comes_is_skipped_not_doubled(
    ctx: App, stopper: list[Runner]
) -> None:
    active = {"now": 0, "max": 0}

    def slowish(c: App) -> StageResult:
        active["now"] += 1
        active["max"] = max(active["max"], active["now"])
        time.sleep(0.8)
        active["now"] -= 1
        return ScoreResult(0)

    runner = _runner(ctx, {"news": slowish}, every=0.2)
    stopper.append(runner)
    runner.start()
    wait_for(lambda: runner.status["news"].last_outcome == "ok")
    time.sleep(1.0)
    runner.shutdown(5)
    outcomes = [r.outcome for r in job_log.recent_runs(ctx.store, "news", limit=100)]
    assert "skipped" in outcomes and active["max"] == 1


def test_shutdown_waits_for_a_running_job_then_takes_no_new_ones(
    ctx: App, stopper: list[Runner]
) -> None:
    started = threading.Event()
    calls: list[float] = []

    def job(c: App) -> StageResult:
        started.set()
        time.sleep(0.7)
        calls.append(time.monotonic())
        return ScoreResult(0)

    runner = _runner(ctx, {"news": job}, every=0.1)
    stopper.append(runner)
    runner.start()
    assert started.wait(5)
    t0 = time.monotonic()
    assert runner.shutdown(5) is True
    assert 0.2 < time.monotonic() - t0 < 3
    count = len(calls)
    time.sleep(0.5)
    assert len(calls) == count
    assert job_log.recent_runs(ctx.store, "news")[0].outcome == "ok"
    assert runner.run_job("news").outcome == "skipped"


def test_shutdown_gives_up_on_a_job_that_outlives_the_deadline(
    ctx: App, stopper: list[Runner]
) -> None:
    release = threading.Event()
    runner = _runner(ctx, {"news": lambda c: ScoreResult(int(release.wait(10)))})
    stopper.append(runner)
    runner.start()
    wait_for(lambda: runner.status["news"].running_since is not None)
    t0 = time.monotonic()
    assert runner.shutdown(0.3) is False
    assert time.monotonic() - t0 < 1.0
    release.set()


def test_run_once_runs_each_stage_once_in_pipeline_order(ctx: App) -> None:
    order: list[str] = []

    def stage(name: str) -> Callable[[App], StageResult]:
        def run(c: App) -> StageResult:
            order.append(name)
            return ScoreResult(0)

        return run

    names = (
        "prices",
        "prices_intraday",
        "news",
        "positioning",
        "filings",
        "fundamentals",
        "models",
        "index",
    )
    jobs = {name: stage(name) for name in (*names, "digest", "retention")}
    schedule = ScheduleConfig()
    runner = Runner(ctx, plan_jobs(schedule), timezone=UTC, jobs=jobs)
    expected = [
        "prices",
        "news",
        "positioning",
        "filings",
        "fundamentals",
        "models",
        "index",
        "retention",
    ]
    assert [o.job for o in runner.run_once()] == order == expected
    order.clear()
    only_twins = plan_jobs(schedule, only=("prices_intraday", "digest"))
    Runner(ctx, only_twins, timezone=UTC, jobs=jobs).run_once()
    assert order == ["prices_intraday", "digest"]


def test_secrets_never_reach_the_job_log_or_the_log_lines(
    ctx: App, caplog: pytest.LogCaptureFixture
) -> None:
    def leaky(c: App) -> StageResult:
        raise RuntimeError(f"auth failed for {TOKEN} posting to {WEBHOOK}")

    runner = _runner(ctx, {"index": leaky})
    with caplog.at_level(logging.DEBUG):
        runner.run_job("index")
    [run] = job_log.recent_runs(ctx.store, "index")
    assert run.error is not None and TOKEN not in run.error and WEBHOOK not in run.error
    assert run.error.count(REDACTED) == 2
    record = next(r for r in caplog.records if getattr(r, "job", None) == "index")
    RedactSecrets(secrets=()).filter(record)
    assert TOKEN not in record.getMessage() and "xoxb-" not in record.getMessage()


def test_redaction_covers_messages_args_tracebacks_and_env_values(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    local_hook = "http://127.0.0.1:8080/private-hook-path"
    monkeypatch.setenv("SLACK_WEBHOOK_URL", local_hook)
    logger = logging.getLogger("test.redaction")
    try:
        raise ValueError(f"token {TOKEN}")
    except ValueError:
        record = logger.makeRecord(
            "test.redaction",
            logging.ERROR,
            __file__,
            1,
            "posting to %s with %s",
            (local_hook, "xoxp-11-22-abc"),
            exc_info=sys.exc_info(),
        )
    record.url = WEBHOOK
    RedactSecrets().filter(record)
    line = JsonFormatter().format(record)
    doc = json.loads(line)
    for secret in (TOKEN, local_hook, "xoxp-11-22-abc", WEBHOOK):
        assert secret not in line
    assert doc["message"] == f"posting to {REDACTED} with {REDACTED}"
    assert doc["url"] == REDACTED and "ValueError: token [REDACTED]" in doc["exc"]
    assert redact("nothing secret here") == "nothing secret here"


def test_summaries_and_metrics_from_real_result_shapes(ctx: App) -> None:
    reading = _reading(61.5)
    alert = Alert("jump", "jump:2025-03-07", "Index jumped", "up 12 points", reading)
    runner = _runner(ctx, {"index": lambda c: IndexResult(reading, (alert,))})
    outcome = runner.run_job("index")
    assert outcome.details == {"index": 61.5, "regime": "warming", "stale": 0, "alerts": ["jump"]}
    text = runner.metrics.render().decode()
    assert "bubble_monitor_index 61.5" in text
    assert 'bubble_monitor_component{component="overextension",kind="market"} 70.0' in text
    assert 'component="layoffs"' not in text  # missing: no value rather than a stale one
    assert 'bubble_monitor_alerts_total{kind="jump"} 1.0' in text
    assert 'bubble_monitor_job_runs_total{job="index",outcome="ok"} 1.0' in text
    assert IndexResult(reading).summary()["alerts"] == []
    assert ScoreResult(3).summary() == {"count": 3}


def test_job_log_prunes_old_runs(store: Store) -> None:
    old = datetime(2020, 1, 1, tzinfo=UTC)
    job_log.record_event(store, "news", at=old, outcome="missed")
    job_log.record_event(store, "news", at=datetime.now(UTC), outcome="missed")
    assert job_log.prune_runs(store, before=datetime(2021, 1, 1, tzinfo=UTC)) == 1
    assert len(job_log.recent_runs(store)) == 1


def test_default_jobs_are_the_pipeline_stages() -> None:
    from monitor.stages.digest import run_digest
    from monitor.stages.index import run_index
    from monitor.stages.news import run_news
    from monitor.stages.prices import run_prices

    jobs = default_jobs()
    assert jobs["news"] is run_news and jobs["index"] is run_index
    assert jobs["prices_intraday"] is jobs["prices"] is run_prices
    assert jobs["digest"] is run_digest


def test_the_real_index_stage_as_a_job_fails_clearly_then_succeeds(ctx: App) -> None:
    runner = Runner(ctx, plan_jobs(ctx.config.schedule, only=("index",)), timezone=UTC)
    empty = runner.run_job("index")
    assert empty.outcome == "error"
    assert empty.error is not None and "run `bubble-monitor collect prices`" in empty.error
    now = datetime.now(UTC)
    days = [(now - timedelta(days=400 - i)).date() for i in range(400)]
    bars = [PriceBar("NVDA", day, 100 * math.exp(i / 300)) for i, day in enumerate(days)]
    upsert_bars(ctx.store, bars, fetched_at=now)
    outcome = runner.run_job("index")
    assert outcome.outcome == "ok", outcome.error
    assert 0 <= outcome.details["index"] <= 100
    gauge = re.search(r"^bubble_monitor_index (\S+)$", runner.metrics.render().decode(), re.M)
    assert gauge is not None and float(gauge.group(1)) == pytest.approx(
        outcome.details["index"], abs=0.01
    )
    assert [r.outcome for r in job_log.recent_runs(ctx.store, "index")] == ["ok", "error"]


def test_redact_takes_a_credential_out_of_a_url_query_and_keeps_its_name() -> None:
    from monitor.config.secrets import redact

    text = "HTTP 503 from https://news.example/rss?q=ai&apikey=abc123&lang=en; also ?token=t0k"
    assert redact(text) == (
        "HTTP 503 from https://news.example/rss?q=ai&apikey=[REDACTED]&lang=en; "
        "also ?token=[REDACTED]"
    )
    # Names that only end in a key word are not credentials.
    assert redact("https://x.example/a?monkey=1&keyword=ai") == (
        "https://x.example/a?monkey=1&keyword=ai"
    )
