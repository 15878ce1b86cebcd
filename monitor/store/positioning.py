"""Short interest in the store: one row per ticker and settlement date, so history builds up.

Yahoo repeats the same settlement date for about two weeks; the upsert keeps the latest
figures for a date (FINRA occasionally revises) and never writes a missing field as zero.
`first_seen` is when a settlement was first collected and is never moved later, so a
reading as of a past day sees only what was public then (`short_interest_history`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Any

from monitor.store.db import Store
from signals.positioning import ShortInterest, published_by

_FIELDS = (
    "shares_short",
    "shares_short_prior",
    "percent_of_float",
    "float_shares",
    "days_to_cover",
)

_COLUMNS = f"ticker, settlement, first_seen, {', '.join(_FIELDS)}"

# A re-collection keeps the first sighting; a run with an earlier clock (a backfill)
# moves it earlier, never later. ISO-8601 UTC text compares in time order.
_EARLIER_FIRST_SEEN = (
    ", first_seen = CASE WHEN short_interest.first_seen IS NULL "
    "OR excluded.first_seen < short_interest.first_seen "
    "THEN excluded.first_seen ELSE short_interest.first_seen END"
)


def upsert_short_interest(
    store: Store, records: Iterable[ShortInterest], *, fetched_at: datetime
) -> int:
    """Store each record; returns the number of (ticker, settlement) rows that were new."""
    new = 0
    seen = _utc_text(fetched_at)
    with store.writing() as conn:
        for r in records:
            known = conn.execute(
                "SELECT 1 FROM short_interest WHERE ticker = ? AND settlement = ?",
                (r.ticker, r.settlement.isoformat()),
            ).fetchone()
            new += known is None
            conn.execute(
                "INSERT INTO short_interest (ticker, settlement, shares_short, "
                "shares_short_prior, percent_of_float, float_shares, days_to_cover, fetched_at, "
                "first_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (ticker, settlement) DO UPDATE SET "
                + ", ".join(f"{f} = excluded.{f}" for f in (*_FIELDS, "fetched_at"))
                + _EARLIER_FIRST_SEEN,
                (
                    r.ticker,
                    r.settlement.isoformat(),
                    r.shares_short,
                    r.shares_short_prior,
                    r.percent_of_float,
                    r.float_shares,
                    r.days_to_cover,
                    seen,
                    seen,
                ),
            )
    return new


def short_interest_history(
    store: Store, tickers: Sequence[str], *, until: date | None = None
) -> dict[str, list[ShortInterest]]:
    """Every stored settlement of `tickers` public by `until` (published on or before it;
    every one when None), oldest first, by ticker."""
    out: dict[str, list[ShortInterest]] = {t: [] for t in tickers}
    if not tickers:
        return out
    marks = ", ".join("?" for _ in tickers)
    # A settlement is never published before its own date: filter on it in SQL first.
    limit = (until or date.max).isoformat()
    rows = store.conn.execute(
        f"SELECT {_COLUMNS} FROM short_interest "
        f"WHERE ticker IN ({marks}) AND settlement <= ? ORDER BY ticker, settlement",
        (*tickers, limit),
    ).fetchall()
    for row in rows:
        out[row["ticker"]].append(_record(row))
    if until is None:
        return out
    return {t: published_by(records, until) for t, records in out.items()}


def stored_short_interest(store: Store, ticker: str, settlement: date) -> ShortInterest | None:
    """One stored settlement of one ticker, with its first sighting."""
    row = store.conn.execute(
        f"SELECT {_COLUMNS} FROM short_interest WHERE ticker = ? AND settlement = ?",
        (ticker, settlement.isoformat()),
    ).fetchone()
    return None if row is None else _record(row)


def latest_settlement(store: Store) -> date | None:
    row = store.conn.execute("SELECT MAX(settlement) FROM short_interest").fetchone()
    return None if row[0] is None else date.fromisoformat(row[0])


def latest_published(store: Store) -> tuple[date, date] | None:
    """The latest settlement date and the day its first ticker's figures became public."""
    latest = latest_settlement(store)
    if latest is None:
        return None
    rows = store.conn.execute(
        f"SELECT {_COLUMNS} FROM short_interest WHERE settlement = ?", (latest.isoformat(),)
    ).fetchall()
    return latest, min(_record(row).published for row in rows)


def _record(row: Any) -> ShortInterest:
    return ShortInterest(
        ticker=row["ticker"],
        settlement=date.fromisoformat(row["settlement"]),
        **{f: row[f] for f in _FIELDS},
        first_seen=_utc_day(row["first_seen"]),
    )


def _utc_text(moment: datetime) -> str:
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).isoformat()


def _utc_day(text: str | None) -> date | None:
    if text is None:
        return None
    moment = datetime.fromisoformat(text)
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).date()
