"""The positioning stage: short interest of every segment's names (yfinance Ticker.info)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from monitor.errors import CollectError
from monitor.reading.smart_money import segment_baskets
from monitor.sources.yahoo.collect_short_interest import PositioningResult, collect_positioning

if TYPE_CHECKING:
    from monitor.app import App


def run_positioning(app: App) -> PositioningResult:
    """Fetch and store short interest; CollectError when every ticker failed (Yahoo down
    or blocking us), so the service counts a failed job rather than an empty success."""
    tickers = list(dict.fromkeys(t for ts in segment_baskets(app.config).values() for t in ts))
    result = collect_positioning(app.store, tickers, now=app.clock(), fetch=app.info_fetcher)
    failed = [t for t in result.tickers if t.status == "failed"]
    if failed and len(failed) == len(result.tickers):
        raise CollectError(f"short interest failed for every ticker (first: {failed[0].reason})")
    return result
