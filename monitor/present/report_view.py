"""What `report` prints, gathered while the store is open: the document, the previous
reading's sentences of change, stale inputs grouped, and fresh headlines while the news
components warm up. Printing happens after the store is closed (monitor.cli.cmd_report).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final

from monitor.config.feeds_yaml import Config
from monitor.present.changes import what_changed
from monitor.present.console_compact import Beside
from monitor.store import Store
from signals.models import HeadlineRef, IndexReading
from signals.stale import stale_lines

#: Headlines this recent are shown when none is cited by a scored news component.
FRESH_DAYS: Final[int] = 7
FRESH_COUNT: Final[int] = 5


@dataclass(frozen=True)
class ReportView:
    doc: dict[str, Any]
    beside: Beside


def report_view(
    store: Store, config: Config, reading: IndexReading, doc: dict[str, Any]
) -> ReportView:
    """`doc` is the reading's document (`report --json`); the rest is read beside it."""
    from monitor.store.payload import reading_to_payload
    from monitor.store.readings import latest_reading

    previous = latest_reading(store, before=reading.as_of)
    old = None if previous is None else reading_to_payload(previous)
    # The compact report's Index line says the index's own move.
    changes = what_changed(reading_to_payload(reading), old, index=False)
    beside = Beside(
        since=None if previous is None else f"{previous.as_of:%Y-%m-%d}",
        changes=changes,
        stale=_news_said_plainly(
            stale_lines(reading.stale, config.tickers, last_closes(store, config, reading)),
            store,
            reading.as_of,
        ),
        fresh_headlines=() if reading.top_headlines else fresh_headlines(store, reading.as_of),
        notes=reading.notes,
    )
    return ReportView(doc, beside)


def _news_said_plainly(lines: list[str], store: Store, as_of: datetime) -> list[str]:
    """The news line says why the components have no value when the headlines stop days
    before the reading (imported headlines to April, prices to July): "warming up" read as
    if waiting were enough."""
    from monitor.store.headlines import newest_headline_day
    from signals.news_scale import NewsParams

    newest = newest_headline_day(store)
    fetch = "`bubble-monitor collect news` fetches {}, or `bubble-monitor import-headlines FILE`"
    if newest is None:  # "warming up" on a store without one headline
        why = f"): no headline is stored yet; {fetch.format('them')} adds a dated archive"
    else:
        age = (as_of.date() - newest).days
        if age * 24 <= NewsParams().silent_after_hours:
            return lines
        why = (
            f"): the newest stored headline is from {newest}, {age} days before this "
            f"reading; {fetch.format('new ones')} adds them"
        )
    return [
        line.replace(NEWS_WARMING, "news components without a value (", 1) + why
        if line.startswith(NEWS_WARMING)
        else line
        for line in lines
    ]


#: How signals.stale begins the news line.
NEWS_WARMING: Final[str] = "news components warming up (no value yet): "


def last_closes(store: Store, config: Config, reading: IndexReading) -> dict[str, Any]:
    from monitor.store.prices import ticker_freshness

    stale = [t for t in reading.stale if t in config.tickers]
    if not stale:
        return {}
    days = config.prices.stale_after_days
    fresh = ticker_freshness(store, stale, now=reading.as_of, stale_after_days=days)
    return {f.ticker: f.last_day for f in fresh}


def fresh_headlines(store: Store, now: datetime) -> list[dict[str, Any]]:
    """The newest headlines of the last FRESH_DAYS (title, source, label when scored)."""
    return [
        {"title": r.title, "source": r.source, "label": r.label or None}
        for r in fresh_refs(store, now)
    ]


def fresh_refs(store: Store, now: datetime) -> tuple[HeadlineRef, ...]:
    """The newest FRESH_COUNT headlines published in the FRESH_DAYS before `now`, shown
    while the news components warm up (label "" when not scored yet)."""
    from monitor.store.headlines import list_headlines

    rows = list_headlines(store, since=now - timedelta(days=FRESH_DAYS), limit=FRESH_COUNT * 4)
    known = [h for h in rows if h.headline.published <= now][:FRESH_COUNT]
    return tuple(
        HeadlineRef(
            title=h.headline.title,
            url=h.headline.url,
            source=h.headline.source,
            label="" if h.score is None else h.score.label,
            confidence=0.0 if h.score is None else h.score.confidence,
            published=h.headline.published,
            sources=h.sources,
        )
        for h in known
    )
