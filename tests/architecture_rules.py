"""The rules of the house, as data and a checker (tests/test_architecture.py runs them).

Every module of monitor/ and signals/ belongs to a declared layer: a top-level domain
folder (`monitor.reading` covers every module inside it, new ones too) or a root module
(`monitor.app`). A module or folder that no declaration covers fails. A module may import
its own layer and the layers below, never above; between two different units of one layer
(two domain folders, or two providers inside monitor/sources/) an import must be declared
in SIBLINGS. Imports under `if TYPE_CHECKING:` are annotations only and do not count for
the direction; they do count for circles. signals/ is pure: no monitor/, network, database,
file, environment or clock access.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

#: Lowest first. `monitor` (the package file itself) covers only monitor/__init__.py.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("signals",),  # 0 pure computation
    ("monitor", "monitor.errors"),  # 1 the version and the exception tree
    ("monitor.config",),  # 2 feeds.yaml, secrets, cron, paths, the database target
    ("monitor.store",),  # 3 the database
    ("monitor.sources",),  # 4 outside data, one unit per provider
    ("monitor.reading",),  # 5 the live reading and the model files behind it
    ("monitor.present",),  # 6 the reading as JSON, text and chart
    ("monitor.notify",),  # 7 Slack and the console
    ("monitor.research", "monitor.stages"),  # 8 history replays; the pipeline's stages
    ("monitor.app", "monitor.ops"),  # 9 the composition root; doctor and demo
    ("monitor.web",),  # 10 the dashboard (the service starts it)
    ("monitor.service",),  # 11 the scheduler service
    ("monitor.cli",),  # 12 the command line
    ("monitor.__main__",),  # 13 `python -m monitor`
)
#: Declarations whose direct sub-folders are separate units (one folder per provider).
SPLIT: frozenset[str] = frozenset({"monitor.sources"})
#: Declared imports between two units of one layer: (importer unit, imported unit).
SIBLINGS: frozenset[tuple[str, str]] = frozenset(
    {
        # layoffs.fyi exports are user CSV files: one way of opening them
        ("monitor.sources.layoffs", "monitor.sources.csv"),
    }
)

#: Imports signals/ may not make (the project's I/O side and I/O libraries).
FORBIDDEN_IN_SIGNALS: frozenset[str] = frozenset(
    {
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
        "sentence_transformers",
        "torch",
        "platformdirs",
        "importlib.metadata",
        "importlib.resources",
    }
)
#: Pure parts of forbidden packages: urllib.parse only splits strings (identity keys).
ALLOWED_IN_SIGNALS: frozenset[str] = frozenset({"urllib.parse"})
#: Calls that read or write files or the environment, or read the clock.
IO_ATTRIBUTES: frozenset[str] = frozenset(
    {
        "read_text",
        "write_text",
        "read_bytes",
        "write_bytes",
        "open",
        "mkdir",
        "unlink",
        "touch",
        "iterdir",
        "glob",
        "rglob",
        "exists",
        "is_file",
        "is_dir",
        "environ",
        "getenv",
        "putenv",
        "now",
        "today",
        "utcnow",
    }
)
CLOCK_OF_TIME: frozenset[str] = frozenset({"time", "monotonic", "perf_counter", "time_ns"})
IO_NAMES: frozenset[str] = frozenset({"open", "__file__", "getenv", "environ"})


@dataclass(frozen=True, slots=True)
class Import:
    line: int
    target: str  # the imported module (resolved to a file of the tree)
    annotation_only: bool  # under `if TYPE_CHECKING:`


def module_files(root: Path) -> dict[str, Path]:
    """Dotted module name -> file, for every .py file of monitor/ and signals/ under `root`."""
    files: dict[str, Path] = {}
    for top in ("monitor", "signals"):
        for path in sorted((root / top).rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            files[".".join(parts)] = path
    return files


def _covers(declared: str, module: str) -> bool:
    if declared == "monitor":
        return module == "monitor"
    return module == declared or module.startswith(declared + ".")


def declaration_of(module: str) -> tuple[int, str] | None:
    """(layer, declaration) of a dotted module: its longest covering declaration."""
    found = [
        (len(declared), level, declared)
        for level, names in enumerate(LAYERS)
        for declared in names
        if _covers(declared, module)
    ]
    if not found:
        return None
    _, level, declared = max(found)
    return level, declared


def layer_of(module: str) -> int | None:
    found = declaration_of(module)
    return None if found is None else found[0]


def unit_of(module: str) -> str | None:
    """The declaration covering `module`, or its provider folder inside a SPLIT one."""
    found = declaration_of(module)
    if found is None:
        return None
    declared = found[1]
    if declared in SPLIT and module != declared:
        return ".".join(module.split(".")[: declared.count(".") + 2])
    return declared


def _annotation_nodes(tree: ast.AST) -> set[int]:
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped.update(id(n) for child in node.body for n in ast.walk(child))
    return skipped


def _resolve(name: str, files: dict[str, Path]) -> str | None:
    while name and name not in files:
        name = name.rpartition(".")[0]
    return name or None


def imports_of(path: Path, files: dict[str, Path]) -> list[Import]:
    """Every import of a project module in `path` (function-local ones too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    annotation = _annotation_nodes(tree)
    found: list[Import] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [f"{node.module}.{a.name}" for a in node.names]
        else:
            continue
        for name in names:
            target = _resolve(name, files)
            if target is not None:
                found.append(Import(node.lineno, target, id(node) in annotation))
    return found


def unlisted_modules(root: Path) -> list[str]:
    """Modules of monitor/ that no declaration of LAYERS covers."""
    return [m for m in module_files(root) if m.startswith("monitor") and layer_of(m) is None]


def layer_violations(root: Path) -> list[str]:
    """Upward imports and undeclared sibling imports, one line each."""
    files = module_files(root)
    bad: dict[str, None] = {}  # ordered, one line per (module, line, target)
    for module, path in files.items():
        own, own_unit = layer_of(module), unit_of(module)
        if own is None:
            continue
        for imp in imports_of(path, files):
            level, unit = layer_of(imp.target), unit_of(imp.target)
            if imp.annotation_only or level is None or unit == own_unit:
                continue
            where = f"{module} line {imp.line}: {imp.target}"
            if level > own:
                bad[f"{where} (layer {level} above {own})"] = None
            elif level == own and (own_unit, unit) not in SIBLINGS:
                bad[f"{where} (sibling {own_unit} -> {unit} not declared)"] = None
    return list(bad)


def used_siblings(root: Path) -> set[tuple[str, str]]:
    files = module_files(root)
    used: set[tuple[str, str]] = set()
    for module, path in files.items():
        for imp in imports_of(path, files):
            pair = (unit_of(module), unit_of(imp.target))
            if pair in SIBLINGS and not imp.annotation_only:
                used.add((str(pair[0]), str(pair[1])))
    return used


def import_circles(root: Path) -> list[list[str]]:
    """Groups of modules that import each other (all imports counted), Tarjan's SCCs."""
    files = module_files(root)
    graph = {m: {i.target for i in imports_of(p, files)} - {m} for m, p in files.items()}
    # a package's own submodules are not a circle with its __init__
    graph = {m: {t for t in deps if not t.startswith(m + ".")} for m, deps in graph.items()}
    return [c for c in _strongly_connected(graph) if len(c) > 1]


def _strongly_connected(graph: dict[str, set[str]]) -> Iterator[list[str]]:
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()

    def visit(v: str) -> Iterator[list[str]]:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                yield from visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group: list[str] = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            yield sorted(group)

    for v in sorted(graph):
        if v not in index:
            yield from visit(v)


def forbidden_imports(path: Path) -> set[str]:
    """The FORBIDDEN_IN_SIGNALS imports of one file (roots, or exact dotted names)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    bad: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
        else:
            continue
        for name in names:
            if name in ALLOWED_IN_SIGNALS or name.startswith(tuple(ALLOWED_IN_SIGNALS)):
                continue
            root = name.split(".")[0]
            if root in FORBIDDEN_IN_SIGNALS:
                bad.add(root)
            elif ".".join(name.split(".")[:2]) in FORBIDDEN_IN_SIGNALS:
                bad.add(".".join(name.split(".")[:2]))
    return bad


def io_calls(path: Path) -> list[str]:
    """File, environment and clock access in one file: `line N: what`."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in IO_ATTRIBUTES:
            found.append(f"line {node.lineno}: .{node.attr}")
        elif isinstance(node, ast.Attribute) and node.attr in CLOCK_OF_TIME:
            if isinstance(node.value, ast.Name) and node.value.id == "time":
                found.append(f"line {node.lineno}: time.{node.attr}")
        elif isinstance(node, ast.Name) and node.id in IO_NAMES:
            found.append(f"line {node.lineno}: {node.id}")
    return found
