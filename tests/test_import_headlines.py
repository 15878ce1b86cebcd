"""import-headlines on a real SQLite file with the shipped classifier: rows stored, scored,
grouped and marked imported; bad rows never stored; re-import changes nothing; hooks see
each new row once, scored and grouped, batch by batch."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from monitor.cli.app import app
from monitor.reading.classifier_files import load_classifier
from monitor.reading.embedding_cache import CachedEmbedder
from monitor.sources.archive.read import read_archive
from monitor.stages.import_headlines import ImportOptions, ImportResult, import_headlines
from monitor.store import Store
from monitor.store.headlines import count_imported, insert_headlines, list_headlines
from signals.classifier import HeadlineClassifier
from signals.models import Headline, StoredHeadline

NOW = datetime(2026, 5, 1, tzinfo=UTC)
ROWS = [
    ("2023-01-10", "Microsoft to cut 10,000 jobs as it braces for slowdown", "Reuters"),
    ("2023-01-10", "Microsoft to lay off 10,000 workers as it braces for a slowdown", "CNBC"),
    ("2023-01-23", "Microsoft invests $10 billion in ChatGPT maker OpenAI", "Bloomberg"),
    ("2023-03-14", "OpenAI releases GPT-4, its most capable model yet", "The Verge"),
    ("2023-05-25", "Nvidia forecasts revenue far above estimates on AI chip demand", "WSJ"),
]
runner = CliRunner()


@pytest.fixture(scope="module")
def classifier() -> HeadlineClassifier:
    return load_classifier()


def _write(tmp_path: Path, extra: Sequence[str] = ()) -> Path:
    lines = [
        json.dumps({"date": d, "title": t, "source": s, "url": f"https://news.test/{i}"})
        for i, (d, t, s) in enumerate(ROWS)
    ]
    path = tmp_path / "history.jsonl"
    path.write_text("\n".join([*lines, *extra]) + "\n", encoding="utf-8")
    return path


class Hook:
    def __init__(self) -> None:
        self.batches: list[list[StoredHeadline]] = []

    def __call__(self, batch: Sequence[StoredHeadline]) -> None:
        self.batches.append(list(batch))


def _import(
    store: Store,
    path: Path,
    classifier: HeadlineClassifier,
    *,
    hooks: Sequence[Hook] = (),
    batch_size: int = 2,
) -> ImportResult:
    embedder = CachedEmbedder(classifier.embedder, store)
    return import_headlines(
        store,
        read_archive(path, latest=NOW),
        str(path),
        classifier=classifier,
        embedder=embedder,
        now=NOW,
        options=ImportOptions(batch_size=batch_size),
        hooks=hooks,
    )


def _counts(store: Store) -> dict[str, int]:
    return store.row_counts(["headlines", "headline_scores", "embeddings"])


def test_rows_are_stored_scored_grouped_and_marked(
    store: Store, tmp_path: Path, classifier: HeadlineClassifier
) -> None:
    hook = Hook()
    result = _import(store, _write(tmp_path), classifier, hooks=[hook])
    assert (result.rows, result.stored, result.already_stored) == (5, 5, 0)
    assert count_imported(store) == 5
    stored = {h.headline.title: h for h in list_headlines(store)}
    assert all(
        h.score is not None and h.score.model_id == classifier.head_id for h in stored.values()
    )
    first, second = (stored[t] for _, t, _ in ROWS[:2])
    assert first.story_id == second.story_id == first.id  # one layoff story, two outlets
    assert first.sources == 2 and result.stories_joined == 1
    assert first.headline.published == datetime(2023, 1, 10, 12, tzinfo=UTC)
    assert first.headline.feed == "import" and first.headline.source == "Reuters"
    # Batches of 2: the hooks saw 2 + 2 + 1 rows, each scored and with its story.
    assert [len(b) for b in hook.batches] == [2, 2, 1]
    seen = [h for b in hook.batches for h in b]
    assert [h.headline.title for h in seen] == [t for _, t, _ in ROWS]
    assert all(h.score is not None for h in seen)
    assert seen[1].story_id == seen[0].id


def test_reimport_changes_nothing(
    store: Store, tmp_path: Path, classifier: HeadlineClassifier
) -> None:
    path = _write(tmp_path)
    _import(store, path, classifier)
    before = _counts(store)
    scored_at = store.conn.execute("SELECT scored_at FROM headline_scores").fetchall()
    hook = Hook()
    again = _import(store, path, classifier, hooks=[hook], batch_size=3)
    assert (again.stored, again.already_stored) == (0, 5)
    assert _counts(store) == before
    assert store.conn.execute("SELECT scored_at FROM headline_scores").fetchall() == scored_at
    assert hook.batches == []


def test_bad_rows_are_counted_named_and_never_stored(
    store: Store, tmp_path: Path, classifier: HeadlineClassifier
) -> None:
    extra = [
        '{"date": "2023-02-01", "title": "broken',
        json.dumps({"title": "No date at all", "url": "https://news.test/x"}),
        json.dumps({"date": "2023-02-01", "url": "https://news.test/y"}),
        json.dumps({"date": "2023-02-31", "title": "Bad day", "url": "https://news.test/z"}),
    ]
    path = _write(tmp_path, extra)
    result = _import(store, path, classifier)
    summary = result.summary()
    assert summary["rejected"] == 4 and summary["stored"] == 5
    assert summary["rejected_by_reason"] == {
        "broken_json": 1, "no_date": 1, "bad_date": 1, "no_title": 1
    }  # fmt: skip
    assert [r["line"] for r in summary["rejections"]] == [6, 7, 8, 9]
    assert summary["rejections"][0]["message"].startswith(f"{path}:6: not valid JSON")
    titles = {h.headline.title for h in list_headlines(store)}
    assert "No date at all" not in titles and "Bad day" not in titles
    assert _counts(store)["headlines"] == _counts(store)["headline_scores"] == 5


def test_a_collected_headline_is_not_stored_twice_nor_marked(
    store: Store, tmp_path: Path, classifier: HeadlineClassifier
) -> None:
    live = Headline(
        title=ROWS[3][1], url="https://elsewhere.test/gpt4", source="Feed", feed="verge",
        published=datetime(2023, 3, 14, 15, tzinfo=UTC),
    )  # fmt: skip
    insert_headlines(store, [live], fetched_at=NOW)
    result = _import(store, _write(tmp_path), classifier)
    assert (result.stored, result.already_stored) == (4, 1)
    assert count_imported(store) == 4 and _counts(store)["headlines"] == 5


def test_a_failing_hook_stops_neither_the_others_nor_the_import(
    store: Store, tmp_path: Path, classifier: HeadlineClassifier
) -> None:
    def broken(batch: Sequence[StoredHeadline]) -> None:
        raise RuntimeError("extractor down")

    good = Hook()
    result = _import(store, _write(tmp_path), classifier, hooks=[broken, good])  # type: ignore[list-item]
    assert result.stored == 5 and sum(len(b) for b in good.batches) == 5
    assert len(result.hook_errors) == 3
    assert "broken failed on 2 headlines: extractor down" in result.hook_errors[0]


def test_cli_imports_csv_and_prints_json(tmp_path: Path) -> None:
    path = tmp_path / "history.csv"
    path.write_text(
        "date,title,source,url\n"
        "2023-01-23,Microsoft invests $10 billion in OpenAI,Bloomberg,https://news.test/1\n"
        ",No date,X,https://news.test/2\n"
        "2023-01-24,Alphabet cuts 12000 jobs,WSJ,https://news.test/3\n",
        encoding="utf-8",
    )
    db = tmp_path / "m.db"
    out = runner.invoke(app, ["import-headlines", str(path), "--db", str(db), "--json"])
    assert out.exit_code == 0, out.output
    summary = json.loads(out.stdout)
    assert (summary["rows"], summary["stored"], summary["rejected"]) == (3, 2, 1)
    assert summary["rejections"] == [
        {"line": 3, "reason": "no_date", "message": f"{path}:3: field date: missing or empty"}
    ]
    assert (summary["first_day"], summary["last_day"]) == ("2023-01-23", "2023-01-24")
    again = runner.invoke(app, ["import-headlines", str(path), "--db", str(db)])
    assert again.exit_code == 0, again.output
    assert "0 stored" in again.stdout and "2 already stored" in again.stdout
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM headlines WHERE imported = 1").fetchone() == (2,)
        # Deals are read out of imported titles as they are stored (the deal hook), once.
        deals = conn.execute("SELECT payer, payee, amount_usd, status FROM deals").fetchall()
    assert deals == [("Microsoft", "OpenAI", 10e9, "extracted")]


def test_cli_names_a_missing_file(tmp_path: Path) -> None:
    out = runner.invoke(app, ["import-headlines", str(tmp_path / "nope.jsonl"), "--db",
                              str(tmp_path / "m.db")])  # fmt: skip
    assert out.exit_code == 2 and "nope.jsonl: file not found" in out.output


def test_collect_news_hands_its_new_headlines_to_the_hooks(
    store: Store, classifier: HeadlineClassifier, tmp_path: Path
) -> None:
    from pytest_httpserver import HTTPServer

    from monitor.config.feeds_yaml import Config, FeedConfig
    from monitor.stages.news import run_news
    from tests.fakes import make_app

    feed = (Path(__file__).parent / "fixtures" / "feeds" / "rss_basic.xml").read_bytes()
    hook = Hook()
    with HTTPServer(host="127.0.0.1") as server:
        server.expect_request("/feed.xml").respond_with_data(feed, content_type="application/xml")
        cfg = Config(
            basket=("NVDA",),
            feeds=(FeedConfig(name="basic", url=server.url_for("/feed.xml")),),  # type: ignore[arg-type]
        )
        app = make_app(
            cfg, store, clock=lambda: datetime(2026, 8, 20, tzinfo=UTC),
            classifier_factory=lambda: classifier, headline_hooks=[hook],
        )  # fmt: skip
        first = run_news(app)
        again = run_news(app)
    assert first.collected.new > 0 and not first.hook_errors
    handed = [h for b in hook.batches for h in b]
    assert sorted(h.id for h in handed) == sorted(first.collected.new_ids)
    assert [h.headline.published for h in handed] == sorted(h.headline.published for h in handed)
    assert all(h.score is None for b in hook.batches for h in b)  # scored later
    assert again.collected.new == 0 and len(hook.batches) == 1


def test_retention_keeps_imported_history(store: Store) -> None:
    from monitor.store.headlines import insert_each
    from monitor.store.retention import prune

    old = datetime(2022, 3, 1, 12, tzinfo=UTC)
    rows = [
        Headline(f"Old {kind} story", f"https://n.test/{kind}", "Wire", "f", old)
        for kind in ("collected", "imported")
    ]
    insert_each(store, rows[:1], fetched_at=old)
    insert_each(store, rows[1:], fetched_at=NOW, imported=True)
    counts = prune(store, now=NOW, headlines_days=400, readings_full_days=90)
    assert counts.headlines == 1
    assert [h.headline.title for h in list_headlines(store)] == ["Old imported story"]


def test_an_unterminated_quote_is_named_with_the_rows_it_swallowed(tmp_path: Path) -> None:
    """qainput: a quote never closed made every later row part of one field, reported as a
    single bad_url row; the user could not tell that the rows after it were not imported.
    A title over two lines (a legal CSV field) still imports."""
    path = tmp_path / "history.csv"
    path.write_text(
        "date,title,source,url\n"
        '2023-01-20,"A title over\ntwo lines",Wire,https://news.test/0\n'
        "2023-01-23,Microsoft invests $10 billion in OpenAI,Bloomberg,https://news.test/1\n"
        '2023-01-24,"Alphabet cuts 12000 jobs,WSJ,https://news.test/3\n'
        "2023-01-25,Meta plans AI bond sale,FT,https://news.test/4\n"
        "2023-01-26,Nvidia tops forecasts,Reuters,https://news.test/5\n",
        encoding="utf-8",
    )
    out = runner.invoke(
        app, ["import-headlines", str(path), "--db", str(tmp_path / "m.db"), "--json"]
    )
    assert out.exit_code == 0, out.output
    summary = json.loads(out.stdout)
    assert (summary["stored"], summary["rejected"]) == (2, 1)
    (rejected,) = summary["rejections"]
    assert rejected["line"] == 5 and rejected["reason"] == "bad_field"
    assert (
        "a quote opened here runs on to line 7: lines 5-7 read as one record"
        in (rejected["message"])
    )
