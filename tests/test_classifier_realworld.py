"""External check of the shipped classifier on real feed titles nobody trained on.

The titles come from ../shared/data/feeds (read at test time, never copied into the repo).
Their hand labels live in tests/fixtures/classifier/realworld_labels.json, keyed by the
sha256 of the normalised title (lowercase, whitespace collapsed), so the fixture holds no
headline text. None of these titles, nor paraphrases of them, are in the training data.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sklearn.metrics import classification_report, f1_score

from monitor.reading.classifier_files import load_classifier
from signals.labels import LABELS
from tests.real_headlines import feed_snapshot_titles as feed_titles
from tests.real_headlines import headline_key as title_key

LABELS_FILE = Path(__file__).resolve().parent / "fixtures" / "classifier" / "realworld_labels.json"

#: The issue's target on real AI-industry headlines. The shipped head misses it (measured
#: 0.71 with abstention: docs/classifier-real-traffic.md), so the test is a strict xfail:
#: it starts failing, and must be turned back into a plain test, once a retrain reaches it.
MACRO_F1_TARGET = 0.9


def test_fixture_keys_are_hashes_and_values_are_labels() -> None:
    labels = json.loads(LABELS_FILE.read_text(encoding="utf-8"))
    assert len(labels) >= 80
    assert all(len(k) == 64 and int(k, 16) >= 0 for k in labels)
    assert set(labels.values()) <= set(LABELS)


@pytest.mark.validation
@pytest.mark.xfail(strict=True, reason="target missed: real-world macro-F1 0.71 < 0.9")
def test_shipped_head_on_hand_labelled_real_feed_titles(shared_data: Path) -> None:
    labels: dict[str, str] = json.loads(LABELS_FILE.read_text(encoding="utf-8"))
    titles = feed_titles(shared_data / "feeds")
    unlabelled = [t for t in titles if title_key(t) not in labels]
    assert not unlabelled, f"feed titles without a hand label: {unlabelled}"

    truth = [labels[title_key(t)] for t in titles]
    predicted = [s.label for s in load_classifier().classify(titles)]
    present = sorted(set(truth))
    print(f"\nreal-world check: {len(titles)} titles")
    print(classification_report(truth, predicted, labels=present, digits=3, zero_division=0))
    for title, want, got in zip(titles, truth, predicted, strict=True):
        if want != got:
            print(f"  {want:>14} -> {got:<14} {title}")
    macro = f1_score(truth, predicted, labels=present, average="macro", zero_division=0)
    assert macro >= MACRO_F1_TARGET, f"real-world macro-F1 {macro:.3f} < {MACRO_F1_TARGET}"
