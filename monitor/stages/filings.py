"""The filings stage: new 13F filings of the configured funds from SEC EDGAR."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from monitor.errors import CollectError
from monitor.reading.smart_money import segment_baskets
from monitor.sources.edgar.collect import FilingsResult, collect_filings

if TYPE_CHECKING:
    from monitor.app import App


@dataclass(frozen=True, slots=True)
class FilingsStageResult:
    collected: FilingsResult

    def summary(self) -> dict[str, Any]:
        c = self.collected
        return {
            "funds": len(c.funds),
            "requests": c.requests,
            "new_filings": sum(len(f.new_filings) for f in c.funds),
            "unchanged": c.count("unchanged"),
            "partial": c.count("partial"),
            "failed": c.count("failed"),
        }


def run_filings(app: App) -> FilingsStageResult:
    """Read every fund; ConfigError without BUBBLE_MONITOR_SEC_USER_AGENT (EDGAR's rule),
    CollectError when every fund failed."""
    tickers = frozenset(t for ts in segment_baskets(app.config).values() for t in ts)
    sm = app.config.smart_money
    result = collect_filings(app.store, sm, app.edgar(), now=app.clock(), tickers=tickers)
    if result.funds and result.count("failed") == len(result.funds):
        first = result.funds[0]
        reason = first.errors[0] if first.errors else "unknown"
        raise CollectError(f"13F filings failed for every fund (first: {first.fund}: {reason})")
    return FilingsStageResult(result)
