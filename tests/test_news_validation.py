"""Validation on real feeds (../shared/data/feeds), served through a local server so that
the whole real path runs: fetch, parse, clean, store. Every item must come out with a clean
title, and a second collect must store nothing new."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from monitor.config.feeds_yaml import Config, FeedConfig, NewsConfig
from monitor.sources.news.collect import collect_news
from monitor.sources.news.normalise import entry_link
from monitor.sources.news.parse import parse_feed
from monitor.store import Store
from monitor.store.headlines import list_headlines

pytestmark = pytest.mark.validation

# Later than every item in the real feeds, with a max age that keeps them all.
NOW = datetime(2026, 9, 1, tzinfo=UTC)
ENTITY = re.compile(r"&(#\d+|#x[0-9a-fA-F]+|[A-Za-z]+);")
TAG = re.compile(r"</?[A-Za-z][^<>]*>")


def serve_real_feeds(shared_data: Path, server: HTTPServer) -> list[tuple[str, str, bytes]]:
    feeds = []
    for path in sorted((shared_data / "feeds").glob("*.xml")):
        body = path.read_bytes()
        server.expect_request(f"/{path.name}").respond_with_data(
            body, content_type="application/xml"
        )
        feeds.append((path.stem, server.url_for(f"/{path.name}"), body))
    assert feeds, f"no feeds in {shared_data / 'feeds'}"
    return feeds


def test_every_real_feed_yields_all_its_items_with_clean_titles(
    shared_data: Path, httpserver: HTTPServer, store: Store
) -> None:
    feeds = serve_real_feeds(shared_data, httpserver)
    config = Config(
        basket=("NVDA",),
        feeds=tuple(FeedConfig(name=n, url=u) for n, u, _ in feeds),  # type: ignore[arg-type]
        news=NewsConfig(max_age_days=3650),
    )

    result = collect_news(store, config, now=NOW)

    expected_items = {}
    for name, url, body in feeds:
        parsed = parse_feed(body, headers={"content-type": "application/xml"}, url=url)
        expected_items[name] = sum(
            1 for e in parsed.entries if str(e.get("title") or "").strip() and entry_link(e)
        )
    by_feed = {f.name: f for f in result.feeds}
    for name, count in expected_items.items():
        assert by_feed[name].status == "new", by_feed[name]
        assert count > 0, name
        # These real feeds share no item, so every entry with a title and link is stored.
        assert by_feed[name].new == count, (name, by_feed[name].new, count)
    stored = list_headlines(store)
    assert len(stored) == result.new
    for row in stored:
        title = row.headline.title
        assert title and title == title.strip(), repr(title)
        assert not ENTITY.search(title), title
        assert not TAG.search(title), title
        assert "  " not in title and "\n" not in title, repr(title)
        assert row.headline.url.startswith("https://"), row.headline.url
        assert row.headline.published.tzinfo is not None
    again = collect_news(store, config, now=NOW)
    assert again.new == 0


def test_verge_titles_lose_their_numeric_entities(
    shared_data: Path, httpserver: HTTPServer, store: Store
) -> None:
    """The Verge keeps `&#8217;` in titles after feedparser; they must come out as ’."""
    feeds = [f for f in serve_real_feeds(shared_data, httpserver) if "theverge" in f[0]]
    name, url, body = feeds[0]
    raw = parse_feed(body, headers={"content-type": "application/xml"}, url=url)
    assert any(ENTITY.search(e.get("title", "")) for e in raw.entries), "fixture has no entities"
    config = Config(
        basket=("NVDA",),
        feeds=(FeedConfig(name=name, url=url),),  # type: ignore[arg-type]
        news=NewsConfig(max_age_days=3650),
    )
    collect_news(store, config, now=NOW)
    titles = [h.headline.title for h in list_headlines(store)]
    assert len(titles) == len(raw.entries)
    assert any("’" in t for t in titles)


def test_undated_real_entry_is_flagged_estimated(
    shared_data: Path, httpserver: HTTPServer, store: Store
) -> None:
    feeds = [f for f in serve_real_feeds(shared_data, httpserver) if "no_date" in f[0]]
    name, url, _ = feeds[0]
    config = Config(
        basket=("NVDA",),
        feeds=(FeedConfig(name=name, url=url),),  # type: ignore[arg-type]
    )
    collect_news(store, config, now=NOW)
    [row] = list_headlines(store)
    assert (row.headline.title, row.headline.published, row.headline.published_estimated) == (
        "Undated post",
        NOW,
        True,
    )
