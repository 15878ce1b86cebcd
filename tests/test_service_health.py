"""The service's health endpoints over real HTTP on 127.0.0.1 (the web app under uvicorn,
wired to a live runner): /healthz status codes and document, /metrics in Prometheus
text, and a clear error when the port is taken."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import httpx
import pytest
from apscheduler.triggers.interval import IntervalTrigger
from prometheus_client.parser import text_string_to_metric_families

from monitor.app import App
from monitor.config.feeds_yaml import Config, ScheduleConfig
from monitor.errors import ConfigError
from monitor.service.runner import Runner
from monitor.stages.schedule import JobPlan
from monitor.stages.score import ScoreResult
from monitor.store import Store
from monitor.web.app import build_app
from monitor.web.server import WebServer
from monitor.web.settings import service_settings
from signals.models import Component, IndexReading, SegmentReading, SpreadReading
from tests.fakes import make_app


@pytest.fixture
def runner(store: Store) -> Iterator[Runner]:
    config = Config(basket=("NVDA",), schedule=ScheduleConfig(prices=None, prices_intraday=None))
    state = {"fail": False}

    def news(app: App) -> ScoreResult:
        if state["fail"]:
            raise TimeoutError("feeds unreachable")
        return ScoreResult(3)

    plans = [JobPlan(n, IntervalTrigger(hours=1, timezone=UTC), "every 1h") for n in ("news",)]
    r = Runner(make_app(config, store), plans, timezone=UTC, jobs={"news": news})
    r.state = state  # type: ignore[attr-defined]
    yield r
    r.shutdown(5)


@pytest.fixture
def server(runner: Runner) -> Iterator[WebServer]:
    s = _web(runner, 0)
    s.start()
    yield s
    s.stop()


def _web(runner: Runner, port: int) -> WebServer:
    settings = service_settings(runner.app.store.path, runner, token=None, clock=runner.app.clock)
    return WebServer(build_app(settings), "127.0.0.1", port, option="--health-port")


def _url(server: WebServer, path: str) -> str:
    host, port = server.address
    return f"http://{host}:{port}{path}"


def _metrics(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def test_healthz_is_200_with_each_job_and_its_next_run(runner: Runner, server: WebServer) -> None:
    runner.start()
    runner.run_job("news")
    response = httpx.get(_url(server, "/healthz"))
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    doc = response.json()
    assert doc["status"] == "ok" and doc["failing_jobs"] == []
    news = doc["jobs"]["news"]
    assert set(news) >= {"last_run", "last_ok", "last_error", "next_run", "consecutive_failures"}
    assert news["last_error"] is None and news["schedule"] == "every 1h"
    assert datetime.fromisoformat(news["last_ok"]) <= datetime.now(UTC)
    assert datetime.fromisoformat(news["next_run"]) > datetime.now(UTC)


def test_healthz_is_503_after_repeated_failures(runner: Runner, server: WebServer) -> None:
    runner.state["fail"] = True  # type: ignore[attr-defined]
    codes = []
    for _ in range(3):
        runner.run_job("news")
        codes.append(httpx.get(_url(server, "/healthz")).status_code)
    assert codes == [200, 200, 503]
    doc = httpx.get(_url(server, "/healthz")).json()
    assert doc["status"] == "failing" and doc["failing_jobs"] == ["news"]
    assert doc["jobs"]["news"]["last_error"] == "TimeoutError: feeds unreachable"


def test_metrics_are_prometheus_text_with_the_service_series(
    runner: Runner, server: WebServer
) -> None:
    runner.run_job("news")
    runner.state["fail"] = True  # type: ignore[attr-defined]
    runner.run_job("news")
    runner.metrics.observe_reading(
        IndexReading(
            datetime(2025, 1, 27, tzinfo=UTC),
            58.25,
            "frothy",
            -3.0,
            (Component("fragility", "market", 81.0, 1.0, 40.0, "VIX spiking"),),
            segments=(
                SegmentReading("llm", 71.5, "bubble", None, ()),
                SegmentReading("applied_ai", None, "no data", None, ()),
            ),
            spread=SpreadReading(
                "llm", "applied_ai", date(2025, 1, 27), 504, 1.5, 0.25, 1.25, None
            ),
        )
    )
    runner.metrics.observe_feed("gnews-ai-bubble", new=4, failed=False)
    runner.metrics.observe_feed("dead-feed", new=0, failed=True)
    response = httpx.get(_url(server, "/metrics"))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    m = _metrics(response.text)
    assert m[("bubble_monitor_index", ())] == 58.25
    assert m[("bubble_monitor_component", (("component", "fragility"), ("kind", "market")))] == 81
    assert m[("bubble_monitor_segment_index", (("segment", "llm"),))] == 71.5
    assert ("bubble_monitor_segment_index", (("segment", "applied_ai"),)) not in m
    assert m[("bubble_monitor_segment_spread_net", (("a", "llm"), ("b", "applied_ai")))] == 1.25
    assert m[("bubble_monitor_job_runs_total", (("job", "news"), ("outcome", "ok")))] == 1
    assert m[("bubble_monitor_job_failures_total", (("job", "news"),))] == 1
    assert m[("bubble_monitor_job_duration_seconds_count", (("job", "news"),))] == 2
    assert m[("bubble_monitor_headlines_ingested_total", ())] == 4
    assert m[("bubble_monitor_feed_failures_total", (("feed", "dead-feed"),))] == 1
    assert m[("bubble_monitor_feed_failures_total", (("feed", "gnews-ai-bubble"),))] == 0
    assert m[("process_resident_memory_bytes", ())] > 1_000_000


def test_no_index_series_before_the_first_reading(runner: Runner, server: WebServer) -> None:
    """Before any reading (a new store, or every index run failing) the index gauge read
    0, a calm reading nobody computed; the series is absent until a reading exists."""
    runner.run_job("news")
    before = _metrics(httpx.get(_url(server, "/metrics")).text)
    assert ("bubble_monitor_index", ()) not in before
    assert ("bubble_monitor_stale_inputs", ()) not in before
    assert ("bubble_monitor_job_runs_total", (("job", "news"), ("outcome", "ok"))) in before
    reading = IndexReading(datetime(2025, 1, 27, tzinfo=UTC), 12.5, "calm", None, ())
    runner.metrics.observe_reading(reading)
    runner.metrics.observe_reading(reading)  # a second reading re-registers nothing
    after = _metrics(httpx.get(_url(server, "/metrics")).text)
    assert after[("bubble_monitor_index", ())] == 12.5
    assert after[("bubble_monitor_stale_inputs", ())] == 0


def test_unknown_paths_are_404(server: WebServer) -> None:
    assert httpx.get(_url(server, "/nothing-here")).status_code == 404


def test_binds_loopback_by_default_and_names_a_taken_port(runner: Runner) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(ConfigError, match=rf"--health-port {port}: cannot listen"):
            _web(runner, port).start()


def test_health_document_is_json_serialisable_before_any_run(runner: Runner) -> None:
    healthy, doc = runner.health()
    assert healthy
    again: dict[str, Any] = json.loads(json.dumps(doc))
    assert again["jobs"]["news"]["last_run"] is None
    assert again["jobs"]["news"]["next_run"] is None  # not started: nothing scheduled yet
