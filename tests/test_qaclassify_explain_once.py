"""`classify --explain` loads the head once: it used to load it a second time for the
explanation, so a head of another model printed its warning twice, and --db opened the
store twice. The explanation's vectors go through the same cache as the scores."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from monitor.cli.app import app
from monitor.reading.classifier_files import DEFAULT_HEAD_PATH, load_examples
from monitor.reading.embedding_file import FILE_NAME
from monitor.store.embeddings import text_hash
from signals.text import normalise

runner = CliRunner()
FIXTURES = Path(__file__).parent / "fixtures" / "classifier"
TITLE = "Acme cuts 300 jobs"


def test_a_head_of_another_model_warns_once_with_explain(tmp_path: Path) -> None:
    head = tmp_path / "head.json"
    doc = json.loads(DEFAULT_HEAD_PATH.read_text(encoding="utf-8"))
    head.write_text(json.dumps({**doc, "model_id": "all-mpnet-base-v2@elsewhere"}), "utf-8")
    args = ["classify", "--head", str(head), "--explain", "--json", TITLE,
            "--train-data", str(FIXTURES / "labelled.jsonl")]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1, result.stderr
    assert len(json.loads(result.stdout)["explain"]["nearest"]) == 3


def test_explain_without_db_fills_the_data_dir_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The training set searched, the title and its one-word-out variants are all kept."""
    monkeypatch.setenv("BUBBLE_MONITOR_DATA_DIR", str(tmp_path))
    data = FIXTURES / "labelled.jsonl"
    words = TITLE.split()
    variants = {" ".join(words[:i] + words[i + 1 :]) for i in range(len(words))}
    expected = {normalise(e.text) for e in load_examples(data)} | {TITLE} | variants
    args = ["classify", "--explain", "--json", "--train-data", str(data), TITLE]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.stderr
    with sqlite3.connect(tmp_path / FILE_NAME) as conn:
        keys = {row[0] for row in conn.execute("SELECT text_hash FROM vectors")}
    assert keys == {text_hash(t) for t in expected}
    again = runner.invoke(app, args)
    assert again.exit_code == 0 and again.stdout == result.stdout, again.stderr
