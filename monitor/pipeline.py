"""The pipeline's stages, wired to real parts: collect prices, collect headlines, score,
compute the index, alert.

The CLI and the scheduler call these functions and nothing else, so a one-off `report`
and a scheduled run do the same work. Every stage reads and writes the store and is
idempotent, so a re-run or a restart after a crash is always safe.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from monitor.config import Config
from monitor.errors import CollectError, StoreError
from monitor.store import Store

if TYPE_CHECKING:
    import httpx

    from monitor.filings.collect import FilingsResult
    from monitor.hub_models import ModelsResult
    from monitor.news.collect import FeedResult, NewsCollectResult
    from monitor.notify.base import Notifier
    from monitor.positioning.collect import PositioningResult
    from monitor.positioning.yahoo_info import InfoFetcher
    from monitor.prices.collect import PriceCollectResult
    from signals.classifier import HeadlineClassifier
    from signals.models import Alert, IndexReading


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Context:
    """What every stage needs. Seams (clock, downloader, HTTP client, classifier) are
    injected here, so tests and the demo run the same stages as production."""

    config: Config
    store: Store
    notifier: Notifier | None = None
    clock: Callable[[], datetime] = utc_now
    downloader: Any = None
    info_fetcher: InfoFetcher | None = None
    http_client: httpx.Client | None = None
    classifier_factory: Callable[[], HeadlineClassifier] | None = None
    _classifier: HeadlineClassifier | None = field(default=None, repr=False)

    def classifier(self) -> HeadlineClassifier:
        """The headline classifier, loaded on first use (it imports torch)."""
        if self._classifier is None:
            if self.classifier_factory is not None:
                self._classifier = self.classifier_factory()
            else:
                from signals.classifier import load_classifier

                self._classifier = load_classifier()
        return self._classifier


@dataclass(frozen=True)
class RunSummary:
    """What one run of the whole pipeline did, for the CLI and the job log."""

    prices: PriceCollectResult | None
    news: NewsCollectResult | None
    reading: IndexReading
    alerts: tuple[Alert, ...]


def run_prices(ctx: Context) -> PriceCollectResult:
    from monitor.prices.collect import collect_prices

    return collect_prices(ctx.store, ctx.config, now=ctx.clock(), downloader=ctx.downloader)


def run_news(
    ctx: Context, on_feed_done: Callable[[FeedResult], None] | None = None
) -> NewsCollectResult:
    from monitor.embedding_cache import CachedEmbedder
    from monitor.news.collect import collect_news

    return collect_news(
        ctx.store,
        ctx.config,
        now=ctx.clock(),
        client=ctx.http_client,
        embedder=CachedEmbedder(ctx.classifier(), ctx.store),
        on_feed_done=on_feed_done,
    )


def run_positioning(ctx: Context) -> PositioningResult:
    """Short interest of every segment's names (yfinance Ticker.info)."""
    from monitor.positioning.collect import collect_positioning
    from monitor.smart_money import segment_baskets

    tickers = list(dict.fromkeys(t for ts in segment_baskets(ctx.config).values() for t in ts))
    result = collect_positioning(ctx.store, tickers, now=ctx.clock(), fetch=ctx.info_fetcher)
    failed = [t for t in result.tickers if t.status == "failed"]
    if failed and len(failed) == len(result.tickers):  # Yahoo down or blocking us: a failed job
        raise CollectError(f"short interest failed for every ticker (first: {failed[0].reason})")
    return result


def run_filings(ctx: Context) -> FilingsResult:
    """New 13F filings of the configured funds (SEC EDGAR); needs the SEC User-Agent."""
    from monitor.filings.collect import collect_filings
    from monitor.filings.edgar import EdgarClient, sec_settings
    from monitor.smart_money import segment_baskets

    sm = ctx.config.smart_money
    client = EdgarClient(
        sec_settings(),
        requests_per_second=sm.sec_requests_per_second,
        max_retries=sm.sec_max_retries,
        timeout=sm.sec_timeout_seconds,
    )
    tickers = frozenset(t for ts in segment_baskets(ctx.config).values() for t in ts)
    try:
        result = collect_filings(ctx.store, sm, client, now=ctx.clock(), tickers=tickers)
    finally:
        client.close()
    if result.funds and result.count("failed") == len(result.funds):
        first = result.funds[0]
        raise CollectError(
            f"13F filings failed for every fund (first: {first.fund}: "
            f"{first.errors[0] if first.errors else 'unknown'})"
        )
    return result


def run_models(ctx: Context, weeks: int = 1) -> ModelsResult:
    """New Hugging Face Hub models of the last whole week(s), by kind."""
    from monitor.hub_models import collect_models

    return collect_models(ctx.store, ctx.config.model_mix, now=ctx.clock(), weeks=weeks)


def run_score(ctx: Context) -> int:
    from monitor.scoring import score_new_headlines

    return score_new_headlines(ctx.store, ctx.classifier(), now=ctx.clock())


def run_index(ctx: Context, *, send: bool = True) -> tuple[IndexReading, list[Alert]]:
    """Score new headlines, compute and store the reading, then decide and send alerts."""
    from monitor.alerting import dispatch
    from monitor.readings import compute_reading

    run_score(ctx)
    now = ctx.clock()
    reading = compute_reading(ctx.store, ctx.config, now=now)
    alerts = dispatch(ctx.store, ctx.config, reading, ctx.notifier, now=now) if send else []
    return reading, alerts


def run_digest(ctx: Context) -> list[Alert]:
    """The daily digest: the alert policy sends it once per day at the configured time."""
    _, alerts = run_index(ctx)
    return alerts


def run_all(
    ctx: Context,
    *,
    collect: bool = True,
    send: bool = True,
    on_feed_done: Callable[[FeedResult], None] | None = None,
) -> RunSummary:
    """The whole pipeline once. A failing collector is recorded by the collector itself
    (per ticker, per feed) and never stops the stages after it."""
    prices = run_prices(ctx) if collect else None
    news = run_news(ctx, on_feed_done) if collect else None
    try:
        reading, alerts = run_index(ctx, send=send)
    except StoreError as e:
        failed = collect_failures(prices, news)
        if failed:  # "nothing to compute from" is only half the story when collection failed
            raise StoreError(f"{e}; this run's collection failed: {failed}") from e
        raise
    return RunSummary(prices, news, reading, tuple(alerts))


def collect_failures(prices: PriceCollectResult | None, news: NewsCollectResult | None) -> str:
    """A one-line account of what failed to collect, naming the first failure of each kind."""
    parts = []
    if prices is not None and prices.failed:
        first = next(o for o in prices.tickers if o.status == "failed")
        parts.append(
            f"{len(prices.failed)} of {len(prices.tickers)} tickers "
            f"(first: {first.ticker}: {first.reason})"
        )
    if news is not None and news.count("failed"):
        first_feed = next(f for f in news.feeds if f.status == "failed")
        parts.append(
            f"{news.count('failed')} of {len(news.feeds)} feeds "
            f"(first: {first_feed.name}: {first_feed.error})"
        )
    return "; ".join(parts)
