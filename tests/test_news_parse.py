"""feedparser on bytes: RSS, Atom, Google News, a windows-1252 feed, bozo and garbage
bodies, and XML entity bombs that must neither blow memory nor time."""

from __future__ import annotations

import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

import pytest

from monitor.errors import ParseError
from monitor.sources.news.normalise import entry_link, entry_source, entry_times
from monitor.sources.news.parse import parse_feed, refuse_entities

FEEDS = Path(__file__).parent / "fixtures" / "feeds"
XML = {"content-type": "application/xml"}


def read(name: str) -> bytes:
    return (FEEDS / name).read_bytes()


def test_rss_entries_keep_order_links_and_dates() -> None:
    feed = parse_feed(read("rss_basic.xml"), headers=XML, url="https://www.example-wire.test/rss")
    assert (feed.title, feed.version, feed.error) == ("Example Tech Wire", "rss20", None)
    assert len(feed.entries) == 7
    first = feed.entries[0]
    # feedparser leaves the double-escaped entity and the escaped tags: normalise cleans them.
    assert first["title"].startswith("Nvidia&#8217;s $100 billion")
    assert entry_times(first)[0] == datetime(2026, 8, 18, 14, 30, tzinfo=UTC)
    # The relative link is resolved against the feed's URL (content-location).
    assert entry_link(feed.entries[1]) == "https://www.example-wire.test/2026/08/meta-ai-layoffs"
    assert entry_times(feed.entries[1])[0] == datetime(2026, 8, 17, 13, 0, tzinfo=UTC)
    assert entry_times(feed.entries[3]) == (None, None)


def test_atom_uses_xml_base_and_keeps_updated_only_entries() -> None:
    feed = parse_feed(read("atom_basic.xml"), headers=XML, url="https://atom.example.test/feed")
    assert feed.version == "atom10"
    assert [entry_link(e) for e in feed.entries] == [
        "https://atom.example.test/ai/posts/openai-tender",
        "https://atom.example.test/ai/posts/azure-guidance",
    ]
    assert entry_times(feed.entries[0])[0] == datetime(2026, 8, 19, 12, 0, tzinfo=UTC)
    assert entry_times(feed.entries[1]) == (None, datetime(2026, 8, 18, 16, 0, tzinfo=UTC))


def test_google_news_source_element_is_read() -> None:
    feed = parse_feed(read("gnews.xml"), headers=XML, url="https://news.google.com/rss/search?q=x")
    assert [entry_source(e) for e in feed.entries] == [
        "Reuters", "The Verge", "Financial Times", "Fortune", "",
    ]  # fmt: skip
    assert entry_times(feed.entries[3])[0] == datetime(2016, 3, 14, 12, 0, tzinfo=UTC)


def test_windows_1252_declared_in_the_prolog_is_decoded() -> None:
    feed = parse_feed(read("cp1252.xml"), headers=XML, url="https://lemonde.example.test/rss")
    assert feed.title == "Le Monde Tech édition"
    first = "Nvidia’s rival Mistral raises €1.7bn in a café deal – report"
    assert feed.entries[0]["title"] == first
    assert feed.entries[1]["title"] == "Société Générale warns of an AI bubble"


def test_charset_from_the_content_type_header_is_used() -> None:
    body = read("cp1252.xml").replace(b' encoding="windows-1252"', b"")
    headers = {"Content-Type": "text/xml; charset=windows-1252"}
    feed = parse_feed(body, headers=headers, url="https://lemonde.example.test/rss")
    assert feed.entries[1]["title"] == "Société Générale warns of an AI bubble"


def test_truncated_feed_keeps_what_parsed_and_records_the_error() -> None:
    body = read("rss_basic.xml")
    cut = body[: body.index(b"<item>", body.index(b"<item>", body.index(b"<item>") + 1) + 1)]
    feed = parse_feed(cut + b"<item><title>half", headers=XML, url="https://x.test/rss")
    assert feed.error is not None
    assert [e.get("title", "") for e in feed.entries][:2] == [
        "Nvidia&#8217;s $100 billion bet on OpenAI raises <b>circular</b>   deal fears",
        "Meta cuts 600 jobs in its AI unit",
    ]


