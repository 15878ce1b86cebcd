"""`classify --explain` and `train` on the real-news training set, sharing one embedding cache.

This module replaces tests/test_qatrain2_explain.py and tests/test_qatrain2_corrections.py
with the same assertions. Those embedded the ~4,244 texts of the real-news training set
three times (explain on the corpus, explain on the team's lines, train --real-news): here
the commands run on one data directory for the module, so its embedding cache
(monitor.reading.embedding_file) holds each text once, as it does for a daily user. Any
test still passes alone; it then embeds what it needs itself.

What they check: `classify --explain` searches the headlines the head learnt from (it used
to search the team's lines only, while the shipped head was trained on 2,263 real corpus
titles beside them), and says when it cannot; a user's label corrections are training data
of `train --real-news`, never test data, and both kinds of training say when stored ones go
unused.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from monitor.cli.app import app
from monitor.reading.classifier_files import DEFAULT_HEAD_PATH, TRAIN_FILE, load_examples
from signals.classifier.dataset import LabelledText

runner = CliRunner()
CORPUS = "ai_news_headlines_2022_2026.jsonl"
FIXTURES = Path(__file__).parent / "fixtures" / "classifier"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One data directory (so one embedding cache) for the module's commands."""
    return tmp_path_factory.mktemp("data-dir")


