"""`report --no-collect` dates its reading by the store's data, not by the clock.

Before: a reading computed from prices that end on 2026-07-13 was stored and printed "as
of" the moment the command ran (December), every run added another reading of the same
data to the history, and the stale list said the reading's own prices were months old.
The collecting path dates a reading at the moment its data was brought up to date; a
reading of stored data is dated the same way: the newest stored close (21:00 UTC, after
the US close, as backfill-readings dates its days), the newest headline, or the newest
stored reading (its data was current then), whichever is latest, never after now.
Real SQLite files, the real CLI.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from monitor.cli.app import app

runner = CliRunner()
LAST_CLOSE = "2026-07-13"


@pytest.fixture
def july_store(tmp_path: Path) -> tuple[Path, Path]:
    """A store holding 300 sessions of closes that end on Monday 2026-07-13 (imported)."""
    days = pd.bdate_range(end=LAST_CLOSE, periods=300)
    rng = np.random.default_rng(7)
    frame = pd.DataFrame({"date": days.strftime("%Y-%m-%d")})
    for ticker in ("NVDA", "MSFT", "SPY"):
        frame[ticker] = 100 * np.exp(np.cumsum(rng.normal(0.001, 0.02, len(days))))
    prices = tmp_path / "prices.csv"
    frame.to_csv(prices, index=False)
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text("basket: [NVDA, MSFT]\nfeeds: []\n", encoding="utf-8")
    db = tmp_path / "m.db"
    done = runner.invoke(app, ["import-prices", str(prices), "--db", str(db)])
    assert done.exit_code == 0, done.output
    return db, feeds


def _report(db: Path, feeds: Path, *extra: str) -> dict[str, object]:
    args = ["report", "--no-collect", "--json", "--db", str(db), "--feeds", str(feeds)]
    result = runner.invoke(app, [*args, *extra])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert isinstance(doc, dict)
    return doc


def _history(db: Path) -> list[dict[str, object]]:
    result = runner.invoke(app, ["history", "--json", "--db", str(db)])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert isinstance(rows, list)
    return rows


def test_a_reading_of_stored_data_is_dated_by_its_newest_close(
    july_store: tuple[Path, Path],
) -> None:
    db, feeds = july_store
    doc = _report(db, feeds)
    assert doc["as_of"] == f"{LAST_CLOSE}T21:00:00+00:00"
    # Read as of its own data, the July closes are not "stale since 2026-07-13".
    assert not any("stale since" in str(s) for s in doc["stale"]), doc["stale"]
    assert [r["as_of"] for r in _history(db)] == [doc["as_of"]]


def test_running_it_again_stores_no_second_reading_of_the_same_data(
    july_store: tuple[Path, Path],
) -> None:
    db, feeds = july_store
    first, second = _report(db, feeds), _report(db, feeds)
    assert first["as_of"] == second["as_of"]
    assert first["index"] == pytest.approx(second["index"])
    assert len(_history(db)) == 1


def test_a_stored_reading_after_the_close_dates_it_as_that_reading(
    july_store: tuple[Path, Path],
) -> None:
    # backfill-readings stores Friday 2026-07-17 21:00 (4 days after the last close): the
    # store's data was current then, so a reading of it is that reading, recomputed.
    db, feeds = july_store
    args = ["backfill-readings", "--start", "2026-07-17", "--end", "2026-07-17", "--every"]
    done = runner.invoke(app, [*args, "week", "--db", str(db), "--feeds", str(feeds)])
    assert done.exit_code == 0, done.output
    doc = _report(db, feeds)
    assert doc["as_of"] == "2026-07-17T21:00:00+00:00"
    assert [r["as_of"] for r in _history(db)] == [doc["as_of"]]


def test_the_text_report_says_the_data_is_old_on_stderr(
    july_store: tuple[Path, Path],
) -> None:
    db, feeds = july_store
    result = runner.invoke(app, ["report", "--no-collect", "--db", str(db), "--feeds", str(feeds)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"AI bubble risk as of {LAST_CLOSE} 21:00 UTC")
    assert f"the store's newest data is from {LAST_CLOSE} 21:00 UTC" in result.stderr


def test_the_reading_is_stamped_when_it_was_computed(july_store: tuple[Path, Path]) -> None:
    """Dated by its data, but computed now: the dashboard said "last computation 150 days
    ago" for a reading `report --no-collect` had just made."""
    import sqlite3
    from datetime import UTC, datetime

    db, feeds = july_store
    before = datetime.now(UTC)
    _report(db, feeds)
    with sqlite3.connect(db) as conn:
        as_of, computed_at = conn.execute(
            "SELECT as_of, computed_at FROM index_readings"
        ).fetchone()
    assert as_of.startswith(LAST_CLOSE) and datetime.fromisoformat(computed_at) >= before
