"""The prices stage: fetch the missing daily closes of every configured ticker."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from monitor.sources.yahoo.collect_prices import PriceCollectResult, collect_prices

if TYPE_CHECKING:
    from monitor.app import App


@dataclass(frozen=True, slots=True)
class PricesResult:
    """One prices run: an outcome per ticker (see PriceCollectResult)."""

    collected: PriceCollectResult

    def summary(self) -> dict[str, Any]:
        c = self.collected
        return {
            "tickers": len(c.tickers),
            "downloads": c.downloads,
            "slept": c.slept,
            "bars_written": c.bars_written,
            "ok": len(c.ok),
            "failed": len(c.failed),
            "stale": len(c.stale),
        }

    def total_failure(self) -> str | None:
        """Why the whole source failed, or None (the runner records such a run as error)."""
        return self.collected.total_failure()

    def failure(self) -> str:
        """One line naming the first failed ticker, or "" when none failed."""
        c = self.collected
        first = next((o for o in c.tickers if o.status == "failed"), None)
        if first is None:
            return ""
        count = f"{len(c.failed)} of {len(c.tickers)} tickers"
        return f"{count} (first: {first.ticker}: {first.reason})"


def run_prices(app: App) -> PricesResult:
    collected = collect_prices(app.store, app.config, now=app.clock(), downloader=app.downloader)
    return PricesResult(collected)
