"""The JSON API through Starlette's TestClient on a real SQLite file: shapes, filters,
bad parameters, and that no request writes to the database."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from monitor.store import Store
from monitor.store.headlines import insert_headlines
from monitor.store.scores import save_scores
from signals.models import Headline, HeadlineScore
from tests.web_helpers import NOW, app_for, daily_history, payload, put_payload


@pytest.fixture
def client(store: Store, db_path: Path) -> TestClient:
    daily_history(store, 400)
    return TestClient(app_for(db_path))


def test_reading_is_the_latest_reading_document(client: TestClient) -> None:
    doc = client.get("/api/reading").json()
    assert doc["as_of"] == NOW.isoformat()
    assert doc["index"] == pytest.approx(40.0 + 399 * 0.1)
    assert {c["name"] for c in doc["components"]} == {"explosiveness", "layoffs"}
    assert client.get("/api/health").json()["computed_at"] == NOW.isoformat()


def test_reading_is_404_with_advice_on_an_empty_database(store: Store, db_path: Path) -> None:
    response = TestClient(app_for(db_path)).get("/api/reading")
    assert response.status_code == 404
    assert "bubble-monitor collect" in response.json()["error"]


def test_history_filters_by_since_oldest_first(client: TestClient) -> None:
    since = (NOW - timedelta(days=9)).date().isoformat()
    doc = client.get("/api/history", params={"since": since}).json()
    assert doc["segment"] is None and doc["since"].startswith(since)
    assert len(doc["points"]) == 10
    assert [p["as_of"] for p in doc["points"]] == sorted(p["as_of"] for p in doc["points"])
    assert set(doc["points"][0]) == {"as_of", "index", "regime", "probability"}
    assert len(client.get("/api/history").json()["points"]) == 400


def test_history_of_a_segment_reads_it_from_each_payload(store: Store, db_path: Path) -> None:
    segs = [
        {"name": "llm", "index": 71.0, "regime": "bubble", "probability": 0.31},
        {"name": "applied_ai", "index": 44.0, "regime": "warming", "probability": 0.12},
    ]
    put_payload(store, payload(NOW - timedelta(days=1), 50.0))  # before segments existed
    put_payload(store, payload(NOW, 55.0, segments=segs, probability=0.2, base_rate=0.08))
    client = TestClient(app_for(db_path))
    doc = client.get("/api/history", params={"segment": "llm"}).json()
    assert doc["points"] == [
        {"as_of": NOW.isoformat(), "index": 71.0, "regime": "bubble", "probability": 0.31}
    ]
    missing = client.get("/api/history", params={"segment": "crypto"})
    assert missing.status_code == 404
    assert "known: applied_ai, llm" in missing.json()["error"]
    listed = client.get("/api/segments").json()
    assert listed["available"] is True and [s["name"] for s in listed["segments"]] == [
        "llm",
        "applied_ai",
    ]


def test_segments_say_when_the_reading_has_none(client: TestClient) -> None:
    assert client.get("/api/segments").json()["available"] is False


@pytest.mark.parametrize(
    ("path", "params", "names"),
    [
        ("/api/history", {"since": "last tuesday"}, "since: 'last tuesday'"),
        ("/api/headlines", {"label": "crypto"}, "label: 'crypto' is not one of layoffs"),
        ("/api/headlines", {"limit": "0"}, "limit: '0'"),
        ("/api/headlines", {"since": "2026-13-40"}, "since: '2026-13-40'"),
    ],
)
def test_bad_parameters_are_400_naming_them(
    client: TestClient, path: str, params: dict[str, str], names: str
) -> None:
    response = client.get(path, params=params)
    assert response.status_code == 400
    assert names in response.json()["error"]


def test_headlines_filter_by_label_and_since(store: Store, db_path: Path) -> None:
    ids = insert_headlines(
        store,
        [
            Headline("Chipmaker cuts 900 jobs", "https://a.invalid/1", "Wire", "f", NOW),
            Headline("Lab raises $2bn", "https://a.invalid/2", "Wire", "f", NOW),
            Headline("Old cuts", "https://a.invalid/3", "Wire", "f", NOW - timedelta(days=90)),
        ],
        fetched_at=NOW,
    )
    labels = ["layoffs", "funding_round", "layoffs"]
    save_scores(
        store,
        [(i, HeadlineScore(lab, 0.9, {lab: 0.9}, "m")) for i, lab in zip(ids, labels, strict=True)],
        scored_at=NOW,
    )
    client = TestClient(app_for(db_path))
    doc = client.get("/api/headlines", params={"label": "layoffs"}).json()
    assert [h["title"] for h in doc["headlines"]] == ["Chipmaker cuts 900 jobs"]
    assert set(doc["headlines"][0]) == {
        "title", "url", "source", "feed", "published", "label", "confidence", "sources",
    }  # fmt: skip
    old = client.get("/api/headlines", params={"label": "layoffs", "since": "2025-01-01"})
    assert [h["title"] for h in old.json()["headlines"]] == ["Chipmaker cuts 900 jobs", "Old cuts"]


def test_health_adds_freshness_and_is_503_when_the_probe_fails(store: Store, db_path: Path) -> None:
    put_payload(store, payload(NOW - timedelta(days=3), 50.0))
    doc = TestClient(app_for(db_path)).get("/api/health").json()
    assert doc["healthy"] is True and doc["stale"] is True
    assert "3 days ago" in doc["stale_reasons"][0]
    failing = TestClient(app_for(db_path, healthy=False))
    assert failing.get("/api/health").status_code == 503
    assert failing.get("/healthz").status_code == 503


def test_requests_never_write_the_database(client: TestClient, db_path: Path) -> None:
    def digest() -> str:
        # The database and its write-ahead log; -shm is readers' shared memory, not data.
        files = [db_path, db_path.with_name(db_path.name + "-wal")]
        return hashlib.sha256(b"".join(f.read_bytes() for f in files if f.exists())).hexdigest()

    before = digest()
    for path in ("/", "/api/reading", "/api/history", "/api/headlines", "/api/segments",
                 "/api/health", "/healthz", "/metrics"):  # fmt: skip
        assert client.get(path).status_code == 200, path
    assert digest() == before


def test_the_web_connection_refuses_writes(store: Store, db_path: Path) -> None:
    import sqlite3

    from monitor.store.readonly import open_readonly

    with open_readonly(db_path) as ro, pytest.raises(sqlite3.OperationalError, match="readonly"):
        ro.conn.execute("DELETE FROM index_readings")


def test_an_absent_database_is_a_clear_error(tmp_path: Path) -> None:
    from monitor.errors import StoreError
    from monitor.store.readonly import open_readonly

    with pytest.raises(StoreError, match=r"no database at .*nothing\.db: create one"):
        open_readonly(tmp_path / "nothing.db")
    response = TestClient(app_for(tmp_path / "nothing.db")).get("/api/reading")
    assert response.status_code == 503 and "no database at" in response.json()["error"]


def test_no_openapi_or_docs_page(client: TestClient) -> None:
    for path in ("/docs", "/openapi.json", "/redoc"):
        assert client.get(path).status_code == 404
