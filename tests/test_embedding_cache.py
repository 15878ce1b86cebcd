"""CachedEmbedder on a real SQLite file with the real model: compute once, then read."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from monitor.reading.embedding_cache import CachedEmbedder
from monitor.reading.minilm import MiniLMEncoder
from monitor.store import Store
from monitor.store.embeddings import count_embeddings, get_embeddings, text_hash
from tests.fakes import CountingEmbedder


@pytest.fixture(scope="module")
def encoder() -> MiniLMEncoder:
    return MiniLMEncoder()


TEXTS = [
    "Chipmaker cuts 1,200 jobs",
    "AI startup raises $50M",
    "Chipmaker cuts 1,200 jobs",  # a duplicate within one call
]


def test_second_call_embeds_nothing_and_returns_the_same_rows(
    encoder: MiniLMEncoder, store: Store
) -> None:
    counting = CountingEmbedder(encoder)
    cached = CachedEmbedder(counting, store)
    first = cached.embed(TEXTS)
    assert counting.texts == ["Chipmaker cuts 1,200 jobs", "AI startup raises $50M"]
    second = cached.embed(list(reversed(TEXTS)))
    assert len(counting.texts) == 2  # nothing new was computed
    assert np.array_equal(second, first[::-1])
    assert first.dtype == np.float32 and first.shape == (3, 384)
    assert np.allclose(np.linalg.norm(first, axis=1), 1.0, atol=1e-5)
    assert np.allclose(first[0], encoder.embed(["Chipmaker cuts 1,200 jobs"])[0], atol=1e-6)


def test_cache_survives_reopening_the_database(encoder: MiniLMEncoder, db_path: Path) -> None:
    with Store(db_path) as store:
        CachedEmbedder(encoder, store).embed(["Retailer trims 500 roles"])
    with Store(db_path) as store:
        counting = CountingEmbedder(encoder)
        CachedEmbedder(counting, store).embed(["Retailer trims 500 roles"])
        assert counting.texts == []
        assert count_embeddings(store, encoder.model_id) == 1


def test_publisher_suffix_and_entities_share_one_cached_vector(
    encoder: MiniLMEncoder, store: Store
) -> None:
    counting = CountingEmbedder(encoder)
    cached = CachedEmbedder(counting, store)
    rows = cached.embed(["Meta&#8217;s capex  climbs - Reuters", "Meta’s capex climbs | CNBC"])
    assert counting.texts == ["Meta’s capex climbs"]
    assert np.array_equal(rows[0], rows[1])
    assert get_embeddings(store, encoder.model_id, [text_hash("Meta’s capex climbs")])


def test_other_model_ids_do_not_share_vectors(encoder: MiniLMEncoder, store: Store) -> None:
    CachedEmbedder(encoder, store).embed(["Bank cuts 2% of staff"])
    other = CountingEmbedder(encoder, model_id="another-model")
    CachedEmbedder(other, store).embed(["Bank cuts 2% of staff"])
    assert other.texts == ["Bank cuts 2% of staff"]
    assert count_embeddings(store) == 2


def test_batches_of_missing_texts(encoder: MiniLMEncoder, store: Store) -> None:
    counting = CountingEmbedder(encoder)
    texts = [f"Company {i} cuts {i * 10} jobs" for i in range(7)]
    rows = CachedEmbedder(counting, store, batch_size=3).embed(texts)
    assert rows.shape == (7, 384)
    assert len(counting.texts) == 7
    assert count_embeddings(store) == 7


def test_no_texts_gives_an_empty_matrix(encoder: MiniLMEncoder, store: Store) -> None:
    assert CachedEmbedder(encoder, store).embed([]).shape == (0, 384)
