"""`bubble-monitor history` on a real database filled from a fixture of readings."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from monitor.cli.app import app
from monitor.present.reading import reading_to_dict
from monitor.store import Store
from monitor.store.payload import reading_from_payload
from monitor.store.readings import save_reading
from tests.conftest import FIXTURES

runner = CliRunner()
READINGS = FIXTURES / "index" / "readings.json"


@pytest.fixture
def filled(db_path: Path) -> Path:
    data = json.loads(READINGS.read_text(encoding="utf-8"))
    with Store(db_path) as store:
        for item in data:
            r = reading_from_payload(item)
            save_reading(store, r, computed_at=r.as_of)
    return db_path


def test_json_lists_readings_oldest_first(filled: Path) -> None:
    result = runner.invoke(app, ["history", "--json", "--db", str(filled)])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [round(r["index"], 2) for r in rows] == [51.38, 58.13, 65.52, 67.86]
    assert [r["regime"] for r in rows] == ["frothy", "frothy", "bubble", "bubble"]
    stored = [reading_from_payload(item) for item in json.loads(READINGS.read_text("utf-8"))]
    assert rows == [reading_to_dict(r) for r in stored]
    for r in rows:
        assert sum(c["contribution"] for c in r["components"]) == pytest.approx(r["index"])


def test_since_and_limit(filled: Path) -> None:
    result = runner.invoke(app, ["history", "--json", "--since", "2026-02-28", "--db", str(filled)])
    assert [r["as_of"][:10] for r in json.loads(result.stdout)] == [
        "2026-02-28",
        "2026-03-01",
        "2026-03-02",
    ]
    result = runner.invoke(app, ["history", "--json", "--limit", "1", "--db", str(filled)])
    assert [r["as_of"][:10] for r in json.loads(result.stdout)] == ["2026-03-02"]
    bad = runner.invoke(app, ["history", "--since", "yesterday", "--db", str(filled)])
    assert bad.exit_code == 2 and "expected a date" in bad.output


def test_table_and_chart(filled: Path, tmp_path: Path) -> None:
    chart = tmp_path / "index.png"
    result = runner.invoke(app, ["history", "--chart", str(chart), "--db", str(filled)])
    assert result.exit_code == 0, result.output
    assert "bubble" in result.stdout and "65.5" in result.stdout
    assert chart.read_bytes().startswith(b"\x89PNG")


@pytest.mark.parametrize("columns", [80, 120])
def test_table_fits_the_terminal_and_cuts_no_name(filled: Path, columns: int) -> None:
    result = runner.invoke(app, ["history", "--db", str(filled)], env={"COLUMNS": str(columns)})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= columns
    assert "…" not in result.stdout
    assert "baseline" not in result.stdout  # present every day, it never moved a reading
    timed = re.search(r"2026-03-02 \d\d:\d\d", result.stdout) is not None
    assert timed == (columns >= 100)  # the time of day only when there is room


def test_empty_database(db_path: Path, tmp_path: Path) -> None:
    Store(db_path).close()  # created, with nothing in it
    result = runner.invoke(app, ["history", "--db", str(db_path)])
    assert result.exit_code == 0 and "no stored readings" in result.stdout
    assert json.loads(runner.invoke(app, ["history", "--json", "--db", str(db_path)]).stdout) == []
    chart = runner.invoke(
        app, ["history", "--chart", str(tmp_path / "x.png"), "--db", str(db_path)]
    )
    assert chart.exit_code == 2 and "no stored index readings" in chart.output


def test_history_elements_have_exactly_the_report_json_keys(filled: Path) -> None:
    """DESIGN.md: `history --json` elements have exactly the keys of `report --json`
    (tests/test_demo_report.py holds the report to the same sets)."""
    result = runner.invoke(app, ["history", "--json", "--limit", "1", "--db", str(filled)])
    [row] = json.loads(result.stdout)
    assert set(row) == {
        "as_of",
        "index",
        "regime",
        "change",
        "components",
        "top_headlines",
        "stale",
        "smart_money",
        "model_mix",
        "fundamentals",
        "comparison",
        "segments",
        "spread",
        "relative",
        "bubble_evidence",
        "simulated",
        "circular",
    }
    assert {frozenset(c) for c in row["components"]} == {
        frozenset({"name", "value", "weight", "contribution", "detail"})
    }
    for h in row["top_headlines"]:
        assert set(h) == {"title", "url", "source", "label", "confidence"}


def test_a_since_after_every_reading_says_so(filled: Path) -> None:
    # Before: "no stored readings yet; run `bubble-monitor report` first", with readings
    # stored, sending the user to run a report that would not help.
    result = runner.invoke(app, ["history", "--since", "3000-01-01", "--db", str(filled)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "no stored readings on or after 3000-01-01"
