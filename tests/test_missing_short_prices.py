"""No reading from prices too short for any market component says so: a store of 40
sessions said only "headlines: none stored", as if its prices were usable."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd

from monitor.config.feeds_yaml import Config
from monitor.reading.missing import missing_inputs
from monitor.store import Store
from monitor.store.prices import upsert_bars
from signals.models import PriceBar

NOW = datetime(2026, 12, 7, 12, tzinfo=UTC)


def _sessions(store: Store, n: int) -> None:
    days = pd.bdate_range(end="2026-12-04", periods=n)
    bars = [PriceBar(t, d.date(), 100.0 + i) for t in ("NVDA", "MSFT") for i, d in enumerate(days)]
    upsert_bars(store, bars, fetched_at=NOW)


def test_forty_sessions_are_named_as_too_short(store: Store) -> None:
    _sessions(store, 40)
    lines = missing_inputs(store, Config(basket=("NVDA", "MSFT")), NOW)
    assert lines[0].startswith("prices: at most 40 sessions stored per ticker")
    assert "need 126 (about six months)" in lines[0]
    assert lines[1].startswith("headlines: none stored")


def test_six_months_of_sessions_are_not_missing(store: Store) -> None:
    _sessions(store, 126)
    lines = missing_inputs(store, Config(basket=("NVDA", "MSFT")), NOW)
    assert [line.split(":")[0] for line in lines] == ["headlines"]


def test_no_headlines_without_feeds_does_not_send_the_user_to_collect_news(store: Store) -> None:
    # Before: "run `bubble-monitor collect news`", which does nothing when feeds.yaml
    # configures no feed.
    from monitor.config.feeds import FeedConfig

    _sessions(store, 126)
    (line,) = missing_inputs(store, Config(basket=("NVDA", "MSFT")), NOW)
    assert line.startswith("headlines: none stored and no feeds configured")
    assert "import-headlines" in line and "collect news" not in line
    feed = FeedConfig(name="wire", url="https://news.example/rss")
    (line,) = missing_inputs(store, Config(basket=("NVDA", "MSFT"), feeds=(feed,)), NOW)
    assert line == "headlines: none stored; run `bubble-monitor collect news`"
