"""The fundamentals stage: XBRL companyfacts of the configured companies from SEC EDGAR."""

from __future__ import annotations

from typing import TYPE_CHECKING

from monitor.errors import CollectError
from monitor.sources.edgar.fundamentals import (
    FundamentalsResult,
    collect_fundamentals,
    fundamentals_tickers,
)

if TYPE_CHECKING:
    from monitor.app import App


def run_fundamentals(app: App) -> FundamentalsResult:
    """Read every company; ConfigError without BUBBLE_MONITOR_SEC_USER_AGENT (EDGAR's
    rule), CollectError when every company that SEC covers failed."""
    result = collect_fundamentals(
        app.store,
        app.config.fundamentals,
        fundamentals_tickers(app.config),
        app.edgar(),
        now=app.clock(),
    )
    tried = [c for c in result.companies if c.status != "not_covered"]
    if tried and all(c.status == "failed" for c in tried):
        first = tried[0]
        raise CollectError(
            f"fundamentals failed for every company (first: {first.ticker}: {first.reason})"
        )
    return result
