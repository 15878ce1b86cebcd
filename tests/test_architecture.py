"""The shape of the house: every module in a declared layer, imports only downward (or to a
declared sibling), no import circles, signals/ pure. The rules are in architecture_rules.py;
the last tests plant violations in a scratch tree and show the checker catches each one."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.architecture_rules import (
    SIBLINGS,
    forbidden_imports,
    import_circles,
    io_calls,
    layer_of,
    layer_violations,
    module_files,
    unit_of,
    unlisted_modules,
    used_siblings,
)

ROOT = Path(__file__).resolve().parents[1]
SIGNALS_FILES = sorted(p for m, p in module_files(ROOT).items() if m.startswith("signals"))
#: What DESIGN.md allows at the monitor/ root: the composition root, the exception tree and
#: the package files.
ROOT_MODULES = {"__init__.py", "__main__.py", "app.py", "errors.py"}


def test_every_monitor_module_belongs_to_a_declared_layer() -> None:
    assert unlisted_modules(ROOT) == []


def test_imports_go_down_or_to_a_declared_sibling() -> None:
    bad = layer_violations(ROOT)
    assert not bad, "imports against the layers:\n" + "\n".join(bad)


def test_every_declared_sibling_import_is_used() -> None:
    assert used_siblings(ROOT) == set(SIBLINGS), "drop declarations nothing needs any more"


def test_there_are_no_import_circles() -> None:
    assert import_circles(ROOT) == []


def test_the_monitor_root_holds_only_the_composition_root_and_the_error_tree() -> None:
    assert {p.name for p in (ROOT / "monitor").glob("*.py")} <= ROOT_MODULES


def test_there_are_signals_modules() -> None:
    assert len(SIGNALS_FILES) >= 3


@pytest.mark.parametrize("path", SIGNALS_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_signals_module_is_pure(path: Path) -> None:
    where = path.relative_to(ROOT)
    bad = forbidden_imports(path)
    assert not bad, f"{where} imports {sorted(bad)}; signals/ must stay pure"
    io = io_calls(path)
    assert not io, f"{where} reads files, the environment or the clock: {io}; pass them in"


# -- the checker itself: each rule fails on a planted violation ----------------------------


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    for folder in ("monitor", "signals"):
        (tmp_path / folder).mkdir(exist_ok=True)
        (tmp_path / folder / "__init__.py").touch()
    return tmp_path


def test_checker_catches_an_upward_import(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {
            "monitor/stages/index.py": "",
            "monitor/store/bad.py": (
                "from typing import TYPE_CHECKING\n"
                "if TYPE_CHECKING:\n    from monitor.stages.index import x\n"
                "def f() -> None:\n    from monitor.stages.index import run_index\n"
            ),
        },
    )
    assert layer_violations(root) == [
        "monitor.store.bad line 5: monitor.stages.index (layer 8 above 3)"
    ]


def test_checker_catches_an_unlisted_module_and_folder(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {
            "monitor/loose.py": "",
            "monitor/gadgets/__init__.py": "",
            "monitor/gadgets/widget.py": "",
            "monitor/reading/new_room.py": "",  # a new module in a declared folder is known
        },
    )
    assert unlisted_modules(root) == [
        "monitor.gadgets",
        "monitor.gadgets.widget",
        "monitor.loose",
    ]


def test_checker_catches_an_undeclared_sibling_import(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {
            "monitor/sources/yahoo/download.py": "",
            "monitor/sources/news/fetch.py": "from monitor.sources.yahoo import download\n",
            "monitor/sources/news/parse.py": "from monitor.sources.news import fetch\n",
        },
    )
    assert unit_of("monitor.sources.news.fetch") == "monitor.sources.news"
    assert layer_violations(root) == [
        "monitor.sources.news.fetch line 1: monitor.sources.yahoo.download "
        "(sibling monitor.sources.news -> monitor.sources.yahoo not declared)"
    ]


def test_checker_catches_an_import_circle(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {
            "signals/a.py": "from signals.b import g\n",
            "signals/b.py": (
                "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from signals.a import f\n"
            ),
        },
    )
    assert import_circles(root) == [["signals.a", "signals.b"]]


def test_checker_catches_io_in_signals(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text(
        "import os\nimport sqlite3\nfrom monitor.store import Store\n"
        "from importlib.metadata import version\n"
        "def f(p):\n    return p.read_text(), os.environ.get('X'), open(p), __file__\n"
    )
    assert forbidden_imports(bad) == {"sqlite3", "monitor", "importlib.metadata"}
    found = sorted(c.split(": ")[1] for c in io_calls(bad))
    assert found == [".environ", ".read_text", "__file__", "open"]


def test_layer_lookup_takes_the_longest_declaration() -> None:
    assert layer_of("monitor") == 1 and layer_of("monitor.errors") == 1
    assert layer_of("monitor.config.paths") == 2 and layer_of("signals.psy") == 0
    assert layer_of("monitor.loose") is None
    assert layer_of("monitor.stages.index") == 8


def test_monitor_exceptions_live_in_the_one_tree() -> None:
    """monitor/errors.py holds every public exception class of monitor/ (private helpers,
    named with a leading underscore, may live beside the code that raises them)."""
    import ast

    outside = []
    for module, path in module_files(ROOT).items():
        if not module.startswith("monitor") or module == "monitor.errors":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in (n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)):
            bases = [ast.unparse(b) for b in node.bases]
            public = not node.name.startswith("_")
            if public and any(b.endswith(("Error", "Exception")) for b in bases):
                outside.append(f"{module}.{node.name}")
    assert outside == []


#: The developers' guide: small modules, short functions (lines, docstrings and
#: signatures included; data files are not Python and are not counted).
MAX_MODULE_LINES = 300
MAX_FUNCTION_LINES = 60


def test_no_module_over_300_lines_and_no_function_over_60() -> None:
    import ast

    too_long = []
    for module, path in module_files(ROOT).items():
        text = path.read_text(encoding="utf-8")
        if len(text.splitlines()) > MAX_MODULE_LINES:
            too_long.append(f"{module}: {len(text.splitlines())} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    too_long.append(f"{module}.{node.name} (line {node.lineno}): {length} lines")
    assert too_long == []
