"""The prices stage: fetch the missing daily closes of every configured ticker (the
collector's result, an outcome per ticker, is the stage's result)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from monitor.sources.yahoo.collect_prices import PriceCollectResult, collect_prices

if TYPE_CHECKING:
    from monitor.app import App


def run_prices(app: App) -> PriceCollectResult:
    return collect_prices(app.store, app.config, now=app.clock(), downloader=app.downloader)
