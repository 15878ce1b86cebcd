"""Per-feed state: HTTP validators, last success, consecutive failures and backoff.

A feed that fails waits before its next try, doubling each time (10 min, 20, 40 ... capped at
12 h), so a dead server costs one request now and then instead of one per run. A success
resets the count. When a feed's URL changes in feeds.yaml its old validators and backoff are
ignored, because they described another resource.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta

from monitor.store.db import Store
from monitor.store.stamps import stamp, stamp_or_none

BACKOFF_BASE = timedelta(minutes=10)
BACKOFF_CAP = timedelta(hours=12)
MAX_ERROR_CHARS = 500


@dataclass(frozen=True, slots=True)
class FeedState:
    """What the store remembers about one feed between runs."""

    feed: str
    url: str
    etag: str | None = None
    last_modified: str | None = None
    last_attempt: datetime | None = None
    last_success: datetime | None = None
    consecutive_failures: int = 0
    next_try: datetime | None = None
    last_error: str | None = None
    items_seen: int = 0

    def due(self, now: datetime) -> bool:
        """True when the feed is not backing off at `now`."""
        return self.next_try is None or self.next_try <= now


def backoff_delay(failures: int) -> timedelta:
    """The wait after `failures` consecutive failures (>= 1)."""
    if failures <= 0:
        return timedelta(0)
    return min(BACKOFF_BASE * (1 << min(failures - 1, 16)), BACKOFF_CAP)


def feed_states(store: Store) -> dict[str, FeedState]:
    rows = store.conn.execute("SELECT * FROM feed_state ORDER BY feed").fetchall()
    return {row["feed"]: _state(row) for row in rows}


def feed_state(store: Store, feed: str, url: str) -> FeedState:
    """The state of `feed`, fresh (no validators, no backoff) if unknown or its URL changed."""
    row = store.conn.execute("SELECT * FROM feed_state WHERE feed = ?", (feed,)).fetchone()
    if row is None or row["url"] != url:
        return FeedState(feed=feed, url=url)
    return _state(row)


def record_feed_success(
    store: Store,
    feed: str,
    url: str,
    *,
    now: datetime,
    etag: str | None,
    last_modified: str | None,
    items: int,
) -> None:
    """A fetch that worked (200 or 304): validators kept, failures reset."""
    with store.writing() as conn:
        _upsert_success(conn, feed, url, now, etag, last_modified, items)


def _upsert_success(
    conn: sqlite3.Connection,
    feed: str,
    url: str,
    now: datetime,
    etag: str | None,
    last_modified: str | None,
    items: int,
) -> None:
    conn.execute(
        """
        INSERT INTO feed_state (feed, url, etag, last_modified, last_attempt, last_success,
                                consecutive_failures, next_try, last_error, items_seen)
        VALUES (?, ?, ?, ?, ?, ?, 0, NULL, NULL, ?)
        ON CONFLICT (feed) DO UPDATE SET
            url = excluded.url, etag = excluded.etag, last_modified = excluded.last_modified,
            last_attempt = excluded.last_attempt, last_success = excluded.last_success,
            consecutive_failures = 0, next_try = NULL, last_error = NULL,
            items_seen = CASE WHEN feed_state.url = excluded.url
                              THEN feed_state.items_seen + excluded.items_seen
                              ELSE excluded.items_seen END
        """,
        (feed, url, etag, last_modified, stamp(now), stamp(now), items),
    )


def record_feed_failure(
    store: Store, feed: str, url: str, *, now: datetime, error: str
) -> FeedState:
    """A failed fetch or parse: count it, set the next try, keep the error text."""
    with store.writing() as conn:
        return _count_failure(conn, feed_state(store, feed, url), now, error)


def _count_failure(
    conn: sqlite3.Connection, previous: FeedState, now: datetime, error: str
) -> FeedState:
    feed, url = previous.feed, previous.url
    failures = previous.consecutive_failures + 1
    state = FeedState(
        feed=feed,
        url=url,
        etag=previous.etag,
        last_modified=previous.last_modified,
        last_attempt=now,
        last_success=previous.last_success,
        consecutive_failures=failures,
        next_try=now + backoff_delay(failures),
        last_error=error[:MAX_ERROR_CHARS],
        items_seen=previous.items_seen,
    )
    conn.execute(
        """
        INSERT INTO feed_state (feed, url, etag, last_modified, last_attempt,
            last_success, consecutive_failures, next_try, last_error, items_seen)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (feed) DO UPDATE SET url = excluded.url, etag = excluded.etag,
            last_modified = excluded.last_modified, last_attempt = excluded.last_attempt,
            last_success = excluded.last_success,
            consecutive_failures = excluded.consecutive_failures,
            next_try = excluded.next_try, last_error = excluded.last_error,
            items_seen = excluded.items_seen
        """,
        (
            state.feed, state.url, state.etag, state.last_modified, stamp(now),
            stamp_or_none(state.last_success), failures, stamp_or_none(state.next_try),
            state.last_error, state.items_seen,
        ),
    )  # fmt: skip
    return state


def _state(row: sqlite3.Row) -> FeedState:
    return FeedState(
        feed=row["feed"],
        url=row["url"],
        etag=row["etag"],
        last_modified=row["last_modified"],
        last_attempt=_dt(row["last_attempt"]),
        last_success=_dt(row["last_success"]),
        consecutive_failures=int(row["consecutive_failures"]),
        next_try=_dt(row["next_try"]),
        last_error=row["last_error"],
        items_seen=int(row["items_seen"]),
    )


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None
