"""backfill-readings without --end stops at the newest stored data, not at a required flag."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from monitor.cli.app import app
from monitor.store import Store
from monitor.store.readings import list_readings
from tests.test_backfill_readings import _fill

runner = CliRunner()


def test_without_end_the_range_stops_at_the_newest_data(tmp_path: Path) -> None:
    db = tmp_path / "m.db"
    with Store(db) as store:
        _fill(store)  # closes to 2023-12-29, headlines to 2023-12-31
    out = runner.invoke(
        app, ["backfill-readings", "--start", "2023-10-01", "--db", str(db), "--json"]
    )
    assert out.exit_code == 0, out.output
    summary = json.loads(out.stdout)
    # Before: --end was required; a user who gave today got a failure for every month
    # after the data ("a reading here would repeat that day's data").
    assert (summary["stored"], summary["failed"]) == (3, [])
    assert summary["last"].startswith("2023-12-29")
    late = runner.invoke(app, ["backfill-readings", "--start", "2024-03-01", "--db", str(db)])
    assert late.exit_code == 2
    assert "--start 2024-03-01 is after the newest stored data (the default --end)" in late.output


def test_an_empty_store_is_named_once_with_what_to_run(tmp_path: Path) -> None:
    db = tmp_path / "empty.db"
    Store(db).close()
    out = runner.invoke(app, ["backfill-readings", "--start", "2023-01-01", "--db", str(db)])
    assert out.exit_code == 2, out.output
    assert f"{db}: no stored close or headline to read" in out.output
    assert "import-prices" in out.output
    with Store(db) as store:
        assert list_readings(store) == []
