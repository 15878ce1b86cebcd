"""Headline cleaning: text, publisher suffixes, canonical URLs, identity keys, dates, age."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from monitor.sources.news.normalise import FeedContext, canonical_url, to_headline
from signals.text import clean_text, split_publisher, title_key, url_key

NOW = datetime(2026, 8, 20, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Nvidia&#8217;s bet", "Nvidia’s bet"),
        ("Nvidia&amp;#8217;s bet", "Nvidia’s bet"),  # double-escaped, as real feeds do
        ("AT&amp;T and R&D &quot;plans&quot;", 'AT&T and R&D "plans"'),
        ("<b>Bold</b>   claim\n\tabout\u00a0AI", "Bold claim about AI"),
        ("&lt;i&gt;escaped&lt;/i&gt; tags", "escaped tags"),
        ("<p>One.</p><p>Two <em>words</em>.</p>", "One. Two words."),
        ("Revenue < $1B as margins > 50%", "Revenue < $1B as margins > 50%"),
        ("  ", ""),
    ],
)
def test_clean_text(raw: str, clean: str) -> None:
    assert clean_text(raw) == clean


def test_clean_text_caps_length() -> None:
    assert len(clean_text("word " * 1000)) == 400
    assert clean_text("word " * 1000).endswith("…")


@pytest.mark.parametrize(
    ("title", "google", "source", "expected"),
    [
        ("Burry shorts Nvidia - Reuters", True, "Reuters", ("Burry shorts Nvidia", "Reuters")),
        ("Burry shorts Nvidia - Reuters", False, "Reuters", ("Burry shorts Nvidia", "Reuters")),
        ("Burry shorts Nvidia - Reuters", True, "", ("Burry shorts Nvidia", "Reuters")),
        ("Oracle - OpenAI deal: who pays? - Financial Times", True, "Financial Times",
         ("Oracle - OpenAI deal: who pays?", "Financial Times")),
        # Not Google News and no matching <source>: a real dash in a title stays.
        ("CoreWeave - the GPU landlord - files for a bond", False, "", None),
        ("Nvidia - OpenAI deal explained", False, "Reuters", None),
        # Google News, but the tail is a clause, not a publisher name.
        ("Chips - and why the data-center boom may end sooner than expected", True, "", None),
        ("No dash here", True, "", None),
        ("Trailing dash - ", True, "", None),
    ],
)  # fmt: skip
def test_split_publisher(
    title: str, google: bool, source: str, expected: tuple[str, str] | None
) -> None:
    got = split_publisher(title, google_news=google, source_title=source)
    assert got == (expected if expected is not None else (title, ""))


@pytest.mark.parametrize(
    ("link", "canonical"),
    [
        ("https://WWW.Example.COM/a/b?utm_source=x&utm_medium=y&id=3#frag",
         "https://www.example.com/a/b?id=3"),
        ("https://example.com/a?fbclid=1&gclid=2&msclkid=3&mc_cid=4&_hsenc=5",
         "https://example.com/a"),
        ("/2026/08/story", "https://feed.example.com/2026/08/story"),
        ("story.html", "https://feed.example.com/rss/story.html"),
        ("http://example.com:80/x", "http://example.com/x"),
        ("https://example.com:8443/x", "https://example.com:8443/x"),
        ("https://example.com", "https://example.com/"),
        ("https://news.google.com/rss/articles/CBMi123?oc=5&utm_source=keep#x",
         "https://news.google.com/rss/articles/CBMi123?oc=5&utm_source=keep#x"),
        ("javascript:alert(1)", None),
        ("mailto:tips@example.com", None),
        ("ftp://example.com/file", None),
    ],
)  # fmt: skip
def test_canonical_url(link: str, canonical: str | None) -> None:
    assert canonical_url(link, "https://feed.example.com/rss/") == canonical


def test_url_key_ignores_scheme_www_trailing_slash_and_param_order() -> None:
    keys = {
        url_key("https://www.example.com/a/?b=2&a=1"),
        url_key("http://example.com/a?a=1&b=2"),
    }
    assert keys == {"example.com/a?a=1&b=2"}
    assert url_key("https://example.com/a") != url_key("https://example.com/b")


def test_title_key_ignores_case_punctuation_and_spacing() -> None:
    assert title_key("Meta cuts 600 jobs — in its AI unit!") == title_key(
        "meta  cuts 600 jobs in its AI unit"
    )
    assert title_key("Meta cuts 600 jobs") != title_key("Meta cuts 700 jobs")


def context(url: str = "https://feed.example.com/rss") -> FeedContext:
    return FeedContext(name="f", url=url, title="Feed Title", now=NOW, max_age=timedelta(days=30))


def entry(
    title: str = "A title",
    link: str = "https://example.com/a",
    published: datetime | None = NOW - timedelta(hours=2),
    updated: datetime | None = None,
    source_title: str = "",
) -> dict[str, Any]:
    """An entry as feedparser gives it: dates as UTC struct_times."""
    out: dict[str, Any] = {"title": title, "link": link}
    if published is not None:
        out["published_parsed"] = published.utctimetuple()
    if updated is not None:
        out["updated_parsed"] = updated.utctimetuple()
    if source_title:
        out["source"] = {"title": source_title}
    return out


def test_published_falls_back_to_updated_then_fetch_time() -> None:
    updated = NOW - timedelta(days=1)
    from_updated = to_headline(entry(published=None, updated=updated), context())
    assert from_updated is not None
    assert (from_updated.published, from_updated.published_estimated) == (updated, False)
    undated = to_headline(entry(published=None), context())
    assert undated is not None
    assert (undated.published, undated.published_estimated) == (NOW, True)


def test_future_dates_are_replaced_by_the_fetch_time() -> None:
    h = to_headline(entry(published=NOW + timedelta(days=3)), context())
    assert h is not None
    assert (h.published, h.published_estimated) == (NOW, True)


def test_items_older_than_max_age_are_dropped() -> None:
    assert to_headline(entry(published=datetime(2016, 3, 14, tzinfo=UTC)), context()) is None
    assert to_headline(entry(published=NOW - timedelta(days=31)), context()) is None
    assert to_headline(entry(published=NOW - timedelta(days=29)), context()) is not None


def test_source_is_publisher_then_source_element_then_feed_title() -> None:
    google = context("https://news.google.com/rss/search?q=ai")
    h = to_headline(entry(title="Big news - Reuters"), google)
    assert h is not None and (h.title, h.source) == ("Big news", "Reuters")
    h = to_headline(entry(title="Big news", source_title="Bloomberg"), context())
    assert h is not None and (h.title, h.source) == ("Big news", "Bloomberg")
    h = to_headline(entry(title="Big news"), context())
    assert h is not None and (h.source, h.feed) == ("Feed Title", "f")


def test_entries_without_title_or_web_link_are_dropped() -> None:
    assert to_headline(entry(title=" <br/> "), context()) is None
    assert to_headline(entry(link=""), context()) is None
    assert to_headline(entry(link="javascript:void(0)"), context()) is None
