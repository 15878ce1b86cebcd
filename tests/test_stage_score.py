"""score_new_headlines on a real SQLite file: scores once, embeds once, idempotent."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import pytest

from monitor.reading.classifier_files import load_examples
from monitor.reading.embedding_cache import CachedEmbedder
from monitor.reading.minilm import MiniLMEncoder
from monitor.stages.score import score_new_headlines
from monitor.store import Store
from monitor.store.headlines import insert_headlines
from monitor.store.scores import headlines_to_score, scores_for
from signals.classifier import HeadlineClassifier
from signals.classifier.head import Head, HeadParams
from signals.classifier.training import train_head
from signals.labels import LABELS
from signals.models import Headline
from tests.fakes import CountingEmbedder

FIXTURES = Path(__file__).parent / "fixtures" / "classifier"
NOW = datetime(2026, 8, 17, 12, 0, tzinfo=UTC)
TITLES = [
    "Steelmaker to cut 4,000 jobs - Reuters",
    "Robotics startup raises $200 million Series C",
    "Chip supplier invests in cloud customer that buys its GPUs",
    "Hyperscaler sells $25 billion of bonds for data centers",
    "Fund manager warns AI stocks are a bubble",
]


@pytest.fixture(scope="module")
def encoder() -> MiniLMEncoder:
    return MiniLMEncoder()


@pytest.fixture(scope="module")
def head(encoder: MiniLMEncoder) -> Head:
    return train_head(load_examples(FIXTURES / "labelled.jsonl"), encoder, HeadParams(C=8.0))


@pytest.fixture
def counting(encoder: MiniLMEncoder) -> CountingEmbedder:
    return CountingEmbedder(encoder)


def _insert(store: Store, titles: Sequence[str]) -> list[int]:
    headlines = [
        Headline(title=t, url=f"https://news.test/{i}-{len(t)}", source="test", feed="f",
                 published=NOW)
        for i, t in enumerate(titles)
    ]  # fmt: skip
    return insert_headlines(store, headlines, fetched_at=NOW)


def test_scores_every_headline_once_and_embeds_once(
    db_path: Path, head: Head, counting: CountingEmbedder
) -> None:
    classifier = HeadlineClassifier(head, counting)
    with Store(db_path) as store:
        ids = _insert(store, TITLES)
        assert score_new_headlines(store, classifier, now=NOW) == 5
        assert len(counting.texts) == 5
        assert counting.texts[0] == "Steelmaker to cut 4,000 jobs"  # normalised before embedding
    with Store(db_path) as store:  # a later run, another process: nothing left to do
        assert score_new_headlines(store, classifier, now=NOW) == 0
        assert len(counting.texts) == 5
        saved = scores_for(store, ids)
    assert sorted(saved) == sorted(ids)
    first = saved[ids[0]]
    assert first.label == "layoffs"
    assert set(first.scores) == set(LABELS)
    assert first.confidence == pytest.approx(max(first.scores.values()), abs=1e-6)
    assert first.model_id == classifier.head_id


def test_new_headlines_only_embed_themselves(
    store: Store, head: Head, counting: CountingEmbedder
) -> None:
    classifier = HeadlineClassifier(head, counting)
    _insert(store, TITLES[:3])
    score_new_headlines(store, classifier, now=NOW)
    _insert(store, TITLES)  # three duplicates are skipped by the store, two are new
    assert score_new_headlines(store, classifier, now=NOW) == 2
    assert len(counting.texts) == 5


def test_a_retrained_head_rescores_from_the_cache(
    store: Store, head: Head, encoder: MiniLMEncoder, counting: CountingEmbedder
) -> None:
    _insert(store, TITLES)
    score_new_headlines(store, HeadlineClassifier(head, counting), now=NOW)
    examples = load_examples(FIXTURES / "labelled.jsonl")
    retrained = HeadlineClassifier(train_head(examples, encoder, HeadParams(C=1.0)), counting)
    assert retrained.head_id != HeadlineClassifier(head, counting).head_id
    assert len(headlines_to_score(store, retrained.head_id)) == 5
    assert score_new_headlines(store, retrained, now=NOW) == 5
    assert len(counting.texts) == 5  # the second head read every vector from the cache
    assert score_new_headlines(store, retrained, now=NOW) == 0


def test_vectors_cached_by_story_grouping_are_reused(
    store: Store, head: Head, counting: CountingEmbedder
) -> None:
    _insert(store, TITLES)
    classifier = HeadlineClassifier(head, counting)
    CachedEmbedder(classifier, store).embed(TITLES)  # what the news stage does
    assert len(counting.texts) == 5
    assert score_new_headlines(store, classifier, now=NOW, batch_size=2) == 5
    assert len(counting.texts) == 5


def test_nothing_to_score(store: Store, head: Head, counting: CountingEmbedder) -> None:
    assert score_new_headlines(store, HeadlineClassifier(head, counting), now=NOW) == 0
    assert counting.texts == []
