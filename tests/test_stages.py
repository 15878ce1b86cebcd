"""The pipeline's stages wired together, with injected seams (price downloader, HTTP)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pytest_httpserver import HTTPServer

from monitor.config.feeds_yaml import Config, FeedConfig, PricesConfig
from monitor.errors import NoReadingError
from monitor.stages.pipeline import run_all
from monitor.store import Store
from tests.fakes import FakeDownloader, make_app

NOW = datetime(2026, 11, 27, 22, 0, tzinfo=UTC)


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
    failing = FakeDownloader(fail=True)
    url = httpserver.url_for("/feed.xml")
    ctx = make_app(config(url), store, clock=lambda: NOW, downloader=failing)
    with pytest.raises(NoReadingError) as err:
        run_all(ctx, send=False)
    message = str(err.value)
    assert "prices: no close stored for any of the" in message
    assert "run `bubble-monitor collect prices`" in message
    assert err.value.missing[-1].startswith("this run's collection failed: 2 of 2 tickers")
    assert "2 of 2 tickers (first: NVDA: yfinance returned an empty frame" in message
    assert "1 of 1 feeds (first: broken: " in message and "404" in message


def test_prices_alone_make_a_reading_and_a_rerun_doubles_nothing(
    httpserver: HTTPServer, store: Store
) -> None:
    httpserver.expect_request("/feed.xml").respond_with_data("gone", status=404)
    downloader = FakeDownloader()
    url = httpserver.url_for("/feed.xml")
    ctx = make_app(config(url), store, clock=lambda: NOW, downloader=downloader)
    first = run_all(ctx, send=False)
    assert first.prices is not None and first.prices.failed == ()
    market = {c.name: c.value for c in first.index.reading.components if c.kind == "market"}
    assert market["runup_1y"] is not None  # the v2 reading's fitted features
    assert first.index.reading.probability is not None
    assert 0 <= first.index.reading.index <= 100
    rows = store.conn.execute("SELECT COUNT(*) FROM prices").fetchone()[0]

    second = run_all(ctx, send=False)
    assert store.conn.execute("SELECT COUNT(*) FROM prices").fetchone()[0] == rows
    assert second.index.reading.index == pytest.approx(first.index.reading.index)
    assert store.conn.execute("SELECT COUNT(*) FROM index_readings").fetchone()[0] == 1
    # The second collect only asked for the overlap, not the whole history again.
    assert (downloader.calls[1][2] - downloader.calls[1][1]).days < 30
