"""A fine-tuned head and its encoder delta travel together.

`train --real-news CORPUS --finetune --out X` writes the delta beside X (never into the
package), and `classify --head X` / `evaluate --head X` load the delta beside X, checked
against the digest in the head's model id: a missing, corrupt, foreign or mismatched delta
is an error naming the file, never a traceback and never the package's delta. Real model,
real files: the delta here is the packaged model's own encoder layers in float16, so its
labels are the plain model's.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from monitor.cli.app import app
from monitor.reading.classifier_files import (
    DEFAULT_HEAD_PATH,
    load_classifier,
    load_head,
    save_head,
)
from monitor.reading.finetuned import DELTA_PREFIX, delta_id
from monitor.reading.minilm import default_model_path

CORPUS = "ai_news_headlines_2022_2026.jsonl"
TITLES = [
    "Acme Robotics to cut 2,000 jobs as it redirects spending to AI",
    "Central bankers warn the AI stock bubble is close to bursting",
    "A humpback whale was spotted off the coast of Maine",
]
PACKAGE_DIR = DEFAULT_HEAD_PATH.parent
runner = CliRunner()


def beside(head: Path) -> Path:
    """The delta file of a head: beside it, named after it."""
    return head.with_name(head.stem + ".encoder-delta.safetensors")


def package_deltas() -> list[Path]:
    return sorted(PACKAGE_DIR.glob("*.safetensors"))


def base_layers() -> dict[str, object]:
    """The packaged model's encoder layers in float16: a real delta of the base model."""
    from safetensors.torch import load_file

    state = load_file(str(default_model_path() / "model.safetensors"))
    return {k: v.half().contiguous() for k, v in state.items() if k.startswith(DELTA_PREFIX)}


def write_delta(path: Path, layers: dict[str, object]) -> Path:
    from safetensors.torch import save_file

    save_file(layers, str(path), metadata={"format": "minilm-encoder-delta-fp16"})  # type: ignore[arg-type]
    return path


def finetuned_head(folder: Path, delta_bytes: bytes) -> Path:
    """The shipped head relabelled as trained on the delta whose bytes are given."""
    head_path = folder / "head-ft.json"
    digest_file = folder / "digest-source.bin"
    digest_file.write_bytes(delta_bytes)
    head = dataclasses.replace(load_head(DEFAULT_HEAD_PATH), model_id=delta_id(digest_file))
    digest_file.unlink()
    save_head(head, head_path)
    return head_path


@pytest.fixture(scope="module")
def delta_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_delta(tmp_path_factory.mktemp("delta") / "base.safetensors", base_layers())


def _classify(head: Path) -> tuple[int, str]:
    result = runner.invoke(app, ["classify", "--head", str(head), "--json", *TITLES])
    return result.exit_code, result.stdout + result.stderr


def test_the_delta_is_named_after_its_head_and_beside_it(tmp_path: Path) -> None:
    from monitor.reading.finetuned import DELTA_PATH, delta_path_for

    assert delta_path_for(tmp_path / "head-ft.json") == beside(tmp_path / "head-ft.json")
    assert delta_path_for(DEFAULT_HEAD_PATH) == DELTA_PATH == beside(DEFAULT_HEAD_PATH)


