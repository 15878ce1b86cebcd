"""Background-news check: the shipped classifier on real business headlines off the AI beat.

A fixed random sample of 600 HuffPost BUSINESS headlines (2012-2022) from ../shared/data
(read at test time, never copied into the repo) is hand-labelled with the taxonomy; nearly
all are `other`. The labels live in tests/fixtures/classifier/background_labels.json keyed
by the sha256 of the normalised headline, so the fixture holds no headline text. The check
guards against the head reading generic jobs, careers and personal-finance stories as
layoffs, debt-financed capex or bubble warnings, which would inflate the news components.
"""

from __future__ import annotations

import csv
import hashlib
import json
import random
from collections import Counter
from pathlib import Path

import pytest

from signals.classifier import load_classifier
from signals.labels import LABELS

LABELS_FILE = Path(__file__).resolve().parent / "fixtures" / "classifier" / "background_labels.json"
CSV_NAME = "huffpost_business_news_2012_2022.csv"
SAMPLE_SIZE = 600
SAMPLE_SEED = 1

# Measured on the shipped head (see the README classifier block); the bounds sit a little
# beyond the measured values so that a retrain which reads more background news as bubble
# signals fails.
ACCURACY_FLOOR = 0.975
FALSE_POSITIVE_CEILING = 0.025


def headline_key(headline: str) -> str:
    """The fixture key of a headline: sha256 of its lowercased, whitespace-collapsed text."""
    return hashlib.sha256(" ".join(headline.lower().split()).encode("utf-8")).hexdigest()


def sample_headlines(csv_path: Path) -> list[str]:
    """The labelled sample: random.seed(1), random.sample(rows, 600), in sample order."""
    with csv_path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    random.seed(SAMPLE_SEED)
    return [row["headline"] for row in random.sample(rows, SAMPLE_SIZE)]


def test_fixture_keys_are_hashes_and_values_are_labels() -> None:
    labels = json.loads(LABELS_FILE.read_text(encoding="utf-8"))
    assert len(labels) == SAMPLE_SIZE
    assert all(len(k) == 64 and int(k, 16) >= 0 for k in labels)
    assert set(labels.values()) <= set(LABELS)


@pytest.mark.validation
def test_shipped_head_on_hand_labelled_background_business_news(shared_data: Path) -> None:
    labels: dict[str, str] = json.loads(LABELS_FILE.read_text(encoding="utf-8"))
    headlines = sample_headlines(shared_data / CSV_NAME)
    unlabelled = [h for h in headlines if headline_key(h) not in labels]
    assert not unlabelled, f"sampled headlines without a hand label: {unlabelled}"

    truth = [labels[headline_key(h)] for h in headlines]
    predicted = [s.label for s in load_classifier().classify(headlines)]
    accuracy = sum(t == p for t, p in zip(truth, predicted, strict=True)) / len(truth)
    on_other = [p for t, p in zip(truth, predicted, strict=True) if t == "other"]
    false_positive_rate = sum(p != "other" for p in on_other) / len(on_other)

    print(f"\nbackground check: {len(headlines)} business headlines, {len(on_other)} true other")
    print(f"  truth     {dict(sorted(Counter(truth).items()))}")
    print(f"  predicted {dict(sorted(Counter(predicted).items()))}")
    print(f"  accuracy {accuracy:.3f}, false-positive rate on other {false_positive_rate:.3f}")
    for headline, want, got in zip(headlines, truth, predicted, strict=True):
        if want != got:
            print(f"  {want:>14} -> {got:<14} {headline}")
    assert accuracy >= ACCURACY_FLOOR, f"background accuracy {accuracy:.3f} < {ACCURACY_FLOOR}"
    assert false_positive_rate <= FALSE_POSITIVE_CEILING, (
        f"background false-positive rate {false_positive_rate:.3f} > {FALSE_POSITIVE_CEILING}"
    )
