"""`train` as a user who retrains meets it: it never silently replaces the shipped
real-news model with a head of the team's lines alone, and an option the chosen kind of
training would ignore is an error naming it (before any model is loaded or file written)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
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
    # --with-corrections works with --real-news since qatrain2 (corrections are training data)
    for option in (["--extra", str(extra)], ["--c", "4"]):
        code, out = _run("train", "--real-news", corpus, *option, "--out", str(target))
        assert code == 2, out
        assert f"{option[0]} is not used with --real-news" in out
    assert not target.exists()


FIXTURES = Path(__file__).parent / "fixtures" / "classifier"
CORPUS = "ai_news_headlines_2022_2026.jsonl"


def test_a_missing_out_folder_is_named_before_training(tmp_path: Path) -> None:
    """It used to be found only when the trained head was written (minutes later; with
    --finetune, an hour)."""
    target = tmp_path / "missing" / "head.json"
    data = str(FIXTURES / "labelled.jsonl")
    code, out = _run("train", "--data", data, "--out", str(target))
    assert code == 2 and f"folder {target.parent} does not exist" in out, out
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("", encoding="utf-8")
    code, out = _run("train", "--real-news", str(corpus), "--finetune", "--out", str(target))
    assert code == 2 and f"folder {target.parent} does not exist" in out, out


def _vectors(work: Path, rows: int) -> None:
    import numpy as np

    work.mkdir()
    for name in ("fold_0.npz", "fold_1.npz", "final.npz"):
        np.savez_compressed(work / name, vectors=np.zeros((rows, 384), dtype=np.float32))


@pytest.mark.validation
def test_a_work_folder_of_another_training_set_is_named(shared_data: Path, tmp_path: Path) -> None:
    """Vectors cached by a run on other data used to crash the fit (IndexError)."""
    work = tmp_path / "work"
    _vectors(work, 10)
    target = tmp_path / "head.json"
    args = ["train", "--real-news", str(shared_data / CORPUS), "--finetune"]
    code, out = _run(*args, "--work", str(work), "--out", str(target))
    assert code == 2, out
    assert f"--work {work}" in out and "fold_0.npz has 10 rows, the training set 4244" in out
    assert not target.exists()


@pytest.mark.validation
def test_a_work_folder_stamped_for_other_data_is_named(shared_data: Path, tmp_path: Path) -> None:
    """Same row count, other data: only the stamp tells them apart."""
    from monitor.research.realnews.pipeline import training_set

    training, _ = training_set(shared_data / CORPUS)
    work = tmp_path / "work"
    _vectors(work, len(training.texts))
    (work / "training.sha256").write_text("0123 other-model 4244\n", encoding="utf-8")
    args = ["train", "--real-news", str(shared_data / CORPUS), "--finetune"]
    code, out = _run(*args, "--work", str(work), "--out", str(tmp_path / "head.json"))
    assert code == 2, out
    assert "training.sha256 differs" in out and "another training set" in out


@pytest.mark.validation
def test_final_vectors_of_another_delta_are_not_reused(shared_data: Path, tmp_path: Path) -> None:
    """The pipeline reuses final.npz when a delta lies beside --out; if that delta is not
    the one final.npz was computed with, the head would silently not fit its delta."""
    from monitor.cli.train_real_news import work_stamp

    corpus = shared_data / CORPUS
    stamp = work_stamp(corpus)
    work = tmp_path / "work"
    _vectors(work, int(stamp.rsplit(" ", 1)[1]))
    (work / "training.sha256").write_text(stamp + "\n", encoding="utf-8")
    (work / "final.delta.sha256").write_text("0" * 64 + "\n", encoding="utf-8")
    target = tmp_path / "head.json"
    (tmp_path / "head.encoder-delta.safetensors").write_bytes(b"another run's delta")
    args = ["train", "--real-news", str(corpus), "--finetune", "--work", str(work)]
    code, out = _run(*args, "--out", str(target))
    assert code == 2, out
    assert "final.npz was computed with another encoder delta" in out
    assert not target.exists()
