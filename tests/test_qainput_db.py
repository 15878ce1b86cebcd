"""--db / BUBBLE_MONITOR_DB values a careless user gives: a URL of another database
(`sqlite:///x.db`, as SQLAlchemy writes it) used to become a folder named `sqlite:` with
a new empty database in it; an empty value opened the current folder. Both are now one
error line, nothing created, and a password in the URL is never printed."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from monitor.cli.app import app

runner = CliRunner()


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("sqlite:///monitor.db", "'sqlite:///monitor.db' is not a database the monitor can use"),
        ("mysql://me:hunter2@db/x", "'mysql://me:***@db/x' is not a database the monitor can use"),
        ("", "empty; give a SQLite file path or a URL"),
    ],
)
@pytest.mark.parametrize("command", [["headlines"], ["deals", "seed"], ["report", "--no-collect"]])
def test_a_db_that_is_no_file_path_is_refused_and_nothing_is_created(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str], value: str, shown: str
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, [*command, "--db", value])
    assert result.exit_code == 2, result.output
    assert result.output.startswith(f"error: --db / BUBBLE_MONITOR_DB: {shown}"), result.output
    assert "hunter2" not in result.output
    assert list(tmp_path.iterdir()) == []


def test_the_environment_variable_is_checked_the_same_way(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BUBBLE_MONITOR_DB", "sqlite:///monitor.db")
    result = runner.invoke(app, ["deals", "seed"])
    assert result.exit_code == 2 and "'sqlite:///monitor.db' is not a database" in result.output
    assert list(tmp_path.iterdir()) == []
