"""Daily closes and per-ticker collection state in the store.

Bars are keyed by (ticker, day), so writing the same bar twice changes nothing and a
re-fetched day with a revised close replaces the old one. `ticker_state` remembers how
the collector fared with each ticker, so the index can name inputs that went stale.

The functions join the caller's transaction when there is one (a collect or an import
writes everything in one), and open their own otherwise.
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Final

import pandas as pd

from monitor.store.db import Store
from monitor.store.stamps import parse_stamp, stamp
from signals.models import PriceBar

if TYPE_CHECKING:
    from monitor.config.feeds_yaml import Config

# Closes that differ by less than this (relative) are the same close re-served.
_REL_TOLERANCE = 1e-9
#: The source of the simulated demo's closes (monitor.ops.demo): a reading on them is simulated.
DEMO_SOURCE: Final = "demo"


@dataclass(frozen=True, slots=True)
class BarCounts:
    """What writing one ticker's bars did: rows added, rows revised, rows already there."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def written(self) -> int:
        return self.new + self.updated


@dataclass(frozen=True, slots=True)
class TickerState:
    """How the collector last fared with one ticker."""

    ticker: str
    last_attempt: datetime | None
    last_success: datetime | None
    last_day: date | None
    consecutive_failures: int
    last_error: str | None


@dataclass(frozen=True, slots=True)
class Freshness:
    """Whether a ticker's newest stored close is recent enough as of `now`, and why not."""

    ticker: str
    last_day: date | None
    age_days: int | None
    stale: bool
    reason: str


def merge_bars(
    store: Store, bars: Iterable[PriceBar], *, fetched_at: datetime
) -> dict[str, BarCounts]:
    """Insert new bars and revise changed ones; return per-ticker counts.

    A bar whose close matches the stored one is left alone (its source and fetch time
    too), so re-importing or re-fetching the same data writes nothing.
    """
    incoming = _dedupe(bars)
    fetched = stamp(fetched_at)
    counts: dict[str, list[int]] = {}
    rows: list[tuple[str, str, float, str, str]] = []
    with store.writing() as conn:
        existing = _existing_closes(conn, incoming)
        for (ticker, day), bar in incoming.items():
            tally = counts.setdefault(ticker, [0, 0, 0])
            old = existing.get((ticker, day))
            if old is None:
                tally[0] += 1
            elif _same_close(old, bar.close):
                tally[2] += 1
                continue
            else:
                tally[1] += 1
            rows.append((ticker, day, bar.close, bar.source, fetched))
        conn.executemany(
            "INSERT INTO prices (ticker, day, close, source, fetched_at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (ticker, day) DO UPDATE SET close = excluded.close, "
            "source = excluded.source, fetched_at = excluded.fetched_at",
            rows,
        )
    return {t: BarCounts(*c) for t, c in counts.items()}


def upsert_bars(store: Store, bars: Iterable[PriceBar], *, fetched_at: datetime) -> int:
    """Write bars idempotently; return how many rows were added or revised."""
    return sum(c.written for c in merge_bars(store, bars, fetched_at=fetched_at).values())


def _dedupe(bars: Iterable[PriceBar]) -> dict[tuple[str, str], PriceBar]:
    out: dict[tuple[str, str], PriceBar] = {}
    for bar in bars:
        if not math.isfinite(bar.close):
            raise ValueError(f"close of {bar.ticker} on {bar.day} is not finite: {bar.close}")
        out[(bar.ticker, bar.day.isoformat())] = bar
    return out


def _existing_closes(
    conn: sqlite3.Connection, incoming: dict[tuple[str, str], PriceBar]
) -> dict[tuple[str, str], float]:
    spans: dict[str, tuple[str, str]] = {}
    for ticker, day in incoming:
        lo, hi = spans.get(ticker, (day, day))
        spans[ticker] = (min(lo, day), max(hi, day))
    found: dict[tuple[str, str], float] = {}
    for ticker, (lo, hi) in spans.items():
        for row in conn.execute(
            "SELECT day, close FROM prices WHERE ticker = ? AND day BETWEEN ? AND ?",
            (ticker, lo, hi),
        ):
            found[(ticker, row["day"])] = float(row["close"])
    return found


def _same_close(a: float, b: float) -> bool:
    return abs(a - b) <= _REL_TOLERANCE * max(1.0, abs(a), abs(b))


def load_closes(
    store: Store, tickers: Sequence[str] | None = None, since: date | None = None
) -> pd.DataFrame:
    """Stored closes, wide: a DatetimeIndex of days, one float column per ticker, NaN if absent.

    Columns follow `tickers` when given (a ticker with no rows is an all-NaN column, so
    the caller sees it is missing); otherwise every stored ticker, sorted.
    """
    sql = "SELECT ticker, day, close FROM prices"
    clauses: list[str] = []
    params: list[str] = []
    if tickers is not None:
        clauses.append(f"ticker IN ({','.join('?' * len(tickers))})")
        params.extend(tickers)
    if since is not None:
        clauses.append("day >= ?")
        params.append(since.isoformat())
    if clauses:
        sql += " WHERE " + " AND ".join(clauses)
    rows = store.conn.execute(sql, params).fetchall()
    long = pd.DataFrame(
        {
            "ticker": [r["ticker"] for r in rows],
            "day": pd.to_datetime([r["day"] for r in rows]),
            "close": [float(r["close"]) for r in rows],
        }
    )
    wide = long.pivot(index="day", columns="ticker", values="close").sort_index()
    columns = list(tickers) if tickers is not None else sorted(wide.columns)
    wide = wide.reindex(columns=columns).astype("float64")
    wide.index = pd.DatetimeIndex(wide.index, name="day")
    wide.columns = pd.Index(columns, name="ticker")
    return wide


