"""`train` as a user who retrains meets it: it never silently replaces the shipped
real-news model with a head of the team's lines alone, and an option the chosen kind of
training would ignore is an error naming it (before any model is loaded or file written)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from typer.testing import CliRunner

from monitor.cli.app import app
from monitor.reading.classifier_files import DEFAULT_HEAD_PATH

runner = CliRunner()


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, (result.stdout + result.stderr).replace("\n", " ")


def test_plain_train_does_not_replace_the_shipped_real_news_model() -> None:
    before = _sha(DEFAULT_HEAD_PATH)
    code, out = _run("train")
    assert code == 2, out
    assert str(DEFAULT_HEAD_PATH) in out and "--real-news" in out and "--out" in out
    assert _sha(DEFAULT_HEAD_PATH) == before


def test_real_news_only_options_need_real_news(tmp_path: Path) -> None:
    target = tmp_path / "head.json"
    for option in (["--finetune"], ["--work", str(tmp_path / "work")]):
        code, out = _run("train", *option, "--out", str(target))
        assert code == 2, out
        assert f"{option[0]} needs --real-news" in out
    assert not target.exists()


def test_options_real_news_would_ignore_are_named(tmp_path: Path) -> None:
    extra = tmp_path / "mine.csv"
    extra.write_text("text,label\nAcme cuts 300 jobs,layoffs\n", encoding="utf-8")
    corpus = str(tmp_path / "corpus.jsonl")
    target = tmp_path / "head.json"
    for option in (["--extra", str(extra)], ["--with-corrections"], ["--c", "4"]):
        code, out = _run("train", "--real-news", corpus, *option, "--out", str(target))
        assert code == 2, out
        assert f"{option[0]} is not used with --real-news" in out
    assert not target.exists()
