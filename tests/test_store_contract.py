"""The store modules not covered elsewhere, as one contract both backends must meet.

Every test here runs on SQLite and on a real PostgreSQL server (conftest parametrises the
`store` fixture of test_store* modules): job log, feed state, embeddings, layoff events,
units of work. Hostile values (quotes, percent signs, question marks, NUL-free binary
blobs) must come back exactly as written.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import numpy as np

from monitor.store import Store, work_claims
from monitor.store import jobs as job_log
from monitor.store.embeddings import count_embeddings, get_embeddings, put_embeddings
from monitor.store.feeds import feed_state, feed_states, record_feed_failure, record_feed_success
from monitor.store.layoffs import LayoffEvent, load_layoff_events, upsert_layoff_events

T0 = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
HOSTILE = 'it\'s 100% "sure"? -- ; DROP TABLE job_runs; %s %(x)s ?'


def test_job_runs_open_finish_and_history(store: Store) -> None:
    run = job_log.start_run(store, "index", started_at=T0, instance="host:1")
    later = job_log.start_run(store, "index", started_at=T0 + timedelta(minutes=1))
    assert later > run > 0
    job_log.finish_run(
        store, run, finished_at=T0 + timedelta(seconds=3), outcome="error", error=HOSTILE
    )
    job_log.finish_run(store, later, finished_at=T0 + timedelta(minutes=2), outcome="ok",
                       details={"index": 51.5, "note": HOSTILE})  # fmt: skip
    runs = job_log.recent_runs(store, "index")
    assert [r.id for r in runs] == [later, run]
    assert runs[1].error == HOSTILE and runs[1].instance == "host:1"
    assert runs[0].details == {"index": 51.5, "note": HOSTILE} and runs[0].duration == 60.0
    history = job_log.job_history(store, "index")
    assert history.last_ok == T0 + timedelta(minutes=2) and history.consecutive_failures == 0


def test_skipped_events_do_not_count_as_failures(store: Store) -> None:
    job_log.record_event(store, "news", at=T0, outcome="error", error="boom")
    event = job_log.record_event(store, "news", at=T0, outcome="skipped",
                                 error="held by another instance", instance="b:2")  # fmt: skip
    assert event > 0
    assert job_log.consecutive_failures(store, "news") == 1
    latest = job_log.recent_runs(store, "news", limit=1)[0]
    assert (latest.outcome, latest.error, latest.instance) == (
        "skipped",
        "held by another instance",
        "b:2",
    )


def test_abandoned_runs_are_closed_per_job_or_all(store: Store) -> None:
    job_log.start_run(store, "news", started_at=T0)
    job_log.start_run(store, "index", started_at=T0)
    assert job_log.open_run_jobs(store) == ["index", "news"]
    job_log.start_run(store, "digest", started_at=T0)
    assert job_log.close_abandoned(store, at=T0, jobs=["news"], reason=HOSTILE) == 1
    assert job_log.open_run_jobs(store) == ["digest", "index"]
    news = job_log.recent_runs(store, "news")[0]
    assert (news.outcome, news.error, news.finished_at) == ("abandoned", HOSTILE, T0)
    assert job_log.close_abandoned(store, at=T0, jobs=["index", "digest"]) == 2
    index = job_log.recent_runs(store, "index")[0]
    assert (index.outcome, index.error) == ("abandoned", job_log.STOPPED)
    assert job_log.close_abandoned(store, at=T0) == 0
    assert job_log.prune_runs(store, before=T0 + timedelta(days=1)) == 3


def test_feed_state_upserts_on_the_feed_name(store: Store) -> None:
    record_feed_success(store, "f", "https://x/rss?a=1&b=%20", now=T0, etag='W/"1"',
                        last_modified=None, items=3)  # fmt: skip
    state = record_feed_failure(store, "f", "https://x/rss?a=1&b=%20", now=T0, error=HOSTILE)
    assert state.consecutive_failures == 1
    record_feed_failure(store, "f", "https://x/rss?a=1&b=%20", now=T0, error="again")
    states = feed_states(store)
    assert list(states) == ["f"]
    again = feed_state(store, "f", "https://x/rss?a=1&b=%20")
    assert again.consecutive_failures == 2 and again.etag == 'W/"1"' and again.items_seen == 3


def test_embeddings_round_trip_bytes_and_keep_existing(store: Store) -> None:
    v1 = np.array([0.25, -1.5, 3.0e-8], dtype=np.float32)
    assert put_embeddings(store, "m", {"a": v1, "b": v1 * 2}) == 2
    assert put_embeddings(store, "m", {"a": v1 * 9, "c": v1}) == 1
    got = get_embeddings(store, "m", ["a", "b", "c", "missing"])
    assert sorted(got) == ["a", "b", "c"]
    assert np.array_equal(got["a"], v1) and got["a"].dtype == np.float32
    assert count_embeddings(store) == 3 and count_embeddings(store, "other") == 0


def test_layoff_events_upsert_on_company_and_day(store: Store) -> None:
    day = date(2025, 1, 8)
    first = upsert_layoff_events(store, [LayoffEvent("O'Brien & Co", day, 100, "AI", None)])
    again = upsert_layoff_events(store, [LayoffEvent("O'Brien & Co", day, 120, "AI", None)])
    same = upsert_layoff_events(store, [LayoffEvent("O'Brien & Co", day, 120, "AI", None)])
    assert (first.new, again.updated, same.unchanged) == (1, 1, 1)
    [event] = load_layoff_events(store, since=day, until=day)
    assert event.total_laid_off == 120 and event.company == "O'Brien & Co"


def test_a_unit_of_work_is_claimed_once(store: Store) -> None:
    slot = T0.replace(minute=0)
    unit = f"index@{slot.isoformat()}"
    assert work_claims.claimed_by(store, unit) is None
    assert work_claims.claim(store, unit, job="index", slot=slot, instance="a:1", at=T0)
    assert not work_claims.claim(store, unit, job="index", slot=slot, instance="b:2", at=T0)
    assert work_claims.claimed_by(store, unit) == ("a:1", None)
    work_claims.release(store, unit)  # a failed run: another instance may take the slot
    assert work_claims.claim(store, unit, job="index", slot=slot, instance="b:2", at=T0)
    work_claims.finish(store, unit)
    work_claims.release(store, unit)  # a finished claim is never released
    assert work_claims.units(store, "index") == [(unit, ("b:2", "ok"))]
    assert work_claims.prune_units(store, before=slot + timedelta(seconds=1)) == 1


def test_hold_unit_is_granted_to_a_lone_instance(store: Store) -> None:
    with store.hold_unit("job:index") as got:
        assert got
    assert store.schema_version() >= 2 and store.integrity_ok()
