"""The news stage: fetch every enabled feed, store new headlines, group them into stories,
and read the circular deals out of the new headlines (docs/circular-deals.md), then hand
them to the App's headline hooks (monitor.stages.headline_hooks)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from monitor.errors import BubbleMonitorError
from monitor.reading.circular import entity_table
from monitor.reading.deals_extract import configured_model, extract_new_deals
from monitor.sources.news.collect import FeedResult, NewsCollectResult, collect_news
from monitor.stages.headline_hooks import hand_on
from monitor.store.deals import DealCounts
from monitor.store.headlines import headlines_by_ids

if TYPE_CHECKING:
    from monitor.app import App

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class NewsResult:
    """One news run: a result per feed, the new headline ids, story grouping."""

    collected: NewsCollectResult
    #: What deal extraction did with the new headlines (None: nothing new, or it failed).
    deals: DealCounts | None = None
    #: Headline hooks that failed on this run's new headlines (the rows stay stored).
    hook_errors: tuple[str, ...] = ()

    @property
    def feeds(self) -> tuple[FeedResult, ...]:
        return self.collected.feeds

    def summary(self) -> dict[str, Any]:
        c = self.collected
        out: dict[str, Any] = {"feeds": len(c.feeds), "new": c.new}
        if self.deals is not None:
            out["deals_new"] = self.deals.new
            out["deals_merged"] = self.deals.merged
        statuses = [f.status for f in c.feeds]
        for status in sorted(set(statuses)):
            out[f"feeds_{status}"] = statuses.count(status)
        if self.hook_errors:
            out["hook_errors"] = len(self.hook_errors)
        return out

    def total_failure(self) -> str | None:
        """Why the whole source failed, or None (the runner records such a run as error)."""
        return self.collected.total_failure()

    def failure(self) -> str:
        """One line naming the first failed feed, or "" when none failed."""
        c = self.collected
        first = next((f for f in c.feeds if f.status == "failed"), None)
        if first is None:
            return ""
        return f"{c.count('failed')} of {len(c.feeds)} feeds (first: {first.name}: {first.error})"


def run_news(app: App, on_feed_done: Callable[[FeedResult], None] | None = None) -> NewsResult:
    collected = collect_news(
        app.store,
        app.config,
        now=app.clock(),
        client=app.http_client,
        embedder=app.embedder(),
        on_feed_done=on_feed_done,
    )
    errors: list[str] = []
    if app.headline_hooks and collected.new_ids:
        # Collected headlines are scored later (the index stage): hooks get them unscored,
        # grouped into stories when an embedder ran.
        stored = headlines_by_ids(app.store, collected.new_ids)
        errors = hand_on(app.headline_hooks, stored[::-1])
    return NewsResult(collected, extract_deals(app, collected.new_ids), tuple(errors))


def extract_deals(app: App, new_ids: tuple[int, ...]) -> DealCounts | None:
    """The deals of the newly stored headlines; a failure is logged and never loses the
    headlines, which are already stored."""
    if not new_ids:
        return None
    try:
        table = entity_table(app.config)
        model = configured_model(app.config)
        return extract_new_deals(app.store, table, new_ids, now=app.clock(), model=model)
    except BubbleMonitorError as e:
        log.warning("deal extraction failed: %s", e)
        return None
