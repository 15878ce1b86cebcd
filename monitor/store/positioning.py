"""Short interest in the store: one row per ticker and settlement date, so history builds up.

Yahoo repeats the same settlement date for about two weeks; the upsert keeps the latest
figures for a date (FINRA occasionally revises) and never writes a missing field as zero.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime

from monitor.store.db import Store
from signals.positioning import ShortInterest

_FIELDS = (
    "shares_short",
    "shares_short_prior",
    "percent_of_float",
    "float_shares",
    "days_to_cover",
)


def upsert_short_interest(
    store: Store, records: Iterable[ShortInterest], *, fetched_at: datetime
) -> int:
    """Store each record; returns the number of (ticker, settlement) rows that were new."""
    new = 0
    with store.writing() as conn:
        for r in records:
            known = conn.execute(
                "SELECT 1 FROM short_interest WHERE ticker = ? AND settlement = ?",
                (r.ticker, r.settlement.isoformat()),
            ).fetchone()
            new += known is None
            conn.execute(
                "INSERT INTO short_interest (ticker, settlement, shares_short, "
                "shares_short_prior, percent_of_float, float_shares, days_to_cover, fetched_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (ticker, settlement) DO UPDATE SET "
                + ", ".join(f"{f} = excluded.{f}" for f in (*_FIELDS, "fetched_at")),
                (
                    r.ticker,
                    r.settlement.isoformat(),
                    r.shares_short,
                    r.shares_short_prior,
                    r.percent_of_float,
                    r.float_shares,
                    r.days_to_cover,
                    fetched_at.isoformat(),
                ),
            )
    return new


def short_interest_history(
    store: Store, tickers: Sequence[str], *, until: date | None = None
) -> dict[str, list[ShortInterest]]:
    """Every stored settlement of `tickers` up to `until`, oldest first, by ticker."""
    out: dict[str, list[ShortInterest]] = {t: [] for t in tickers}
    if not tickers:
        return out
    marks = ", ".join("?" for _ in tickers)
    limit = (until or date.max).isoformat()
    rows = store.conn.execute(
        f"SELECT ticker, settlement, {', '.join(_FIELDS)} FROM short_interest "
        f"WHERE ticker IN ({marks}) AND settlement <= ? ORDER BY ticker, settlement",
        (*tickers, limit),
    ).fetchall()
    for row in rows:
        out[row["ticker"]].append(
            ShortInterest(
                ticker=row["ticker"],
                settlement=date.fromisoformat(row["settlement"]),
                **{f: row[f] for f in _FIELDS},
            )
        )
    return out


def count_short_interest(store: Store) -> int:
    return int(store.conn.execute("SELECT COUNT(*) FROM short_interest").fetchone()[0])


def latest_settlement(store: Store) -> date | None:
    row = store.conn.execute("SELECT MAX(settlement) FROM short_interest").fetchone()
    return None if row[0] is None else date.fromisoformat(row[0])
