"""The real-news model: the shipped head (frozen encoder, real labels, per-kind thresholds)
classifies offline; the fine-tuned-encoder loader puts a float16 delta on the packaged
model offline; on the untouched 2025-07 .. 2026-04 test (validation) the issue's targets
are checked (missed, strict xfail: docs/classifier-real-news.md has the figures)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from monitor.reading.classifier_files import DEFAULT_HEAD_PATH, load_classifier, load_head
from monitor.reading.finetuned import DELTA_PREFIX, FinetunedEncoder
from monitor.reading.minilm import MiniLMEncoder, default_model_path
from signals.classifier.classifier import FINETUNED_MARK
from signals.classifier.realnews.kinds import FEED_KINDS

CORPUS = "ai_news_headlines_2022_2026.jsonl"
MACRO_F1_TARGET = 0.85
PRECISION_TARGET = 0.85
OTHER_FLAGGED_TARGET = 0.03
TITLES = [
    "Acme Robotics to cut 2,000 jobs as it redirects spending to AI",
    "Central bankers warn the AI stock bubble is close to bursting",
    "A humpback whale was spotted off the coast of Maine",
]


def test_the_shipped_head_has_thresholds_for_every_feed_kind() -> None:
    head = load_head(DEFAULT_HEAD_PATH)
    assert FINETUNED_MARK not in head.model_id  # the frozen encoder won the test
    assert set(head.thresholds_by_kind) == set(FEED_KINDS)
    assert head.n_train >= 4000


def test_shipped_model_loads_offline_and_classifies(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    classifier = load_classifier()
    scores = classifier.classify(TITLES, kinds=["search", "search", "general_tech"])
    assert [s.label for s in scores] == ["layoffs", "bubble_warning", "other"]
    assert all(s.model_id == classifier.head_id for s in scores)


def test_a_fine_tuned_delta_loads_offline_onto_the_packaged_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A delta holding the base model's own layers (in float16) must give its vectors back."""
    from safetensors.torch import save_file
    from sentence_transformers import SentenceTransformer

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    base = SentenceTransformer(str(default_model_path()), device="cpu", local_files_only=True)
    state = base[0].auto_model.state_dict()
    delta = {k: v.half().contiguous() for k, v in state.items() if k.startswith(DELTA_PREFIX)}
    save_file(delta, str(tmp_path / "delta.safetensors"))
    encoder = FinetunedEncoder(tmp_path / "delta.safetensors")
    assert FINETUNED_MARK in encoder.model_id
    got = encoder.embed(TITLES)
    want = MiniLMEncoder().embed(TITLES)
    assert got.shape == want.shape
    assert np.allclose(got, want, atol=2e-3)


@cache
def _figures(corpus: Path) -> dict[str, Any]:
    from monitor.research.realnews.evaluate import evaluate_test

    return evaluate_test(corpus, load_head(DEFAULT_HEAD_PATH))


@pytest.mark.validation
@pytest.mark.slow
@pytest.mark.xfail(strict=True, reason="target missed: test macro-F1 0.627 < 0.85")
def test_macro_f1_on_the_untouched_test(shared_data: Path) -> None:
    figures = _figures(shared_data / CORPUS)
    assert figures["macro_f1"] >= MACRO_F1_TARGET


@pytest.mark.validation
@pytest.mark.slow
@pytest.mark.xfail(
    strict=True, reason="target missed: circular 0.12, capex 0.34, bubble 0.47, funding 0.83"
)
def test_precision_of_every_bubble_label_at_feed_mix(shared_data: Path) -> None:
    figures = _figures(shared_data / CORPUS)
    low = {k: v for k, v in figures["precision_at_feed_mix"].items() if v < PRECISION_TARGET}
    assert not low


@pytest.mark.validation
@pytest.mark.slow
@pytest.mark.xfail(strict=True, reason="target missed: 19 / 528 = 3.6% of test `other` > 3%")
def test_few_real_other_titles_get_a_bubble_label(shared_data: Path) -> None:
    figures = _figures(shared_data / CORPUS)
    assert figures["other_flagged_rate"] <= OTHER_FLAGGED_TARGET


@pytest.mark.validation
@pytest.mark.slow
def test_the_shipped_head_flags_far_fewer_real_other_titles_than_before(
    shared_data: Path,
) -> None:
    """Before this round 117 / 528 (22%) test `other` titles got a bubble label."""
    figures = _figures(shared_data / CORPUS)
    assert figures["other_flagged_rate"] < 0.05
    assert figures["macro_f1"] > 0.6
