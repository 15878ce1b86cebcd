"""The import rewrite for code written against the layout before issue 20 (.ci/issue20_moves.py):
old names move, names of today's tree stay, and a flag never rewrites anything."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / ".ci" / "issue20_moves.py"


@pytest.fixture(scope="module")
def moves() -> ModuleType:
    spec = importlib.util.spec_from_file_location("issue20_moves", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_old_names_move_and_names_of_todays_tree_stay(moves: ModuleType) -> None:
    old = "from monitor.settings import Y\nfrom monitor.config import Config\n"
    assert moves.rewrite_text(old) == (
        "from monitor.config.secrets import Y\nfrom monitor.config.feeds_yaml import Config\n"
    )
    # monitor.config.fundamentals came after the move: "monitor.config" is no prefix of it
    new = "from monitor.config.fundamentals import FundamentalsConfig\n"
    assert moves.rewrite_text(new) == new
    named = "see `monitor.config.fundamentals.FundamentalsConfig` and `monitor.store.work_claims`"
    assert moves.rewrite_text(named) == named
    assert moves.rewrite_text("`monitor.store.work.claim`") == "`monitor.store.work_claims.claim`"
    assert moves.rewrite_text(moves.rewrite_text(old)) == moves.rewrite_text(old)


@pytest.mark.parametrize("flag", ["--help", "--dry-run"])
def test_a_flag_prints_the_usage_and_rewrites_nothing(flag: str, tmp_path: Path) -> None:
    target = tmp_path / "a.py"
    target.write_text("from monitor.settings import Y\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(SCRIPT), flag, str(target)],
        capture_output=True, text=True, cwd=tmp_path, check=False,
    )  # fmt: skip
    assert "rewrites" in done.stdout and "rewritten" not in done.stdout
    assert done.returncode == (0 if flag == "--help" else 2)
    assert target.read_text(encoding="utf-8") == "from monitor.settings import Y\n"
