"""The CLI frame: fast --help without torch, and one clear line + exit 2 on bad input."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from monitor.cli.app import app
from monitor.store.schema import SCHEMA_VERSION
from tests.conftest import FIXTURES, WIDE_TERMINAL_COLUMNS

runner = CliRunner()


def test_help_lists_commands_without_importing_torch() -> None:
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from monitor.cli.app import app\n"
        "r = CliRunner().invoke(app, ['--help'])\n"
        "assert r.exit_code == 0, r.output\n"
        "assert 'report' in r.output and 'doctor' in r.output\n"
        "heavy = [m for m in ('torch', 'sentence_transformers', 'yfinance', 'pandas')"
        " if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_unknown_option_exits_2_with_usage_error() -> None:
    result = runner.invoke(app, ["report", "--no-such-option"])
    assert result.exit_code == 2
    assert "No such option" in result.output


def test_malformed_feeds_yaml_is_one_line_and_exit_2(tmp_path: Path) -> None:
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text("basket: [NVDA]\nschedule:\n  news: {every: often}\n")
    result = runner.invoke(
        app, ["collect", "news", "--feeds", str(feeds), "--db", str(tmp_path / "m.db")]
    )
    assert result.exit_code == 2
    assert result.output.startswith("error: ")
    assert f"{feeds}:3: schedule.news.every" in result.output
    assert "Traceback" not in result.output


def test_database_from_newer_version_exit_2_and_untouched(tmp_path: Path) -> None:
    db = tmp_path / "newer.db"
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    result = runner.invoke(app, ["report", "--no-collect", "--db", str(db)])
    assert result.exit_code == 2
    assert "newer than this bubble-monitor understands" in result.output
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
    conn.close()


def test_unwritable_database_path_exit_2(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = runner.invoke(app, ["report", "--no-collect", "--db", str(blocker / "m.db")])
    assert result.exit_code == 2
    # report --no-collect reads a store: a path that cannot exist is named, nothing created
    assert "no such database" in result.output


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["--debug", "collect", "news", "--feeds", str(tmp_path / "missing.yaml")]
    )
    assert result.exit_code != 0
    assert result.exception is not None
    assert "file not found" in str(result.exception)


def test_cli_text_reads_the_same_whatever_the_shell_width_and_the_path_length(
    tmp_path: Path,
) -> None:
    # Run with COLUMNS=30, a 200-character path split "17 new" across two lines: the
    # suite's terminal is fixed in conftest, so the caller's width cannot matter.
    from monitor.cli.common import console, err_console

    assert console.width == err_console.width == int(WIDE_TERMINAL_COLUMNS)
    deep = tmp_path.joinpath(*["a_long_folder_name_" * 2] * 5)
    deep.mkdir(parents=True)
    csv = deep / "wide.csv"
    csv.write_bytes((FIXTURES / "prices" / "wide.csv").read_bytes())
    result = runner.invoke(app, ["import-prices", str(csv), "--db", str(tmp_path / "m.db")])
    assert result.exit_code == 0, result.output
    assert "17 new" in result.output and "CRWV" in result.output
