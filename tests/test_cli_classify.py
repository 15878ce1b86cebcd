"""`bubble-monitor classify` end to end with the real model: inputs, outputs, errors."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from monitor.cli.app import app
from monitor.reading.classifier_files import load_examples, save_head
from monitor.reading.minilm import MiniLMEncoder
from signals.classifier.head import HeadParams
from signals.classifier.training import train_head
from signals.labels import LABELS

FIXTURES = Path(__file__).parent / "fixtures" / "classifier"
runner = CliRunner()


@pytest.fixture(scope="module")
def head_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A head trained on the test's own fixture set, so these tests do not depend on the
    shipped data (test_classifier.py covers the shipped head)."""
    head = train_head(load_examples(FIXTURES / "labelled.jsonl"), MiniLMEncoder(), HeadParams(C=8))
    path = tmp_path_factory.mktemp("head") / "head.json"
    save_head(head, path)
    return path


def _classify(head_file: Path, *args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, ["classify", "--head", str(head_file), *args], input=stdin)
    return result.exit_code, result.stdout, result.stderr


def _lines(stdout: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in stdout.splitlines()]


def test_json_lines_in_input_order_with_every_label(head_file: Path) -> None:
    texts = ["Steelmaker cuts 4,000 jobs", "Startup raises $90M Series B", "Recipe of the day"]
    code, out, _ = _classify(head_file, *texts, "--json")
    assert code == 0
    rows = _lines(out)
    assert [r["text"] for r in rows] == texts
    for row in rows:
        assert set(row) == {"text", "label", "confidence", "scores"}
        scores = row["scores"]
        assert isinstance(scores, dict) and list(scores) == list(LABELS)
        assert sum(scores.values()) == pytest.approx(1.0, abs=1e-3)
        assert row["confidence"] == max(scores.values())
        assert row["label"] == max(scores, key=scores.__getitem__)
    assert [r["label"] for r in rows[:2]] == ["layoffs", "funding_round"]


def test_input_file_mixes_text_and_json_and_skips_the_empty_line(head_file: Path) -> None:
    path = FIXTURES / "inputs.txt"
    code, out, err = _classify(head_file, "--input", str(path), "--json")
    assert code == 0
    rows = _lines(out)
    assert [r["text"] for r in rows] == [
        "Steelmaker to cut 4,000 jobs as demand slumps",
        "AI chip startup raises $250 million at $3 billion valuation",
        "Investor warns AI stocks are in a bubble and buys puts",
        "Software maker's cloud revenue jumps 40% on AI demand - Reuters",
    ]
    assert "skipped 1 empty line(s)" in err
    assert f"{path}:3" in err


def test_stdin_with_dash_and_arguments_first(head_file: Path) -> None:
    stdin = "Automaker to eliminate 2,000 jobs\n\n"
    code, out, err = _classify(head_file, "First argument", "--input", "-", "--json", stdin=stdin)
    assert code == 0
    assert [r["text"] for r in _lines(out)] == [
        "First argument",
        "Automaker to eliminate 2,000 jobs",
    ]
    assert "<stdin>:2" in err


@pytest.mark.parametrize("kind", ["missing", "directory"])
def test_unreadable_input_file_exits_2_naming_it(
    head_file: Path, tmp_path: Path, kind: str
) -> None:
    path = tmp_path / "nope.txt" if kind == "missing" else tmp_path
    code, out, err = _classify(head_file, "--input", str(path))
    assert code == 2
    assert out == ""
    assert err.startswith(f"error: cannot read input file {path}")


def test_malformed_json_line_is_named_by_number(head_file: Path) -> None:
    path = FIXTURES / "bad_json.txt"
    code, out, err = _classify(head_file, "--input", str(path), "--json")
    assert code == 2
    assert out == ""
    assert f"{path}:3: malformed JSON" in err