def last_days(store: Store) -> dict[str, date]:
    """The newest stored day of every ticker."""
    rows = store.conn.execute("SELECT ticker, MAX(day) AS last FROM prices GROUP BY ticker")
    return {r["ticker"]: date.fromisoformat(r["last"]) for r in rows}


def newest_close_day(store: Store) -> date | None:
    """The newest day any ticker has a stored close."""
    row = store.conn.execute("SELECT MAX(day) AS last FROM prices").fetchone()
    return None if row is None or row["last"] is None else date.fromisoformat(str(row["last"]))


def has_bars_from(store: Store, source: str) -> bool:
    """Whether any stored close came from `source` (DEMO_SOURCE: the reading is simulated)."""
    row = store.conn.execute("SELECT 1 FROM prices WHERE source = ? LIMIT 1", (source,)).fetchone()
    return row is not None


def count_bars_not_from(store: Store, source: str) -> int:
    """Stored closes from any source but `source` (the demo refuses a store holding any)."""
    row = store.conn.execute("SELECT COUNT(*) FROM prices WHERE source <> ?", (source,)).fetchone()
    return int(row[0])


def record_ticker_result(
    store: Store,
    ticker: str,
    *,
    attempted_at: datetime,
    ok: bool,
    last_day: date | None = None,
    error: str | None = None,
) -> None:
    """Note one collection attempt: success resets the failure count, failure raises it."""
    attempted = stamp(attempted_at)
    day = last_day.isoformat() if last_day is not None else None
    with store.writing() as conn:
        if ok:
            conn.execute(
                "INSERT INTO ticker_state (ticker, last_attempt, last_success, last_day, "
                "consecutive_failures, last_error) VALUES (?, ?, ?, ?, 0, NULL) "
                "ON CONFLICT (ticker) DO UPDATE SET last_attempt = excluded.last_attempt, "
                "last_success = excluded.last_success, consecutive_failures = 0, "
                "last_error = NULL, last_day = CASE WHEN ticker_state.last_day IS NULL "
                "OR excluded.last_day > ticker_state.last_day THEN excluded.last_day "
                "ELSE ticker_state.last_day END",
                (ticker, attempted, attempted, day),
            )
        else:
            conn.execute(
                "INSERT INTO ticker_state (ticker, last_attempt, consecutive_failures, "
                "last_error) VALUES (?, ?, 1, ?) ON CONFLICT (ticker) DO UPDATE SET "
                "last_attempt = excluded.last_attempt, last_error = excluded.last_error, "
                "consecutive_failures = ticker_state.consecutive_failures + 1",
                (ticker, attempted, error or "unknown error"),
            )


def ticker_states(store: Store) -> dict[str, TickerState]:
    """Every ticker the collector has tried, by name."""
    rows = store.conn.execute("SELECT * FROM ticker_state ORDER BY ticker")
    return {r["ticker"]: _state(r) for r in rows}


def _state(row: sqlite3.Row) -> TickerState:
    return TickerState(
        ticker=row["ticker"],
        last_attempt=parse_stamp(row["last_attempt"]),
        last_success=parse_stamp(row["last_success"]),
        last_day=date.fromisoformat(row["last_day"]) if row["last_day"] else None,
        consecutive_failures=int(row["consecutive_failures"]),
        last_error=row["last_error"],
    )


def ticker_freshness(
    store: Store, tickers: Sequence[str], *, now: datetime, stale_after_days: int
) -> list[Freshness]:
    """For each ticker, in order: is its newest close older than `stale_after_days`?

    Age is counted in calendar days from the newest stored close to `now`'s UTC date, so
    a weekend (3 days) is not stale with the default of 4. The reason names the last
    collection error when there is one, so a report can say why an input is stale.
    """
    days = last_days(store)
    states = ticker_states(store)
    today = now.date()
    out: list[Freshness] = []
    for ticker in tickers:
        last = days.get(ticker)
        state = states.get(ticker)
        age = (today - last).days if last is not None else None
        stale = age is None or age > stale_after_days
        out.append(Freshness(ticker, last, age, stale, _reason(last, age, state)))
    return out


def _reason(last: date | None, age: int | None, state: TickerState | None) -> str:
    parts = ["no stored closes" if last is None else f"last close {last} ({age} days old)"]
    if state is not None and state.consecutive_failures:
        parts.append(f"{state.consecutive_failures} failed attempt(s): {state.last_error}")
    return "; ".join(parts)


def stale_tickers(store: Store, config: Config, *, now: datetime) -> list[str]:
    """Configured tickers whose newest stored close is older than `stale_after_days` (or
    that have none), in config order: the inputs the index must name as stale."""
    fresh = ticker_freshness(
        store, config.tickers, now=now, stale_after_days=config.prices.stale_after_days
    )
    return [f.ticker for f in fresh if f.stale]
