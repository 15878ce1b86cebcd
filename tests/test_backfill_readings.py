"""backfill-readings: past readings from the store's history (imported headlines, prices),
each from what was known that day, stored once, shown by `history --json`."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
from typer.testing import CliRunner

from monitor.cli.app import app
from monitor.config.feeds_yaml import load_config
from monitor.stages.backfill_readings import backfill_readings, reading_days
from monitor.store import Store
from monitor.store.headlines import insert_each
from monitor.store.prices import upsert_bars
from monitor.store.readings import list_readings
from monitor.store.scores import save_scores
from signals.labels import NEWS_COMPONENTS
from signals.models import Headline, HeadlineScore, PriceBar

NOW = datetime(2026, 1, 1, tzinfo=UTC)
runner = CliRunner()


def test_reading_days_are_month_ends_or_fridays() -> None:
    months = reading_days(date(2024, 1, 1), date(2024, 3, 31), "month")
    assert [d.isoformat() for d in months] == [
        "2024-01-31T21:00:00+00:00",
        "2024-02-29T21:00:00+00:00",
        "2024-03-29T21:00:00+00:00",  # the 31st is a Sunday: the last business day
    ]
    weeks = reading_days(date(2024, 1, 1), date(2024, 1, 31), "week")
    assert [d.day for d in weeks] == [5, 12, 19, 26] and weeks[0].weekday() == 4


def _fill(store: Store) -> None:
    """Two years of closes for the configured basket and a layoff headline every day of 2023."""
    cfg = load_config(None)
    days = pd.bdate_range("2022-01-03", "2023-12-29")
    rng = np.random.default_rng(3)
    bars = [
        PriceBar(ticker, d.date(), float(100 * np.exp(x)))
        for ticker in cfg.basket[:4]
        for d, x in zip(days, np.cumsum(rng.normal(0, 0.01, len(days))), strict=True)
    ]
    upsert_bars(store, bars, fetched_at=NOW)
    when = [datetime(2023, 1, 1, 12, tzinfo=UTC) + timedelta(days=i) for i in range(365)]
    rows = [
        Headline(f"Company {i} cuts {i + 10} jobs", f"https://n.test/{i}", "Wire", "import", w)
        for i, w in enumerate(when)
    ]
    ids = insert_each(store, rows, fetched_at=NOW, imported=True)
    score = HeadlineScore("layoffs", 0.9, {"layoffs": 0.9}, "head")
    save_scores(store, [(int(i or 0), score) for i in ids], scored_at=NOW)


def test_backfill_stores_past_readings_once_with_news_components(store: Store) -> None:
    _fill(store)
    cfg = load_config(None)
    days = reading_days(date(2023, 1, 1), date(2023, 12, 31), "month")
    result = backfill_readings(store, cfg, days)
    assert len(result.stored) == 12 and not result.failed
    readings = list_readings(store)
    assert [r.as_of for r in readings] == days
    news = {c.name: c.value for c in readings[-1].components if c.kind == "news"}
    assert set(news) == set(NEWS_COMPONENTS)
    assert all(v is not None for v in news.values())  # a year of headlines: a baseline
    early = {c.name: c.value for c in readings[0].components if c.kind == "news"}
    assert all(v is None for v in early.values())  # one month of history: no baseline yet
    again = backfill_readings(store, cfg, days)
    assert (again.skipped, again.stored) == (12, [])
    assert len(list_readings(store)) == 12


def test_backfilled_readings_are_stamped_when_computed(store: Store) -> None:
    """qaweb: the dashboard said "last computation 150 days ago" right after a backfill:
    every reading was stamped with the day it reads, not when it was computed."""
    _fill(store)
    days = reading_days(date(2023, 11, 1), date(2023, 12, 31), "month")
    before = datetime.now(UTC)
    backfill_readings(store, load_config(None), days)
    stamps = [
        datetime.fromisoformat(row[0])
        for row in store.conn.execute("SELECT computed_at FROM index_readings")
    ]
    assert len(stamps) == 2 and all(s >= before for s in stamps)


def test_days_after_the_data_ends_are_named_not_stored(store: Store) -> None:
    """qaweb: a backfill past the last close stored weekly readings that all repeated the
    last data's reading, each dated as if measured then. Prices and headlines end in the
    last days of 2023 here: a week or two later is still read (a holiday), a month not."""
    _fill(store)
    cfg = load_config(None)
    days = reading_days(date(2023, 12, 1), date(2024, 2, 29), "week")
    result = backfill_readings(store, cfg, days)
    stored = [date.fromisoformat(d) for d in result.stored]
    assert stored and max(stored) <= date(2023, 12, 31) + timedelta(days=4)
    assert len(result.failed) == len(days) - len(stored)
    assert result.failed[0].endswith(
        "after the newest stored close or headline (2023-12-31); a reading here would repeat "
        "that day's data"
    )
    assert len(list_readings(store)) == len(stored)


def test_cli_backfill_then_history_json(tmp_path: Path) -> None:
    db = tmp_path / "m.db"
    with Store(db) as store:
        _fill(store)
    out = runner.invoke(
        app, ["backfill-readings", "--start", "2023-10-01", "--end", "2023-12-31", "--db",
              str(db), "--json"],
    )  # fmt: skip
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout)["stored"] == 3
    history = runner.invoke(app, ["history", "--json", "--db", str(db)])
    points = json.loads(history.stdout)
    assert [p["as_of"][:10] for p in points] == ["2023-10-31", "2023-11-30", "2023-12-29"]
    layoffs = [c for c in points[-1]["components"] if c["name"] == "layoffs"]
    assert layoffs and layoffs[0]["value"] is not None
    bad = runner.invoke(app, ["backfill-readings", "--start", "2023-12-01", "--end", "2023-01-01",
                              "--db", str(db)])  # fmt: skip
    assert bad.exit_code == 2 and "is after --end" in bad.output


def test_cli_refuses_days_in_the_future_or_before_1800(tmp_path: Path) -> None:
    # Before: --end in the future stored readings dated then (the latest reading for
    # history, the dashboard and alerts until that day came); --start 0001-01-01 ended in an
    # OverflowError traceback.
    db = tmp_path / "m.db"
    with Store(db) as store:
        _fill(store)
    later = (datetime.now(UTC) + timedelta(days=70)).date()
    for start, end, message in [
        ("2023-10-01", later.isoformat(), f"--end {later} is in the future; past readings only"),
        ("0001-01-01", "0001-03-01", "--start 0001-01-01 is before 1800-01-01 (a typo?)"),
    ]:
        out = runner.invoke(app, ["backfill-readings", "--start", start, "--end", end, "--db",
                                  str(db)])  # fmt: skip
        assert out.exit_code == 2, out.output
        assert out.output.startswith(f"error: {message}"), out.output
    with Store(db) as store:
        assert list_readings(store) == []
