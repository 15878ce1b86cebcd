"""encode_by_length with the real model: batches of similar token count, rows in input order,
the same vectors as one text at a time; and the model loads with sleeping OpenMP threads."""

from __future__ import annotations

import os
from collections.abc import Sequence
from itertools import pairwise
from typing import Any

import numpy as np
import pytest

from monitor.reading.minilm import (
    MiniLMEncoder,
    default_model_path,
    encode_by_length,
    load_sentence_transformer,
    shared_model,
)

TEXTS = [
    "Nvidia beats estimates as data-center revenue triples on demand for AI accelerators",
    "AI bubble?",
    "Oracle, OpenAI sign $300 billion cloud deal",
    "Layoffs",
    "Meta readies $25bn bond sale as soaring AI costs trigger a stock sell-off in tech",
    "Sam Altman says 'yes,' AI is in a bubble",
    "Chipmaker cuts 1,200 jobs",
]


class RecordingModel:
    """The real model, remembering the texts of each `encode` call."""

    def __init__(self, model: Any) -> None:
        self.model = model
        self.tokenizer = model.tokenizer
        self.max_seq_length = model.max_seq_length
        self.calls: list[list[str]] = []

    def encode(self, texts: Sequence[str], **kwargs: Any) -> Any:
        self.calls.append(list(texts))
        return self.model.encode(texts, **kwargs)


@pytest.fixture(scope="module")
def model() -> Any:
    return shared_model(default_model_path())


def tokens(model: Any, text: str) -> int:
    return len(model.tokenizer(text)["input_ids"])


def test_rows_in_input_order_equal_one_text_at_a_time(model: Any) -> None:
    vectors = encode_by_length(model, TEXTS, batch_size=2)
    assert vectors.shape == (len(TEXTS), 384) and vectors.dtype == np.float32
    for text, row in zip(TEXTS, vectors, strict=True):
        alone = model.encode([text], normalize_embeddings=True, convert_to_numpy=True)[0]
        assert np.allclose(row, alone, atol=1e-6), text


def test_batches_hold_texts_of_similar_token_count(model: Any) -> None:
    recording = RecordingModel(model)
    encode_by_length(recording, TEXTS, batch_size=3)
    assert [len(c) for c in recording.calls] == [3, 3, 1]
    counts = [[tokens(model, t) for t in call] for call in recording.calls]
    flat = [n for call in counts for n in call]
    assert sorted(flat) == sorted(tokens(model, t) for t in TEXTS)
    # Every batch is no longer than the next one's shortest text: least padding.
    assert all(max(a) <= min(b) for a, b in pairwise(counts))


def test_no_texts_gives_an_empty_matrix(model: Any) -> None:
    assert encode_by_length(model, [], batch_size=64).shape == (0, 384)
    assert MiniLMEncoder().embed([]).shape == (0, 384)


def test_loading_lets_idle_openmp_threads_sleep(monkeypatch: pytest.MonkeyPatch) -> None:
    import torch

    threads = torch.get_num_threads()  # loading sets the count: keep this process's
    monkeypatch.delenv("OMP_WAIT_POLICY", raising=False)
    load_sentence_transformer(default_model_path(), threads)
    assert os.environ["OMP_WAIT_POLICY"] == "PASSIVE"
    monkeypatch.setenv("OMP_WAIT_POLICY", "ACTIVE")  # an explicit choice is kept
    load_sentence_transformer(default_model_path(), threads)
    assert os.environ["OMP_WAIT_POLICY"] == "ACTIVE"
