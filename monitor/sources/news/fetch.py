"""Fetch one feed over HTTP with hard limits, so that no server can hang or flood the monitor.

feedparser has no timeout and no size cap, so the bytes are fetched here with httpx:
- connect and read timeouts, plus a total deadline per feed checked while streaming (a
  server that trickles one byte a second is cut off at the deadline, not after hours);
- a body cap on the decoded bytes, checked while streaming (a 100 MB body is aborted at the
  cap without being read, and a gzip bomb is cut at the same cap);
- redirects followed by hand, at most `max_redirects`, with loops named as such;
- a User-Agent naming the project and its version;
- ETag / Last-Modified conditional GET: a 304 comes back as `not_modified`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urljoin, urlsplit

import httpx

from monitor import __version__
from monitor.config.feeds_yaml import NewsConfig
from monitor.errors import FetchError

USER_AGENT = f"ai-bubble-monitor/{__version__} (AI bubble-risk monitor; feed reader)"
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml, application/xml;q=0.9, "
    "text/xml;q=0.9, */*;q=0.5"
)
_REDIRECTS = frozenset({301, 302, 303, 307, 308})

Clock = Callable[[], float]


@dataclass(frozen=True, slots=True)
class FetchLimits:
    """The safety limits of one fetch; `deadline` is the total time allowed per feed."""

    deadline: float = 20.0
    connect_timeout: float = 10.0
    read_timeout: float = 10.0
    max_bytes: int = 5_000_000
    max_redirects: int = 5

    @classmethod
    def from_config(cls, news: NewsConfig) -> FetchLimits:
        """Timeouts derived from the one configured deadline: each wait gets at most half."""
        half = news.timeout_seconds / 2
        return cls(
            deadline=news.timeout_seconds,
            connect_timeout=min(10.0, half),
            read_timeout=min(10.0, half),
            max_bytes=news.max_bytes,
        )


@dataclass(frozen=True, slots=True)
class FetchResponse:
    """The outcome of a successful fetch; `content` is empty when not modified (304)."""

    status: Literal["ok", "not_modified"]
    url: str
    content: bytes
    headers: Mapping[str, str]
    etag: str | None
    last_modified: str | None


def make_client(limits: FetchLimits) -> httpx.Client:
    """The shared client: one connection pool for all feeds (httpx.Client is thread-safe)."""
    return httpx.Client(
        headers={"User-Agent": USER_AGENT, "Accept": ACCEPT},
        timeout=_timeout(limits, limits.deadline),
        follow_redirects=False,
        limits=httpx.Limits(max_connections=64, max_keepalive_connections=16),
    )


def fetch_feed(
    client: httpx.Client,
    url: str,
    *,
    limits: FetchLimits,
    etag: str | None = None,
    last_modified: str | None = None,
    clock: Clock = time.monotonic,
) -> FetchResponse:
    """GET `url` within `limits`; raise FetchError saying what went wrong."""
    deadline = clock() + limits.deadline
    seen: list[str] = []
    for _ in range(limits.max_redirects + 1):
        seen.append(url)
        try:
            outcome = _get_once(client, url, limits, deadline, clock, etag, last_modified)
        except httpx.TimeoutException as e:
            raise FetchError(f"timed out ({type(e).__name__}) fetching {url}") from e
        except httpx.HTTPError as e:
            raise FetchError(f"cannot fetch {url}: {type(e).__name__}: {e}") from e
        if isinstance(outcome, FetchResponse):
            return outcome
        url = outcome
        if url in seen:
            raise FetchError(f"redirect loop: {' -> '.join([*seen, url])}")
    raise FetchError(f"too many redirects (more than {limits.max_redirects}) from {seen[0]}")


def _get_once(
    client: httpx.Client,
    url: str,
    limits: FetchLimits,
    deadline: float,
    clock: Clock,
    etag: str | None,
    last_modified: str | None,
) -> FetchResponse | str:
    """One request: the response, or the URL a redirect points to."""
    remaining = _remaining(deadline, clock, url, limits)
    headers = {"User-Agent": USER_AGENT, "Accept": ACCEPT}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    with client.stream(
        "GET", url, headers=headers, timeout=_timeout(limits, remaining), follow_redirects=False
    ) as response:
        if response.status_code in _REDIRECTS:
            return _redirect_target(url, response)
        if response.status_code == 304:
            return _response(response, "not_modified", b"", etag, last_modified)
        if response.status_code >= 400:
            raise FetchError(f"HTTP {response.status_code} {response.reason_phrase} from {url}")
        if response.status_code != 200:
            raise FetchError(f"unexpected HTTP {response.status_code} from {url}")
        body = _read_capped(response, limits, deadline, clock)
        return _response(response, "ok", body, None, None)


def _read_capped(
    response: httpx.Response, limits: FetchLimits, deadline: float, clock: Clock
) -> bytes:
    """The decoded body, aborted past `max_bytes` or past the deadline."""
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limits.max_bytes:
        raise FetchError(
            f"body of {int(declared):,} bytes exceeds the cap of {limits.max_bytes:,} "
            f"from {response.url}"
        )
    chunks: list[bytes] = []
    size = 0
    # No chunk_size: httpx would buffer up to it, and the deadline is checked per read.
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > limits.max_bytes:
            raise FetchError(
                f"body exceeds the cap of {limits.max_bytes:,} bytes from {response.url} "
                "(aborted while streaming)"
            )
        chunks.append(chunk)
        if clock() > deadline:
            raise FetchError(
                f"deadline of {limits.deadline:g} s passed while reading {response.url} "
                f"({size:,} bytes read)"
            )
    return b"".join(chunks)


def _redirect_target(url: str, response: httpx.Response) -> str:
    location = response.headers.get("Location")
    if not location:
        raise FetchError(f"HTTP {response.status_code} redirect without Location from {url}")
    target = str(urljoin(url, location))
    if urlsplit(target).scheme not in ("http", "https"):
        raise FetchError(f"redirect from {url} to a non-HTTP URL {target!r}")
    return target


def _response(
    response: httpx.Response,
    status: Literal["ok", "not_modified"],
    body: bytes,
    etag: str | None,
    last_modified: str | None,
) -> FetchResponse:
    # A 304 may omit the validators; the ones we sent then stay valid.
    return FetchResponse(
        status=status,
        url=str(response.url),
        content=body,
        headers={k.lower(): v for k, v in response.headers.items()},
        etag=response.headers.get("ETag") or etag,
        last_modified=response.headers.get("Last-Modified") or last_modified,
    )


def _remaining(deadline: float, clock: Clock, url: str, limits: FetchLimits) -> float:
    remaining = deadline - clock()
    if remaining <= 0:
        raise FetchError(f"deadline of {limits.deadline:g} s passed before requesting {url}")
    return remaining


def _timeout(limits: FetchLimits, remaining: float) -> httpx.Timeout:
    """Every single wait is bounded by what is left of the deadline."""
    return httpx.Timeout(
        connect=min(limits.connect_timeout, remaining),
        read=min(limits.read_timeout, remaining),
        write=min(limits.read_timeout, remaining),
        pool=remaining,
    )
