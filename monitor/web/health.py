"""What /healthz and /metrics serve: the health probe's type and the service's metrics.

The HTTP side is the web app (monitor/web/): /healthz reads the runner's in-memory job
status through a `HealthProbe` and /metrics renders the private prometheus-client registry
below, which the runner updates after each job.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    ProcessCollector,
    generate_latest,
)

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
        self._reading_metrics()
        self._job_metrics()

    def _reading_metrics(self) -> None:
        """What the latest reading says: the index, its components, segments, spread.
        The index and the stale count join the registry with the first reading: before
        it a gauge would read 0 (calm), a value no reading gave."""
        self.index = Gauge(
            "bubble_monitor_index", "Latest bubble-risk index (0-100)", registry=None
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
            "bubble_monitor_stale_inputs", "Inputs the latest reading names stale", registry=None
        )
        self._has_reading = False

    def _job_metrics(self) -> None:
        """What the jobs did: durations, outcomes, headlines, feed failures, alerts."""
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
        self.alert_failures = Counter(
            "bubble_monitor_alert_failures",
            "Alert deliveries a channel failed (the alert is retried on the next run)",
            ["channel"],
            registry=self.registry,
        )

    def seed(self, jobs: Iterable[Any]) -> None:
        """Each job's last success as the job log left it (JobStatus-like: `job`, `last_ok`),
        so after a restart the gauge does not vanish until the job next succeeds."""
        for st in jobs:
            if st.last_ok is not None:
                self.job_last_success.labels(st.job).set(st.last_ok.timestamp())

    def observe_run(self, job: str, outcome: str, duration: float | None, at: float) -> None:
        self.job_runs.labels(job, outcome).inc()
        if duration is not None:
            self.job_duration.labels(job).observe(duration)
        if outcome == "error":
            self.job_failures.labels(job).inc()
        elif outcome == "ok":
            self.job_last_success.labels(job).set(at)

    def observe_reading(self, reading: IndexReading) -> None:
        if not self._has_reading:
            self.registry.register(self.index)
            self.registry.register(self.stale_inputs)
            self._has_reading = True
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

    def observe_alert_failure(self, channel: str) -> None:
        self.alert_failures.labels(channel).inc()

    def observe_feed(self, feed: str, *, new: int, failed: bool) -> None:
        self.headlines.inc(new)
        if failed:
            self.feed_failures.labels(feed).inc()
        else:
            self.feed_failures.labels(feed).inc(0)  # the series exists from the first fetch

    def render(self) -> bytes:
        return generate_latest(self.registry)
