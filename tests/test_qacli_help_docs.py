"""docs/cli.md's table of options and the commands agree: every option a command takes
is in its row, and every option in a row is one the command takes (a flag documented
but gone, or added but never documented, fails here). Every `--help` fits 100 columns."""

from __future__ import annotations

import re
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from monitor.cli.app import app
from tests.conftest import ROOT

runner = CliRunner()
#: The classifier's commands are documented in classifier.md (another owner).
ELSEWHERE = {"classify", "train", "evaluate", "label"}


def _commands() -> dict[str, Any]:
    found: dict[str, Any] = {}

    def walk(command: Any, prefix: str) -> None:
        if hasattr(command, "commands"):
            for name, sub in command.commands.items():
                walk(sub, f"{prefix} {name}".strip())
        elif prefix.split()[0] not in ELSEWHERE:
            found[prefix] = command

    walk(typer.main.get_command(app), "")
    return found


def _options(command: Any) -> set[str]:
    names: set[str] = set()
    for param in command.params:
        if getattr(param, "param_type_name", "") == "option":
            names.update(o for o in (*param.opts, *param.secondary_opts) if o.startswith("--"))
    return names - {"--help"}


def _table() -> dict[str, set[str]]:
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    section = text.split("## Every command's options", 1)[1].split("\n## ", 1)[0]
    rows: dict[str, set[str]] = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 4 or not cells[0].startswith("`"):
            continue
        flags = set(re.findall(r"(?<![\w-])--[a-z][a-z0-9-]*", cells[2]))
        for name in re.findall(r"`([a-z -]+)`", cells[0]):
            rows[name] = flags
    return rows


def test_every_command_has_a_row_and_every_row_a_command() -> None:
    assert set(_table()) == set(_commands())


@pytest.mark.parametrize("name", sorted(_commands()))
def test_the_row_lists_exactly_the_command_s_options(name: str) -> None:
    assert _table()[name] == _options(_commands()[name]), name


@pytest.mark.parametrize("name", sorted(_commands()))
def test_help_works_and_fits_100_columns(name: str) -> None:
    result = runner.invoke(app, [*name.split(), "--help"], env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    assert max(len(line) for line in result.stdout.splitlines()) <= 100
