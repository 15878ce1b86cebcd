"""`history` in text shows a recent window by default: a service reading every day for
months printed hundreds of table rows (the demo store alone holds 557 readings).
`--limit N` shows more, `--all` every one; `--json` keeps its documented shape (a list of
every reading, oldest first). Real SQLite file, the real CLI."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from monitor.cli.app import app
from monitor.cli.cmd_history import DEFAULT_ROWS
from monitor.store import Store
from monitor.store.payload import reading_from_payload
from monitor.store.readings import save_reading
from tests.conftest import FIXTURES

runner = CliRunner()
COUNT = 45


@pytest.fixture
def months(tmp_path: Path) -> Path:
    """45 daily readings, 2026-01-01 .. 2026-02-14."""
    first = reading_from_payload(json.loads((FIXTURES / "index" / "readings.json").read_text())[0])
    start = first.as_of.replace(year=2026, month=1, day=1)
    db = tmp_path / "m.db"
    with Store(db) as store:
        for n in range(COUNT):
            r = replace(first, as_of=start + timedelta(days=n), index=float(n))
            save_reading(store, r, computed_at=r.as_of)
    return db


def _dates(text: str) -> list[str]:
    return [line.split()[1] for line in text.splitlines() if line.startswith("│ 2026-")]


def test_the_table_shows_the_newest_readings_by_default_and_says_how_to_see_more(
    months: Path,
) -> None:
    result = runner.invoke(app, ["history", "--db", str(months)], env={"COLUMNS": "120"})
    assert result.exit_code == 0, result.output
    shown = _dates(result.stdout)
    assert len(shown) == DEFAULT_ROWS < COUNT
    assert shown[-1] == "2026-02-14"  # the newest, last (oldest first, as --json)
    assert f"the newest {DEFAULT_ROWS} of {COUNT} readings" in result.stdout
    assert "--all" in result.stdout


def test_all_and_limit_show_more(months: Path) -> None:
    every = runner.invoke(app, ["history", "--all", "--db", str(months)], env={"COLUMNS": "120"})
    assert every.exit_code == 0, every.output
    assert len(_dates(every.stdout)) == COUNT and "of 45 readings" not in every.stdout
    some = runner.invoke(
        app, ["history", "--limit", "30", "--db", str(months)], env={"COLUMNS": "120"}
    )
    assert len(_dates(some.stdout)) == 30
    both = runner.invoke(app, ["history", "--all", "--limit", "3", "--db", str(months)])
    assert both.exit_code == 2 and "--all" in both.output and "--limit" in both.output


def test_since_shows_every_reading_it_asks_for(months: Path) -> None:
    result = runner.invoke(
        app, ["history", "--since", "2026-01-10", "--db", str(months)], env={"COLUMNS": "120"}
    )
    assert len(_dates(result.stdout)) == COUNT - 9


def test_json_still_lists_every_reading(months: Path) -> None:
    result = runner.invoke(app, ["history", "--json", "--db", str(months)])
    rows = json.loads(result.stdout)
    assert len(rows) == COUNT and rows[-1]["as_of"].startswith("2026-02-14")
