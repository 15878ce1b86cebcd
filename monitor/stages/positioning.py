"""The positioning stage: short interest of every segment's names (yfinance Ticker.info)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from monitor.reading.smart_money import segment_baskets
from monitor.sources.yahoo.collect_short_interest import PositioningResult, collect_positioning

if TYPE_CHECKING:
    from monitor.app import App


def run_positioning(app: App) -> PositioningResult:
    """Fetch and store short interest; a run where every ticker failed says so in its
    `total_failure()`, which the service records as a failed job."""
    tickers = list(dict.fromkeys(t for ts in segment_baskets(app.config).values() for t in ts))
    return collect_positioning(app.store, tickers, now=app.clock(), fetch=app.info_fetcher)
