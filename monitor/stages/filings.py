"""The filings stage: new 13F filings of the configured funds from SEC EDGAR."""

from __future__ import annotations

from typing import TYPE_CHECKING

from monitor.errors import CollectError
from monitor.reading.smart_money import segment_baskets
from monitor.sources.edgar.collect import FilingsResult, collect_filings

if TYPE_CHECKING:
    from monitor.app import App


def run_filings(app: App) -> FilingsResult:
    """Read every fund; ConfigError without BUBBLE_MONITOR_SEC_USER_AGENT (EDGAR's rule),
    CollectError when every fund failed."""
    tickers = frozenset(t for ts in segment_baskets(app.config).values() for t in ts)
    sm = app.config.smart_money
    result = collect_filings(app.store, sm, app.edgar(), now=app.clock(), tickers=tickers)
    if result.funds and result.count("failed") == len(result.funds):
        first = result.funds[0]
        reason = first.errors[0] if first.errors else "unknown"
        raise CollectError(f"13F filings failed for every fund (first: {first.fund}: {reason})")
    return result
