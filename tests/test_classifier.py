"""The shipped classifier (packaged head + real model): labels, shapes, odd inputs, text."""

from __future__ import annotations

import html
import warnings
from pathlib import Path

import numpy as np
import pytest

from monitor.reading.classifier_files import (
    DEFAULT_HEAD_PATH,
    TRAIN_FILE,
    load_classifier,
    load_examples,
    load_head,
    save_head,
)
from monitor.reading.minilm import MiniLMEncoder
from signals.classifier import HeadlineClassifier, ModelMismatchWarning
from signals.classifier.dataset import data_hash
from signals.labels import LABELS
from signals.text import MAX_CHARS, normalise


@pytest.fixture(scope="module")
def classifier() -> HeadlineClassifier:
    return load_classifier()


CLEAR = [
    ("Intel to lay off 15% of its workforce in sweeping cost cuts", "layoffs"),
    ("Hospital chain cuts 1,100 jobs amid budget squeeze", "layoffs"),
    ("AI coding startup raises $200 million in Series C led by top VC", "funding_round"),
    ("Nvidia to invest $100 billion in OpenAI, which will buy Nvidia chips", "circular_deal"),
    ("Meta sells $30 billion of bonds to pay for AI data centers", "capex_debt"),
    ("Hedge fund manager warns AI stocks are a bubble and bets against Nvidia", "bubble_warning"),
    ("Chipmaker's data center revenue soars 80% as AI demand beats forecasts", "ai_demand"),
    ("Apple unveils new iPhone colors at its fall event", "other"),
]


def test_clear_headlines_get_their_label(classifier: HeadlineClassifier) -> None:
    scores = classifier.classify([text for text, _ in CLEAR])
    assert [s.label for s in scores] == [label for _, label in CLEAR]


def test_scores_cover_every_label_and_confidence_is_the_top_probability(
    classifier: HeadlineClassifier,
) -> None:
    (score,) = classifier.classify(["Retailer trims 300 corporate roles"])
    assert list(score.scores) == list(LABELS)
    assert sum(score.scores.values()) == pytest.approx(1.0)
    assert score.confidence == max(score.scores.values())
    assert score.model_id == classifier.head_id
    assert classifier.classify([]) == []


def test_embeddings_are_normalised_rows(classifier: HeadlineClassifier) -> None:
    vectors = classifier.embed(["one headline", "one more headline - Reuters", ""])
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert np.allclose(classifier.embed(["one more headline"])[0], vectors[1], atol=1e-5)


def test_huge_non_english_and_symbol_only_texts_get_valid_labels(
    classifier: HeadlineClassifier,
) -> None:
    texts = ["Layoffs " * 1_500, "Siemens streicht 5.000 Stellen", "英伟达投资OpenAI", "📉📉", ""]
    scores = classifier.classify(texts)
    assert len(scores) == len(texts)
    assert all(s.label in LABELS and 0 < s.confidence <= 1 for s in scores)


def test_shipped_head_matches_the_shipped_data_and_model() -> None:
    head = load_head(DEFAULT_HEAD_PATH)
    assert head.data_hash == data_hash(load_examples(TRAIN_FILE))
    assert head.model_id == MiniLMEncoder().model_id
    assert set(head.classes) == set(LABELS)


def test_a_head_from_another_model_warns(tmp_path: Path) -> None:
    head = load_head(DEFAULT_HEAD_PATH)
    path = tmp_path / "head.json"
    save_head(head.__class__(**{**head.__dict__, "model_id": "some-other-model"}), path)
    with pytest.warns(ModelMismatchWarning, match="some-other-model"):
        load_classifier(path)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        load_classifier()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Meta cuts 600 jobs - Reuters", "Meta cuts 600 jobs"),
        ("Meta cuts 600 jobs | The Times of India", "Meta cuts 600 jobs"),
        ("Oracle sells bonds - Yahoo Finance - Bloomberg.com", "Oracle sells bonds"),
        ("Anthropic&#8217;s revenue  surges\n to $65B", "Anthropic’s revenue surges to $65B"),
        ("AT&amp;amp;T trims jobs", "AT&T trims jobs"),
        ("OpenAI raises $40B - SoftBank leads", "OpenAI raises $40B - SoftBank leads"),
        ("Is AI a bubble - and who pays?", "Is AI a bubble - and who pays?"),
        ("Nvidia - Reuters", "Nvidia - Reuters"),  # too little would be left
        ("<b>Bold</b> claim about chips", "Bold claim about chips"),
    ],
)
def test_normalise(raw: str, expected: str) -> None:
    assert normalise(raw) == expected
    assert normalise(expected) == expected  # idempotent


def test_normalise_caps_length() -> None:
    assert len(normalise("word " * 5_000)) <= MAX_CHARS


@pytest.mark.validation
def test_spot_check_on_real_feed_headlines(
    shared_data: Path, classifier: HeadlineClassifier
) -> None:
    """Real titles from ../shared/data/feeds: unambiguous ones get the obvious label."""
    import feedparser

    titles = []
    for path in sorted((shared_data / "feeds").glob("*.xml")):
        parsed = feedparser.parse(path.read_bytes())
        titles += [html.unescape(e.get("title", "")) for e in parsed.entries]
    scores = dict(zip(titles, classifier.classify(titles), strict=True))
    labels = {t: s.label for t, s in scores.items()}
    assert len(labels) > 50
    # Round 4 abstained on this one (ai_demand below a threshold calibrated on hand-written
    # hard negatives); calibrated on real `other` titles, round 5 labels it.
    marvell = scores[
        "Marvell stock surges 18% as CEO points to continuing AI demand: 'Do you see me blinking?'"
    ]
    assert marvell.label == "ai_demand"
    expected = {
        "Anthropic’s annualized revenue surges to $65B": "ai_demand",
        "Wispr raises $280M at $2B valuation as it looks beyond dictation": "funding_round",
        "Configu raises a $3M pre-seed round for its configuration-as-code platform": (
            "funding_round"
        ),
        "Databricks wanted to raise $1B, investors wanted $15B. It settled on $5B at a $190B "
        "valuation.": "funding_round",
        "Samsung reveals first details of its AI smart glasses to CNBC": "other",
        "Iran's internet blackout extends into second week: NetBlocks": "other",
        "U.S. payrolls unexpectedly fell by 92,000 in February; unemployment rate rises to 4.4%": (
            "other"
        ),
    }
    assert {t: labels[t] for t in expected} == expected
    others = [t for t, label in labels.items() if label == "other"]
    assert len(others) > len(labels) / 2  # most general news is not bubble news
