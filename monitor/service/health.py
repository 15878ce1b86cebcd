"""`--health-port`: GET /healthz (JSON job status) and GET /metrics (Prometheus text).

A stdlib ThreadingHTTPServer on a daemon thread, bound to 127.0.0.1 unless told otherwise.
It never touches the database: /healthz reads the runner's in-memory job status and
/metrics a private prometheus-client registry that the runner updates after each job.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    ProcessCollector,
    generate_latest,
)

from monitor.errors import ConfigError
from signals.models import IndexReading

log = logging.getLogger(__name__)

#: Returns (healthy, document) for /healthz.
HealthProbe = Callable[[], tuple[bool, dict[str, Any]]]
_DURATION_BUCKETS = (0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600)


class ServiceMetrics:
    """The service's Prometheus metrics, in a registry of their own (tests make many)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        ProcessCollector(registry=self.registry)
        self.index = Gauge(
            "bubble_monitor_index", "Latest bubble-risk index (0-100)", registry=self.registry
        )
        self.component = Gauge(
            "bubble_monitor_component",
            "Latest value of each index component (0-100); absent when missing",
            ["component", "kind"],
            registry=self.registry,
        )
        self.segment_index = Gauge(
            "bubble_monitor_segment_index",
            "Latest index of each feeds.yaml segment (0-100); absent without a value",
            ["segment"],
            registry=self.registry,
        )
        self.spread_net = Gauge(
            "bubble_monitor_segment_spread_net",
            "Two-year run-up of one segment net of another (fraction); absent when short",
            ["a", "b"],
            registry=self.registry,
        )
        self.stale_inputs = Gauge(
            "bubble_monitor_stale_inputs",
            "Inputs the latest reading names stale",
            registry=self.registry,
        )
        self.job_duration = Histogram(
            "bubble_monitor_job_duration_seconds",
            "Job run durations",
            ["job"],
            buckets=_DURATION_BUCKETS,
            registry=self.registry,
        )
        self.job_runs = Counter(
            "bubble_monitor_job_runs",
            "Job runs by outcome",
            ["job", "outcome"],
            registry=self.registry,
        )
        self.job_failures = Counter(
            "bubble_monitor_job_failures",
            "Job runs that raised an error",
            ["job"],
            registry=self.registry,
        )
        self.job_last_success = Gauge(
            "bubble_monitor_job_last_success_timestamp_seconds",
            "Unix time of each job's last successful run",
            ["job"],
            registry=self.registry,
        )
        self.headlines = Counter(
            "bubble_monitor_headlines_ingested", "New headlines stored", registry=self.registry
        )
        self.feed_failures = Counter(
            "bubble_monitor_feed_failures",
            "Feed fetches that failed",
            ["feed"],
            registry=self.registry,
        )
        self.alerts = Counter(
            "bubble_monitor_alerts", "Alerts decided and sent", ["kind"], registry=self.registry
        )

    def observe_run(self, job: str, outcome: str, duration: float | None, at: float) -> None:
        self.job_runs.labels(job, outcome).inc()
        if duration is not None:
            self.job_duration.labels(job).observe(duration)
        if outcome == "error":
            self.job_failures.labels(job).inc()
        elif outcome == "ok":
            self.job_last_success.labels(job).set(at)

    def observe_reading(self, reading: IndexReading) -> None:
        self.index.set(reading.index)
        self.stale_inputs.set(len(reading.stale))
        self.component.clear()  # a component missing now must not keep its old value
        for c in reading.components:
            if c.value is not None:
                self.component.labels(c.name, c.kind).set(c.value)
        self.segment_index.clear()
        for segment in reading.segments:
            if segment.index is not None:
                self.segment_index.labels(segment.name).set(segment.index)
        self.spread_net.clear()
        if reading.spread is not None and reading.spread.net is not None:
            self.spread_net.labels(reading.spread.a, reading.spread.b).set(reading.spread.net)

    def observe_alerts(self, kinds: Iterable[str]) -> None:
        for kind in kinds:
            self.alerts.labels(kind).inc()

    def observe_feed(self, feed: str, *, new: int, failed: bool) -> None:
        self.headlines.inc(new)
        if failed:
            self.feed_failures.labels(feed).inc()
        else:
            self.feed_failures.labels(feed).inc(0)  # the series exists from the first fetch

    def render(self) -> bytes:
        return generate_latest(self.registry)


class HealthServer:
    """The HTTP endpoint; `start()` binds (ConfigError if it cannot) and serves on a thread."""

    def __init__(self, host: str, port: int, probe: HealthProbe, metrics: ServiceMetrics) -> None:
        self.host, self.port = host, port
        self.probe, self.metrics = probe, metrics
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def address(self) -> tuple[str, int]:
        if self._server is None:
            return self.host, self.port
        host, port = self._server.server_address[:2]
        return str(host), int(port)

    def start(self) -> None:
        handler = _handler_class(self.probe, self.metrics)
        try:
            self._server = ThreadingHTTPServer((self.host, self.port), handler)
        except OSError as e:
            raise ConfigError(
                f"--health-port {self.port}: cannot listen on {self.host}:{self.port}: {e}"
            ) from e
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.1,), name="health-http", daemon=True
        )
        self._thread.start()
        host, port = self.address
        log.info("health on http://%s:%d/healthz, metrics on /metrics", host, port)

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


def _handler_class(probe: HealthProbe, metrics: ServiceMetrics) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "bubble-monitor"

        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            if path == "/healthz":
                healthy, doc = probe()
                status = HTTPStatus.OK if healthy else HTTPStatus.SERVICE_UNAVAILABLE
                body = json.dumps(doc, default=str, indent=2).encode()
                self._send(status, "application/json", body)
            elif path == "/metrics":
                self._send(HTTPStatus.OK, CONTENT_TYPE_LATEST, metrics.render())
            else:
                self._send(HTTPStatus.NOT_FOUND, "text/plain", b"try /healthz or /metrics\n")

        def _send(self, status: HTTPStatus, content_type: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            log.debug("health %s", format % args)

    return Handler
