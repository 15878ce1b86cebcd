"""The real-news model: the fine-tuned encoder loads offline from the package and classifies;
on the untouched 2025-07 .. 2026-04 test (validation) the issue's targets are checked."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest

from monitor.reading.classifier_files import DEFAULT_HEAD_PATH, load_classifier, load_head
from monitor.reading.finetuned import DELTA_PATH, delta_id
from signals.classifier.classifier import FINETUNED_MARK
from signals.classifier.realnews.kinds import FEED_KINDS

CORPUS = "ai_news_headlines_2022_2026.jsonl"
MACRO_F1_TARGET = 0.85
PRECISION_TARGET = 0.85
OTHER_FLAGGED_TARGET = 0.03
MAX_DELTA_BYTES = 50_000_000


def test_the_shipped_head_runs_on_the_shipped_fine_tuned_encoder() -> None:
    head = load_head(DEFAULT_HEAD_PATH)
    assert FINETUNED_MARK in head.model_id
    assert head.model_id == delta_id(DELTA_PATH)
    assert DELTA_PATH.stat().st_size < MAX_DELTA_BYTES
    assert set(head.thresholds_by_kind) == set(FEED_KINDS)


def test_fine_tuned_model_loads_offline_and_classifies(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    classifier = load_classifier()
    scores = classifier.classify(
        [
            "Acme Robotics to cut 2,000 jobs as it redirects spending to AI",
            "Central bankers warn the AI stock bubble is close to bursting",
            "A humpback whale was spotted off the coast of Maine",
        ],
        kinds=["search", "search", "general_tech"],
    )
    assert [s.label for s in scores] == ["layoffs", "bubble_warning", "other"]
    assert all(s.model_id == classifier.head_id for s in scores)
    assert FINETUNED_MARK in classifier.model_id


@cache
def _figures(corpus: Path) -> dict[str, Any]:
    from monitor.research.realnews.evaluate import evaluate_test

    return evaluate_test(corpus, load_head(DEFAULT_HEAD_PATH))


@pytest.mark.validation
@pytest.mark.slow
def test_macro_f1_on_the_untouched_test(shared_data: Path) -> None:
    figures = _figures(shared_data / CORPUS)
    assert figures["macro_f1"] >= MACRO_F1_TARGET


@pytest.mark.validation
@pytest.mark.slow
def test_precision_of_every_bubble_label_at_feed_mix(shared_data: Path) -> None:
    figures = _figures(shared_data / CORPUS)
    low = {k: v for k, v in figures["precision_at_feed_mix"].items() if v < PRECISION_TARGET}
    assert not low


@pytest.mark.validation
@pytest.mark.slow
def test_few_real_other_titles_get_a_bubble_label(shared_data: Path) -> None:
    figures = _figures(shared_data / CORPUS)
    assert figures["other_flagged_rate"] <= OTHER_FLAGGED_TARGET
