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


# -- the layer order of monitor/ -----------------------------------------------------------

#: signals <- base <- monitor.store <- collectors and adapters <- stages <- cli | service | web.
#: A module may import its own layer and the layers below, never above. Imports under
#: `if TYPE_CHECKING:` are for annotations only and are not counted. A new module must be
#: given a layer here, so the picture in docs/architecture.md stays true.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("signals",),
    (
        "monitor",
        "monitor.errors",
        "monitor.paths",
        "monitor.cron",
        "monitor.config",
        "monitor.config_smart_money",
        "monitor.config_fundamentals",
        "monitor.settings",
        "monitor.csv_files",
        "monitor.segments_config",
        "monitor.fx",
        "monitor.db_target",
    ),
    ("monitor.store",),
    (
        "monitor.news",
        "monitor.prices",
        "monitor.notify",
        "monitor.embedding_cache",
        "monitor.charts",
        "monitor.layoffs_import",
        "monitor.bubbles_io",
        "monitor.backtest",
        "monitor.doctor",
        "monitor.french49",
        "monitor.crash_model",
        "monitor.crash_inputs",
        "monitor.crash_live",
        "monitor.evaluate_index",
        "monitor.doctor_smart_money",
        "monitor.positioning",
        "monitor.filings",
        "monitor.hub_models",
        "monitor.smart_money",
        "monitor.smart_money_json",
        "monitor.segment_readings",
        "monitor.segment_backtest",
        "monitor.segment_spread",
        "monitor.segments_report",
        "monitor.segment_v2",
        "monitor.sources",
        "monitor.reading",
        "monitor.ops",
    ),
    ("monitor.stages", "monitor.app", "monitor.demo", "monitor.demo_smart_money"),
    ("monitor.cli", "monitor.service", "monitor.web", "monitor.__main__"),
)
MONITOR_FILES = sorted((ROOT / "monitor").rglob("*.py"))


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def layer_of(module: str) -> int | None:
    """The layer of a dotted module name: its longest listed prefix wins."""
    matches = [
        (len(prefix), level)
        for level, prefixes in enumerate(LAYERS)
        for prefix in prefixes
        if module == prefix or module.startswith(prefix + ".")
    ]
    return max(matches)[1] if matches else None


def _runtime_imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every project import outside `if TYPE_CHECKING:` blocks."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped.update(id(n) for child in node.body for n in ast.walk(child))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found.extend((node.lineno, a.name) for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.extend((node.lineno, f"{node.module}.{a.name}") for a in node.names)
    return [(line, m) for line, m in found if m.split(".")[0] in ("monitor", "signals")]


def upward_imports(path: Path) -> list[str]:
    own = layer_of(_module_name(path))
    assert own is not None, f"{_module_name(path)} has no layer in LAYERS"
    bad = []
    for line, module in _runtime_imports(path):
        # `from monitor.x import name` is checked as monitor.x.name: its longest prefix decides
        level = layer_of(module)
        if level is not None and level > own:
            bad.append(f"line {line}: {module} (layer {level} > {own})")
    return bad


@pytest.mark.parametrize("path", MONITOR_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_monitor_module_imports_no_higher_layer(path: Path) -> None:
    bad = upward_imports(path)
    assert not bad, f"{path.relative_to(ROOT)} imports upward: {bad}"


def test_layer_checker_catches_an_upward_import(tmp_path: Path) -> None:
    store_dir = tmp_path / "monitor" / "store"
    store_dir.mkdir(parents=True)
    bad = store_dir / "bad.py"
    bad.write_text(
        "from typing import TYPE_CHECKING\n"
        "from monitor.news.normalise import url_key\n"
        "if TYPE_CHECKING:\n    from monitor.app import App\n"
        "def f() -> None:\n    from monitor.stages.index import run_index\n"
    )
    assert [m for _, m in _runtime_imports(bad)] == [
        "monitor.news.normalise.url_key",
        "monitor.stages.index.run_index",
    ]
    assert layer_of("monitor.store.headlines") == 2
    assert layer_of("monitor.stages.index.run_index") == 4
    assert layer_of("monitor.paths") == 1 and layer_of("signals.psy") == 0
