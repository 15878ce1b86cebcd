"""The data directory's embedding cache (monitor.reading.embedding_file), as `classify` and
`train` use it without --db: vectors are read back, a changed model never gets a stale one,
and a broken cache never stops a command."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from monitor.cli.app import app
from monitor.reading.embedding_cache import CachedEmbedder
from monitor.reading.embedding_file import FILE_NAME, EmbeddingFile, open_embedding_file
from monitor.reading.minilm import MiniLMEncoder
from monitor.store.embeddings import text_hash
from tests.fakes import CountingEmbedder

runner = CliRunner()
FIXTURES = Path(__file__).parent / "fixtures" / "classifier"
TEXTS = ["Insurer cuts 800 jobs", "Fund raises $2B for AI startups"]


@pytest.fixture(scope="module")
def encoder() -> MiniLMEncoder:
    return MiniLMEncoder()


def _model_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "model"
    folder.mkdir()
    (folder / "model.safetensors").write_bytes(b"weights v1")
    (folder / "config.json").write_text("{}", encoding="utf-8")
    return folder


def _vector(seed: int) -> np.ndarray:
    v = np.random.default_rng(seed).normal(size=384).astype(np.float32)
    return v / np.linalg.norm(v)


def test_vectors_survive_reopening_and_are_kept_per_model(tmp_path: Path) -> None:
    folder, path = _model_folder(tmp_path), tmp_path / FILE_NAME
    with EmbeddingFile(path, folder) as cache:
        cache.put("model-a", {"h1": _vector(1)})
    with EmbeddingFile(path, folder) as cache:
        assert np.array_equal(cache.get("model-a", ["h1", "h2"])["h1"], _vector(1))
        assert cache.get("model-b", ["h1"]) == {}  # another model id never shares a vector


def test_changed_model_files_never_return_a_stale_vector(tmp_path: Path) -> None:
    """Same model id (same package version), other weights: the digest of the folder's
    files is in the key, so the old vector is not returned; put back, it is again."""
    folder, path = _model_folder(tmp_path), tmp_path / FILE_NAME
    with EmbeddingFile(path, folder) as cache:
        cache.put("model-a", {"h1": _vector(1)})
    weights = folder / "model.safetensors"
    weights.write_bytes(b"weights v2")
    with EmbeddingFile(path, folder) as cache:
        assert cache.get("model-a", ["h1"]) == {}
    weights.write_bytes(b"weights v1")  # the same bytes again (a reinstall of the same build)
    with EmbeddingFile(path, folder) as cache:
        assert "h1" in cache.get("model-a", ["h1"])


def test_cached_embedder_on_the_file_computes_each_text_once(
    encoder: MiniLMEncoder, tmp_path: Path
) -> None:
    counting = CountingEmbedder(encoder)
    with EmbeddingFile(tmp_path / FILE_NAME, encoder.model_folder) as cache:
        first = CachedEmbedder(counting, cache).embed([*TEXTS, TEXTS[0]])
    with EmbeddingFile(tmp_path / FILE_NAME, encoder.model_folder) as cache:
        second = CachedEmbedder(counting, cache).embed(list(reversed(TEXTS)))
    assert sorted(counting.texts) == sorted(TEXTS)  # each text once, none the second time
    assert np.array_equal(second, first[1::-1])
    assert np.allclose(first[0], encoder.embed([TEXTS[0]])[0], atol=1e-6)


def test_a_damaged_or_unwritable_cache_is_named_not_fatal(tmp_path: Path) -> None:
    damaged = tmp_path / FILE_NAME
    damaged.write_bytes(b"not a database" * 100)
    opened = open_embedding_file(damaged, None)
    assert isinstance(opened, str) and str(damaged) in opened and "continuing without" in opened
    blocked = tmp_path / "a-file"
    blocked.write_text("", encoding="utf-8")
    opened = open_embedding_file(blocked / FILE_NAME, None)  # its folder is a file
    assert isinstance(opened, str) and "continuing without" in opened


def _classify(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["classify", *args])
    return result.exit_code, result.stdout, result.stderr.replace("\n", " ")


@pytest.fixture(scope="module")
def head_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A head trained on the fixture set (trained through the CLI, so on its cache too)."""
    folder = tmp_path_factory.mktemp("head")
    with pytest.MonkeyPatch.context() as env:  # module fixtures run before the isolation
        env.setenv("BUBBLE_MONITOR_DATA_DIR", str(folder))
        result = runner.invoke(app, ["train", "--data", str(FIXTURES / "labelled.jsonl"),
                                     "--out", str(folder / "head.json")])  # fmt: skip
    assert result.exit_code == 0, result.stderr
    return folder / "head.json"


def test_classify_reads_the_data_dir_cache_and_no_cache_bypasses_it(
    head_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BUBBLE_MONITOR_DATA_DIR", str(tmp_path))
    code, first, err = _classify("--head", str(head_file), "--json", *TEXTS)
    assert code == 0, err
    cache = tmp_path / FILE_NAME
    with sqlite3.connect(cache) as conn:
        assert conn.execute("SELECT COUNT(*) FROM vectors").fetchone()[0] == 2
        # Give the first headline the second one's vector: a run that reads the cache
        # labels it as the second (the lexical features still read its own words).
        key = text_hash(TEXTS[1])
        blob = conn.execute("SELECT vector FROM vectors WHERE text_hash = ?", (key,)).fetchone()
        update = "UPDATE vectors SET vector = ? WHERE text_hash = ?"
        conn.execute(update, (blob[0], text_hash(TEXTS[0])))
    code, second, err = _classify("--head", str(head_file), "--json", *TEXTS)
    assert code == 0, err
    rows = [json.loads(line) for line in second.splitlines()]
    assert rows[0]["scores"] != json.loads(first.splitlines()[0])["scores"]
    code, fresh, err = _classify("--head", str(head_file), "--json", "--no-cache", *TEXTS)
    assert code == 0 and fresh == first, err


def test_classify_with_a_damaged_cache_still_labels(
    head_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BUBBLE_MONITOR_DATA_DIR", str(tmp_path))
    (tmp_path / FILE_NAME).write_bytes(b"garbage" * 200)
    code, out, err = _classify("--head", str(head_file), "--json", TEXTS[0])
    assert code == 0, err
    assert json.loads(out)["label"] == "layoffs"
    assert f"embedding cache {tmp_path / FILE_NAME} is unusable" in err


def test_train_twice_reads_its_vectors_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BUBBLE_MONITOR_DATA_DIR", str(tmp_path))
    heads = []
    for name in ("one.json", "two.json"):
        result = runner.invoke(app, ["train", "--data", str(FIXTURES / "labelled.jsonl"),
                                     "--out", str(tmp_path / name)])  # fmt: skip
        assert result.exit_code == 0, result.stderr
        heads.append(json.loads((tmp_path / name).read_text(encoding="utf-8")))
    assert heads[0] == heads[1]
    with sqlite3.connect(tmp_path / FILE_NAME) as conn:
        assert conn.execute("SELECT COUNT(DISTINCT model_key) FROM vectors").fetchone()[0] == 1
        assert conn.execute("SELECT COUNT(*) FROM vectors").fetchone()[0] > 10
