"""The filings stage: new 13F filings of the configured funds from SEC EDGAR."""

from __future__ import annotations

from typing import TYPE_CHECKING

from monitor.reading.smart_money import segment_baskets
from monitor.sources.edgar.collect import FilingsResult, collect_filings

if TYPE_CHECKING:
    from monitor.app import App


def run_filings(app: App) -> FilingsResult:
    """Read every fund; ConfigError without BUBBLE_MONITOR_SEC_USER_AGENT (EDGAR's rule).
    A run where every fund failed says so in its `total_failure()`."""
    tickers = frozenset(t for ts in segment_baskets(app.config).values() for t in ts)
    sm = app.config.smart_money
    return collect_filings(app.store, sm, app.edgar(), now=app.clock(), tickers=tickers)
