"""The head: training on real embeddings, JSON save/load, data hashing, data files, metrics."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from monitor.reading.classifier_files import load_examples, load_head, save_head
from monitor.reading.minilm import MiniLMEncoder
from signals.classifier.dataset import LabelledText, data_hash
from signals.classifier.evaluate import cross_validate, embed_examples, report
from signals.classifier.head import Head, HeadParams
from signals.classifier.lexical import fit_lexicon
from signals.classifier.training import embed_texts, fit_head, train_head
from signals.labels import LABELS

FIXTURES = Path(__file__).parent / "fixtures" / "classifier"
#: A head on the sentence embedding alone (the shipped default adds lexical features).
EMBEDDING_ONLY = HeadParams(C=8.0, lexical="none", calibrate=False)


@pytest.fixture(scope="module")
def encoder() -> MiniLMEncoder:
    return MiniLMEncoder()


@pytest.fixture(scope="module")
def examples() -> list[LabelledText]:
    return load_examples(FIXTURES / "labelled.jsonl")


@pytest.fixture(scope="module")
def head(examples: list[LabelledText], encoder: MiniLMEncoder) -> Head:
    return train_head(examples, encoder, EMBEDDING_ONLY)


def test_trained_head_covers_every_label_and_rows_sum_to_one(
    head: Head, encoder: MiniLMEncoder
) -> None:
    assert set(head.classes) == set(LABELS)
    assert head.coef.shape == (7, 384)
    proba = head.predict_proba(encoder.embed(["Carmaker cuts 3,000 jobs", "Startup raises $9M"]))
    assert np.allclose(proba.sum(axis=1), 1.0)
    assert head.classes[int(proba[0].argmax())] == "layoffs"
    assert head.classes[int(proba[1].argmax())] == "funding_round"


def test_save_load_round_trip_gives_identical_probabilities(
    head: Head, encoder: MiniLMEncoder, tmp_path: Path
) -> None:
    path = tmp_path / "head.json"
    save_head(head, path)
    loaded = load_head(path)
    vectors = encoder.embed(["Bank cuts 300 jobs", "Chipmaker invests in its customer"])
    assert np.array_equal(loaded.predict_proba(vectors), head.predict_proba(vectors))
    assert (loaded.classes, loaded.model_id, loaded.data_hash) == (
        head.classes,
        head.model_id,
        head.data_hash,
    )
    assert loaded.params == head.params
    raw = json.loads(path.read_text())  # plain JSON, no pickle anywhere
    assert {"coef", "intercept", "classes", "model_id", "data_hash", "params"} <= raw.keys()
    assert raw["model_id"] == encoder.model_id


def test_numpy_prediction_matches_sklearn(
    examples: list[LabelledText], encoder: MiniLMEncoder
) -> None:
    from sklearn.linear_model import LogisticRegression

    params = replace(EMBEDDING_ONLY, C=2.0)
    x = embed_texts([e.text for e in examples], encoder, params)
    y = [e.label for e in examples]
    head = fit_head(x, y, params, model_id="m", data_hash="h")
    reference = LogisticRegression(C=2.0, class_weight="balanced", max_iter=3000).fit(x, y)
    assert np.allclose(head.predict_proba(x), reference.predict_proba(x), atol=1e-5)


def test_prototype_and_calibrated_heads_survive_a_round_trip(
    examples: list[LabelledText], encoder: MiniLMEncoder, tmp_path: Path
) -> None:
    for params in (
        replace(EMBEDDING_ONLY, prototypes="descriptions"),
        replace(EMBEDDING_ONLY, prototypes="kmeans", prototypes_per_label=2, calibrate=True),
    ):
        head = train_head(examples, encoder, params)
        save_head(head, tmp_path / "h.json")
        loaded = load_head(tmp_path / "h.json")
        vectors = encoder.embed(["Insurer lays off 1,000"])
        assert loaded.prototypes.shape[1] == 384
        assert np.array_equal(loaded.predict_proba(vectors), head.predict_proba(vectors))
    assert head.temperature != 1.0


def test_data_hash_changes_with_the_data_but_not_its_order(
    examples: list[LabelledText],
) -> None:
    base = data_hash(examples)
    assert data_hash(list(reversed(examples))) == base
    relabelled = [replace(examples[0], label="other"), *examples[1:]]
    assert data_hash(relabelled) != base
    assert data_hash([*examples, LabelledText("One more headline", "other")]) != base
    assert len(base) == 64


def test_load_head_names_the_file_when_broken(tmp_path: Path) -> None:
    bad = tmp_path / "head.json"
    bad.write_text('{"format": 1, "classes": ["a"]')
    with pytest.raises(ValueError, match=r"head\.json"):
        load_head(bad)
    bad.write_text('{"format": 1, "classes": ["a", "b"], "coef": [[1.0]], "intercept": [0.0]}')
    with pytest.raises(ValueError, match="malformed"):
        load_head(bad)


def test_csv_examples_skip_blank_rows() -> None:
    rows = load_examples(FIXTURES / "labelled.csv")
    assert [r.label for r in rows] == ["layoffs", "funding_round", "circular_deal"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            '{"text": "ok", "label": "layoffs"}\n{"text": "x", "label": "hype"}\n',
            r":2: label 'hype'",
        ),
        ('{"text": "ok", "label": "layoffs"}\n{broken\n', r":2: not valid JSON"),
        ('{"label": "layoffs"}\n', r":1: missing or empty 'text'"),
    ],
)
def test_bad_labelled_lines_are_named(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "extra.jsonl"
    path.write_text(content)
    with pytest.raises(ValueError, match=message):
        load_examples(path)


def test_report_counts_match_a_hand_computed_case() -> None:
    true = ["layoffs", "layoffs", "other", "other"]
    predicted = ["layoffs", "other", "other", "other"]
    result = report(true, predicted)
    layoffs, other = result.per_class["layoffs"], result.per_class["other"]
    assert (layoffs.precision, layoffs.recall) == (1.0, 0.5)
    assert other.precision == pytest.approx(2 / 3)
    assert other.f1 == pytest.approx(0.8)
    assert result.macro_f1 == pytest.approx((2 / 3 + 0.8) / 2)  # only labels present count
    assert result.accuracy == 0.75
    assert sum(map(sum, result.confusion)) == 4


def test_cross_validation_predicts_every_example_once(
    examples: list[LabelledText], encoder: MiniLMEncoder
) -> None:
    data = embed_examples(examples, encoder, HeadParams())
    result = cross_validate(data, EMBEDDING_ONLY)
    assert result.n == len(examples)
    assert sum(map(sum, result.confusion)) == len(examples)
    assert result.macro_f1 > 0.5  # 8 examples per label already separate most labels


def test_lexical_features_match_sklearn_tfidf(examples: list[LabelledText]) -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = [e.text for e in examples]
    for analyzer, options in (
        ("char", {"analyzer": "char_wb", "ngram_range": (3, 5)}),
        ("word", {"ngram_range": (1, 2)}),
    ):
        ours = fit_lexicon(texts, analyzer, min_df=2)
        theirs = TfidfVectorizer(sublinear_tf=True, min_df=2, **options).fit(texts)  # type: ignore[arg-type]
        assert set(ours.terms) == set(theirs.vocabulary_)
        columns = [theirs.vocabulary_[t] for t in ours.terms]
        expected = theirs.transform(texts).toarray()[:, columns]
        assert np.allclose(ours.transform(texts).toarray(), expected, atol=1e-12)


def test_lexical_head_round_trip_and_needs_texts(
    examples: list[LabelledText], encoder: MiniLMEncoder, tmp_path: Path
) -> None:
    head = train_head(examples, encoder, HeadParams(lexical="char", calibrate=False))
    assert head.lexicon is not None and head.coef.shape[1] == 384 + len(head.lexicon.terms)
    save_head(head, tmp_path / "h.json")
    loaded = load_head(tmp_path / "h.json")
    texts = ["Insurer lays off 1,000", "Chip startup raises $80M"]
    vectors = encoder.embed(texts)
    assert np.array_equal(loaded.predict_proba(vectors, texts), head.predict_proba(vectors, texts))
    assert [head.classes[i] for i in head.predict_proba(vectors, texts).argmax(axis=1)] == [
        "layoffs",
        "funding_round",
    ]
    with pytest.raises(ValueError, match="pass the texts"):
        head.predict_proba(vectors)
