"""The demo's shipped embeddings: the real model's own vectors for every demo headline,
and a demo store that reads them needs no model load; PSY is run once per series."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from monitor.ops.demo import load_demo_headlines
from monitor.ops.demo_embeddings import EMBEDDINGS_FILE, cache_keys, preload
from monitor.reading.classifier_files import load_classifier
from monitor.store import Store
from monitor.store.embeddings import get_embeddings
from signals.market_explosive import ExplosiveSettings, ticker_bsadf
from signals.text import normalise as normalise_text


def test_shipped_vectors_are_the_models_own_for_every_demo_headline(tmp_path: Path) -> None:
    classifier = load_classifier()
    normalise = classifier.head.params.normalise_text
    titles = [h.title for h in load_demo_headlines(datetime(2026, 10, 30, tzinfo=UTC))]
    keys = cache_keys(titles, normalise)
    model_id = classifier.embedder.model_id
    with Store(tmp_path / "e.db") as store:
        assert preload(store, model_id) == len(set(keys))
        shipped = get_embeddings(store, model_id, keys)
        assert preload(store, "another-model") == 0  # vectors of another model are not used
    assert set(shipped) == set(keys)
    sample = sorted(set(titles))[:8]
    computed = classifier.embedder.embed([normalise_text(t) if normalise else t for t in sample])
    for title, vector in zip(sample, computed, strict=True):
        (key,) = cache_keys([title], normalise)
        assert np.allclose(shipped[key], vector, atol=1e-5), title
    assert EMBEDDINGS_FILE.stat().st_size < 400_000


def test_psy_is_memoised_on_the_series_content() -> None:
    rng = np.random.default_rng(7)
    days = pd.bdate_range("2023-01-02", periods=400)
    prices = pd.Series(100 * np.exp(np.cumsum(rng.normal(0, 0.01, 400))), index=days)
    settings = ExplosiveSettings(reps=49)
    first = ticker_bsadf(prices, settings)
    again = ticker_bsadf(prices.copy(), settings)
    pd.testing.assert_frame_equal(first, again)
    again.iloc[0, 0] = -99.0  # a caller's edit never reaches the memo
    assert ticker_bsadf(prices, settings).iloc[0, 0] != -99.0
    shorter = ticker_bsadf(prices.iloc[:300], settings)
    # Bounded windows: the BSADF of a day depends on the days up to it only.
    pd.testing.assert_frame_equal(shorter, first.loc[shorter.index])
