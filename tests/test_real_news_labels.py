"""The real-news label file: well-formed, keys only, split by date; with ../shared present,
every key is a corpus title and the seeded sampling rule picks exactly the labelled rows."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from monitor.research.realnews.corpus import LABELS_FILE
from signals.classifier.realnews.labels import (
    TEST_START,
    join_titles,
    parse_labels,
    split,
)
from signals.classifier.realnews.sample import sample_rows, title_key

CORPUS = "ai_news_headlines_2022_2026.jsonl"


def shipped() -> list:
    return parse_labels(LABELS_FILE.read_text(encoding="utf-8"), str(LABELS_FILE))


def test_label_file_is_well_formed_and_split_by_date() -> None:
    rows = shipped()
    assert len(rows) >= 3000
    assert len({r.key for r in rows}) == len(rows)
    train, test = split(rows)
    assert all(r.date < TEST_START for r in train) and all(r.date >= TEST_START for r in test)
    assert min(r.date for r in rows) >= "2022-01-01"
    # Every label has at least 20 titles in the untouched test period (macro-F1 covers all).
    assert min(Counter(r.label for r in test).values()) >= 20
    assert "title" not in LABELS_FILE.read_text(encoding="utf-8").splitlines()[0]


def test_a_bad_label_is_named_with_its_line() -> None:
    text = "key,date,collection,reason,batch,label\n" + "a" * 64 + ",2022-01-01,c,r,0,bubbles\n"
    with pytest.raises(ValueError, match=r"x.csv:2: label 'bubbles'"):
        parse_labels(text, "x.csv")


def test_a_key_missing_from_the_corpus_is_an_error() -> None:
    rows = shipped()[:2]
    with pytest.raises(KeyError, match="1 labelled keys are not in the corpus"):
        join_titles(rows, {rows[0].key: "a title"})


@pytest.mark.validation
def test_keys_exist_in_the_corpus_and_the_sampling_rule_reproduces_them(
    shared_data: Path,
) -> None:
    with (shared_data / CORPUS).open(encoding="utf-8") as handle:
        corpus = [json.loads(line) for line in handle]
    by_key = {title_key(r["title"]): r for r in corpus}
    rows = shipped()
    joined = join_titles(rows, {k: r["title"] for k, r in by_key.items()})
    assert all(by_key[r.key]["date"] == r.date for r in joined)
    assert all(by_key[r.key]["collection"] == r.collection for r in joined)
    sampled = {title_key(r["title"]): why for r, why in sample_rows(corpus)}
    assert sampled == {r.key: r.reason for r in rows}