def test_classify_head_reads_the_delta_beside_that_head(
    tmp_path: Path, delta_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    head = finetuned_head(tmp_path, delta_file.read_bytes())
    beside(head).write_bytes(delta_file.read_bytes())
    code, out = _classify(head)
    assert code == 0, out
    labels = [json.loads(line)["label"] for line in out.splitlines() if line.startswith("{")]
    plain = [s.label for s in load_classifier().classify(TITLES)]
    assert labels == plain
    assert not package_deltas()  # no package delta was read or needed


def test_a_missing_delta_is_named(tmp_path: Path, delta_file: Path) -> None:
    head = finetuned_head(tmp_path, delta_file.read_bytes())
    code, out = _classify(head)
    assert code == 2
    assert str(beside(head)) in out.replace("\n", "")
    assert "Traceback" not in out


def test_a_delta_from_another_run_is_refused(tmp_path: Path, delta_file: Path) -> None:
    head = finetuned_head(tmp_path, delta_file.read_bytes())
    layers = base_layers()
    first = next(iter(layers))
    layers[first] = layers[first] * 1.01  # type: ignore[operator]
    write_delta(beside(head), layers)
    code, out = _classify(head)
    assert code == 2
    flat = out.replace("\n", "")
    assert str(beside(head)) in flat and "different training runs" in flat


def test_a_corrupt_delta_is_named(tmp_path: Path) -> None:
    garbage = b"not a safetensors file" * 10
    head = finetuned_head(tmp_path, garbage)
    beside(head).write_bytes(garbage)
    code, out = _classify(head)
    assert code == 2
    flat = out.replace("\n", "")
    assert str(beside(head)) in flat and "not a readable encoder delta" in flat
    assert "Traceback" not in out


def test_a_delta_of_another_model_is_named_before_any_headline(tmp_path: Path) -> None:
    """Five layers where the model has six: the shape of a smaller model's delta."""
    layers = {k: v for k, v in base_layers().items() if ".layer.5." not in k}
    other = write_delta(tmp_path / "other.safetensors", layers)
    head = finetuned_head(tmp_path, other.read_bytes())
    beside(head).write_bytes(other.read_bytes())
    code, out = _classify(head)
    assert code == 2
    flat = out.replace("\n", "")
    assert str(beside(head)) in flat and "a delta of another model" in flat


def test_evaluate_head_names_a_missing_delta(tmp_path: Path, delta_file: Path) -> None:
    head = finetuned_head(tmp_path, delta_file.read_bytes())
    result = runner.invoke(app, ["evaluate", "--head", str(head)])
    assert result.exit_code == 2
    assert str(beside(head)) in (result.stdout + result.stderr).replace("\n", "")


def _sha(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


@pytest.mark.validation
@pytest.mark.slow
@pytest.mark.timeout(600)
def test_train_finetune_out_writes_and_uses_the_delta_beside_out(
    shared_data: Path, tmp_path: Path, delta_file: Path
) -> None:
    """The fold and final vectors are in --work and the delta is beside --out (a finished
    fine-tune, kept), so the command fits the head without fine-tuning again: the head's
    model id must be that delta's, and nothing in the package may change. The cached
    vectors are zeros (the head then rests on its n-gram features): this is about which
    files go where, and embedding 4,244 texts would triple the time."""
    from monitor.research.realnews.pipeline import training_set

    corpus = shared_data / CORPUS
    training, _ = training_set(corpus)
    vectors = np.zeros((len(training.texts), 384), dtype=np.float32)
    work = tmp_path / "work"
    work.mkdir()
    for name in ("fold_0.npz", "fold_1.npz", "final.npz"):
        np.savez_compressed(work / name, vectors=vectors)
    out = tmp_path / "models" / "head-ft.json"
    out.parent.mkdir()
    delta = beside(out)
    delta.write_bytes(delta_file.read_bytes())
    shipped_head, shipped_deltas = _sha(DEFAULT_HEAD_PATH), package_deltas()
    args = ["train", "--real-news", str(corpus), "--finetune", "--out", str(out)]
    result = runner.invoke(app, [*args, "--work", str(work), "--json"])
    assert result.exit_code == 0, result.stdout + result.stderr
    summary = json.loads(result.stdout)
    assert summary["delta"] == str(delta)
    assert load_head(out).model_id == delta_id(delta)
    assert (_sha(DEFAULT_HEAD_PATH), package_deltas()) == (shipped_head, shipped_deltas)
    assert (work / "training.sha256").exists()  # a later run can tell its vectors apart
    umask = os.umask(0)
    os.umask(umask)
    # The mode any new file gets (0644 under umask 022), not safetensors' own 0600, so a
    # service running as another user can read it.
    assert delta.stat().st_mode & 0o777 == 0o666 & ~umask
    assert load_classifier(out).model_id == delta_id(delta)  # the delta beside it, loaded
