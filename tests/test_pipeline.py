"""The pipeline's stages wired together, with injected seams (price downloader, HTTP)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import numpy as np
import pandas as pd
import pytest
from pytest_httpserver import HTTPServer

from monitor.config import Config, FeedConfig, PricesConfig
from monitor.errors import StoreError
from monitor.pipeline import Context, run_all
from monitor.store import Store

NOW = datetime(2026, 11, 27, 22, 0, tzinfo=UTC)


def yf_frame(tickers: list[str], start: date, end: date) -> pd.DataFrame:
    """A frame shaped as yf.download(group_by="column", multi_level_index=True) returns.
    Each ticker's closes are one fixed path, so an overlapping re-download agrees."""
    every_day = pd.bdate_range("2020-01-01", "2027-01-01")
    days = pd.bdate_range(start, end, inclusive="left")
    data = {}
    for seed, ticker in enumerate(tickers):
        rng = np.random.default_rng(seed)
        path = pd.Series(100 * np.exp(np.cumsum(rng.normal(0.001, 0.02, len(every_day)))),
                         index=every_day)
        data[("Close", ticker)] = path.loc[days].to_numpy()
    frame = pd.DataFrame(data, index=days)
    frame.columns = pd.MultiIndex.from_tuples(frame.columns, names=["Price", "Ticker"])
    return frame


class FakeDownloader:
    def __init__(self, fail: bool = False) -> None:
        self.fail = fail
        self.calls: list[tuple[list[str], date, date]] = []

    def __call__(self, tickers: Any, *, start: date, end: date) -> pd.DataFrame:
        self.calls.append((list(tickers), start, end))
        return pd.DataFrame() if self.fail else yf_frame(list(tickers), start, end)


def config(feed_url: str) -> Config:
    return Config(
        basket=("NVDA", "AMD"),
        feeds=(FeedConfig(name="broken", url=feed_url),),  # type: ignore[arg-type]
        prices=PricesConfig(history_days=700, max_retries=0),
    )


def test_failed_collection_is_named_when_there_is_nothing_to_compute(
    httpserver: HTTPServer, store: Store
) -> None:
    httpserver.expect_request("/feed.xml").respond_with_data("gone", status=404)
    ctx = Context(config(httpserver.url_for("/feed.xml")), store,
                  clock=lambda: NOW, downloader=FakeDownloader(fail=True))
    with pytest.raises(StoreError) as err:
        run_all(ctx, send=False)
    message = str(err.value)
    assert "run `bubble-monitor collect` first" in message
    assert "2 of 2 tickers (first: NVDA: yfinance returned an empty frame" in message
    assert "1 of 1 feeds (first: broken: " in message and "404" in message


def test_prices_alone_make_a_reading_and_a_rerun_doubles_nothing(
    httpserver: HTTPServer, store: Store
) -> None:
    httpserver.expect_request("/feed.xml").respond_with_data("gone", status=404)
    downloader = FakeDownloader()
    ctx = Context(config(httpserver.url_for("/feed.xml")), store,
                  clock=lambda: NOW, downloader=downloader)
    first = run_all(ctx, send=False)
    assert first.prices is not None and first.prices.failed == ()
    market = {c.name: c.value for c in first.reading.components if c.kind == "market"}
    assert market["runup_1y"] is not None  # the v2 reading's fitted features
    assert first.reading.probability is not None
    assert 0 <= first.reading.index <= 100
    rows = store.conn.execute("SELECT COUNT(*) FROM prices").fetchone()[0]

    second = run_all(ctx, send=False)
    assert store.conn.execute("SELECT COUNT(*) FROM prices").fetchone()[0] == rows
    assert second.reading.index == pytest.approx(first.reading.index)
    assert store.conn.execute("SELECT COUNT(*) FROM index_readings").fetchone()[0] == 1
    # The second collect only asked for the overlap, not the whole history again.
    assert (downloader.calls[1][2] - downloader.calls[1][1]).days < 30
