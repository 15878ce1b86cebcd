"""The freshness strip: last fetch per source, last computation, next runs, and whether
the page is stale enough for a banner."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Final

from monitor.store.db import Store
from monitor.store.feeds import feed_states
from monitor.store.headlines import newest_headline_day
from monitor.store.overview import Payload, headline_fetches, price_fetches
from monitor.store.prices import ticker_states
from monitor.web import fmt
from monitor.web.next_runs import NextRuns

#: A reading older than this gets the stale banner (the index job runs at least daily).
STALE_AFTER: Final[timedelta] = timedelta(hours=36)
#: A reading whose newest price close is older than this (counted from the reading's day)
#: gets the banner too: a weekend plus a holiday on either side is 4 days.
PRICES_STALE_AFTER: Final[timedelta] = timedelta(days=4)
#: The news components' short window: with no headline in it their 7-day rates are empty.
HEADLINES_STALE_AFTER: Final[timedelta] = timedelta(days=7)
#: price_fetches' rows: (source, newest fetched_at, newest day). A page needs them three
#: times (freshness, the stale banner, what to run) and on 85,000 stored closes each read
#: is a scan of 120 ms: the page reads them once and passes them on.
Prices = list[tuple[str, str, str]]


@dataclass(frozen=True, slots=True)
class Source:
    name: str
    last: str
    ago: str
    note: str
    failing: bool


@dataclass(frozen=True, slots=True)
class JobRow:
    """One line of the next-runs table, formatted."""

    job: str
    schedule: str
    last: str
    next: str
    note: str
    overdue: bool


@dataclass(frozen=True, slots=True)
class Freshness:
    sources: list[Source]
    computed: str
    computed_ago: str
    next_runs: list[JobRow]
    next_runs_note: str
    stale_reasons: list[str] = field(default_factory=list)


def freshness(
    store: Store,
    latest: Payload | None,
    computed_at: str | None,
    *,
    now: datetime,
    next_runs: NextRuns,
    next_runs_note: str,
    prices: Prices | None = None,
) -> Freshness:
    """`prices`: price_fetches(store) when the caller has read it already."""
    computed = fmt.parse_time(computed_at)
    prices = price_fetches(store) if prices is None else prices
    return Freshness(
        sources=_price_sources(store, now, prices) + _news_sources(store, now),
        computed=fmt.stamp(computed),
        computed_ago=fmt.age(computed, now),
        next_runs=[
            JobRow(r.job, r.schedule, _last(r.last_run), fmt.stamp(r.next_run), r.note, r.overdue)
            for r in next_runs(store, now)
        ],
        next_runs_note=next_runs_note,
        stale_reasons=stale_reasons(latest, now),
    )


def stale_reasons(latest: Payload | None, now: datetime) -> list[str]:
    """Why the page should carry a stale banner (empty when it should not)."""
    if latest is None:
        return ["no reading is stored yet"]
    as_of = fmt.parse_time(latest.get("as_of"))
    if as_of is None or now - as_of > STALE_AFTER:
        return [f"the latest reading is from {fmt.stamp(as_of)} ({fmt.age(as_of, now)})"]
    return []


def stale_banner(
    store: Store, latest: Payload | None, now: datetime, prices: Prices | None = None
) -> list[str]:
    """The banner's reasons: stale_reasons, and prices or headlines that end long before
    the reading (a reading made today from imported months-old data is dated today)."""
    return stale_reasons(latest, now) + old_prices(store, latest, prices) + old_news(store, latest)


def old_news(store: Store, latest: Payload | None) -> list[str]:
    """A reason when headlines are stored but none in the HEADLINES_STALE_AFTER before the
    reading (empty without a reading or without headlines: the reading says that itself)."""
    newest = None if latest is None else newest_headline_day(store)
    days = _days_behind(latest, newest, HEADLINES_STALE_AFTER)
    if newest is None or days is None:
        return []
    return [
        f"the latest reading has no headline in the {HEADLINES_STALE_AFTER.days} days before "
        f"it: the newest stored is from {newest.isoformat()}, {days} days before the reading"
    ]


def old_prices(store: Store, latest: Payload | None, prices: Prices | None = None) -> list[str]:
    """A reason when the newest stored close is over PRICES_STALE_AFTER before the
    reading's day (empty without a reading or without prices)."""
    prices = price_fetches(store) if prices is None else prices
    newest = max((date.fromisoformat(day[:10]) for _, _, day in prices if day), default=None)
    days = _days_behind(latest, newest, PRICES_STALE_AFTER)
    if newest is None or days is None:
        return []
    return [
        f"the latest reading uses prices that end on {newest.isoformat()}, "
        f"{days} days before the reading"
    ]


def _days_behind(latest: Payload | None, newest: date | None, limit: timedelta) -> int | None:
    """How many days `newest` lies before the reading's day, when that is over `limit`."""
    as_of = None if latest is None else fmt.parse_time(latest.get("as_of"))
    if as_of is None or newest is None:
        return None
    gap = as_of.date() - newest
    return gap.days if gap > limit else None


def failing_sources(block: Freshness) -> list[str]:
    """Banner lines for sources whose last fetch failed (the inputs the reading names
    stale are listed under the gauge: some are structural, like a 5-year run-up on two
    years of prices)."""
    failing = [s.name for s in block.sources if s.failing]
    return [f"failing: {', '.join(failing)}"] if failing else []


def _price_sources(store: Store, now: datetime, prices: Prices) -> list[Source]:
    states = ticker_states(store)
    if states:
        last = max((s.last_success for s in states.values() if s.last_success), default=None)
        failing = sorted(t for t, s in states.items() if s.consecutive_failures)
        note = f"{len(states)} tickers" + (f"; failing: {', '.join(failing)}" if failing else "")
        return [
            Source("prices (yfinance)", fmt.stamp(last), fmt.age(last, now), note, bool(failing))
        ]
    return [
        Source(
            f"prices ({source})",
            fmt.stamp(fmt.parse_time(fetched)),
            fmt.age(fmt.parse_time(fetched), now),
            f"newest close {day}",
            False,
        )
        for source, fetched, day in prices
    ]


def _news_sources(store: Store, now: datetime) -> list[Source]:
    states = feed_states(store)
    out = [
        Source(
            f"feed {name}",
            fmt.stamp(s.last_success),
            fmt.age(s.last_success, now),
            _feed_note(s.consecutive_failures, s.last_error),
            s.consecutive_failures > 0,
        )
        for name, s in states.items()
    ]
    for feed, fetched, count in headline_fetches(store):
        if feed not in states:  # imported or demo headlines: no feed_state row
            when = fmt.parse_time(fetched)
            out.append(
                Source(
                    f"headlines ({feed})",
                    fmt.stamp(when),
                    fmt.age(when, now),
                    f"{count} stored",
                    False,
                )
            )
    return out


def _feed_note(failures: int, error: str | None) -> str:
    if not failures:
        return "ok"
    return f"{failures} failure(s) in a row: {error or 'unknown error'}"


def _last(when: datetime | None) -> str:
    return "none stored" if when is None else fmt.stamp(when)
