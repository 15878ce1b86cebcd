"""Retention on a real SQLite file: old headlines go with their scores and embeddings,
old readings thin to one per UTC day, nothing else moves, and a second prune is a no-op."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from monitor.config.feeds_yaml import Config, RetentionConfig
from monitor.stages.jobs import JOB_NAMES, default_jobs
from monitor.stages.retention import run_retention
from monitor.store import Store
from monitor.store.embeddings import get_embeddings, put_embeddings, text_hash
from monitor.store.headlines import insert_headlines, list_headlines
from monitor.store.readings import list_readings, save_reading
from monitor.store.retention import prune
from monitor.store.scores import save_scores
from signals.models import Component, Headline, HeadlineScore, IndexReading
from signals.text import normalise
from tests.fakes import make_app

NOW = datetime(2026, 6, 30, 12, 0, tzinfo=UTC)
MODEL = "test-model"


def _fill(store: Store) -> None:
    titles = [(f"Story number {d}", NOW - timedelta(days=d, hours=1)) for d in range(0, 500, 10)]
    items = [
        Headline(title, f"https://n.test/{i}", "Wire", "feed", when)
        for i, (title, when) in enumerate(titles)
    ]
    ids = insert_headlines(store, items, fetched_at=NOW)
    score = HeadlineScore("layoffs", 0.9, {"layoffs": 0.9}, MODEL)
    save_scores(store, [(i, score) for i in ids], scored_at=NOW)
    vectors = {text_hash(normalise(t)): np.ones(4, dtype=np.float32) for t, _ in titles}
    vectors[text_hash("some classified text, not a headline")] = np.ones(4, dtype=np.float32)
    put_embeddings(store, MODEL, vectors)
    component = Component("overextension", "market", 60.0, 1.0, 60.0, "detail")
    for hour in range(0, 200 * 24, 6):  # a reading every 6 hours for 200 days
        as_of = NOW - timedelta(hours=hour)
        save_reading(
            store, IndexReading(as_of, 60.0, "warming", None, (component,)), computed_at=as_of
        )


def _count(store: Store, table: str) -> int:
    return int(store.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])


def test_prune_drops_old_headlines_scores_embeddings_and_thins_old_readings(
    store: Store,
) -> None:
    _fill(store)
    counts = prune(store, now=NOW, headlines_days=400, readings_full_days=90)
    kept = list_headlines(store)
    assert min(h.headline.published for h in kept) >= NOW - timedelta(days=400)
    assert counts.headlines == 10 and len(kept) == 40
    assert _count(store, "headline_scores") == 40
    # The pruned titles' embeddings go; a kept headline's and a non-headline text's stay.
    assert counts.embeddings == 10
    assert not get_embeddings(store, MODEL, [text_hash(normalise("Story number 490"))])
    assert get_embeddings(store, MODEL, [text_hash(normalise("Story number 390"))])
    assert get_embeddings(store, MODEL, [text_hash("some classified text, not a headline")])
    readings = list_readings(store)
    old = [r.as_of for r in readings if r.as_of < NOW - timedelta(days=90)]
    recent = [r for r in readings if r.as_of >= NOW - timedelta(days=90)]
    assert len({d.date() for d in old}) == len(old)  # one a day
    assert all(d.hour == 18 for d in sorted(old)[:-1])  # the last of its UTC day: 18:00
    assert len(recent) == 90 * 4 + 1
    assert counts.readings == 200 * 4 - len(recent) - len(old)
    again = prune(store, now=NOW, headlines_days=400, readings_full_days=90)
    assert again.summary() == {"headlines_pruned": 0, "embeddings_pruned": 0, "readings_thinned": 0}


def test_null_keeps_everything_and_too_short_a_window_is_refused(store: Store) -> None:
    _fill(store)
    before = {t: _count(store, t) for t in ("headlines", "embeddings", "index_readings")}
    prune(store, now=NOW, headlines_days=None, readings_full_days=None)
    assert {t: _count(store, t) for t in before} == before
    with pytest.raises(ValueError, match="headlines_days"):
        RetentionConfig(headlines_days=30)


def test_retention_is_a_daily_service_job_configured_in_feeds_yaml(store: Store) -> None:
    assert "retention" in JOB_NAMES and default_jobs()["retention"] is run_retention
    _fill(store)
    config = Config(basket=("NVDA",), retention=RetentionConfig(readings_full_days=30))
    result = run_retention(make_app(config, store, clock=lambda: NOW))
    assert result.summary()["readings_thinned"] > 0 and result.summary()["headlines_pruned"] == 10
