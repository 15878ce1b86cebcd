"""Bad input to `classify`, `label` and `train` as a user gives it: each is a one-line error
(exit 2) naming the file and, where there is one, the line. Before: an empty --input said
"give them as arguments" without the file; an empty `label --file` said "give TITLE LABEL";
an empty `train --extra` was silently trained without; an empty or one-label `--data` ended
in a scikit-learn traceback; a corpus row without a title said only `'title'`, and a
non-UTF-8 corpus named a byte position instead of the line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from monitor.cli.app import app

runner = CliRunner()
FIXTURES = Path(__file__).parent / "fixtures" / "classifier"


def _run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, (result.stdout + result.stderr).replace("\n", " ")


def _jsonl(path: Path, rows: list[tuple[str, str]]) -> Path:
    path.write_text("".join(json.dumps({"text": t, "label": lab}) + "\n" for t, lab in rows))
    return path


def test_an_empty_classify_input_is_named(tmp_path: Path) -> None:
    empty = tmp_path / "today.txt"
    empty.write_text("", encoding="utf-8")
    code, out = _run("classify", "--input", str(empty))
    assert code == 2, out
    assert f"{empty}: no headlines" in out


def test_an_empty_label_file_is_named(tmp_path: Path, db_path: Path) -> None:
    for empty in (tmp_path / "fixes.jsonl", tmp_path / "fixes.csv"):
        empty.write_text("text,label\n" if empty.suffix == ".csv" else "", encoding="utf-8")
        code, out = _run("label", "--file", str(empty), "--db", str(db_path))
        assert code == 2, out
        assert f"{empty}: no corrections" in out


def test_an_empty_extra_file_is_not_silently_skipped(tmp_path: Path) -> None:
    empty = tmp_path / "mine.jsonl"
    empty.write_text("\n", encoding="utf-8")
    target = tmp_path / "head.json"
    args = ["train", "--data", str(FIXTURES / "labelled.jsonl"), "--extra", str(empty)]
    code, out = _run(*args, "--out", str(target))
    assert code == 2, out
    assert f"{empty}: no labelled headlines" in out
    assert not target.exists()


# The smallest set the rule allows has a label of 2 < 5 folds: scikit-learn says so.
@pytest.mark.filterwarnings("ignore:The least populated class:UserWarning")
def test_a_training_set_too_small_to_train_is_named(tmp_path: Path) -> None:
    target = tmp_path / "head.json"
    cases = {
        "one_label.jsonl": [("Acme cuts 300 jobs", "layoffs"), ("Beta cuts 30 jobs", "layoffs")],
        "five.jsonl": [("Acme cuts 300 jobs", "layoffs"), ("Beta cuts 30 jobs", "layoffs"),
                       ("Gamma lays off 5% of staff", "layoffs"),
                       ("Beta raises $3M seed", "funding_round"),
                       ("Delta raises $40M Series B", "funding_round")],
    }  # fmt: skip
    for name, rows in cases.items():
        data = _jsonl(tmp_path / name, rows)
        code, out = _run("train", "--data", str(data), "--out", str(target))
        assert code == 2, out
        assert f"{data}: {len(rows)} labelled headlines" in out and "Traceback" not in out
        assert "training needs two or more labels" in out
    assert not target.exists()
    # The smallest set the rule allows does train.
    enough = cases["five.jsonl"] + [("Zeta to cut 1,000 jobs", "layoffs"),
                                    ("Eta cuts its workforce by 10%", "layoffs")]  # fmt: skip
    code, out = _run("train", "--data", str(_jsonl(tmp_path / "seven.jsonl", enough)),
                     "--out", str(target))  # fmt: skip
    assert code == 0, out
    assert target.exists()


def test_bad_corpus_rows_are_named_with_their_line(tmp_path: Path) -> None:
    target = str(tmp_path / "head.json")
    no_title = tmp_path / "no_title.jsonl"
    no_title.write_text('{"title": "ok"}\n{"date": "2022-01-01", "headline": "x"}\n')
    code, out = _run("train", "--real-news", str(no_title), "--out", target)
    assert code == 2 and f"{no_title}:2: expected an object with a string 'title'" in out, out
    latin1 = tmp_path / "latin1.jsonl"
    latin1.write_bytes(b'{"title": "ok"}\n{"title": "ok"}\n{"title": "Caf\xe9 chain"}\n')
    code, out = _run("train", "--real-news", str(latin1), "--out", target)
    assert code == 2 and f"{latin1}:3: not UTF-8 text" in out, out


@pytest.mark.filterwarnings("ignore:The least populated class:UserWarning")
def test_evaluate_names_empty_and_too_small_sets(tmp_path: Path) -> None:
    """These ended in scikit-learn tracebacks (exit 1)."""
    empty = tmp_path / "held.jsonl"
    empty.write_text("", encoding="utf-8")
    data = str(FIXTURES / "labelled.jsonl")
    code, out = _run("evaluate", "--data", data, "--heldout", str(empty))
    assert code == 2 and f"{empty}: no labelled headlines" in out, out
    one = _jsonl(tmp_path / "one.jsonl", [("Acme cuts 300 jobs", "layoffs")] * 6)
    code, out = _run("evaluate", "--data", str(one))
    assert code == 2 and f"{one}: 6 labelled headlines (layoffs 6)" in out, out
    rows = [("Acme cuts 300 jobs", "layoffs"), ("Beta cuts 30 jobs", "layoffs"),
            ("Gamma lays off 5% of staff", "layoffs"), ("Zeta to cut 1,000 jobs", "layoffs"),
            ("Eta cuts its workforce by 10%", "layoffs"),
            ("Beta raises $3M seed", "funding_round"),
            ("Delta raises $40M Series B", "funding_round")]  # fmt: skip
    small = _jsonl(tmp_path / "small.jsonl", rows)
    code, out = _run("evaluate", "--data", str(small))
    assert code == 2 and f"{small}: cannot cross-validate on it" in out, out
    assert "Traceback" not in out


def test_a_mistyped_db_is_named_not_created_by_reading_corrections(tmp_path: Path) -> None:
    """`label --list` and `train --with-corrections` only read the corrections: a typo in
    --db used to create an empty database and read as "0 corrections"."""
    typo = tmp_path / "monitr.db"
    code, out = _run("label", "--list", "--db", str(typo))
    assert code == 2 and f"{typo}: no such database" in out, out
    data = str(FIXTURES / "labelled.jsonl")
    target = tmp_path / "head.json"
    args = ["train", "--data", data, "--with-corrections", "--db", str(typo)]
    code, out = _run(*args, "--out", str(target))
    assert code == 2 and f"{typo}: no such database" in out, out
    assert not typo.exists() and not target.exists()
