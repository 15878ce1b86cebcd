"""`label`, `train --with-corrections`, `evaluate --background` and `classify --explain`."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from monitor.cli.app import app
from monitor.cli.cmd_train import with_corrected
from monitor.reading.classifier_files import load_examples, save_head
from monitor.reading.minilm import MiniLMEncoder
from signals.classifier.dataset import LabelledText
from signals.classifier.head import HeadParams
from signals.classifier.training import train_head

FIXTURES = Path(__file__).parent / "fixtures" / "classifier"
runner = CliRunner()


@pytest.fixture(scope="module")
def head_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    params = HeadParams(C=8, target_precision=0.8)
    head = train_head(load_examples(FIXTURES / "labelled.jsonl"), MiniLMEncoder(), params)
    path = tmp_path_factory.mktemp("head") / "head.json"
    save_head(head, path)
    return path


def _run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def _stored(db: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT text, label FROM label_corrections ORDER BY text").fetchall()


def test_label_stores_and_replaces_a_correction(db_path: Path) -> None:
    title = "Payrolls revised down by 900,000 jobs - Reuters"
    assert _run("label", title, "layoffs", "--db", str(db_path))[0] == 0
    code, out, _ = _run("label", "Payrolls revised down by 900,000 jobs", "other",
                        "--db", str(db_path), "--json")  # fmt: skip
    assert code == 0 and json.loads(out) == {"stored": 1}
    # The publisher suffix is not part of the key: one headline, the latest label.
    assert _stored(db_path) == [("Payrolls revised down by 900,000 jobs", "other")]
    code, out, _ = _run("label", "--list", "--json", "--db", str(db_path))
    listed = json.loads(out)["corrections"]
    assert [(c["text"], c["label"]) for c in listed] == _stored(db_path)
    assert listed[0]["created_at"].endswith("+00:00")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["Some headline", "hype"], "unknown label 'hype'"),
        (["Some headline"], "missing LABEL"),
        (["  ", "other"], "the title is empty"),
        ([], "give TITLE LABEL, --file FILE or --list"),
    ],
)
def test_label_errors_are_clear(db_path: Path, args: list[str], message: str) -> None:
    code, _, err = _run("label", *args, "--db", str(db_path))
    assert code == 2 and message in err


def test_label_file_stores_all_or_nothing(db_path: Path, tmp_path: Path) -> None:
    good = tmp_path / "fixes.csv"
    good.write_text("text,label\nOil hits $100,other\nMill cuts 200 jobs,layoffs\n")
    assert _run("label", "--file", str(good), "--db", str(db_path))[0] == 0
    assert len(_stored(db_path)) == 2
    bad = tmp_path / "fixes.jsonl"
    bad.write_text('{"text": "Gold at record", "label": "other"}\n{"text": "x", "label": "?"}\n')
    code, _, err = _run("label", "--file", str(bad), "--db", str(db_path))
    assert code == 2 and f"{bad}:2: label '?'" in err
    assert len(_stored(db_path)) == 2


def test_corrections_replace_the_label_of_the_same_headline() -> None:
    examples = [LabelledText("Jobs report misses - AP", "layoffs"), LabelledText("B", "other")]
    merged = with_corrected(examples, [LabelledText("jobs report misses", "other")])
    assert merged == [LabelledText("B", "other"), LabelledText("jobs report misses", "other")]


def test_train_with_corrections_learns_them_and_evaluate_drops_them(
    db_path: Path, tmp_path: Path
) -> None:
    data = FIXTURES / "labelled.jsonl"
    heldout = FIXTURES / "labelled.csv"
    first_heldout = load_examples(heldout)[0]
    fixes = tmp_path / "fixes.jsonl"
    fixes.write_text(
        json.dumps({"text": first_heldout.text, "label": first_heldout.label}) + "\n"
        + json.dumps({"text": "Crude supply cut lifts oil to $95", "label": "other"}) + "\n"
    )  # fmt: skip
    assert _run("label", "--file", str(fixes), "--db", str(db_path))[0] == 0
    out = tmp_path / "head.json"
    code, stdout, err = _run("train", "--data", str(data), "--with-corrections", "--db",
                             str(db_path), "--out", str(out), "--json")  # fmt: skip
    assert code == 0, err
    summary = json.loads(stdout)
    assert summary["corrections"] == 2 and summary["examples"] == 56 + 2
    assert set(summary["thresholds"]) <= {"layoffs", "funding_round", "circular_deal",
                                          "capex_debt", "bubble_warning", "ai_demand"}  # fmt: skip

    background = tmp_path / "background.jsonl"
    background.write_text(
        "".join(
            json.dumps({"text": t, "label": "other"}) + "\n"
            for t in ("Crude supply cut lifts oil to $95", "Gold slips as the dollar firms",
                      "Retail sales rise 0.4% in June", "Bond fund sees record outflows")
        )
    )  # fmt: skip
    code, stdout, err = _run("evaluate", "--head", str(out), "--data", str(data), "--heldout",
                             str(heldout), "--background", str(background), "--db",
                             str(db_path), "--json")  # fmt: skip
    assert code == 0, err
    report = json.loads(stdout)
    assert report["dropped_corrected"] == 1 and report["heldout"]["n"] == 2
    section = report["real_traffic"]
    assert section["files"][0]["dropped_corrected"] == 1 and section["files"][0]["n"] == 3
    assert section["n_background"] == 3
    assert 0.0 <= section["fp_rate_on_other"] <= 1.0
    layoffs = section["per_label"]["layoffs"]
    assert set(layoffs) == {"prevalence", "precision", "recall", "fp_rate_on_other",
                            "false_per_day", "true_per_day"}  # fmt: skip
    assert sum(section["prevalence"].values()) == pytest.approx(1.0, abs=1e-3)


def test_evaluate_background_without_other_names_the_file(head_file: Path, tmp_path: Path) -> None:
    background = tmp_path / "bg.jsonl"
    background.write_text('{"text": "Mill cuts 200 jobs", "label": "layoffs"}\n')
    data = str(FIXTURES / "labelled.jsonl")
    code, _, err = _run(
        "evaluate", "--head", str(head_file), "--data", data, "--background", str(background)
    )
    assert code == 2 and f"{background}: a background set needs titles labelled other" in err
    # Without --db, evaluate reads corrections only from a database that already exists.
    assert not (tmp_path / "data-dir" / "monitor.db").exists()


def test_classify_explain_shows_neighbours_and_words(head_file: Path) -> None:
    code, out, err = _run("classify", "--head", str(head_file), "--explain", "--json",
                          "--train-data", str(FIXTURES / "labelled.jsonl"),
                          "Shipping firm cuts 900 jobs as freight slumps")  # fmt: skip
    assert code == 0, err
    line = json.loads(out)
    explain = line["explain"]
    assert explain["label"] == line["label"]
    assert len(explain["nearest"]) == 3
    sims = [n["similarity"] for n in explain["nearest"]]
    assert sims == sorted(sims, reverse=True) and 0 < sims[0] <= 1.0001
    assert explain["words"], "some word must push the candidate label"
    assert all(w["push"] > 0 for w in explain["words"])
    assert {"candidate", "probability", "threshold", "abstained"} <= set(explain)


def test_train_background_calibrates_on_real_other_and_refuses_a_file_without_any(
    tmp_path: Path,
) -> None:
    data = FIXTURES / "labelled.jsonl"
    trained = load_examples(data)[0].text
    background = tmp_path / "real.jsonl"
    rows = [("Gold slips as the dollar firms", "other"), ("Retail sales rise 0.4%", "other"),
            ("Acme lays off 300 workers", "layoffs"), (trained, "other")]  # fmt: skip
    background.write_text("".join(json.dumps({"text": t, "label": lab}) + "\n" for t, lab in rows))
    out = tmp_path / "head.json"
    code, stdout, err = _run("train", "--data", str(data), "--background", str(background),
                             "--out", str(out), "--json")  # fmt: skip
    assert code == 0, err
    # Only the `other` rows count, and a title that is also training data is left out.
    assert json.loads(stdout)["background_other"] == 2

    positives = tmp_path / "positives.csv"
    positives.write_text("text,label\nAcme lays off 300 workers,layoffs\n")
    code, _, err = _run("train", "--data", str(data), "--background", str(positives),
                        "--out", str(tmp_path / "never.json"))  # fmt: skip
    assert code != 0
    assert "positives.csv" in err and "other" in err
    assert not (tmp_path / "never.json").exists()
