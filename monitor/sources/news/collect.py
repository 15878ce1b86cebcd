"""The collect_news stage: fetch every due feed concurrently, parse, clean, store, group.

Feeds are fetched and parsed in worker threads (one shared httpx.Client, at most
`news.concurrency` at a time); all database writes happen on the calling thread, one
transaction per feed (its new headlines and its state together), so a crash mid-run keeps
the feeds already done. Any exception in one feed is caught, recorded in its state with a
backoff, and the others go on. Re-running the stage inserts nothing already stored.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

import httpx

from monitor.config.feeds_yaml import Config, FeedConfig, NewsConfig
from monitor.config.secrets import redact
from monitor.errors import BubbleMonitorError, ParseError
from monitor.sources.news.fetch import FetchLimits, fetch_feed, make_client
from monitor.sources.news.normalise import FeedContext, to_headline
from monitor.sources.news.parse import parse_feed
from monitor.sources.news.stories import group_pending_stories
from monitor.store.db import Store
from monitor.store.feeds import FeedState, feed_state, record_feed_failure, record_feed_success
from monitor.store.headlines import insert_headlines
from signals.classifier.encoder import Embedder
from signals.models import Headline

FeedStatus = Literal["new", "unchanged", "failed", "skipped"]


@dataclass(frozen=True, slots=True)
class FeedResult:
    """One feed's outcome. status: "new" (fetched; `new` rows stored, maybe 0),
    "unchanged" (HTTP 304), "failed" (`error` says why), "skipped" (backing off until
    `next_try`). `warning` holds a parse problem of a feed that still yielded items."""

    name: str
    url: str
    status: FeedStatus
    new: int = 0
    entries: int = 0
    error: str | None = None
    warning: str | None = None
    next_try: datetime | None = None


@dataclass(frozen=True, slots=True)
class NewsCollectResult:
    """The whole stage: a result per enabled feed, the new headline ids, story grouping."""

    feeds: tuple[FeedResult, ...]
    new_ids: tuple[int, ...]
    #: The story id given to each newly grouped headline (None: no embedder, not grouped).
    stories: Mapping[int, int] | None

    @property
    def new(self) -> int:
        return len(self.new_ids)

    def count(self, status: FeedStatus) -> int:
        return sum(1 for f in self.feeds if f.status == status)

    def total_failure(self) -> str | None:
        """Why the whole source failed: every feed fetched this run failed (feeds skipped
        while backing off do not count either way). None if any feed answered."""
        fetched = [f for f in self.feeds if f.status != "skipped"]
        if not fetched or any(f.status != "failed" for f in fetched):
            return None
        first = fetched[0]
        n = len(fetched)
        which = "the one feed asked" if n == 1 else f"all {n} feeds asked"
        return f"{which} failed (first: {first.name}: {first.error})"


@dataclass(frozen=True, slots=True)
class _Fetched:
    """What a worker thread hands back: parsed headlines and the HTTP validators."""

    status: Literal["ok", "not_modified"]
    headlines: tuple[Headline, ...]
    entries: int
    etag: str | None
    last_modified: str | None
    warning: str | None
    #: Entries with a title: a cut-off body still yields an empty entry or two.
    titled: int = 0


def collect_news(
    store: Store,
    config: Config,
    *,
    now: datetime,
    client: httpx.Client | None = None,
    embedder: Embedder | None = None,
    on_feed_done: Callable[[FeedResult], None] | None = None,
) -> NewsCollectResult:
    """Collect every enabled feed into the store; group new headlines into stories when an
    embedder is given (without one they stay ungrouped until a later run has one)."""
    news = config.news
    limits = FetchLimits.from_config(news)
    feeds = [f for f in config.feeds if f.enabled]
    results: list[FeedResult] = []
    new_ids: list[int] = []
    due: list[tuple[FeedConfig, FeedState]] = []
    for feed in feeds:
        state = feed_state(store, feed.name, str(feed.url))
        if state.due(now):
            due.append((feed, state))
        else:
            results.append(_done(_skipped(feed, state), on_feed_done))
    own_client = client is None
    http = make_client(limits) if client is None else client
    try:
        for result, ids in _run(store, http, due, news, limits, now):
            new_ids.extend(ids)
            results.append(_done(result, on_feed_done))
    finally:
        if own_client:
            http.close()
    stories = None
    if embedder is not None:
        stories = group_pending_stories(
            store,
            embedder,
            similarity=news.story_similarity,
            window=timedelta(hours=news.story_window_hours),
        )
    order = {f.name: i for i, f in enumerate(feeds)}
    results.sort(key=lambda r: order[r.name])
    return NewsCollectResult(feeds=tuple(results), new_ids=tuple(new_ids), stories=stories)


def _run(
    store: Store,
    client: httpx.Client,
    due: Sequence[tuple[FeedConfig, FeedState]],
    news: NewsConfig,
    limits: FetchLimits,
    now: datetime,
) -> list[tuple[FeedResult, list[int]]]:
    """Fetch in threads; store each feed on this thread as soon as it is done."""
    done: list[tuple[FeedResult, list[int]]] = []
    if not due:
        return done
    workers = min(news.concurrency, len(due))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="feed") as pool:
        futures: dict[Future[_Fetched], FeedConfig] = {
            pool.submit(_fetch_one, client, feed, state, news, limits, now): feed
            for feed, state in due
        }
        for future in as_completed(futures):
            done.append(_store_one(store, futures[future], future, now))
    return done


def _fetch_one(
    client: httpx.Client,
    feed: FeedConfig,
    state: FeedState,
    news: NewsConfig,
    limits: FetchLimits,
    now: datetime,
) -> _Fetched:
    url = str(feed.url)
    response = fetch_feed(
        client, url, limits=limits, etag=state.etag, last_modified=state.last_modified
    )
    if response.status == "not_modified":
        return _Fetched("not_modified", (), 0, response.etag, response.last_modified, None)
    parsed = parse_feed(response.content, headers=response.headers, url=response.url)
    context = FeedContext(
        name=feed.name,
        url=response.url,
        title=parsed.title,
        now=now,
        max_age=timedelta(days=news.max_age_days),
    )
    headlines = tuple(h for e in parsed.entries if (h := to_headline(e, context)) is not None)
    titled = sum(1 for e in parsed.entries if str(e.get("title") or "").strip())
    return _Fetched(
        "ok",
        headlines,
        len(parsed.entries),
        response.etag,
        response.last_modified,
        parsed.error,
        titled,
    )


def _store_one(
    store: Store, feed: FeedConfig, future: Future[_Fetched], now: datetime
) -> tuple[FeedResult, list[int]]:
    url = str(feed.url)
    try:
        fetched = future.result()
        if fetched.status == "ok" and not fetched.titled and fetched.warning:
            # A body that parsed to nothing with an error (cut off, broken markup) is a
            # failing feed: recorded as a success, it read healthy in doctor, /healthz and
            # the page for as long as it stayed broken.
            raise ParseError(f"malformed feed, no entry read: {fetched.warning}")
    except Exception as e:  # one feed's failure, whatever it is, stays its own
        error = _describe(e)
        state = record_feed_failure(store, feed.name, url, now=now, error=error)
        return FeedResult(feed.name, url, "failed", error=error, next_try=state.next_try), []
    with store.writing():
        ids = insert_headlines(store, fetched.headlines, fetched_at=now)
        record_feed_success(
            store,
            feed.name,
            url,
            now=now,
            etag=fetched.etag,
            last_modified=fetched.last_modified,
            items=len(ids),
        )
    status: FeedStatus = "unchanged" if fetched.status == "not_modified" else "new"
    result = FeedResult(
        feed.name,
        url,
        status,
        new=len(ids),
        entries=fetched.entries,
        warning=None if fetched.warning is None else redact(fetched.warning),
    )
    return result, ids


def _skipped(feed: FeedConfig, state: FeedState) -> FeedResult:
    return FeedResult(
        feed.name,
        str(feed.url),
        "skipped",
        error=state.last_error,
        next_try=state.next_try,
    )


def _done(result: FeedResult, callback: Callable[[FeedResult], None] | None) -> FeedResult:
    if callback is not None:
        callback(result)
    return result


def _describe(error: BaseException) -> str:
    """The error as stored, logged and printed: a credential in the feed's URL redacted."""
    text = (
        str(error) if isinstance(error, BubbleMonitorError) else f"{type(error).__name__}: {error}"
    )
    return redact(text)
