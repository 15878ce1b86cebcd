"""`migrate-store`: a SQLite history copied into a real PostgreSQL server, row for row,
idempotent, resumable after an interruption, and loud about a row PostgreSQL refuses."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import psycopg
import pytest
from typer.testing import CliRunner

from monitor.cli.app import app
from monitor.errors import StoreError
from monitor.store import Store, copy_store
from monitor.store import jobs as job_log
from monitor.store.alerts import claim_alert
from monitor.store.embeddings import put_embeddings
from monitor.store.feeds import record_feed_failure
from monitor.store.headlines import insert_headlines
from monitor.store.layoffs import LayoffEvent, upsert_layoff_events
from monitor.store.prices import upsert_bars
from monitor.store.readings import save_reading
from monitor.store.scores import save_scores
from signals.models import Alert, Component, Headline, HeadlineScore, IndexReading, PriceBar

runner = CliRunner()
T0 = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
ODD = 'it\'s 100% "odd"? ; -- ü 日本'


def _fill(path: Path, days: int = 40) -> None:
    with Store(path) as s:
        bars = [
            PriceBar(t, date(2026, 1, 1) + timedelta(days=d), 100.0 + d / 7, "yfinance")
            for t in ("NVDA", "MSFT", "^VIX")
            for d in range(days)
        ]
        upsert_bars(s, bars, fetched_at=T0)
        news = [Headline(f"{ODD} {i}", f"https://x.test/{i}?q=%3F", "Src", "feed", T0)
                for i in range(25)]  # fmt: skip
        ids = insert_headlines(s, news, fetched_at=T0)
        score = HeadlineScore("layoffs", 0.9, {"layoffs": 0.9, "other": 0.1}, "m")
        save_scores(s, [(i, score) for i in ids], scored_at=T0)
        put_embeddings(s, "m", {"h": np.arange(384, dtype=np.float32) / 7})
        comps = (Component("overextension", "market", 70.0, 1.0, 70.0, ODD),)
        reading = IndexReading(T0, 61.5, "frothy", 1.5, comps)
        save_reading(s, reading, computed_at=T0)
        claim_alert(s, Alert("jump", "jump:2026-03-02", ODD, ODD, reading), now=T0)
        record_feed_failure(s, "feed", "https://x.test/rss", now=T0, error=ODD)
        upsert_layoff_events(s, [LayoffEvent("O'Brien", date(2026, 1, 5), 120, "AI")])
        run = job_log.start_run(s, "index", started_at=T0, instance="h:1")
        job_log.finish_run(s, run, finished_at=T0, outcome="ok", details={"n": ODD})


def _tables(path: Path) -> list[str]:
    with Store(path) as s:
        return copy_store.source_tables(s)


def _rows(target: str | Path, table: str) -> list[tuple[Any, ...]]:
    """Every row of a table, in a backend-neutral form, sorted."""
    with Store(target) as s:
        rows = s.conn.execute(f'SELECT * FROM "{table}"').fetchall()
    return sorted((tuple(bytes(v) if isinstance(v, memoryview) else v for v in r) for r in rows),
                  key=repr)  # fmt: skip


def _migrate(source: Path, url: str) -> Any:
    result = runner.invoke(app, ["migrate-store", "--from", str(source), "--to", url, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_every_table_is_copied_row_for_row_and_again_changes_nothing(
    db_path: Path, pg_url: str
) -> None:
    _fill(db_path)
    first = _migrate(db_path, pg_url)
    copied = {t["table"]: t["copied"] for t in first["tables"]}
    assert copied["prices"] == 120 and copied["headlines"] == 25 and copied["job_runs"] == 1
    for table in _tables(db_path):
        assert _rows(pg_url, table) == _rows(db_path, table), table
    second = _migrate(db_path, pg_url)
    assert all(t["copied"] == 0 and t["already_there"] == t["source_rows"]
               for t in second["tables"])  # fmt: skip
    with Store(pg_url) as s:  # new rows get ids after the copied ones
        assert job_log.start_run(s, "news", started_at=T0) == 2
        [new] = insert_headlines(s, [Headline("fresh", "https://x.test/new", "S", "f", T0)],
                                 fetched_at=T0)  # fmt: skip
        assert new == 26


def test_an_interrupted_copy_resumes_where_it_stopped(
    db_path: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fill(db_path)
    monkeypatch.setattr(copy_store, "BATCH_ROWS", 50)

    def stop_in_prices(table: str, done: int, total: int) -> None:
        if table == "prices" and done == 50:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        copy_store.copy_store(db_path, pg_url, on_batch=stop_in_prices)
    with Store(pg_url) as s:
        assert copy_store.count_rows(s, "prices") == 50
        assert copy_store.count_rows(s, "headlines") == 0
    results = {r.table: r for r in copy_store.copy_store(db_path, pg_url)}
    assert (results["prices"].copied, results["prices"].already_there) == (70, 50)
    for table in _tables(db_path):
        assert _rows(pg_url, table) == _rows(db_path, table), table


def test_a_row_postgresql_refuses_is_named_and_the_rest_kept(db_path: Path, pg_url: str) -> None:
    _fill(db_path, days=3)
    with sqlite3.connect(db_path) as conn:  # SQLite's loose typing lets text into REAL
        conn.execute("UPDATE prices SET close = 'n/a' WHERE ticker = 'MSFT' AND day = '2026-01-02'")
    result = runner.invoke(app, ["migrate-store", "--from", str(db_path), "--to", pg_url])
    assert result.exit_code == 2
    assert "prices row ticker='MSFT', day='2026-01-02'" in result.output
    assert "run migrate-store again" in result.output
    with psycopg.connect(pg_url) as conn:
        row = conn.execute("SELECT COUNT(*) FROM prices").fetchone()
        assert row is not None and row[0] == 1  # MSFT 2026-01-01, the row before it


def test_bad_arguments_are_clear(db_path: Path, tmp_path: Path) -> None:
    missing = runner.invoke(app, ["migrate-store", "--from", str(tmp_path / "no.db"),
                                  "--to", "postgresql://u:pw@127.0.0.1:1/x"])  # fmt: skip
    assert missing.exit_code == 2 and "no such SQLite file" in missing.output
    assert "pw" not in missing.output.replace("postgresql", "")
    not_pg = runner.invoke(app, ["migrate-store", "--from", str(db_path), "--to", "other.db"])
    assert not_pg.exit_code == 2 and "give a postgresql:// URL" in not_pg.output


def test_a_missing_server_is_a_store_error(db_path: Path) -> None:
    _fill(db_path, days=1)
    with pytest.raises(StoreError, match="cannot connect to PostgreSQL"):
        copy_store.copy_store(db_path, "postgresql://u@127.0.0.1:1/x")
