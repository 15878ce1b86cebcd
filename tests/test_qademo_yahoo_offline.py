"""Without network, price collection says so at once instead of waiting in yfinance.

Offline, `report` spent ~10 s in yfinance's threaded batch (43 tickers, each failing on
its own) and, against a host that accepts connections and never answers, minutes:
yfinance's cookie and timezone requests keep their own 10-30 s timeouts. The Yahoo
adapter now sends one plain request to Yahoo's API host within its timeout and downloads
nothing when that gets no HTTP answer. These tests run the real yf.download path through a
`requests.Session` whose transport sends every Yahoo URL to a local server on 127.0.0.1
that refuses connections, or accepts them and never answers.
"""

from __future__ import annotations

import logging
import random
import socket
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
from requests.adapters import HTTPAdapter
from yfinance.data import YfData

from monitor.config.feeds_yaml import Config
from monitor.errors import CollectError
from monitor.sources.yahoo.client import Yahoo
from monitor.sources.yahoo.collect_prices import collect_prices
from monitor.sources.yahoo.download import parse_download
from monitor.sources.yahoo.probe import PROBE_URL
from monitor.sources.yahoo.yf_messages import captured_errors
from monitor.store import Store
from tests.conftest import load_prices_replay

# yfinance 1.7 still passes inplace= to pandas, which pandas 3.1 deprecates; not ours.
pytestmark = pytest.mark.filterwarnings("ignore:The inplace keyword")

TICKERS = ["NVDA", "MSFT", "AMD", "AVGO", "TSM", "SPY"]
START, END = date(2025, 1, 2), date(2025, 1, 9)


class ToLocal(HTTPAdapter):
    """Sends every request to 127.0.0.1:`port` (path and query kept), recording the URL
    yfinance asked for: the real transport, only the address changed."""

    def __init__(self, port: int) -> None:
        super().__init__(max_retries=0)
        self.port = port
        self.asked: list[str] = []

    def send(  # type: ignore[override]  # requests' keywords, passed on as they came
        self, request: requests.PreparedRequest, **kwargs: Any
    ) -> requests.Response:
        self.asked.append(str(request.url))
        parts = urlsplit(str(request.url))
        query = f"?{parts.query}" if parts.query else ""
        request.url = f"http://127.0.0.1:{self.port}{parts.path}{query}"
        return super().send(request, **kwargs)


def local_session(port: int) -> tuple[requests.Session, ToLocal]:
    adapter = ToLocal(port)
    session = requests.Session()
    # The adapter rewrites Yahoo's URLs to 127.0.0.1 after requests chose a proxy for the
    # original host: proxies from the environment (conftest's refusing one, a developer's
    # own) would take the request elsewhere.
    session.trust_env = False
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session, adapter


def refused_port() -> int:
    """A port nothing listens on: connecting is refused at once."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


class SilentServer:
    """Accepts connections and never answers (a firewall that swallows packets, a dead
    proxy); keeps every accepted socket open so the client's wait is real."""

    def __init__(self) -> None:
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.port: int = self.listener.getsockname()[1]
        self.accepted: list[socket.socket] = []
        self.silent = True
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            if self.silent:
                self.accepted.append(conn)
            else:
                conn.close()

    def still_waiting(self, conn: socket.socket) -> bool:
        """True while the client keeps `conn` open without having sent EOF."""
        try:
            return conn.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) != b""
        except BlockingIOError:
            return True

    def hang_up(self) -> None:
        """Close every held connection and every later one at once."""
        self.silent = False
        for conn in self.accepted:
            conn.close()

    def close(self) -> None:
        self.hang_up()
        self.listener.close()


@pytest.fixture(autouse=True)
def _fresh_yfinance_state() -> Iterator[None]:
    # yfinance memoises responses per URL, and its cookie per process.
    YfData.cache_get.cache_clear()
    yield
    YfData.cache_get.cache_clear()


@pytest.fixture
def silent() -> Iterator[SilentServer]:
    server = SilentServer()
    yield server
    server.hang_up()  # the abandoned probe's requests now fail at once; let it finish,
    # so it holds no yfinance lock (its cookie) while a later test downloads
    for thread in threading.enumerate():
        if thread.name == "yahoo-probe":
            thread.join(timeout=60)
    server.close()


def requested_symbols(adapter: ToLocal) -> set[str]:
    """The symbols of the chart requests yfinance made."""
    return {
        urlsplit(url).path.rsplit("/", 1)[1] for url in adapter.asked if "/finance/chart/" in url
    }


