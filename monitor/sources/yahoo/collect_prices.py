"""Incremental price collection: fetch what is missing, retry what failed, record freshness.

Each ticker is fetched from its newest stored day minus `overlap_days` (so Yahoo's
revisions of recent closes are picked up), or `history_days` back on its first run.
Tickers that share a start go in one batch download. A ticker that comes back empty or
all-NaN, or whose batch raised, is retried alone with the others that failed, with
exponential backoff and jitter, up to `max_retries` times, unless every failure says
Yahoo cannot be reached (its host does not resolve, or the adapter's probe got no HTTP
answer in time: monitor.sources.yahoo.probe); then the run stops at once. One bad
ticker never stops the others. The downloads hold no store lock; all writes of one
collect happen in one transaction at the end, and re-running it changes nothing that
Yahoo did not change.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Literal

from monitor.config.feeds_yaml import Config
from monitor.errors import CollectError, RateLimitError
from monitor.sources.yahoo.download import Downloader, parse_download
from monitor.sources.yahoo.probe import yahoo_unreachable
from monitor.store import Store
from monitor.store import prices as price_store
from signals.models import PriceBar

Status = Literal["ok", "failed", "stale"]

#: First pause between attempts, in seconds; doubled each time, times 1 to 1.5 (jitter).
BASE_DELAY = 2.0
#: A rate limit asks for a longer pause than a one-off failure.
RATE_LIMIT_FACTOR = 4.0


@dataclass(frozen=True, slots=True)
class TickerOutcome:
    """What one collect did for one ticker.

    `ok`: closes received and the newest is recent. `stale`: closes received but the newest
    is older than `stale_after_days`. `failed`: nothing usable after every retry.
    """

    ticker: str
    status: Status
    bars_written: int
    last_day: date | None
    reason: str = ""
    attempts: int = 1


@dataclass(frozen=True, slots=True)
class PriceCollectResult:
    """The outcome of one `collect_prices` run: `tickers` holds one outcome per configured
    ticker, in config order; `downloads` counts yf.download calls, `slept` the backoff."""

    started: datetime
    tickers: tuple[TickerOutcome, ...]
    downloads: int = 0
    slept: float = 0.0

    def with_status(self, status: Status) -> tuple[str, ...]:
        return tuple(o.ticker for o in self.tickers if o.status == status)

    @property
    def ok(self) -> tuple[str, ...]:
        return self.with_status("ok")

    @property
    def failed(self) -> tuple[str, ...]:
        return self.with_status("failed")

    @property
    def stale(self) -> tuple[str, ...]:
        return self.with_status("stale")

    @property
    def bars_written(self) -> int:
        return sum(o.bars_written for o in self.tickers)

    @property
    def all_failed(self) -> bool:
        return bool(self.tickers) and all(o.status == "failed" for o in self.tickers)

    def total_failure(self) -> str | None:
        """Why the whole source failed (every ticker), or None if any ticker got data (the
        runner records such a run as an error)."""
        if not self.all_failed:
            return None
        first = self.tickers[0]
        return f"all {len(self.tickers)} tickers failed (first: {first.ticker}: {first.reason})"

    def failure(self) -> str:
        """One line naming the first failed ticker, or "" when none failed."""
        first = next((o for o in self.tickers if o.status == "failed"), None)
        if first is None:
            return ""
        count = f"{len(self.failed)} of {len(self.tickers)} tickers"
        return f"{count} (first: {first.ticker}: {first.reason})"

    def summary(self) -> dict[str, Any]:
        """For the job log: the `prices` stage returns this result as is."""
        return {
            "tickers": len(self.tickers),
            "downloads": self.downloads,
            "slept": self.slept,
            "bars_written": self.bars_written,
            "ok": len(self.ok),
            "failed": len(self.failed),
            "stale": len(self.stale),
        }


@dataclass
class _Attempts:
    """Mutable bookkeeping of one run, kept out of the frozen result."""

    bars: dict[str, tuple[PriceBar, ...]] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    tries: dict[str, int] = field(default_factory=dict)
    downloads: int = 0
    slept: float = 0.0
    rate_limited: bool = False


def collect_prices(
    store: Store,
    config: Config,
    *,
    now: datetime,
    downloader: Downloader,
    sleep: Callable[[float], None] = time.sleep,
    rng: random.Random | None = None,
) -> PriceCollectResult:
    """Fetch the missing days of every configured ticker and store them; never raises for
    a ticker's failure (it is recorded and reported); raises StoreError if the store fails.
    """
    jitter = rng if rng is not None else random.Random()
    tickers = list(config.tickers)
    starts = fetch_starts(store, tickers, config, now=now)
    run = _Attempts()
    pending = tickers
    for attempt in range(config.prices.max_retries + 1):
        if attempt:
            delay = backoff(attempt, jitter, rate_limited=run.rate_limited)
            sleep(delay)
            run.slept += delay
        run.rate_limited = False
        _attempt(downloader, pending, starts, now, run)
        pending = [t for t in pending if t not in run.bars]
        if not pending or _all_unresolved(pending, run):
            break
    return _save(store, config, tickers, run, now)


def _all_unresolved(pending: Sequence[str], run: _Attempts) -> bool:
    """Every failure says Yahoo cannot be reached: an outage of this machine's network or
    DNS, which 30-60 s of backoff would only prolong (the other jobs wait for nothing)."""
    return all(yahoo_unreachable(run.errors.get(t, "")) for t in pending)


def fetch_starts(
    store: Store, tickers: Sequence[str], config: Config, *, now: datetime
) -> dict[str, date]:
    """The first day to request per ticker: newest stored day minus overlap, or the full
    history on a first run (never further back than `history_days`)."""
    floor = now.date() - timedelta(days=config.prices.history_days)
    known = price_store.last_days(store)
    overlap = timedelta(days=config.prices.overlap_days)
    return {t: max(floor, known[t] - overlap) if t in known else floor for t in tickers}


def backoff(attempt: int, rng: random.Random, *, rate_limited: bool = False) -> float:
    """Seconds to wait before retry number `attempt` (1-based): 2, 4, 8 ... times 1-1.5."""
    delay = BASE_DELAY * 2.0 ** (attempt - 1) * (1.0 + 0.5 * rng.random())
    return delay * RATE_LIMIT_FACTOR if rate_limited else delay


def _attempt(
    fetch: Downloader,
    pending: Sequence[str],
    starts: dict[str, date],
    now: datetime,
    run: _Attempts,
) -> None:
    end = now.date() + timedelta(days=1)  # yfinance's end is exclusive
    groups: dict[date, list[str]] = {}
    for ticker in pending:
        groups.setdefault(starts[ticker], []).append(ticker)
        run.tries[ticker] = run.tries.get(ticker, 0) + 1
    for start, batch in sorted(groups.items()):
        run.downloads += 1
        try:
            frame = fetch(batch, start=start, end=end)
            parsed = parse_download(frame, batch)
        except RateLimitError as e:
            run.rate_limited = True
            run.errors.update(dict.fromkeys(batch, str(e)))
            continue
        except CollectError as e:
            run.errors.update(dict.fromkeys(batch, str(e)))
            continue
        run.bars.update(parsed.bars)
        run.errors.update(parsed.failures)


def _save(
    store: Store, config: Config, tickers: Sequence[str], run: _Attempts, now: datetime
) -> PriceCollectResult:
    outcomes: list[TickerOutcome] = []
    with store.transaction():
        counts = price_store.merge_bars(
            store, (b for bars in run.bars.values() for b in bars), fetched_at=now
        )
        for ticker in tickers:
            bars = run.bars.get(ticker)
            last = max(b.day for b in bars) if bars else None
            price_store.record_ticker_result(
                store,
                ticker,
                attempted_at=now,
                ok=bars is not None,
                last_day=last,
                error=None if bars else run.errors.get(ticker, "no data"),
            )
            written = counts[ticker].written if ticker in counts else 0
            outcomes.append(_outcome(ticker, last, written, run, config, now))
    return PriceCollectResult(
        started=now, tickers=tuple(outcomes), downloads=run.downloads, slept=run.slept
    )


def _outcome(
    ticker: str, last: date | None, written: int, run: _Attempts, config: Config, now: datetime
) -> TickerOutcome:
    tries = run.tries.get(ticker, 0)
    if last is None:
        reason = run.errors.get(ticker, "no data")
        return TickerOutcome(ticker, "failed", 0, None, reason, tries)
    age = (now.date() - last).days
    if age > config.prices.stale_after_days:
        reason = f"newest close {last} is {age} days old"
        return TickerOutcome(ticker, "stale", written, last, reason, tries)
    return TickerOutcome(ticker, "ok", written, last, "", tries)
