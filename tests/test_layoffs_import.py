"""layoffs.fyi import: parsing, merging per company and day, idempotence, line-numbered errors."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from monitor.cli.app import app
from monitor.errors import InputError
from monitor.sources.layoffs.import_csv import import_layoffs, read_layoff_rows
from monitor.store import Store
from monitor.store.layoffs import (
    LayoffEvent,
    count_layoff_events,
    load_layoff_events,
    upsert_layoff_events,
)
from signals.news import layoff_event_series

FIXTURES = Path(__file__).parent / "fixtures" / "backtest"
runner = CliRunner()


def test_import_merges_locations_and_repeat_reports(store: Store) -> None:
    result = import_layoffs(store, FIXTURES / "layoffs_small.csv")
    assert (result.rows, result.events, result.new) == (9, 6, 6)
    assert (result.first_day, result.last_day) == (date(2024, 1, 22), date(2026, 1, 28))
    events = {(e.company, e.day): e for e in load_layoff_events(store)}
    # Two locations on one day are two cuts; two reports of one location are one cut.
    assert events[("Salesforce", date(2025, 9, 3))].total_laid_off == 123
    assert events[("Cars24", date(2025, 4, 26))].total_laid_off == 200
    assert events[("Cars24", date(2025, 4, 26))].source_url == "https://example.com/cars24-a"
    assert events[("Xendit", date(2024, 1, 22))].total_laid_off == 200
    assert events[("Expedia", date(2026, 1, 27))].total_laid_off is None
    assert events[("Amazon", date(2026, 1, 28))].industry == "Retail"


def test_reimport_changes_nothing_and_revision_updates(store: Store, tmp_path: Path) -> None:
    import_layoffs(store, FIXTURES / "layoffs_small.csv")
    again = import_layoffs(store, FIXTURES / "layoffs_small.csv")
    assert (again.new, again.updated, again.unchanged) == (0, 0, 6)
    assert count_layoff_events(store) == 6
    revised = tmp_path / "revised.csv"
    revised.write_text("company,total_laid_off,date\nAmazon,14000,1/28/2026\n")
    result = import_layoffs(store, revised)
    assert (result.new, result.updated) == (0, 1)
    amazon = [e for e in load_layoff_events(store) if e.company == "Amazon"]
    assert amazon[0].total_laid_off == 14000


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("layoffs_bad_date.csv", "layoffs_bad_date.csv:5: column date: expected M/D/YYYY"),
        ("layoffs_bad_count.csv", "layoffs_bad_count.csv:3: column total_laid_off"),
        ("layoffs_no_date.csv", "layoffs_no_date.csv:1: missing column(s) date"),
    ],
)
def test_bad_file_names_the_line_and_writes_nothing(store: Store, name: str, expected: str) -> None:
    with pytest.raises(InputError, match=expected.replace("(", r"\(").replace(")", r"\)")):
        import_layoffs(store, FIXTURES / name)
    assert count_layoff_events(store) == 0


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="file not found"):
        read_layoff_rows(tmp_path / "nope.csv")


def test_iso_dates_and_blank_lines_accepted(tmp_path: Path) -> None:
    path = tmp_path / "iso.csv"
    path.write_text('Company,Date,Total_Laid_Off\nAcme,2024-03-01,"1,000"\n\nBeta,3/2/2024,\n')
    rows = read_layoff_rows(path)
    assert [(r.company, r.day, r.line, r.total_laid_off) for r in rows] == [
        ("Acme", date(2024, 3, 1), 2, 1000),
        ("Beta", date(2024, 3, 2), 4, None),
    ]


def test_upsert_joins_open_transaction_and_series_weights(store: Store) -> None:
    events = [
        LayoffEvent("A", date(2024, 1, 1), 100),
        LayoffEvent("B", date(2024, 1, 3), 10_000),
        LayoffEvent("C", date(2024, 1, 3), None),
    ]
    with store.transaction():
        counts = upsert_layoff_events(store, events)
    assert counts.new == 3
    series = layoff_event_series((e.day, e.total_laid_off) for e in load_layoff_events(store))
    assert list(series.to_numpy()) == [1.0, 0.0, 3.0]


def test_cli_import_layoffs_json_and_error(tmp_path: Path) -> None:
    db = tmp_path / "m.db"
    ok = runner.invoke(
        app, ["import-layoffs", str(FIXTURES / "layoffs_small.csv"), "--db", str(db), "--json"]
    )
    assert ok.exit_code == 0, ok.output
    payload = json.loads(ok.output)
    assert payload["events"] == 6 and payload["new"] == 6
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT COUNT(*) FROM layoff_events").fetchone()[0] == 6
    conn.close()
    bad = runner.invoke(
        app, ["import-layoffs", str(FIXTURES / "layoffs_bad_count.csv"), "--db", str(db)]
    )
    assert bad.exit_code == 2
    assert "layoffs_bad_count.csv:3: column total_laid_off" in bad.output


@pytest.mark.parametrize("count", ["inf", "1e300", "9999999999"])
def test_an_impossible_count_is_named_and_the_store_keeps_what_it_had(
    tmp_path: Path, count: str
) -> None:
    # `inf` and 1e300 crashed the import with a traceback (int(inf); an integer SQLite
    # cannot hold); an error now names the cell and nothing of the file is stored.
    db = tmp_path / "m.db"
    good = tmp_path / "good.csv"
    good.write_text("company,date,total_laid_off\nAcme,1/5/2026,120\n", encoding="utf-8")
    assert runner.invoke(app, ["import-layoffs", str(good), "--db", str(db)]).exit_code == 0
    bad = tmp_path / "bad.csv"
    bad.write_text(
        f"company,date,total_laid_off\nBeta,1/6/2026,40\nGamma,1/7/2026,{count}\n",
        encoding="utf-8",
    )
    out = runner.invoke(app, ["import-layoffs", str(bad), "--db", str(db)])
    assert out.exit_code == 2, out.output
    expected = (
        f"bad.csv:3: column total_laid_off: expected a whole number of people "
        f"(0 to 3,000,000), got '{count}'"
    )
    assert expected in " ".join(out.output.split())
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT company, total_laid_off FROM layoff_events").fetchall()
    assert rows == [("Acme", 120)]
