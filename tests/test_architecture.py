"""The direction of imports: signals/ is pure; it never reaches monitor/, I/O or the clock."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = {
    "monitor",
    "sqlite3",
    "httpx",
    "requests",
    "urllib",
    "http",
    "socket",
    "feedparser",
    "yfinance",
    "slack_sdk",
    "apscheduler",
    "curl_cffi",
}
SIGNALS_FILES = sorted((ROOT / "signals").rglob("*.py"))


#: Pure parts of forbidden packages: urllib.parse only splits strings (identity keys).
ALLOWED = {"urllib.parse"}


def _imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        else:
            continue
        roots.update(name.split(".")[0] for name in names if name not in ALLOWED)
    return roots


def _clock_calls(path: Path) -> list[str]:
    source = path.read_text(encoding="utf-8")
    return [call for call in ("datetime.now(", "date.today(", "time.time(") if call in source]


def test_there_are_signals_modules() -> None:
    assert len(SIGNALS_FILES) >= 3


@pytest.mark.parametrize("path", SIGNALS_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_signals_module_is_pure(path: Path) -> None:
    bad = _imported_roots(path) & FORBIDDEN
    assert not bad, f"{path.relative_to(ROOT)} imports {sorted(bad)}; signals/ must stay pure"
    assert not _clock_calls(path), f"{path.relative_to(ROOT)} reads the clock; pass `now` in"


def test_checker_catches_a_forbidden_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("import sqlite3\nfrom monitor.store import Store\nimport datetime\n")
    assert _imported_roots(bad) & FORBIDDEN == {"sqlite3", "monitor"}
