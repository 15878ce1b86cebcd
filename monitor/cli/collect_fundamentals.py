"""`collect fundamentals`: run the stage and summarise the result as a plain dict."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from monitor.app import App


def collect_fundamentals_summary(app: App) -> dict[str, Any]:
    from monitor.cli.collect_smart_money import checked
    from monitor.stages.fundamentals import run_fundamentals

    result = checked(run_fundamentals(app))
    return {
        "fundamentals": {
            "requests": result.requests,
            "new_facts": sum(c.new_facts for c in result.companies),
            "failed": result.count("failed"),
            "companies": [
                {
                    "ticker": c.ticker,
                    "cik": c.cik,
                    "status": c.status,
                    "new_facts": c.new_facts,
                    "reason": c.reason,
                }
                for c in result.companies
            ],
        }
    }
