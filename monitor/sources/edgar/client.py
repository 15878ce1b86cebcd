"""A polite SEC EDGAR client: declared User-Agent, paced requests, conditional GET, retries.

EDGAR's fair-access policy asks every automated client to declare who it is in the
User-Agent ("Sample Company Name AdminContact@example.com") and to stay under 10
requests a second; it answers 403 to undeclared tools and 429 to fast ones. So the client
refuses to start without `BUBBLE_MONITOR_SEC_USER_AGENT`, spaces its requests at a
configurable rate below that limit, honours Retry-After, and sends the ETag and
Last-Modified it saw last time so an unchanged submissions file costs a 304. A body is
streamed and refused past MAX_BYTES (decoded), so a huge or a gzip-bomb answer is never
held whole. Base URLs come from the environment, for tests and mirrors.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Final

import httpx

from monitor.errors import ConfigError, FetchError
from monitor.store.filings import Validators

USER_AGENT_ENV: Final = "BUBBLE_MONITOR_SEC_USER_AGENT"
DATA_URL_ENV: Final = "BUBBLE_MONITOR_SEC_DATA_URL"
ARCHIVES_URL_ENV: Final = "BUBBLE_MONITOR_SEC_ARCHIVES_URL"
DEFAULT_DATA_URL: Final = "https://data.sec.gov"
DEFAULT_ARCHIVES_URL: Final = "https://www.sec.gov/Archives"
MAX_BYTES: Final = 50_000_000
_USER_AGENT = re.compile(r"^\S.*\s\S+@\S+\.\S+$")


@dataclass(frozen=True, slots=True)
class SecSettings:
    user_agent: str
    data_url: str = DEFAULT_DATA_URL
    archives_url: str = DEFAULT_ARCHIVES_URL

    def submissions_url(self, cik: int) -> str:
        return f"{self.data_url}/submissions/CIK{cik:010d}.json"

    def filing_url(self, cik: int, accession: str, name: str = "index.json") -> str:
        return f"{self.archives_url}/edgar/data/{cik}/{accession.replace('-', '')}/{name}"


def sec_settings(env: Mapping[str, str] | None = None) -> SecSettings:
    """Read the EDGAR settings; ConfigError when the User-Agent is missing or malformed."""
    env = os.environ if env is None else env
    agent = env.get(USER_AGENT_ENV, "").strip()
    if not agent:
        raise ConfigError(
            f"{USER_AGENT_ENV} is not set: SEC EDGAR requires a declared User-Agent with a "
            f'name and an e-mail address, e.g. {USER_AGENT_ENV}="Jane Doe jane@example.com"'
        )
    if not _USER_AGENT.match(agent):
        raise ConfigError(
            f"{USER_AGENT_ENV}={agent!r} needs a name and an e-mail address, "
            'like "Jane Doe jane@example.com" (EDGAR blocks undeclared tools)'
        )
    return SecSettings(
        agent,
        _base(env, DATA_URL_ENV, DEFAULT_DATA_URL),
        _base(env, ARCHIVES_URL_ENV, DEFAULT_ARCHIVES_URL),
    )


def _base(env: Mapping[str, str], name: str, default: str) -> str:
    url = env.get(name, "").strip() or default
    if not re.match(r"^https?://[^/\s]+", url):
        raise ConfigError(f"{name} must be an http(s) URL ({url!r})")
    return url.rstrip("/")


@dataclass(frozen=True, slots=True)
class EdgarResponse:
    status: int  # 200, or 304 when the validators still hold
    body: bytes
    validators: Validators


class EdgarClient:
    """GETs from EDGAR, at most `requests_per_second`, retrying 429 and 5xx."""

    def __init__(
        self,
        settings: SecSettings,
        *,
        client: httpx.Client | None = None,
        requests_per_second: float = 5.0,
        max_retries: int = 3,
        timeout: float = 30.0,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.settings = settings
        self.client = client or httpx.Client(timeout=timeout, follow_redirects=True)
        self.interval = 1.0 / requests_per_second
        self.max_retries = max_retries
        self.sleep, self.clock = sleep, clock
        self._last: float | None = None
        self.requests = 0

    def close(self) -> None:
        self.client.close()

    def get(self, url: str, validators: Validators | None = None) -> EdgarResponse:
        for attempt in range(self.max_retries + 1):
            response = self._send(url, validators)
            if response.status_code not in (429, 500, 502, 503, 504):
                return self._result(url, response)
            if attempt < self.max_retries:
                self.sleep(_retry_after(response, attempt))
        raise FetchError(
            f"{url}: HTTP {response.status_code} after {self.max_retries + 1} attempts; "
            "EDGAR is rate-limiting or down, try later (or lower sec_requests_per_second)"
        )

    def _send(self, url: str, validators: Validators | None) -> _Raw:
        self._pace()
        headers = {"User-Agent": self.settings.user_agent, "Accept-Encoding": "gzip, deflate"}
        if validators is not None and validators.etag:
            headers["If-None-Match"] = validators.etag
        if validators is not None and validators.last_modified:
            headers["If-Modified-Since"] = validators.last_modified
        try:
            request = self.client.build_request("GET", url, headers=headers)
            response = self.client.send(request, stream=True)
            try:
                return _Raw(response.status_code, response.headers, _capped(url, response))
            finally:
                response.close()
        except httpx.HTTPError as e:
            raise FetchError(f"{url}: {type(e).__name__}: {e}") from e
        finally:
            self._last = self.clock()
            self.requests += 1

    def _pace(self) -> None:
        if self._last is not None:
            wait = self._last + self.interval - self.clock()
            if wait > 0:
                self.sleep(wait)

    def _result(self, url: str, response: _Raw) -> EdgarResponse:
        validators = Validators(response.headers.get("ETag"), response.headers.get("Last-Modified"))
        if response.status_code == 304:
            return EdgarResponse(304, b"", validators)
        if response.status_code == 403:
            raise FetchError(
                f"{url}: 403 Forbidden: EDGAR refused the request; it blocks clients without "
                f"a declared User-Agent: check {USER_AGENT_ENV} (a name and an e-mail)"
            )
        if response.status_code != 200:
            raise FetchError(f"{url}: HTTP {response.status_code}")
        return EdgarResponse(200, response.content, validators)


@dataclass(frozen=True, slots=True)
class _Raw:
    """A response read whole (under the cap), its connection already released."""

    status_code: int
    headers: httpx.Headers
    content: bytes


def _capped(url: str, response: httpx.Response) -> bytes:
    """The decoded body, read until MAX_BYTES: a larger one (a huge or a decompression-bomb
    body) is refused as soon as it is known to be too large, never held whole."""
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > MAX_BYTES and response.status_code == 200:
        raise FetchError(f"{url}: {int(declared):,} bytes, over the {MAX_BYTES:,} cap")
    body = bytearray()
    for chunk in response.iter_bytes():
        body += chunk
        if len(body) > MAX_BYTES:
            raise FetchError(f"{url}: over {MAX_BYTES:,} bytes, the cap; stopped reading")
    return bytes(body)


def _retry_after(response: _Raw, attempt: int) -> float:
    """Retry-After in seconds when given (capped at 5 minutes), else 1, 2, 4... seconds."""
    value = response.headers.get("Retry-After", "")
    if value.strip().isdigit():
        return min(float(value), 300.0)
    return float(2**attempt)
