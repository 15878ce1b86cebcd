"""The fundamentals stage: XBRL companyfacts of the configured companies from SEC EDGAR."""

from __future__ import annotations

from typing import TYPE_CHECKING

from monitor.sources.edgar.fundamentals import (
    FundamentalsResult,
    collect_fundamentals,
    fundamentals_tickers,
)

if TYPE_CHECKING:
    from monitor.app import App


def run_fundamentals(app: App) -> FundamentalsResult:
    """Read every company; ConfigError without BUBBLE_MONITOR_SEC_USER_AGENT (EDGAR's
    rule). A run where every company that SEC covers failed says so in its
    `total_failure()`."""
    return collect_fundamentals(
        app.store,
        app.config.fundamentals,
        fundamentals_tickers(app.config),
        app.edgar(),
        now=app.clock(),
    )