@pytest.mark.parametrize(
    "body",
    [
        bytes(range(256)) * 40,
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 500,
        b"<html><body><h1>Not a feed</h1></body></html>",
    ],
    ids=["random-bytes", "png", "html-page"],
)
def test_garbage_is_not_a_feed(body: bytes) -> None:
    with pytest.raises(ParseError, match=r"not a feed .* at https://x\.test/rss"):
        parse_feed(body, headers=XML, url="https://x.test/rss")


def test_a_str_is_refused() -> None:
    with pytest.raises(TypeError, match="bytes"):
        parse_feed("https://example.com/rss", headers=XML, url="x")  # type: ignore[arg-type]


def _billion_laughs() -> bytes:
    lines = ['<!ENTITY lol0 "lol">']
    lines += [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
    subset = "\n".join(lines)
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE rss [\n{subset}\n]>\n<rss version="2.0"><channel>'
        "<title>Bomb</title><item><title>boom &lol9;</title><link>https://x.test/a</link>"
        "</item></channel></rss>"
    ).encode()


def _quadratic_blowup() -> bytes:
    # One 200 kB entity referenced 5,000 times: 1 GB if expanded. feedparser's loose parser
    # expands it (3 GB, 27 s in our measurement) unless the DTD subset is removed first.
    refs = "&a;" * 5000
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY a "{"a" * 200_000}">\n]>\n'
        f'<rss version="2.0"><channel><title>Bomb</title><item><title>x {refs}</title>'
        "<link>https://x.test/b</link></item></channel></rss>"
    ).encode()


def _system_literal_bypass() -> bytes:
    # A `>` inside the quoted system literal ended the old regex's DOCTYPE early, so the
    # subset survived and expanded to a 100,000,002-character title (312 MB peak).
    refs = "&a;" * 10_000
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE rss SYSTEM "http://x/a>b" [\n'
        f'<!ENTITY a "{"a" * 10_000}">\n]>\n'
        f'<rss version="2.0"><channel><title>Bomb</title><item><title>x {refs}</title>'
        "<link>https://x.test/c</link></item></channel></rss>"
    ).encode()


def _system_literal_bypass_one_line() -> bytes:
    body = _system_literal_bypass()
    return body.replace(b"[\n<!ENTITY", b"[<!ENTITY").replace(b'">\n]>', b'">]>')


def _parameter_entity() -> bytes:
    return (
        b'<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY % p "x">]>\n'
        b'<rss version="2.0"><channel><title>P</title></channel></rss>'
    )


def _undecodable_prolog() -> bytes:
    # expat lacks this encoding, so the loose parser would read it: any <!ENTITY is refused.
    return (
        b'<?xml version="1.0" encoding="x-unknown"?>\n<!DOCTYPE rss [<!ENTITY a "b">]>\n'
        b'<rss version="2.0"><channel><title>&a;</title></channel></rss>'
    )


BOMBS = [
    _billion_laughs,
    _quadratic_blowup,
    _system_literal_bypass,
    _system_literal_bypass_one_line,
    _parameter_entity,
]


@pytest.mark.parametrize("make", [*BOMBS, _undecodable_prolog])
def test_a_feed_that_declares_entities_is_refused_in_small_memory(make: object) -> None:
    body = make()  # type: ignore[operator]
    tracemalloc.start()
    try:
        with pytest.raises(ParseError, match=r"declares XML entities.*x\.test/rss"):
            parse_feed(body, headers=XML, url="https://x.test/rss")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # Rule: refusing reads the body once; allow ten copies of it plus 1 MB, far below the
    # 100 MB+ an expansion takes (the bypass case expanded to 312 MB).
    assert peak < 10 * len(body) + 1_000_000


def test_doctypes_without_entities_and_quoted_doctypes_pass() -> None:
    plain = (
        b'<?xml version="1.0"?><!DOCTYPE rss PUBLIC "-//N//DTD RSS 0.91//EN" "x.dtd">'
        b'<rss version="2.0"><channel><title>T</title><item><title>a</title>'
        b"<link>https://x.test/a</link></item></channel></rss>"
    )
    assert parse_feed(plain, headers=XML, url="u").entries[0]["title"] == "a"
    # A DOCTYPE or ENTITY quoted inside the document, after the first element, is content.
    quoted = (
        b'<rss version="2.0"><channel><title><![CDATA[<!ENTITY x "y">]]></title></channel></rss>'
    )
    refuse_entities(quoted, url="u")
    assert parse_feed(quoted, headers=XML, url="u").title == '<!ENTITY x "y">'
