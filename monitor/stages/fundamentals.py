"""The fundamentals stage: XBRL companyfacts of the configured companies from SEC EDGAR."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from monitor.errors import CollectError
from monitor.sources.edgar.fundamentals import (
    FundamentalsResult,
    collect_fundamentals,
    fundamentals_tickers,
)

if TYPE_CHECKING:
    from monitor.app import App


@dataclass(frozen=True, slots=True)
class FundamentalsStageResult:
    collected: FundamentalsResult

    def summary(self) -> dict[str, Any]:
        c = self.collected
        return {
            "companies": len(c.companies),
            "requests": c.requests,
            "new_facts": sum(r.new_facts for r in c.companies),
            "unchanged": c.count("unchanged"),
            "not_covered": c.count("not_covered"),
            "failed": c.count("failed"),
        }


def run_fundamentals(app: App) -> FundamentalsStageResult:
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
    return FundamentalsStageResult(result)
