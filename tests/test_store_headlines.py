"""Headlines and feed state in a real SQLite file: no duplicates, listing with scores and
story sizes, the unscored queue, per-feed backoff."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from monitor.store import Store
from monitor.store.feeds import (
    BACKOFF_CAP,
    backoff_delay,
    feed_state,
    feed_states,
    record_feed_failure,
    record_feed_success,
)
from monitor.store.headlines import (
    assign_stories,
    grouped_headlines_between,
    insert_headlines,
    list_headlines,
    ungrouped_headlines,
    unscored_headlines,
)
from signals.models import Headline

NOW = datetime(2026, 8, 20, 12, 0, tzinfo=UTC)


def headline(title: str, url: str, hours_ago: float = 1, source: str = "Wire") -> Headline:
    return Headline(
        title=title,
        url=url,
        source=source,
        feed="test-feed",
        published=NOW - timedelta(hours=hours_ago),
    )


def score(store: Store, headline_id: int, label: str, confidence: float) -> None:
    store.conn.execute(
        "INSERT INTO headline_scores VALUES (?, ?, ?, ?, ?, ?)",
        (headline_id, label, confidence, json.dumps({label: confidence}), "m@1", NOW.isoformat()),
    )


def test_insert_skips_duplicates_by_url_or_title(store: Store) -> None:
    ids = insert_headlines(
        store,
        [
            headline("Meta cuts 600 AI jobs", "https://a.test/meta"),
            headline("Nvidia invests in OpenAI", "https://a.test/nvda"),
            headline("Nvidia invests in OpenAI!", "https://b.test/other"),  # same title key
            headline("A different title", "http://www.a.test/meta/"),  # same URL key
        ],
        fetched_at=NOW,
    )
    assert len(ids) == 2
    again = insert_headlines(
        store, [headline("Meta cuts 600 AI jobs", "https://a.test/meta")], fetched_at=NOW
    )
    assert again == []
    assert store.conn.execute("SELECT COUNT(*) FROM headlines").fetchone()[0] == 2


def test_inserted_rows_survive_reopening(store_target: Path | str) -> None:
    with Store(store_target) as s:
        insert_headlines(s, [headline("Kept", "https://a.test/kept")], fetched_at=NOW)
    with Store(store_target) as s:
        [stored] = list_headlines(s)
    assert stored.headline == headline("Kept", "https://a.test/kept")
    assert (stored.story_id, stored.sources, stored.score) == (stored.id, 1, None)


def test_list_filters_orders_and_attaches_scores(store: Store) -> None:
    ids = insert_headlines(
        store,
        [
            headline("Old layoffs", "https://a.test/1", hours_ago=50),
            headline("New layoffs", "https://a.test/2", hours_ago=1),
            headline("Funding round", "https://a.test/3", hours_ago=5),
        ],
        fetched_at=NOW,
    )
    score(store, ids[0], "layoffs", 0.9)
    score(store, ids[1], "layoffs", 0.7)
    assert [h.headline.title for h in list_headlines(store)] == [
        "New layoffs", "Funding round", "Old layoffs",
    ]  # fmt: skip
    layoffs = list_headlines(store, label="layoffs")
    assert [(h.headline.title, h.score.label if h.score else None) for h in layoffs] == [
        ("New layoffs", "layoffs"), ("Old layoffs", "layoffs"),
    ]  # fmt: skip
    assert layoffs[0].score is not None and layoffs[0].score.scores == {"layoffs": 0.7}
    recent = list_headlines(store, since=NOW - timedelta(hours=6))
    assert {h.headline.title for h in recent} == {"New layoffs", "Funding round"}
    assert len(list_headlines(store, limit=1)) == 1
    assert unscored_headlines(store) == [(ids[2], "Funding round")]


def test_stories_give_every_member_the_count_of_distinct_outlets(store: Store) -> None:
    ids = insert_headlines(
        store,
        [
            headline("Amazon to cut 14,000 jobs", "https://a.test/1", 3, "Reuters"),
            headline("Amazon cutting 14,000 corporate jobs", "https://b.test/1", 2, "CNBC"),
            headline("Amazon layoffs: 14,000 roles go", "https://c.test/1", 1, "Reuters"),
            headline("Unrelated chip news", "https://d.test/1", hours_ago=1),
        ],
        fetched_at=NOW,
    )
    assert [r.id for r in ungrouped_headlines(store)] == ids
    assert assign_stories(store, {ids[0]: ids[0], ids[1]: ids[0], ids[2]: ids[0]}) == 3
    assert [r.id for r in ungrouped_headlines(store)] == [ids[3]]
    by_title = {h.headline.title: h for h in list_headlines(store)}
    assert by_title["Amazon layoffs: 14,000 roles go"].story_id == ids[0]
    # Three rows from two outlets: two outlets (rows once inflated it to 3).
    assert by_title["Amazon layoffs: 14,000 roles go"].sources == 2
    # Not yet grouped: a story of one whose id is its own.
    assert (by_title["Unrelated chip news"].story_id, by_title["Unrelated chip news"].sources) == (
        ids[3], 1,
    )  # fmt: skip
    window = grouped_headlines_between(store, NOW - timedelta(hours=2.5), NOW)
    assert [r.id for r in window] == ids[1:3]


def test_feed_failures_back_off_exponentially_and_success_resets(store: Store) -> None:
    url = "https://feed.test/rss"
    first = record_feed_failure(store, "f", url, now=NOW, error="HTTP 500")
    assert (first.consecutive_failures, first.next_try) == (1, NOW + timedelta(minutes=10))
    assert not first.due(NOW + timedelta(minutes=5))
    assert first.due(NOW + timedelta(minutes=10))
    second = record_feed_failure(store, "f", url, now=NOW, error="timed out")
    assert (second.consecutive_failures, second.next_try) == (2, NOW + timedelta(minutes=20))
    assert feed_state(store, "f", url).last_error == "timed out"
    record_feed_success(store, "f", url, now=NOW, etag='"e"', last_modified="lm", items=4)
    state = feed_states(store)["f"]
    assert (state.consecutive_failures, state.next_try, state.last_error) == (0, None, None)
    assert (state.etag, state.last_modified, state.items_seen, state.last_success) == (
        '"e"', "lm", 4, NOW,
    )  # fmt: skip


def test_a_changed_feed_url_starts_fresh(store: Store) -> None:
    record_feed_success(store, "f", "https://old.test/rss", now=NOW, etag='"e"', last_modified=None,
                        items=1)  # fmt: skip
    record_feed_failure(store, "f", "https://old.test/rss", now=NOW, error="x")
    fresh = feed_state(store, "f", "https://new.test/rss")
    assert (fresh.etag, fresh.consecutive_failures, fresh.due(NOW)) == (None, 0, True)


def test_backoff_is_capped() -> None:
    assert backoff_delay(0) == timedelta(0)
    assert backoff_delay(3) == timedelta(minutes=40)
    assert backoff_delay(50) == BACKOFF_CAP
