"""`import-prices` as a new user meets it: the headlines JSONL given by mistake, and where
the closes went.

Each test failed on the code before it (the old text is quoted in a comment)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from monitor.cli.app import app

runner = CliRunner()


def test_a_json_file_is_named_as_json_and_sent_to_import_headlines(tmp_path: Path) -> None:
    path = tmp_path / "news.jsonl"
    row = {"date": "2022-01-03", "title": "Airlines warn of delays", "url": "https://n/1"}
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    db = tmp_path / "m.db"
    result = runner.invoke(app, ["import-prices", str(path), "--db", str(db)])
    assert result.exit_code == 2
    # Before: "news.jsonl:1: no 'date' column in the header ({"date": "2022-01-03", ...})"
    # and an empty database left behind.
    text = " ".join(result.output.split())
    assert f"{path}: JSON, not a CSV of daily closes" in text
    assert f"`bubble-monitor import-headlines {path}`" in text
    assert not db.exists()


def test_the_totals_say_which_database_the_closes_went_into(tmp_path: Path) -> None:
    path = tmp_path / "closes.csv"
    path.write_text("date,NVDA\n2024-01-02,48.1\n2024-01-03,47.5\n", encoding="utf-8")
    db = tmp_path / "m.db"
    result = runner.invoke(app, ["import-prices", str(path), "--db", str(db)])
    assert result.exit_code == 0, result.output
    # Before: "... 2 new, 0 updated, 0 unchanged bars" and no word of where.
    assert f"2 new, 0 updated, 0 unchanged bars, in {db}" in " ".join(result.stdout.split())


def test_a_csv_that_is_not_prices_creates_no_database(tmp_path: Path) -> None:
    """The layoffs export given to import-prices was refused, but only after an empty
    database had been created at --db (the file was parsed inside the open store)."""
    layoffs = tmp_path / "layoffs.csv"
    layoffs.write_text("company,location,laid_off\nAcme,SF,100\n", encoding="utf-8")
    db = tmp_path / "new.db"
    result = runner.invoke(app, ["import-prices", str(layoffs), "--db", str(db)])
    assert result.exit_code == 2
    assert "no 'date' column in the header (company, location, laid_off)" in result.output
    assert not db.exists()
