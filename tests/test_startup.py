"""Fast start: `--help` and the help of every command load no heavy library.

Which modules get imported is checked, not how long it takes (timing belongs to
benchmarks/bench_startup.py): numpy, pandas, the config's pydantic models, APScheduler,
rich, the store and torch stay out until a command actually runs. pydantic itself stays
out of the top-level help; a command's own help loads it because typer (>= 0.25) builds
its parameter converters with pydantic, which is typer's cost, not the monitor's.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from monitor.store import Store

ROOT = Path(__file__).resolve().parents[1]
HEAVY = (
    "numpy",
    "pandas",
    "pydantic",
    "apscheduler",
    "rich",
    "torch",
    "sqlite3",
    "yaml",
    "httpx",
    "monitor.config.feeds_yaml",
    "monitor.store",
)
PROBE = """
import json, sys
from monitor.cli.app import main
args, heavy = json.loads(sys.argv[1]), json.loads(sys.argv[2])
sys.argv = ["bubble-monitor", *args]
try:
    main()
except SystemExit:
    pass
sys.stderr.write("LOADED " + json.dumps(sorted(m for m in heavy if m in sys.modules)) + "\\n")
"""
TOP_LEVEL: list[list[str]] = [[], ["--help"]]
COMMANDS = [
    *(
        [name, "--help"]
        for name in (
            "report", "collect", "headlines", "doctor", "classify", "train", "evaluate",
            "import-layoffs", "backtest", "import-prices", "serve", "bubbles", "history",
            "segments", "spread", "migrate-store", "import-headlines", "backfill-readings",
        )
    ),
]  # fmt: skip


def _run(args: list[str]) -> tuple[str, list[str]]:
    """(its output, the HEAVY modules loaded) of the CLI run with `args` in a fresh process."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "120"}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(args), json.dumps(HEAVY)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    line = next((x for x in done.stderr.splitlines() if x.startswith("LOADED ")), None)
    assert line is not None, done.stderr
    loaded: list[str] = json.loads(line.removeprefix("LOADED "))
    return done.stdout + done.stderr, loaded


@pytest.mark.parametrize("args", TOP_LEVEL, ids=lambda a: " ".join(a) or "(none)")
def test_top_level_help_loads_no_heavy_module_nor_pydantic(args: list[str]) -> None:
    stdout, loaded = _run(args)
    assert "Usage:" in stdout
    assert loaded == []


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_command_help_loads_no_heavy_module(args: list[str]) -> None:
    stdout, loaded = _run(args)
    assert "Usage:" in stdout
    assert [m for m in loaded if m != "pydantic"] == []


def test_the_probe_sees_the_modules_a_running_command_loads(tmp_path: Path) -> None:
    Store(tmp_path / "empty.db").close()  # `history` only reads: the file must exist
    stdout, loaded = _run(["history", "--db", str(tmp_path / "empty.db"), "--json"])
    assert stdout.startswith("[]")
    assert "sqlite3" in loaded and "monitor.store" in loaded
