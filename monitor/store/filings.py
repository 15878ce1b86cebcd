"""13F filings and their holdings in the store, and EDGAR's conditional-GET validators.

A filing and its holdings are written in one transaction, so a crash never leaves a
filing without its table; a filing already stored is never fetched again (EDGAR's
archives are immutable: a correction arrives as a new 13F-HR/A).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from monitor.store.db import Store
from signals.thirteenf import Filing, Holding


@dataclass(frozen=True, slots=True)
class Validators:
    """What a server said last time, to send back as If-None-Match / If-Modified-Since."""

    etag: str | None
    last_modified: str | None


def known_accessions(store: Store, cik: int) -> set[str]:
    rows = store.conn.execute("SELECT accession FROM filings_13f WHERE cik = ?", (cik,))
    return {r[0] for r in rows}


def save_filing(
    store: Store,
    filing: Filing,
    holdings: Sequence[Holding],
    *,
    value_multiplier: int,
    fetched_at: datetime,
) -> bool:
    """Store a filing with its holdings; False (and nothing written) when it is known."""
    with store.writing() as conn:
        cursor = conn.execute(
            "INSERT INTO filings_13f (accession, cik, fund, form, period, filed, "
            "amendment_type, value_multiplier, fetched_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (accession) DO NOTHING",
            (
                filing.accession,
                filing.cik,
                filing.fund,
                filing.form,
                filing.period.isoformat(),
                filing.filed.isoformat(),
                filing.amendment_type,
                value_multiplier,
                fetched_at.isoformat(),
            ),
        )
        if cursor.rowcount == 0:
            return False
        conn.executemany(
            "INSERT INTO holdings_13f (accession, line, cusip, issuer, title_of_class, ticker, "
            "put_call, share_type, shares, value_usd) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    filing.accession,
                    line,
                    h.cusip,
                    h.issuer,
                    h.title_of_class,
                    h.ticker,
                    h.put_call,
                    h.share_type,
                    h.shares,
                    h.value_usd,
                )
                for line, h in enumerate(holdings, 1)
            ],
        )
    return True


def load_filings(
    store: Store, *, until: date | None = None, mapped_only: bool = False
) -> list[tuple[Filing, list[Holding]]]:
    """Every stored filing known by `until` (its filing date), with its holdings (only
    those with a ticker when `mapped_only`: the rest never reach a reading)."""
    limit = (until or date.max).isoformat()
    filings = store.conn.execute(
        "SELECT accession, cik, fund, form, period, filed, amendment_type FROM filings_13f "
        "WHERE filed <= ? ORDER BY period, filed, accession",
        (limit,),
    ).fetchall()
    out = []
    for f in filings:
        filing = Filing(
            cik=f["cik"],
            fund=f["fund"],
            accession=f["accession"],
            form=f["form"],
            period=date.fromisoformat(f["period"]),
            filed=date.fromisoformat(f["filed"]),
            amendment_type=f["amendment_type"],
        )
        out.append((filing, _holdings(store, filing.accession, mapped_only)))
    return out


def _holdings(store: Store, accession: str, mapped_only: bool) -> list[Holding]:
    mapped = " AND ticker IS NOT NULL" if mapped_only else ""
    rows = store.conn.execute(
        "SELECT cusip, issuer, title_of_class, ticker, put_call, share_type, shares, value_usd "
        f"FROM holdings_13f WHERE accession = ?{mapped} ORDER BY line",
        (accession,),
    ).fetchall()
    return [
        Holding(
            cusip=r["cusip"],
            issuer=r["issuer"],
            title_of_class=r["title_of_class"],
            shares=r["shares"],
            value_usd=r["value_usd"],
            put_call=r["put_call"],
            ticker=r["ticker"],
            share_type=r["share_type"],
        )
        for r in rows
    ]


def get_validators(store: Store, url: str) -> Validators | None:
    row = store.conn.execute(
        "SELECT etag, last_modified FROM http_validators WHERE url = ?", (url,)
    ).fetchone()
    return None if row is None else Validators(row["etag"], row["last_modified"])


def save_validators(store: Store, url: str, validators: Validators, *, now: datetime) -> None:
    with store.writing() as conn:
        conn.execute(
            "INSERT INTO http_validators (url, etag, last_modified, checked_at) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (url) DO UPDATE SET etag = excluded.etag, "
            "last_modified = excluded.last_modified, checked_at = excluded.checked_at",
            (url, validators.etag, validators.last_modified, now.isoformat()),
        )


def filings_overview(store: Store) -> tuple[int, int, date | None]:
    """(filings stored, funds they come from, the latest filing date)."""
    row = store.conn.execute(
        "SELECT COUNT(*), COUNT(DISTINCT cik), MAX(filed) FROM filings_13f"
    ).fetchone()
    return int(row[0]), int(row[1]), None if row[2] is None else date.fromisoformat(row[2])