@pytest.fixture(autouse=True)
def _shared_cache(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BUBBLE_MONITOR_DATA_DIR", str(data_dir))


def _run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def _other_label(label: str) -> str:
    return "bubble_warning" if label != "bubble_warning" else "ai_demand"


def _corrections(corpus: Path) -> list[LabelledText]:
    """A correction of a train/tune title, of a team line, of a test title, and a new one."""
    from monitor.research.realnews.corpus import labelled_rows
    from signals.classifier.realnews.labels import split

    train_rows, test_rows = split(labelled_rows(corpus))
    team = load_examples(TRAIN_FILE)
    return [
        LabelledText(train_rows[5].text, _other_label(train_rows[5].label)),
        LabelledText(team[3].text, _other_label(team[3].label)),
        LabelledText(test_rows[7].text, _other_label(test_rows[7].label)),
        LabelledText(
            "Zorblax Capital says the AI trade is a bubble about to pop", "bubble_warning"
        ),
    ]


# --- classify --explain (was tests/test_qatrain2_explain.py) ---------------------------------


@pytest.mark.validation
def test_explain_searches_the_real_titles_the_shipped_head_learnt(
    shared_data: Path,
) -> None:
    from monitor.research.realnews.corpus import labelled_rows
    from signals.classifier.realnews.labels import split

    corpus = shared_data / CORPUS
    train_rows, _ = split(labelled_rows(corpus))
    row = next(r for r in train_rows if r.label == "capex_debt")
    args = ["classify", "--explain", "--json", "--real-news", str(corpus), row.text]
    code, out, err = _run(*args)
    assert code == 0, err
    assert "note:" not in err  # the set searched is exactly the head's training set
    nearest = json.loads(out)["explain"]["nearest"][0]
    assert nearest["label"] == row.label and nearest["similarity"] > 0.99, nearest


def test_explain_says_when_the_real_titles_are_not_searched() -> None:
    code, out, err = _run("classify", "--explain", "--json", "Nvidia to invest $100bn in OpenAI")
    err = err.replace("\n", " ")
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
    err = err.replace("\n", " ")
    assert code == 0, err
    assert f"({other}) are not the set classifier head {head} was trained on" in err
    code, _, err = _run(*args, "--train-data", str(FIXTURES / "labelled.jsonl"))
    assert code == 0 and "note:" not in err, err


def test_explain_options_without_explain_are_named(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("", encoding="utf-8")
    code, _, err = _run("classify", "--real-news", str(corpus), "Acme cuts 300 jobs")
    err = err.replace("\n", " ")
    assert code == 2 and "--real-news is used only with --explain" in err, err
    code, _, err = _run("classify", "--explain", "--real-news", str(tmp_path / "no.jsonl"), "x")
    err = err.replace("\n", " ")
    assert code == 2 and "headline corpus not found" in err, err


# --- corrections as training data (was tests/test_qatrain2_corrections.py) -------------------


@pytest.mark.validation
def test_the_real_news_training_set_learns_corrections(shared_data: Path) -> None:
    from monitor.research.realnews.corpus import labelled_rows
    from monitor.research.realnews.corrections import drop_corrected
    from monitor.research.realnews.pipeline import training_set
    from monitor.store.corrections import correction_key
    from signals.classifier.realnews.labels import split
    from signals.text import normalise

    corpus = shared_data / CORPUS
    fixes = _corrections(corpus)
    before, _ = training_set(corpus)
    after, examples = training_set(corpus, fixes)
    labels = {normalise(t): label for t, label in zip(after.texts, after.labels, strict=True)}
    for fix in fixes:
        assert labels[normalise(fix.text)] == fix.label, fix.text
    # The corrected corpus title keeps its place among the real (calibrating) titles; the
    # team line is replaced, not doubled; the test title and the new one are added.
    assert int(after.real.sum()) == int(before.real.sum())
    assert len(after.texts) == len(before.texts) + 2
    assert sum(normalise(fixes[1].text) == t for t in after.texts) == 1
    # ... and the test title a correction taught leaves the untouched test.
    _, test_rows = split(labelled_rows(corpus))
    kept, dropped = drop_corrected(test_rows, {correction_key(f.text) for f in fixes})
    assert dropped == 1 and len(kept) == len(test_rows) - 1
    assert any(e.text == fixes[3].text for e in examples)


@pytest.mark.validation
def test_train_real_news_with_corrections_learns_them(
    shared_data: Path, tmp_path: Path, db_path: Path
) -> None:
    """End to end: label, rebuild with --with-corrections, the head is trained on the
    corrected set and the corrected headline moves toward its new label."""
    from monitor.reading.classifier_files import load_classifier, load_head
    from monitor.research.realnews.pipeline import training_set
    from monitor.store import Store
    from monitor.store.corrections import list_corrections
    from signals.classifier.dataset import data_hash

    corpus = shared_data / CORPUS
    fixes = _corrections(corpus)
    lines = "".join(json.dumps({"text": f.text, "label": f.label}) + "\n" for f in fixes)
    (tmp_path / "fixes.jsonl").write_text(lines, encoding="utf-8")
    assert _run("label", "--file", str(tmp_path / "fixes.jsonl"), "--db", str(db_path))[0] == 0
    out = tmp_path / "head.json"
    code, stdout, err = _run("train", "--real-news", str(corpus), "--with-corrections",
                             "--db", str(db_path), "--out", str(out), "--json")  # fmt: skip
    assert code == 0, err
    assert json.loads(stdout)["corrections"] == len(fixes)
    with Store(db_path) as store:  # as `label` stored them (normalised text)
        stored = [LabelledText(c.text, c.label) for c in list_corrections(store)]
    assert load_head(out).data_hash == data_hash(training_set(corpus, stored)[1])
    texts = [f.text for f in fixes]
    shipped = load_classifier(DEFAULT_HEAD_PATH).classify(texts)
    retrained = load_classifier(out).classify(texts)
    for fix, old, new in zip(fixes, shipped, retrained, strict=True):
        assert new.scores[fix.label] > old.scores[fix.label], fix.text


def test_plain_train_says_when_stored_corrections_go_unused(tmp_path: Path, db_path: Path) -> None:
    code, _, err = _run("label", "Crude supply cut lifts oil to $95", "other", "--db", str(db_path))
    assert code == 0, err
    out = tmp_path / "head.json"
    args = ["train", "--data", str(FIXTURES / "labelled.jsonl"), "--out", str(out)]
    code, _, err = _run(*args, "--db", str(db_path))
    assert code == 0, err
    assert "1 correction(s) stored by `label` are not learnt" in err.replace("\n", " ")
    assert "--with-corrections" in err


def test_real_news_accepts_with_corrections(tmp_path: Path) -> None:
    """The option is no longer refused; a missing corpus is still named first."""
    missing = tmp_path / "corpus.jsonl"
    db, head = str(tmp_path / "m.db"), str(tmp_path / "h.json")
    assert _run("label", "Crude supply cut lifts oil to $95", "other", "--db", db)[0] == 0
    code, stdout, err = _run("train", "--real-news", str(missing), "--with-corrections",
                             "--db", db, "--out", head)  # fmt: skip
    out = (stdout + err).replace("\n", " ")
    assert code == 2, out
    assert "is not used with --real-news" not in out
    assert f"headline corpus {missing} not found" in out
