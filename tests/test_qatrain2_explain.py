"""`classify --explain` searches the headlines the head learnt from. It used to search the
team's lines only, while the shipped head was trained on 2,263 real corpus titles beside
them: its "because it looks like" evidence was not what the model learned from."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from monitor.cli.app import app

runner = CliRunner()
CORPUS = "ai_news_headlines_2022_2026.jsonl"
FIXTURES = Path(__file__).parent / "fixtures" / "classifier"


def _run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr.replace("\n", " ")


@pytest.mark.validation
def test_explain_searches_the_real_titles_the_shipped_head_learnt(
    shared_data: Path, tmp_path: Path
) -> None:
    from monitor.research.realnews.corpus import labelled_rows
    from signals.classifier.realnews.labels import split

    corpus = shared_data / CORPUS
    train_rows, _ = split(labelled_rows(corpus))
    row = next(r for r in train_rows if r.label == "capex_debt")
    code, out, err = _run("classify", "--explain", "--json", "--real-news", str(corpus),
                          "--db", str(tmp_path / "cache.db"), row.text)  # fmt: skip
    assert code == 0, err
    assert "note:" not in err  # the set searched is exactly the head's training set
    nearest = json.loads(out)["explain"]["nearest"][0]
    assert nearest["label"] == row.label and nearest["similarity"] > 0.99, nearest


def test_explain_says_when_the_real_titles_are_not_searched() -> None:
    code, out, err = _run("classify", "--explain", "--json", "Nvidia to invest $100bn in OpenAI")
    assert code == 0, err
    assert "is a real-news model" in err and "--real-news CORPUS" in err
    assert len(json.loads(out)["explain"]["nearest"]) == 3


def test_explain_says_when_the_set_searched_is_not_the_heads(tmp_path: Path) -> None:
    head = tmp_path / "head.json"
    code, _, err = _run("train", "--data", str(FIXTURES / "labelled.jsonl"), "--out", str(head))
    assert code == 0, err
    other = FIXTURES / "labelled.csv"
    args = ["classify", "--head", str(head), "--explain", "--json", "Acme cuts 300 jobs"]
    code, _, err = _run(*args, "--train-data", str(other))
    assert code == 0, err
    assert f"({other}) are not the set classifier head {head} was trained on" in err
    code, _, err = _run(*args, "--train-data", str(FIXTURES / "labelled.jsonl"))
    assert code == 0 and "note:" not in err, err


def test_explain_options_without_explain_are_named(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("", encoding="utf-8")
    code, _, err = _run("classify", "--real-news", str(corpus), "Acme cuts 300 jobs")
    assert code == 2 and "--real-news is used only with --explain" in err, err
    code, _, err = _run("classify", "--explain", "--real-news", str(tmp_path / "no.jsonl"), "x")
    assert code == 2 and "headline corpus not found" in err, err
