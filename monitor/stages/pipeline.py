"""The whole pipeline once: collect prices, collect headlines, score, index, alert.

`report` and `serve --once` run this; the service runs the same stages as separate jobs.
Every stage reads and writes the store and is idempotent, so a re-run or a restart after
a crash is always safe.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from monitor.errors import NoReadingError, StoreError
from monitor.sources.yahoo.collect_prices import PriceCollectResult
from monitor.stages.index import IndexResult, run_index
from monitor.stages.news import NewsResult, run_news
from monitor.stages.prices import run_prices

if TYPE_CHECKING:
    from monitor.app import App
    from monitor.sources.news.collect import FeedResult


@dataclass(frozen=True, slots=True)
class RunResult:
    """What one run of the whole pipeline did, for the CLI and the job log."""

    prices: PriceCollectResult | None
    news: NewsResult | None
    index: IndexResult

    def summary(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, part in (("prices", self.prices), ("news", self.news)):
            if part is not None:
                out[name] = part.summary()
        return out | self.index.summary()


def run_all(
    app: App,
    *,
    collect: bool = True,
    send: bool = True,
    on_feed_done: Callable[[FeedResult], None] | None = None,
) -> RunResult:
    """The whole pipeline once. A failing collector is recorded by the collector itself
    (per ticker, per feed) and never stops the stages after it."""
    prices = run_prices(app) if collect else None
    news = run_news(app, on_feed_done) if collect else None
    try:
        index = run_index(app, send=send)
    except StoreError as e:
        failed = collect_failures(prices, news)
        if failed:  # "nothing to compute from" is only half the story when collection failed
            message = f"{e}; this run's collection failed: {failed}"
            if isinstance(e, NoReadingError):
                why = (*e.missing, f"this run's collection failed: {failed}")
                raise NoReadingError(message, why) from e
            raise StoreError(message) from e
        raise
    return RunResult(prices, news, index)


def collect_failures(prices: PriceCollectResult | None, news: NewsResult | None) -> str:
    """A one-line account of what failed to collect, naming the first failure of each kind."""
    parts = [part.failure() for part in (prices, news) if part is not None]
    return "; ".join(p for p in parts if p)
