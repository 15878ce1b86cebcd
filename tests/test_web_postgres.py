"""The dashboard on a PostgreSQL store: the same page and API as on the SQLite file it was
copied from, through a session that cannot write, never migrating, never echoing a password."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import psycopg
import pytest
from starlette.testclient import TestClient

from monitor.errors import StoreError
from monitor.store import Store
from monitor.store.copy_store import copy_store
from monitor.store.headlines import insert_headlines
from monitor.store.readonly import open_readonly
from monitor.store.schema import SCHEMA_VERSION
from monitor.store.scores import save_scores
from signals.models import Headline, HeadlineScore
from tests.web_helpers import NOW, app_for, daily_history


@pytest.fixture
def seeded(db_path: Path) -> Path:
    """A SQLite store with a year of readings and scored headlines."""
    with Store(db_path) as store:
        daily_history(store, 400)
        ids = insert_headlines(
            store,
            [
                Headline("Chipmaker cuts 900 jobs", "https://a.invalid/1", "Wire", "f", NOW),
                Headline("Lab raises $2bn", "https://a.invalid/2", "Wire", "f", NOW),
            ],
            fetched_at=NOW,
        )
        labels = ["layoffs", "funding_round"]
        pairs = zip(ids, labels, strict=True)
        scores = [(i, HeadlineScore(lab, 0.9, {lab: 0.9}, "m")) for i, lab in pairs]
        save_scores(store, scores, scored_at=NOW)
    return db_path


def test_the_page_and_api_read_postgresql_as_sqlite(seeded: Path, pg_url: str) -> None:
    copy_store(seeded, pg_url)
    on_sqlite, on_pg = TestClient(app_for(seeded)), TestClient(app_for(pg_url))
    for path in ("/api/reading", "/api/history", "/api/headlines", "/api/segments"):
        response = on_pg.get(path)
        assert response.status_code == 200, (path, response.text)
        assert response.json() == on_sqlite.get(path).json(), path
    assert on_pg.get("/api/reading").json()["index"] == pytest.approx(40.0 + 399 * 0.1)
    since = (NOW - timedelta(days=9)).date().isoformat()
    assert len(on_pg.get("/api/history", params={"since": since}).json()["points"]) == 10
    page = on_pg.get("/")
    assert page.status_code == 200
    assert page.text == on_sqlite.get("/").text
    assert on_pg.get("/healthz").status_code == 200


def test_the_read_only_session_refuses_a_write(pg_url: str) -> None:
    Store(pg_url).close()  # create the schema
    with open_readonly(pg_url) as store:
        with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
            store.conn.execute("INSERT INTO schema_version (version) VALUES (?)", (99,))
        store.pg.raw.close()  # a dropped session comes back read-only too
        with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
            store.conn.execute("DELETE FROM index_readings")
    with Store(pg_url) as store:
        assert store.schema_version() == SCHEMA_VERSION


def test_an_unmigrated_database_is_refused_not_migrated(pg_url: str) -> None:
    with pytest.raises(StoreError, match=r"schema version 0, older .* never writes"):
        open_readonly(pg_url)
    with psycopg.connect(pg_url) as raw:  # still empty: the dashboard created nothing
        assert raw.execute("SELECT to_regclass('schema_version')").fetchone() == (None,)
    response = TestClient(app_for(pg_url)).get("/api/reading")
    assert response.status_code == 503 and "older than" in response.json()["error"]


def test_a_newer_schema_is_refused(pg_url: str) -> None:
    Store(pg_url).close()
    with psycopg.connect(pg_url, autocommit=True) as raw:
        raw.execute("UPDATE schema_version SET version = %s", (SCHEMA_VERSION + 1,))
    with pytest.raises(StoreError, match="newer than this bubble-monitor"):
        open_readonly(pg_url)


def test_an_unreachable_server_is_a_503_without_the_password() -> None:
    client = TestClient(app_for("postgresql://bubble:s3cret@127.0.0.1:1/monitor"))
    for path in ("/api/reading", "/"):
        response = client.get(path)
        assert response.status_code == 503, path
        assert "s3cret" not in response.text
    assert "cannot connect to PostgreSQL" in client.get("/api/reading").json()["error"]
    assert client.get("/healthz").status_code == 200