def test_json_object_without_text_and_non_utf8_are_errors(head_file: Path, tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text('{"title": "ok"}\n{"url": "https://x.test"}\n')
    assert f"{path}:2: JSON object has no 'text'" in _classify(head_file, "-i", str(path))[2]
    path.write_bytes(b"fine\n\xff\xfe broken\n")
    code, _, err = _classify(head_file, "-i", str(path))
    assert code == 2 and f"{path}:2: not UTF-8" in err


def test_long_and_non_english_headlines_get_valid_labels(head_file: Path) -> None:
    long_text = "Chipmaker announces layoffs " + "and more details " * 600
    assert len(long_text) > 10_000
    texts = [long_text, "Siemens streicht 5.000 Stellen", "OpenAI 融资 400 亿美元", "🚀📉"]
    code, out, _ = _classify(head_file, *texts, "--json")
    assert code == 0
    rows = _lines(out)
    assert len(rows) == 4
    assert rows[0]["text"] == long_text  # echoed as given, only the embedding input is capped
    assert all(r["label"] in LABELS for r in rows)


def test_no_headlines_is_an_error_but_only_empty_lines_is_not(
    head_file: Path, tmp_path: Path
) -> None:
    code, _, err = _classify(head_file)
    assert code == 2 and "no headlines" in err
    empty = tmp_path / "empty.txt"
    empty.write_text("\n  \n")
    code, out, err = _classify(head_file, "-i", str(empty), "--json")
    assert (code, out) == (0, "")
    assert "skipped 2 empty line(s)" in err


def test_table_output(head_file: Path) -> None:
    code, out, _ = _classify(head_file, "Bank lays off 300 staff")
    assert code == 0
    assert "layoffs" in out and "Bank lays off 300 staff" in out


def test_db_option_caches_embeddings(head_file: Path, tmp_path: Path) -> None:
    db = tmp_path / "cache.db"
    texts = ["Insurer cuts 800 jobs", "Fund raises $2B for AI startups"]
    first = _classify(head_file, *texts, "--json", "--db", str(db))
    assert first[0] == 0
    count = sqlite3.connect(db).execute("SELECT COUNT(*) FROM embeddings").fetchone()[0]
    assert count == 2
    second = _classify(head_file, *texts, "--json", "--db", str(db))
    assert second[1] == first[1]


def test_broken_head_is_a_model_error(tmp_path: Path) -> None:
    bad = tmp_path / "head.json"
    bad.write_text("{}")
    result = runner.invoke(app, ["classify", "--head", str(bad), "anything"])
    assert result.exit_code == 2
    assert f"cannot load the classifier: classifier head {bad}" in result.stderr


def test_train_then_evaluate_on_small_files(tmp_path: Path) -> None:
    out = tmp_path / "head.json"
    data = FIXTURES / "labelled.jsonl"
    result = runner.invoke(
        app,
        ["train", "--data", str(data), "--extra", str(FIXTURES / "labelled.csv"), "--out",
         str(out), "--c", "8", "--json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["examples"] == 59 and summary["params"]["C"] == 8.0
    saved = json.loads(out.read_text())
    assert saved["data_hash"] == summary["data_hash"] and saved["n_train"] == 59
    classified = _lines(_classify(out, "Shipping firm cuts 900 jobs", "--json")[1])
    assert classified[0]["label"] == "layoffs"

    result = runner.invoke(
        app,
        ["evaluate", "--head", str(out), "--data", str(data), "--heldout",
         str(FIXTURES / "labelled.csv"), "--json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["cv"]["n"] == 56 and report["heldout"]["n"] == 3
    assert not report["head_matches_data"]  # trained on data + extra, evaluated on data
    assert set(report["cv"]["per_class"]) == set(LABELS)
    assert sum(map(sum, report["cv"]["confusion"])) == 56
    assert 0.0 <= report["cv"]["macro_f1"] <= 1.0


def test_train_names_a_bad_extra_line(tmp_path: Path) -> None:
    extra = tmp_path / "mine.jsonl"
    extra.write_text(
        '{"text": "Bank cuts 40 jobs", "label": "layoffs"}\n{"text": "x", "label": "hype"}\n'
    )
    result = runner.invoke(app, ["train", "--extra", str(extra), "--out", str(tmp_path / "h.json")])
    assert result.exit_code == 2
    assert f"{extra}:2: label 'hype'" in result.stderr
    assert not (tmp_path / "h.json").exists()
