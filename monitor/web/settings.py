"""WebSettings for the two ways the dashboard runs: inside `serve` beside the scheduler,
or alone with `dashboard` (read-only, no scheduler)."""

from __future__ import annotations

import os
import shlex
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from monitor.config.db_target import display_location
from monitor.config.feeds_yaml import Config
from monitor.errors import BubbleMonitorError
from monitor.store.db import Store
from monitor.store.readings import latest_reading
from monitor.store.readonly import open_readonly
from monitor.web.app import WebSettings
from monitor.web.fmt import parse_time
from monitor.web.health import ServiceMetrics
from monitor.web.next_runs import NextRun, NextRuns, PlannedJob, stored_next_runs
from monitor.web.page import PageSettings
from monitor.web.proxies import trusted_proxies_from_env

if TYPE_CHECKING:
    from monitor.service.runner import Runner


def service_settings(
    db: Path | str, runner: Runner, *, token: str | None, clock: Callable[[], datetime]
) -> WebSettings:
    """The dashboard inside `serve`: health and metrics from the live runner; the trusted
    proxies from the environment (`serve --trusted-proxies` puts them there)."""
    choice = runner.app.config.index.model
    page = PageSettings(
        _runner_next_runs(runner),
        "(live scheduler)",
        "service",
        crash_model(choice),
        choice,
        db_option(db),
    )
    return WebSettings(
        db,
        page,
        runner.health,
        runner.metrics.render,
        clock,
        token,
        trusted_proxies=trusted_proxies_from_env(),
    )


def _runner_next_runs(runner: Runner) -> NextRuns:
    def compute(store: Store, now: datetime) -> list[NextRun]:
        _, doc = runner.health()
        jobs: dict[str, Any] = doc.get("jobs", {})
        return [
            NextRun(
                name,
                str(job.get("schedule", "")),
                parse_time(job.get("next_run")),
                parse_time(job.get("last_run")),
            )
            for name, job in jobs.items()
        ]

    return compute


def dashboard_settings(
    db: Path | str,
    config: Config,
    *,
    token: str | None,
    clock: Callable[[], datetime],
    trusted_proxies: tuple[str, ...] = (),
) -> WebSettings:
    """The dashboard alone: no scheduler, so next runs come from feeds.yaml's schedule and
    the runs stored in the database, /healthz says whether the database reads, /metrics
    shows the stored reading."""
    from monitor.stages.schedule import plan_jobs, without_unconfigured

    jobs = without_unconfigured(plan_jobs(config.schedule), os.environ, warn=False)
    plans = {p.name: PlannedJob(p.description, p.trigger) for p in jobs}
    grace = timedelta(seconds=config.schedule.misfire_grace_seconds)
    page = PageSettings(
        stored_next_runs(plans, grace),
        "(from feeds.yaml's schedule and the last runs stored in this database)",
        "dashboard",
        crash_model(config.index.model),
        config.index.model,
        db_option(db),
    )
    return WebSettings(
        db,
        page,
        _store_probe(db),
        _stored_metrics(db),
        clock,
        token,
        trusted_proxies=trusted_proxies,
    )


def crash_model(choice: str) -> str:
    """The shipped crash model that live v2 readings use (`index.model`), named with its
    data hash and whether it passed its hold-out."""
    from monitor.reading.crash_model import live_model, model_label

    try:
        return model_label(live_model(choice))
    except BubbleMonitorError as e:
        return f"crash model unreadable: {e}"


def _store_probe(db: Path | str) -> Callable[[], tuple[bool, dict[str, Any]]]:
    def probe() -> tuple[bool, dict[str, Any]]:
        try:
            open_readonly(db).close()
        except BubbleMonitorError as e:
            return False, {"status": "failing", "mode": "dashboard", "error": str(e)}
        return True, {"status": "ok", "mode": "dashboard", "jobs": {}}

    return probe


def _stored_metrics(db: Path | str) -> Callable[[], bytes]:
    def render() -> bytes:
        metrics = ServiceMetrics()
        with open_readonly(db) as store:
            reading = latest_reading(store)
        if reading is not None:
            metrics.observe_reading(reading)
        return metrics.render()

    return render


def db_option(db: Path | str) -> str:
    """` --db PATH` for the commands the page suggests, quoted for a shell; a URL's
    password is masked (`***`)."""
    return f" --db {shlex.quote(display_location(db))}"
