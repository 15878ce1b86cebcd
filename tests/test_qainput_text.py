"""Hostile characters in headline text, through the real paths: a feed served on 127.0.0.1
into a real SQLite file, and `import-headlines` through the CLI with the real model.

A lone surrogate (`&#xD800;` in a feed, `\\ud800` escaped in JSON) cannot be encoded as
UTF-8: it used to fail the whole feed (feedparser raised on it; every other entry lost)
and crash an import with a traceback. Control characters (ESC, NUL, BEL) were stored and
printed as they came, so a title could drive the operator's terminal; a title of
zero-width spaces was stored as a headline with nothing to read.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path

from pytest_httpserver import HTTPServer
from typer.testing import CliRunner

from monitor.cli.app import app
from monitor.config.feeds_yaml import Config, FeedConfig
from monitor.sources.news.collect import collect_news
from monitor.store import Store
from monitor.store.headlines import list_headlines
from signals.text import clean_text, normalise

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
#: Characters no stored title may hold: C0/C1 controls, surrogates, zero-width and bidi.
UNPRINTABLE = {chr(c) for c in (*range(0x20), *range(0x7F, 0xA0))} | {
    chr(c) for c in (*range(0xD800, 0xE000), 0x200B, 0x202E)
}


def _feed(items: list[tuple[str, str]], channel: str = "H") -> bytes:
    when = format_datetime(NOW)
    body = "".join(
        f"<item><title>{title}</title><link>{link}</link><pubDate>{when}</pubDate></item>"
        for title, link in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{channel}</title>{body}</channel></rss>"
    ).encode()


def test_clean_text_drops_controls_surrogates_and_invisible_characters() -> None:
    assert clean_text("ESC \x1b[31m red") == "ESC [31m red"
    assert clean_text("NUL\x00here") == "NUL here"
    assert clean_text("lone \ud800 surrogate") == "lone surrogate"
    assert clean_text("Nvi\u200bdia \u202eflipped") == "Nvidia flipped"
    assert clean_text("\u200b\u200b \ufeff") == ""
    assert clean_text("café 😀") == "café 😀"
    assert normalise("a\x1b[2Jb \ud800") == "a [2Jb"


def test_a_feed_with_hostile_characters_keeps_its_good_entries(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    hostile = _feed(
        [
            ("Lone surrogate &#xD800; Nvidia chips", "https://h.test/1"),
            ("Surrogate in the link", "https://h.test/&#xD800;"),
            ("ESC &#27;[2J clears the screen", "https://h.test/3"),
            ("NUL &#0; and BEL &#7; in a title", "https://h.test/4"),
            ("&#x200B;&#x200B;", "https://h.test/5"),
            ("A plain headline about AI chips", "https://h.test/6"),
        ]
    )
    httpserver.expect_request("/hostile").respond_with_data(hostile, content_type="text/xml")
    httpserver.expect_request("/plain").respond_with_data(
        _feed([("Another feed's headline", "https://p.test/1")]), content_type="text/xml"
    )
    config = Config(
        basket=("NVDA",),
        feeds=(
            FeedConfig(name="hostile", url=httpserver.url_for("/hostile")),  # type: ignore[arg-type]
            FeedConfig(name="plain", url=httpserver.url_for("/plain")),  # type: ignore[arg-type]
        ),
    )
    with Store(tmp_path / "m.db") as store:
        result = collect_news(store, config, now=NOW)
        stored = {s.headline.url: s.headline.title for s in list_headlines(store)}
    assert [(f.name, f.status) for f in result.feeds] == [("hostile", "new"), ("plain", "new")]
    assert stored == {
        # An impossible reference reads as U+FFFD, as HTML parsers read it.
        "https://h.test/1": "Lone surrogate \ufffd Nvidia chips",
        "https://h.test/\ufffd": "Surrogate in the link",
        "https://h.test/3": "ESC [2J clears the screen",
        "https://h.test/4": "NUL and BEL in a title",
        "https://h.test/6": "A plain headline about AI chips",
        "https://p.test/1": "Another feed's headline",
    }


def test_import_of_a_lone_surrogate_stores_the_row_cleanly(tmp_path: Path) -> None:
    rows = [
        {"date": "2026-11-02", "title": "Nvidia \ud800 invests in a startup", "url": "https://i.test/1"},
        {"date": "2026-11-02", "title": "Bell \u0007 and escape \u001b[31m", "url": "https://i.test/2"},
        {"date": "2026-11-02", "title": "Link with a surrogate", "url": "https://i.test/\ud800"},
        {"date": "2026-11-03", "title": "Alphabet cuts 12,000 jobs", "url": "https://i.test/4"},
    ]  # fmt: skip
    path = tmp_path / "h.jsonl"
    # json.dumps escapes the surrogate as \ud800: valid JSON that decodes to a lone surrogate.
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    db = tmp_path / "m.db"
    out = CliRunner().invoke(app, ["import-headlines", str(path), "--db", str(db), "--json"])
    assert out.exit_code == 0, out.output
    summary = json.loads(out.stdout)
    assert (summary["stored"], summary["rejected"]) == (3, 1)
    assert summary["rejections"][0]["line"] == 3
    assert summary["rejections"][0]["reason"] == "bad_url"
    with sqlite3.connect(db) as conn:
        titles = [t for (t,) in conn.execute("SELECT title FROM headlines ORDER BY url")]
    assert titles == ["Nvidia invests in a startup", "Bell and escape [31m",
                      "Alphabet cuts 12,000 jobs"]  # fmt: skip
    assert not any(set(t) & UNPRINTABLE for t in titles)


def test_a_channel_title_used_as_source_is_cleaned(httpserver: HTTPServer, tmp_path: Path) -> None:
    # Before: an entry without a publisher took the channel's raw title as its source:
    # markup, the escape sequence and all ("&lt;b&gt;" arrives from feedparser as "<b>").
    channel = "&lt;b&gt;Evil&lt;/b&gt; &#27;[2J Feed" + " x" * 100
    body = _feed([("A headline about AI chips", "https://c.test/1")], channel=channel)
    httpserver.expect_request("/feed").respond_with_data(body, content_type="text/xml")
    config = Config(
        basket=("NVDA",),
        feeds=(FeedConfig(name="chan", url=httpserver.url_for("/feed")),),  # type: ignore[arg-type]
    )
    with Store(tmp_path / "m.db") as store:
        collect_news(store, config, now=NOW)
        (stored,) = list_headlines(store)
    source = stored.headline.source
    assert source.startswith("Evil [2J Feed x x") and len(source) <= 60
    assert not set(source) & UNPRINTABLE
