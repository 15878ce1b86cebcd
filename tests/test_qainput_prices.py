"""import-prices refuses closes and days no market prints, through the CLI into a real
SQLite file: a zero or negative close (the signals take logs and ratios), a year-1 day
(a typo), a day after tomorrow (it would be the ticker's latest close for years). Each
names the file, line and column, and nothing of the file is stored, so what was stored
before stays as it was."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from monitor.cli.app import app

runner = CliRunner()
# Well past tomorrow (import-prices accepts up to tomorrow): two days ahead, fixed when the
# tests are collected, became tomorrow when a run crossed midnight UTC and the test failed.
LATER = (datetime.now(UTC) + timedelta(days=30)).date()


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("2025-03-31,0,50", "prices.csv:3: column 'NVDA': 0 is not a price (must be > 0)"),
        ("2025-03-31,-5.5,50", "prices.csv:3: column 'NVDA': -5.5 is not a price (must be > 0)"),
        ("0001-01-01,10,50", "prices.csv:3: column 'date': 0001-01-01 is before 1800 (a typo?)"),
        (f"{LATER},10,50",
         f"prices.csv:3: column 'date': {LATER} is in the future"),
    ],
)  # fmt: skip
def test_impossible_bars_stop_the_import_and_keep_what_was_stored(
    tmp_path: Path, row: str, message: str
) -> None:
    db = tmp_path / "m.db"
    good = tmp_path / "good.csv"
    good.write_text("date,NVDA,AMD\n2025-03-28,100,50\n", encoding="utf-8")
    assert runner.invoke(app, ["import-prices", str(good), "--db", str(db)]).exit_code == 0
    bad = tmp_path / "prices.csv"
    bad.write_text(f"date,NVDA,AMD\n2025-03-28,101,51\n{row}\n", encoding="utf-8")
    out = runner.invoke(app, ["import-prices", str(bad), "--db", str(db)])
    assert out.exit_code == 2 and message in out.output, out.output
    with sqlite3.connect(db) as conn:
        stored = conn.execute("SELECT ticker, day, close FROM prices ORDER BY ticker").fetchall()
    assert stored == [("AMD", "2025-03-28", 50.0), ("NVDA", "2025-03-28", 100.0)]


def test_a_rate_index_may_be_below_zero(tmp_path: Path) -> None:
    # ^IRX, the 13-week bill yield, closed at -0.105 on 2020-03-26 (the shared price file).
    path = tmp_path / "irx.csv"
    path.write_text("date,^IRX,NVDA\n2020-03-26,-0.105,6.5\n", encoding="utf-8")
    out = runner.invoke(app, ["import-prices", str(path), "--db", str(tmp_path / "m.db")])
    assert out.exit_code == 0, out.output


def test_tickers_are_stored_in_capitals_and_case_repeats_are_named(tmp_path: Path) -> None:
    # Before: `nvda` was stored beside `NVDA`, where no reading looks.
    db = tmp_path / "m.db"
    wide = tmp_path / "wide.csv"
    wide.write_text("date,nvda,amd\n2025-03-28,100,50\n", encoding="utf-8")
    assert runner.invoke(app, ["import-prices", str(wide), "--db", str(db)]).exit_code == 0
    with sqlite3.connect(db) as conn:
        assert {t for (t,) in conn.execute("SELECT ticker FROM prices")} == {"NVDA", "AMD"}
    long = tmp_path / "long.csv"
    long.write_text("date,ticker,close\n2025-03-31,nvda,100\n2025-03-31,NVDA,101\n")
    out = runner.invoke(app, ["import-prices", str(long), "--db", str(db)])
    assert out.exit_code == 2 and "long.csv:3: NVDA on 2025-03-31 repeats line 2" in out.output