def test_a_refused_connection_fails_before_any_ticker_is_asked_for(tmp_path: Path) -> None:
    session, adapter = local_session(refused_port())
    yahoo = Yahoo(session=session, timeout=5, cache_dir=tmp_path / "yf")
    with pytest.raises(CollectError) as caught:
        yahoo.download(TICKERS, start=START, end=END)
    message = str(caught.value)
    assert message.startswith("Yahoo unreachable (before asking for NVDA): ConnectionError")
    assert "Connection refused" in message
    assert adapter.asked == [PROBE_URL]  # one request, and no ticker's
    assert not yahoo.reached


def test_a_host_that_never_answers_is_given_up_after_the_adapters_timeout(
    silent: SilentServer, tmp_path: Path
) -> None:
    session, adapter = local_session(silent.port)
    yahoo = Yahoo(session=session, timeout=1, cache_dir=tmp_path / "yf")
    with pytest.raises(CollectError) as caught:
        yahoo.download(TICKERS, start=START, end=END)
    message = str(caught.value)
    assert message.startswith("Yahoo unreachable (before asking for NVDA): ")
    # Given up on the adapter's 1 s (yfinance's own cookie request would wait 30 s).
    assert "no answer within 1 s" in message or "read timeout=1)" in message
    assert len(silent.accepted) == 1 and adapter.asked == [PROBE_URL]


def test_collect_prices_stops_at_once_and_names_every_ticker(store: Store, tmp_path: Path) -> None:
    session, _ = local_session(refused_port())
    yahoo = Yahoo(session=session, timeout=5, cache_dir=tmp_path / "yf")
    slept: list[float] = []
    config = Config.model_validate(
        {"basket": ["NVDA", "MSFT", "AMD"], "benchmarks": ["SPY"], "prices": {"max_retries": 4}}
    )
    result = collect_prices(
        store,
        config,
        now=datetime(2025, 1, 9, 22, tzinfo=UTC),
        downloader=yahoo.download,
        sleep=slept.append,
        rng=random.Random(1),
    )
    assert result.downloads == 1 and slept == []  # no retries, no backoff
    assert result.all_failed
    assert [o.ticker for o in result.tickers] == ["NVDA", "MSFT", "AMD", "SPY"]
    for outcome in result.tickers:
        assert outcome.reason.startswith("Yahoo unreachable (before asking for NVDA)"), outcome
    assert result.failure().startswith("4 of 4 tickers (first: NVDA: Yahoo unreachable")


def test_online_any_http_answer_lets_the_batch_through_and_later_ones_skip_the_probe() -> None:
    replay = load_prices_replay()
    adapter = replay.ReplayAdapter()  # answers the probe's GET with a 404
    yahoo = Yahoo(session=replay.replay_session(adapter), timeout=5)
    tickers = ["NVDA", "SPY", "^VIX", "NOSUCH"]
    frame = yahoo.download(tickers, start=date(2025, 1, 3), end=date(2025, 1, 8))
    parsed = parse_download(frame, tickers)
    assert sorted(parsed.bars) == ["NVDA", "SPY", "^VIX"] and set(parsed.failures) == {"NOSUCH"}
    assert [b.close for b in parsed.bars["NVDA"]] == [144.47, 149.43, 140.14]
    assert adapter.requests[0] == PROBE_URL and yahoo.reached
    before = len(adapter.requests)
    yahoo.download(["SPY"], start=date(2025, 1, 2), end=date(2025, 1, 9))
    assert PROBE_URL not in adapter.requests[before:]


def test_a_capture_that_ends_first_leaves_a_later_ones_messages_alone() -> None:
    # An abandoned probe finishes (its capture ends) while the next download still runs.
    logger = logging.getLogger("yfinance")
    before = (logger.level, logger.propagate, list(logger.handlers))
    probe, batch = captured_errors(), captured_errors()
    probe_messages = probe.__enter__()
    batch_messages = batch.__enter__()
    probe.__exit__(None, None, None)
    logger.error("Failed to get ticker 'MSFT' reason: Connection refused")
    batch.__exit__(None, None, None)
    assert batch_messages == ["Failed to get ticker 'MSFT' reason: Connection refused"]
    assert probe_messages == []
    assert (logger.level, logger.propagate, list(logger.handlers)) == before
