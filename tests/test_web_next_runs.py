"""Next runs under `dashboard`: from feeds.yaml's schedule and the last runs in job_runs,
never from when the dashboard started; a run missing from the log is flagged overdue."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from monitor.config.feeds_yaml import parse_config
from monitor.store import Store
from monitor.store.jobs import finish_run, record_event, start_run
from monitor.web.app import build_app
from monitor.web.next_runs import NextRun
from monitor.web.settings import dashboard_settings
from tests.web_helpers import NOW, payload, put_payload

GRACE = timedelta(minutes=10)
FEEDS = """\
basket: [NVDA]
feeds: []
schedule:
  timezone: UTC
  misfire_grace_seconds: 600
  prices: null
  prices_intraday: null
  positioning: null
  filings: null
  fundamentals: null
  models: null
  retention: null
  news: {every: 15m, jitter: 60}
  index: {every: 1h}
  digest: {cron: "0 9 * * *"}
"""


def _ran(store: Store, job: str, at: datetime) -> None:
    run = start_run(store, job, started_at=at)
    finish_run(store, run, finished_at=at + timedelta(seconds=5), outcome="ok")


def _next_runs(store: Store, db: Path) -> dict[str, NextRun]:
    config = parse_config(FEEDS, db.parent / "feeds.yaml")
    settings = dashboard_settings(db, config, token=None, clock=lambda: NOW)
    return {r.job: r for r in settings.page.next_runs(store, NOW)}


def test_interval_jobs_count_from_their_last_stored_run(store: Store, db_path: Path) -> None:
    _ran(store, "index", NOW - timedelta(minutes=20))
    _ran(store, "news", NOW - timedelta(minutes=5))
    runs = _next_runs(store, db_path)
    assert runs["index"].next_run == NOW + timedelta(minutes=40)
    assert runs["index"].last_run == NOW - timedelta(minutes=20)
    assert runs["news"].next_run == NOW + timedelta(minutes=10)  # jitter left out: stable
    assert not runs["index"].note and not runs["news"].overdue


def test_the_latest_run_counts_whatever_its_outcome(store: Store, db_path: Path) -> None:
    _ran(store, "index", NOW - timedelta(hours=5))
    record_event(store, "index", at=NOW - timedelta(minutes=30), outcome="skipped")
    assert _next_runs(store, db_path)["index"].next_run == NOW + timedelta(minutes=30)


def test_a_job_never_run_says_so(store: Store, db_path: Path) -> None:
    runs = _next_runs(store, db_path)
    assert runs["index"].next_run is None
    assert runs["index"].note == "at the service's start-up"
    assert runs["digest"].next_run == datetime(2026, 3, 3, 9, 0, tzinfo=NOW.tzinfo)
    assert runs["digest"].note == "never run on this database"


def test_missing_runs_are_overdue(store: Store, db_path: Path) -> None:
    _ran(store, "index", NOW - timedelta(hours=3))
    _ran(store, "digest", datetime(2026, 2, 28, 9, 0, tzinfo=NOW.tzinfo))
    runs = _next_runs(store, db_path)
    assert runs["index"].overdue and runs["index"].next_run == NOW - timedelta(hours=2)
    assert runs["index"].note == (
        "a run due 2026-03-02 20:00 UTC (2 h ago) is not in the log: is the service running?"
    )
    assert runs["digest"].overdue
    assert runs["digest"].next_run == datetime(2026, 3, 3, 9, 0, tzinfo=NOW.tzinfo)
    assert "a run due 2026-03-01 09:00 UTC" in runs["digest"].note


@pytest.mark.parametrize(
    ("last", "overdue"),
    [(timedelta(hours=1, minutes=9), False), (timedelta(hours=1, minutes=11), True)],
)
def test_the_misfire_grace_applies(
    store: Store, db_path: Path, last: timedelta, overdue: bool
) -> None:
    _ran(store, "index", NOW - last)
    assert _next_runs(store, db_path)["index"].overdue is overdue


def test_a_cron_job_run_on_time_is_not_overdue(store: Store, db_path: Path) -> None:
    _ran(store, "digest", datetime(2026, 3, 2, 9, 0, 2, tzinfo=NOW.tzinfo))
    runs = _next_runs(store, db_path)
    assert not runs["digest"].overdue
    assert runs["digest"].next_run == datetime(2026, 3, 3, 9, 0, tzinfo=NOW.tzinfo)


def test_the_page_shows_last_and_next_runs(store: Store, db_path: Path) -> None:
    put_payload(store, payload(NOW, 50.0))
    _ran(store, "index", NOW - timedelta(minutes=20))
    _ran(store, "news", NOW - timedelta(hours=1))
    config = parse_config(FEEDS, db_path.parent / "feeds.yaml")
    app = build_app(dashboard_settings(db_path, config, token=None, clock=lambda: NOW))
    text = TestClient(app).get("/").text
    assert "from feeds.yaml&#39;s schedule and the last runs stored" in text
    assert (
        '<th scope="row">index</th><td>every 1h</td><td>2026-03-02 21:40 UTC</td>'
        "<td>2026-03-02 22:40 UTC</td>"
    ) in text
    assert '<span class="error-text">a run due 2026-03-02 21:15 UTC (45 min ago)' in text
    assert '<th scope="row">digest</th>' in text and "never run on this database" in text


def test_dashboard_leaves_out_the_filings_job_serve_would_not_run(
    store: Store, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # serve drops `filings` without EDGAR's required User-Agent; dashboard listed a next
    # run for it that never came.
    config = parse_config(FEEDS.replace("filings: null", "filings: {every: 1d}"), db_path)
    monkeypatch.delenv("BUBBLE_MONITOR_SEC_USER_AGENT", raising=False)
    settings = dashboard_settings(db_path, config, token=None, clock=lambda: NOW)
    assert "filings" not in {r.job for r in settings.page.next_runs(store, NOW)}
    monkeypatch.setenv("BUBBLE_MONITOR_SEC_USER_AGENT", "Jane Doe jane@example.com")
    settings = dashboard_settings(db_path, config, token=None, clock=lambda: NOW)
    assert "filings" in {r.job for r in settings.page.next_runs(store, NOW)}


def test_the_dashboard_warns_of_no_sec_job_it_does_not_run(
    db_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """`dashboard --db demo.db` logged "SEC jobs off (filings and fundamentals)" as a
    warning, though it runs no job; the service, which would run them, still says so."""
    from monitor.config.feeds_yaml import load_config
    from monitor.stages.schedule import plan_jobs, without_unconfigured

    monkeypatch.delenv("BUBBLE_MONITOR_SEC_USER_AGENT", raising=False)
    config = load_config(None)  # the bundled schedule runs filings and fundamentals
    Store(db_path).close()
    dashboard_settings(db_path, config, token=None, clock=lambda: NOW)
    assert "SEC jobs off" not in caplog.text
    without_unconfigured(plan_jobs(config.schedule), {})
    assert "SEC jobs off (filings and fundamentals)" in caplog.text
