"""Issue 20 (the house by domain): the module moves, and a rewrite of imports that follow them.

The `git mv`s were made once, on the house branch. For code written against the old layout
(a branch that merges main after the move), `python .ci/issue20_moves.py [PATH ...]` rewrites
every `monitor.<old>` dotted name, `monitor/<old>.py` path and `from monitor import <old>` in
the given files or folders (default: monitor signals tests benchmarks docs README.md .ci).
It is idempotent; best run on the files a branch changed:
`git diff --name-only main... | xargs python .ci/issue20_moves.py`.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path

#: old dotted module -> new dotted module (packages moved whole are listed as packages).
MOVES: dict[str, str] = {
    # config: every feeds.yaml section, secrets, cron, paths, db target
    "monitor.config": "monitor.config.feeds_yaml",
    "monitor.config_smart_money": "monitor.config.smart_money",
    "monitor.segments_config": "monitor.config.segments",
    "monitor.settings": "monitor.config.secrets",
    "monitor.cron": "monitor.config.cron",
    "monitor.paths": "monitor.config.paths",
    "monitor.db_target": "monitor.config.db_target",
    # sources: one folder per provider
    "monitor.csv_files": "monitor.sources.csv.files",
    "monitor.prices.csv_import": "monitor.sources.csv.prices",
    "monitor.prices.yahoo": "monitor.sources.yahoo.download",
    "monitor.prices.yf_errors": "monitor.sources.yahoo.yf_messages",
    "monitor.prices.collect": "monitor.sources.yahoo.collect_prices",
    "monitor.prices": "monitor.sources.yahoo",
    "monitor.positioning.yahoo_info": "monitor.sources.yahoo.info",
    "monitor.positioning.collect": "monitor.sources.yahoo.collect_short_interest",
    "monitor.positioning": "monitor.sources.yahoo",
    "monitor.news": "monitor.sources.news",
    "monitor.filings.edgar": "monitor.sources.edgar.client",
    "monitor.filings.parse": "monitor.sources.edgar.parse",
    "monitor.filings.collect": "monitor.sources.edgar.collect",
    "monitor.filings": "monitor.sources.edgar",
    "monitor.hub_models": "monitor.sources.hub.collect",
    "monitor.layoffs_import": "monitor.sources.layoffs.import_csv",
    "monitor.french49": "monitor.sources.french.industries49",
    # reading: the live reading
    "monitor.crash_live": "monitor.reading.crash",
    "monitor.crash_model": "monitor.reading.crash_model",
    "monitor.fx": "monitor.reading.fx",
    "monitor.segment_readings": "monitor.reading.segments",
    "monitor.segment_v2": "monitor.reading.segment_crash",
    "monitor.smart_money": "monitor.reading.smart_money",
    "monitor.embedding_cache": "monitor.reading.embedding_cache",
    # research
    "monitor.backtest.chart": "monitor.research.backtest.chart",
    "monitor.backtest.headlines": "monitor.research.backtest.headlines",
    "monitor.backtest": "monitor.research.backtest.run",
    "monitor.crash_inputs": "monitor.research.crash_inputs",
    "monitor.evaluate_index": "monitor.research.evaluate_index",
    "monitor.segment_backtest": "monitor.research.segment_backtest",
    "monitor.segment_spread": "monitor.research.segment_spread",
    "monitor.bubbles_io": "monitor.research.bubbles_files",
    # present
    "monitor.charts": "monitor.present.chart",
    "monitor.segments_report": "monitor.present.segments",
    "monitor.smart_money_json": "monitor.present.smart_money_json",
    # ops
    "monitor.doctor": "monitor.ops.doctor",
    "monitor.doctor_smart_money": "monitor.ops.doctor_smart_money",
    "monitor.demo": "monitor.ops.demo",
    "monitor.demo_smart_money": "monitor.ops.demo_smart_money",
    # the web app sits below the service (which starts it): what both use moves down
    "monitor.service.health": "monitor.web.health",
    "monitor.service.schedule": "monitor.stages.schedule",
    # names that say what the module holds; the reading's presentation leaves the CLI
    "monitor.store.work": "monitor.store.work_claims",
    "monitor.web.wiring": "monitor.web.settings",
    "monitor.cli.render": "monitor.present.reading",
    "monitor.cli.render_smart_money": "monitor.present.smart_money_console",
    # a headline's text forms and identity keys are one idea (house3)
    "signals.keys": "signals.text",
}
#: Folders moved whole (path form, for docs): old -> new.
FOLDERS = {
    "monitor/prices/": "monitor/sources/yahoo/",
    "monitor/positioning/": "monitor/sources/yahoo/",
    "monitor/news/": "monitor/sources/news/",
    "monitor/filings/": "monitor/sources/edgar/",
    "monitor/backtest/": "monitor/research/backtest/",
    "monitor/demo_data/": "monitor/ops/demo_data/",
}
DEFAULT_TARGETS = ("monitor", "signals", "tests", "benchmarks", "docs", "README.md", ".ci")


_DOTTED = re.compile(r"\bmonitor(?:\.\w+)+")
_PATHS = re.compile(r"\bmonitor(?:/\w+)+(?:\.py|/)")
_FROM_ROOT = re.compile(r"^(\s*)from monitor import (\w+)(\s*(?:#.*)?)$", re.MULTILINE)


CONFIG_MODULES = ("feeds_yaml", "smart_money", "segments", "secrets", "cron", "paths", "db_target")
_FROM_CONFIG = re.compile(r" import ([\w, ]+)")


def _dotted(match: re.Match[str]) -> str:
    name = match.group(0)
    if name == "monitor.config":  # `from monitor.config import paths` is the new layout
        after = _FROM_CONFIG.match(match.string, match.end())
        names = [] if after is None else [n.strip() for n in after.group(1).split(",")]
        if names and all(n in CONFIG_MODULES for n in names):
            return name
    return _new_dotted(name)


#: The project root: a dotted name that is a module or package here is the new layout.
ROOT = Path(__file__).resolve().parents[1]


def _exists(name: str) -> bool:
    path = ROOT / name.replace(".", "/")
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _prefix_length(name: str, found: Callable[[str], bool]) -> int:
    """How many dotted parts of `name` make its longest prefix that `found` accepts."""
    parts = name.split(".")
    return next((cut for cut in range(len(parts), 0, -1) if found(".".join(parts[:cut]))), 0)


def _already_new(name: str) -> bool:
    """`monitor.config` was a module and is now a package: a name already in the new layout
    (in a module of today's tree longer than any old name it starts with, such as
    `monitor.config.fundamentals.FundamentalsConfig`, added after the move) is left alone,
    so running the rewrite twice changes nothing."""
    if _prefix_length(name, _exists) > _prefix_length(name, MOVES.__contains__):
        return True
    return any(name.startswith(new + ".") or name == new for new in MOVES.values()) or any(
        name.startswith(f"monitor.config.{leaf}") for leaf in CONFIG_MODULES
    )


def _new_dotted(name: str) -> str:
    if _already_new(name):
        return name
    parts = name.split(".")
    for cut in range(len(parts), 1, -1):
        prefix = ".".join(parts[:cut])
        if prefix in MOVES:
            return ".".join([MOVES[prefix], *parts[cut:]])
    return name


def _new_path(path: str) -> str:
    if path.startswith("monitor/config/"):
        return path
    if path == "monitor/backtest/__init__.py":
        return "monitor/research/backtest/run.py"
    if path.endswith(".py") and not path.endswith("/__init__.py"):
        dotted = path[:-3].replace("/", ".")
        moved = _new_dotted(dotted)
        if moved != dotted:
            return moved.replace(".", "/") + ".py"
    for old, new in FOLDERS.items():
        if path.startswith(old):
            return new + path[len(old) :]
    return path


_FROM_PACKAGE = re.compile(
    r"^(\s*)from (monitor(?:\.\w+)+) import (\w+)(\s*(?:#.*)?)$", re.MULTILINE
)


def _from_package(match: re.Match[str]) -> str:
    """`from monitor.store import work` -> `from monitor.store import work_claims as work`."""
    indent, package, name, tail = match.groups()
    moved = MOVES.get(f"{package}.{name}")
    if moved is None:
        return match.group(0)
    parent, _, leaf = moved.rpartition(".")
    alias = "" if leaf == name else f" as {name}"
    return f"{indent}from {parent} import {leaf}{alias}{tail}"


def _from_root(match: re.Match[str]) -> str:
    indent, name, tail = match.groups()
    if name in ("config", "sources", "reading", "research", "present", "ops"):
        return match.group(0)
    moved = MOVES.get(f"monitor.{name}")
    if moved is None:
        return match.group(0)
    parent, _, leaf = moved.rpartition(".")
    alias = "" if leaf == name else f" as {name}"
    return f"{indent}from {parent} import {leaf}{alias}{tail}"


def rewrite_text(text: str) -> str:
    text = _DOTTED.sub(_dotted, text)
    text = _FROM_ROOT.sub(_from_root, text)
    text = _FROM_PACKAGE.sub(_from_package, text)
    return _PATHS.sub(lambda m: _new_path(m.group(0)), text)


def rewrite(targets: list[str]) -> int:
    changed = 0
    for target in map(Path, targets):
        files = [target] if target.is_file() else list(target.rglob("*"))
        for path in files:
            if path.suffix not in (".py", ".md", ".toml", ".yaml", ".txt") or not path.is_file():
                continue
            if path.name in ("issue20_moves.py", "architecture_rules.py"):
                continue
            old = path.read_text(encoding="utf-8")
            new = rewrite_text(old)
            if new != old:
                path.write_text(new, encoding="utf-8")
                changed += 1
    return changed


def main(argv: list[str]) -> None:
    flags = {a for a in argv if a.startswith("-")}
    if flags:
        # A flag (an unknown one too) must not fall through to rewriting the default targets.
        print(__doc__)
        raise SystemExit(0 if flags <= {"-h", "--help"} else 2)
    targets = argv or list(DEFAULT_TARGETS)
    print(f"{rewrite(targets)} file(s) rewritten")


if __name__ == "__main__":
    main(sys.argv[1:])
