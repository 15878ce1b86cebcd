"""The `collect positioning` stage: short interest of every segment's names into the store.

One failing ticker never stops the others; a rate limit is retried after a pause; a
name Yahoo reports no short interest for is `missing`, not zero. Idempotent: a
settlement date already stored is updated in place (history grows by one row per
ticker every half month). The first collection of a settlement is recorded and kept, so
a settlement seen before FINRA's scheduled publication is dated by that sighting.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from monitor.errors import CollectError, RateLimitError
from monitor.sources.yahoo.info import InfoFetcher, parse_short_interest
from monitor.store import Store
from monitor.store.positioning import stored_short_interest, upsert_short_interest

Status = Literal["ok", "missing", "failed"]
RATE_LIMIT_RETRIES = 2


@dataclass(frozen=True, slots=True)
class TickerPositioning:
    ticker: str
    status: Status
    settlement: str | None = None
    published: str | None = None  # the day it became public (see signals.positioning)
    new: bool = False
    reason: str = ""


@dataclass(frozen=True, slots=True)
class PositioningResult:
    tickers: tuple[TickerPositioning, ...]

    def count(self, status: Status) -> int:
        return sum(1 for t in self.tickers if t.status == status)

    @property
    def new(self) -> int:
        return sum(t.new for t in self.tickers)

    def total_failure(self) -> str | None:
        """Why the whole source failed (every ticker: Yahoo down or blocking us), or None;
        the runner records such a run as an error."""
        failed = [t for t in self.tickers if t.status == "failed"]
        if not failed or len(failed) < len(self.tickers):
            return None
        return f"short interest failed for every ticker (first: {failed[0].reason})"

    def summary(self) -> dict[str, Any]:
        """For the job log: the `positioning` stage returns this result as is."""
        return {
            "tickers": len(self.tickers),
            "new": self.new,
            "ok": self.count("ok"),
            "missing": self.count("missing"),
            "failed": self.count("failed"),
        }


def collect_positioning(
    store: Store,
    tickers: Sequence[str],
    *,
    now: datetime,
    fetch: InfoFetcher,
    sleep: Callable[[float], None] = time.sleep,
    pause: float = 0.5,
    retry_wait: float = 30.0,
) -> PositioningResult:
    """Fetch and store the latest short interest of each ticker, one at a time."""
    out = []
    for number, ticker in enumerate(tickers):
        if number and pause > 0:
            sleep(pause)  # Yahoo rate-limits bursts of quoteSummary calls
        out.append(_one(store, ticker, now, fetch, sleep, retry_wait))
    return PositioningResult(tuple(out))


def _one(
    store: Store,
    ticker: str,
    now: datetime,
    fetch: InfoFetcher,
    sleep: Callable[[float], None],
    retry_wait: float,
) -> TickerPositioning:
    for attempt in range(RATE_LIMIT_RETRIES + 1):
        try:
            info = fetch(ticker)
            break
        except RateLimitError as e:
            if attempt == RATE_LIMIT_RETRIES:
                return TickerPositioning(ticker, "failed", reason=str(e))
            sleep(retry_wait * (attempt + 1))
        except CollectError as e:
            return TickerPositioning(ticker, "failed", reason=str(e))
    record = parse_short_interest(ticker, info)
    if record is None:
        return TickerPositioning(ticker, "missing", reason="Yahoo reports no short interest")
    new = upsert_short_interest(store, [record], fetched_at=now) > 0
    stored = stored_short_interest(store, ticker, record.settlement) or record
    return TickerPositioning(
        ticker, "ok", record.settlement.isoformat(), stored.published.isoformat(), new
    )
