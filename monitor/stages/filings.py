"""The filings stage: new 13F filings of the configured funds from SEC EDGAR."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from monitor.errors import CollectError
from monitor.reading.smart_money import segment_baskets
from monitor.sources.edgar.client import EdgarClient, sec_settings
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


def edgar_client(app: App) -> EdgarClient:
    """The EDGAR client of the app's settings (pacing from `smart_money`); ConfigError
    without BUBBLE_MONITOR_SEC_USER_AGENT."""
    sm = app.config.smart_money
    return EdgarClient(
        sec_settings(app.env),
        client=app.http_client,
        requests_per_second=sm.sec_requests_per_second,
        max_retries=sm.sec_max_retries,
        timeout=sm.sec_timeout_seconds,
    )


def run_filings(app: App) -> FilingsStageResult:
    """Read every fund; ConfigError without BUBBLE_MONITOR_SEC_USER_AGENT (EDGAR's rule),
    CollectError when every fund failed."""
    sm = app.config.smart_money
    client = edgar_client(app)
    tickers = frozenset(t for ts in segment_baskets(app.config).values() for t in ts)
    try:
        result = collect_filings(app.store, sm, client, now=app.clock(), tickers=tickers)
    finally:
        if app.http_client is None:  # ours to close; an injected client is the caller's
            client.close()
    if result.funds and result.count("failed") == len(result.funds):
        first = result.funds[0]
        reason = first.errors[0] if first.errors else "unknown"
        raise CollectError(f"13F filings failed for every fund (first: {first.fund}: {reason})")
    return FilingsStageResult(result)
