"""`bubble-monitor headlines`: table and JSON over a real database file."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from monitor.cli.app import app
from monitor.store import Store
from monitor.store.headlines import assign_stories, insert_headlines
from signals.models import Headline

runner = CliRunner()
NOW = datetime(2026, 8, 20, 12, 0, tzinfo=UTC)


@pytest.fixture
def filled_db(db_path: Path) -> Path:
    def h(title: str, url: str, days_ago: float, source: str) -> Headline:
        return Headline(
            title=title,
            url=url,
            source=source,
            feed="gnews",
            published=NOW - timedelta(days=days_ago),
            published_estimated=days_ago == 0,
        )

    with Store(db_path) as store:
        ids = insert_headlines(
            store,
            [
                h("Amazon to cut 14,000 corporate jobs", "https://a.test/1", 1, "Reuters"),
                h("Amazon cuts 14,000 jobs amid AI push", "https://b.test/1", 1, "CNBC"),
                h("Nvidia invests $100 billion in OpenAI", "https://a.test/2", 3, "FT"),
                h("Undated item", "https://a.test/3", 0, "Wire"),
            ],
            fetched_at=NOW,
        )
        assign_stories(store, {ids[0]: ids[0], ids[1]: ids[0], ids[2]: ids[2], ids[3]: ids[3]})
        with store.transaction() as conn:
            for hid, label, conf in ((ids[0], "layoffs", 0.91), (ids[2], "circular_deal", 0.8)):
                conn.execute(
                    "INSERT INTO headline_scores VALUES (?, ?, ?, ?, 'm', ?)",
                    (hid, label, conf, json.dumps({label: conf}), NOW.isoformat()),
                )
    return db_path


def test_json_lists_headlines_with_label_and_story_sources(filled_db: Path) -> None:
    result = runner.invoke(app, ["headlines", "--db", str(filled_db), "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [r["title"] for r in rows] == [
        "Undated item",
        "Amazon cuts 14,000 jobs amid AI push",
        "Amazon to cut 14,000 corporate jobs",
        "Nvidia invests $100 billion in OpenAI",
    ]
    amazon = rows[2]
    assert {k: amazon[k] for k in ("source", "feed", "label", "confidence", "sources")} == {
        "source": "Reuters",
        "feed": "gnews",
        "label": "layoffs",
        "confidence": 0.91,
        "sources": 2,
    }
    assert amazon["url"] == "https://a.test/1"
    assert amazon["published"] == "2026-08-19T12:00:00+00:00"
    assert rows[1]["story_id"] == amazon["story_id"]
    assert (rows[0]["label"], rows[0]["confidence"], rows[0]["published_estimated"]) == (
        None,
        None,
        True,
    )


def test_filters_by_label_since_and_limit(filled_db: Path) -> None:
    def titles(*args: str) -> list[str]:
        result = runner.invoke(app, ["headlines", "--db", str(filled_db), "--json", *args])
        assert result.exit_code == 0, result.output
        return [r["title"] for r in json.loads(result.stdout)]

    assert titles("--label", "circular_deal") == ["Nvidia invests $100 billion in OpenAI"]
    assert titles("--since", "2026-08-19") == [
        "Undated item",
        "Amazon cuts 14,000 jobs amid AI push",
        "Amazon to cut 14,000 corporate jobs",
    ]
    assert titles("--since", "2026-08-19T13:00:00+00:00") == ["Undated item"]
    assert titles("--limit", "1") == ["Undated item"]


def test_table_shows_titles_labels_and_sources(filled_db: Path) -> None:
    result = runner.invoke(app, ["headlines", "--db", str(filled_db)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "4 headlines" in result.output
    line = next(row for row in result.output.splitlines() if "corporate jobs" in row)
    assert "layoffs" in line and "0.91" in line and "Reuters" in line
    assert "~ the feed gave no date" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--label", "rumours"], "--label: unknown label 'rumours'"),
        (["--since", "last tuesday"], "--since: 'last tuesday' is not a date"),
    ],
)
def test_bad_options_are_one_line_and_exit_2(
    filled_db: Path, args: list[str], message: str
) -> None:
    result = runner.invoke(app, ["headlines", "--db", str(filled_db), *args])
    assert result.exit_code == 2
    assert message in result.output


def test_empty_store_prints_an_empty_list(db_path: Path) -> None:
    Store(db_path).close()  # created, with nothing in it
    result = runner.invoke(app, ["headlines", "--db", str(db_path), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == []
