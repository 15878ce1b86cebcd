"""`report --demo` at 80 and 60 columns: every line fits and nothing is cut.

At 60 columns `--full` printed its 74-character components title unwrapped (the stacked
blocks under it were wrapped); the compact report and `--json` were already right and
are kept so. The runs store the session demo's cached history (monitor.ops.demo_cache).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from monitor.cli.app import app
from tests.conftest import DemoReport

runner = CliRunner()


@pytest.fixture
def warm(demo_report: DemoReport, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data directory holding the session demo's history cache; a fresh store path."""
    cache = demo_report.db.parent / "data-dir" / "demo-cache"
    shutil.copytree(cache, tmp_path / "data" / "demo-cache")
    monkeypatch.setenv("BUBBLE_MONITOR_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "demo.db"


def _too_wide(text: str, width: int) -> list[str]:
    return [line for line in text.splitlines() if len(line) > width or "…" in line]


@pytest.mark.parametrize("width", [80, 60])
def test_report_demo_full_fits_the_terminal(warm: Path, width: int) -> None:
    result = runner.invoke(
        app, ["report", "--demo", "--full", "--db", str(warm)], env={"COLUMNS": str(width)}
    )
    assert result.exit_code == 0, result.output
    assert "Components (contribution in index points;" in result.stdout
    assert "Segments" in result.stdout and "More: `report --full`" in result.stdout
    assert _too_wide(result.stdout, width) == []


def test_report_demo_json_is_one_document_whatever_the_width(
    warm: Path, demo_report: DemoReport
) -> None:
    result = runner.invoke(
        app, ["report", "--demo", "--json", "--db", str(warm)], env={"COLUMNS": "60"}
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == json.loads(demo_report.stdout)
