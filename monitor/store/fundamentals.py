"""Company fundamentals in the store: SEC companyfacts values, point in time.

Every value is kept with the date it was filed; a restated value or a 10-K/A is another
row (its own accession), so a reading as of a past date sees exactly what was public
then (`load_facts(..., until=...)`). Rows are never updated or deleted by a collect: a
value SEC serves again is skipped by its key.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from monitor.store.db import Store
from signals.fundamentals.facts import Fact


@dataclass(frozen=True, slots=True)
class Company:
    ticker: str
    cik: int
    name: str
    source: str  # "sec" or "simulated"


def save_facts(store: Store, facts: Iterable[Fact], *, source: str, fetched_at: datetime) -> int:
    """Store facts not yet stored; returns how many were new."""
    rows = [
        (
            f.cik,
            f.concept,
            f.tag,
            "" if f.start is None else f.start.isoformat(),
            f.end.isoformat(),
            f.value,
            f.accession,
            f.form,
            f.filed.isoformat(),
            source,
            fetched_at.isoformat(),
        )
        for f in facts
    ]
    with store.writing() as conn:
        before = _count(store)
        conn.executemany(
            "INSERT INTO fundamental_facts (cik, concept, tag, period_start, period_end, value, "
            "accession, form, filed, source, fetched_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (cik, tag, period_start, period_end, accession) DO NOTHING",
            rows,
        )
        return _count(store) - before


def _count(store: Store) -> int:
    return int(store.conn.execute("SELECT COUNT(*) FROM fundamental_facts").fetchone()[0])


def load_facts(store: Store, cik: int, *, until: date | None = None) -> list[Fact]:
    """The company's facts filed on or before `until` (all when None)."""
    limit = (until or date.max).isoformat()
    rows = store.conn.execute(
        "SELECT concept, tag, period_start, period_end, value, accession, form, filed "
        "FROM fundamental_facts WHERE cik = ? AND filed <= ? ORDER BY filed, accession",
        (cik, limit),
    ).fetchall()
    return [
        Fact(
            cik,
            r["concept"],
            r["tag"],
            date.fromisoformat(r["period_start"]) if r["period_start"] else None,
            date.fromisoformat(r["period_end"]),
            float(r["value"]),
            r["accession"],
            r["form"],
            date.fromisoformat(r["filed"]),
        )
        for r in rows
    ]


def save_company(store: Store, company: Company, *, fetched_at: datetime) -> None:
    with store.writing() as conn:
        conn.execute(
            "INSERT INTO fundamental_companies (ticker, cik, name, source, fetched_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (ticker) DO UPDATE SET cik = excluded.cik, "
            "name = excluded.name, source = excluded.source, fetched_at = excluded.fetched_at",
            (company.ticker, company.cik, company.name, company.source, fetched_at.isoformat()),
        )


def companies(store: Store) -> dict[str, Company]:
    rows = store.conn.execute(
        "SELECT ticker, cik, name, source FROM fundamental_companies ORDER BY ticker"
    ).fetchall()
    return {r["ticker"]: Company(r["ticker"], int(r["cik"]), r["name"], r["source"]) for r in rows}


def facts_overview(store: Store) -> tuple[int, int, date | None]:
    """(facts stored, companies they belong to, the latest filing date)."""
    row = store.conn.execute(
        "SELECT COUNT(*), COUNT(DISTINCT cik), MAX(filed) FROM fundamental_facts"
    ).fetchone()
    return int(row[0]), int(row[1]), None if row[2] is None else date.fromisoformat(row[2])
