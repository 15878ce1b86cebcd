"""The news stage: fetch every enabled feed, store new headlines, group them into stories."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from monitor.sources.news.collect import FeedResult, NewsCollectResult, collect_news

if TYPE_CHECKING:
    from monitor.app import App


@dataclass(frozen=True, slots=True)
class NewsResult:
    """One news run: a result per feed, the new headline ids, story grouping."""

    collected: NewsCollectResult

    @property
    def feeds(self) -> tuple[FeedResult, ...]:
        return self.collected.feeds

    def summary(self) -> dict[str, Any]:
        c = self.collected
        out: dict[str, Any] = {"feeds": len(c.feeds), "new": c.new}
        statuses = [f.status for f in c.feeds]
        for status in sorted(set(statuses)):
            out[f"feeds_{status}"] = statuses.count(status)
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
    return NewsResult(collected)
