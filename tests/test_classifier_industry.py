"""The shipped head on the real tech/AI-industry set (tests/real_headlines.py, round 5).

317 real titles (layoffs.fyi slug headlines and HuffPost industry headlines), hand-labelled
before any prediction on them was looked at; labels are keyed by sha256, the texts stay in
../shared/data. The odd-key half is the test half: no training line, threshold or choice
of round 5 read its predictions. Figures and the misses: docs/classifier-real-traffic.md.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sklearn.metrics import classification_report, f1_score

from monitor.reading.classifier_files import load_classifier
from signals.classifier import HeadlineClassifier
from signals.labels import LABELS
from tests.real_headlines import (
    feed_snapshot_titles,
    headline_key,
    is_industry_test,
    sample_industry,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "classifier"
#: The issue's target on real AI-industry headlines.
MACRO_F1_TARGET = 0.9
#: The baseline round 5 has to beat: the round-4 head (main at f5f3505) scored 0.635
#: macro-F1 on the test half over the labels with at least MIN_SUPPORT titles (other,
#: layoffs, funding_round), measured once, before round 5's head replaced it.
ROUND4_MACRO_F1 = 0.635
#: A label with fewer titles than this has an F1 that one title moves by 0.2 or more.
MIN_SUPPORT = 5


@pytest.fixture(scope="module")
def classifier() -> HeadlineClassifier:
    return load_classifier()


def _labels() -> dict[str, str]:
    loaded: dict[str, str] = json.loads((FIXTURES / "industry_labels.json").read_text("utf-8"))
    return loaded


def _macro(truth: list[str], predicted: list[str], min_support: int = 1) -> float:
    present = sorted(label for label in set(truth) if truth.count(label) >= min_support)
    return float(f1_score(truth, predicted, labels=present, average="macro", zero_division=0))


def test_industry_fixture_holds_keys_and_labels_only() -> None:
    labels = _labels()
    assert len(labels) == 317
    assert all(len(k) == 64 and int(k, 16) >= 0 for k in labels)
    assert set(labels.values()) <= set(LABELS)


@pytest.mark.validation
def test_every_industry_title_is_labelled_and_the_split_is_fixed(shared_data: Path) -> None:
    titles = sample_industry(shared_data)
    labels = _labels()
    assert [t for t in titles if headline_key(t) not in labels] == []
    assert len(titles) == 317 and sum(map(is_industry_test, titles)) == 162


def _test_half(shared_data: Path, classifier: HeadlineClassifier) -> tuple[list[str], ...]:
    labels = _labels()
    titles = [t for t in sample_industry(shared_data) if is_industry_test(t)]
    predicted = [s.label for s in classifier.classify(titles)]
    truth = [labels[headline_key(t)] for t in titles]
    print(f"\nindustry test half: {len(titles)} titles")
    print(classification_report(truth, predicted, digits=3, zero_division=0))
    for title, want, got in zip(titles, truth, predicted, strict=True):
        if want != got:
            print(f"  {want:>14} -> {got:<14} {title}")
    return titles, truth, predicted


@pytest.mark.validation
def test_round5_beats_the_head_it_replaced_on_the_industry_test_half(
    shared_data: Path, classifier: HeadlineClassifier
) -> None:
    _, truth, predicted = _test_half(shared_data, classifier)
    assert _macro(truth, predicted, MIN_SUPPORT) > ROUND4_MACRO_F1


@pytest.mark.validation
@pytest.mark.xfail(strict=True, reason="target missed: 0.60 on industry test half + feed titles")
def test_macro_f1_target_on_real_industry_headlines(
    shared_data: Path, classifier: HeadlineClassifier
) -> None:
    _, truth, predicted = _test_half(shared_data, classifier)
    feed_labels: dict[str, str] = json.loads(
        (FIXTURES / "realworld_labels.json").read_text("utf-8")
    )
    feeds = feed_snapshot_titles(shared_data / "feeds")
    truth += [feed_labels[headline_key(t)] for t in feeds]
    predicted += [s.label for s in classifier.classify(feeds)]
    assert _macro(truth, predicted) >= MACRO_F1_TARGET
