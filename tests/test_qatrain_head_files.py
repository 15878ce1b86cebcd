"""Damaged or foreign head files meet `classify --head` and `evaluate --head` as a user
would hand them over: each is an error (exit 2) naming the file, never a traceback and
never a silent answer. The heads are the shipped head.json with one part changed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from monitor.cli.app import app
from monitor.reading.classifier_files import DEFAULT_HEAD_PATH

runner = CliRunner()
TITLE = "Intel to cut 15% of staff"


def shipped() -> dict[str, Any]:
    raw: dict[str, Any] = json.loads(DEFAULT_HEAD_PATH.read_text(encoding="utf-8"))
    return raw


def write(tmp_path: Path, raw: dict[str, Any]) -> Path:
    path = tmp_path / "head.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    return path


def fewer_columns(raw: dict[str, Any]) -> dict[str, Any]:
    """Five coefficient columns short: the embedding part no longer fits the encoder's."""
    return {**raw, "coef": [row[:-5] for row in raw["coef"]]}


def label_outside_the_taxonomy(raw: dict[str, Any]) -> dict[str, Any]:
    return {**raw, "classes": [("sports" if c == "other" else c) for c in raw["classes"]]}


def no_embedding_columns(raw: dict[str, Any]) -> dict[str, Any]:
    terms = len(raw["lexicon"]["terms"])
    return {**raw, "coef": [row[-terms:] for row in raw["coef"]]}


@pytest.mark.parametrize(
    ("damage", "named"),
    [
        (fewer_columns, "379-dimensional embeddings"),
        (label_outside_the_taxonomy, "'sports'"),
        (no_embedding_columns, "lexical and prototype features"),
    ],
    ids=["fewer-columns", "unknown-label", "no-embedding-columns"],
)
@pytest.mark.parametrize("command", ["classify", "evaluate"])
def test_a_damaged_head_is_named_not_a_traceback(
    tmp_path: Path, command: str, damage: Any, named: str
) -> None:
    head = write(tmp_path, damage(shipped()))
    args = (
        ["classify", "--head", str(head), TITLE]
        if command == "classify"
        else ["evaluate", "--head", str(head)]
    )
    result = runner.invoke(app, args)
    out = (result.stdout + result.stderr).replace("\n", "")
    assert result.exit_code == 2, out
    assert str(head) in out and named in out
    assert result.exception is None or isinstance(result.exception, SystemExit)


FIXTURES = Path(__file__).parent / "fixtures" / "classifier"


def test_classify_names_a_head_of_another_model_in_one_warning_line(tmp_path: Path) -> None:
    head = write(tmp_path, {**shipped(), "model_id": "all-mpnet-base-v2@elsewhere"})
    result = runner.invoke(app, ["classify", "--head", str(head), "--json", TITLE])
    assert result.exit_code == 0, result.stderr
    warning = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert len(warning) == 1 and "'all-mpnet-base-v2@elsewhere'" in warning[0]
    assert str(head) in result.stderr.replace("\n", "")
    assert "cmd_classify.py" not in result.stderr  # not Python's warning format


def test_evaluate_warns_about_a_head_of_another_model(tmp_path: Path) -> None:
    """It used to score such a head silently, as if its figures meant something."""
    head = write(tmp_path, {**shipped(), "model_id": "all-mpnet-base-v2@elsewhere"})
    data = str(FIXTURES / "labelled.jsonl")
    args = ["evaluate", "--head", str(head), "--data", data, "--heldout", data, "--json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.stderr
    assert "warning: classifier head" in result.stderr
    assert "'all-mpnet-base-v2@elsewhere'" in result.stderr
