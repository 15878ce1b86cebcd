"""Deals in the store: record extracted or confirmed deals without duplicates, list them,
confirm or reject them.

One deal reported by several outlets is one row with several deal_sources. A new report
joins a stored deal of the same payer and payee when their amounts agree within
SAME_AMOUNT and they are at most SAME_DEAL_DAYS apart, or when either has no amount and
they are at most SAME_STORY_DAYS apart (a follow-up of the same news). A report from a URL
already stored as a source of that pair changes nothing, so re-running is idempotent.
Rejected deals keep their sources: a new report of a rejected deal stays rejected.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Final

from monitor.errors import InputError
from monitor.store.db import Store
from monitor.store.stamps import stamp
from signals.deals.models import KINDS, STATUSES, Deal, DealDraft, Kind, Status

SAME_AMOUNT: Final = 0.10
SAME_DEAL_DAYS: Final = 365
SAME_STORY_DAYS: Final = 45
_COLUMNS: Final = (
    "d.id, d.day, d.payer, d.payee, d.amount_usd, d.kind, d.title, d.url, d.status, "
    "d.confidence, (SELECT COUNT(*) FROM deal_sources s WHERE s.deal_id = d.id)"
)


@dataclass(frozen=True, slots=True)
class Report:
    """Where a deal was read: a headline of one outlet on one day."""

    day: date
    title: str
    url: str
    source: str


@dataclass(frozen=True, slots=True)
class DealCounts:
    new: int = 0
    merged: int = 0
    unchanged: int = 0


def record_deals(
    store: Store,
    found: Iterable[tuple[DealDraft, Report]],
    *,
    now: datetime,
    status: Status = "extracted",
) -> DealCounts:
    """Store each deal as a new row or as one more source of the same stored deal."""
    new = merged = unchanged = 0
    with store.writing() as conn:
        for draft, report in found:
            same = _same_deal(conn, draft, report.day)
            if same is not None and _has_source(conn, same.id, report.url):
                if status == "confirmed" and same.status == "extracted":
                    _improve(conn, same, draft, status)  # the same report, now checked
                    merged += 1
                else:
                    unchanged += 1
                continue
            if same is None:
                deal_id = _insert(conn, draft, report, status, now)
                new += 1
            else:
                deal_id = same.id
                _improve(conn, same, draft, status)
                merged += 1
            conn.execute(
                "INSERT INTO deal_sources (deal_id, url, title, source, day) VALUES "
                "(?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (deal_id, report.url, report.title, report.source, report.day.isoformat()),
            )
    return DealCounts(new, merged, unchanged)


def _improve(conn: Any, same: Deal, draft: DealDraft, status: Status) -> None:
    """A confirmed report confirms an extracted deal (with its amount); an extracted one
    only fills a missing amount. A rejected deal stays as the user left it."""
    if same.status != "extracted":
        return
    if status == "confirmed":
        conn.execute(
            "UPDATE deals SET status = 'confirmed', amount_usd = ?, kind = ? WHERE id = ?",
            (draft.amount_usd, draft.kind, same.id),
        )
    elif same.amount_usd is None and draft.amount_usd is not None:
        conn.execute("UPDATE deals SET amount_usd = ? WHERE id = ?", (draft.amount_usd, same.id))


def _insert(conn: Any, draft: DealDraft, report: Report, status: Status, now: datetime) -> int:
    row = conn.execute(
        "INSERT INTO deals (day, payer, payee, amount_usd, kind, title, url, status, "
        "confidence, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        (
            report.day.isoformat(), draft.payer, draft.payee, draft.amount_usd, draft.kind,
            report.title, report.url, status, draft.confidence, stamp(now),
        ),
    ).fetchone()  # fmt: skip
    return int(row[0])


def _same_deal(conn: Any, draft: DealDraft, day: date) -> Deal | None:
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM deals d WHERE d.payer = ? AND d.payee = ? ORDER BY d.id",
        (draft.payer, draft.payee),
    ).fetchall()
    for deal in map(_deal, rows):
        apart = abs((deal.day - day).days)
        if draft.amount_usd is not None and deal.amount_usd is not None:
            larger = max(draft.amount_usd, deal.amount_usd)
            if abs(draft.amount_usd - deal.amount_usd) <= SAME_AMOUNT * larger and (
                apart <= SAME_DEAL_DAYS
            ):
                return deal
        elif apart <= SAME_STORY_DAYS:
            return deal
    return None


def _has_source(conn: Any, deal_id: int, url: str) -> bool:
    row = conn.execute(
        "SELECT 1 FROM deal_sources WHERE deal_id = ? AND url = ?", (deal_id, url)
    ).fetchone()
    return row is not None


def load_deals(
    store: Store,
    *,
    since: date | None = None,
    until: date | None = None,
    status: Status | None = None,
    include_rejected: bool = False,
) -> list[Deal]:
    """Stored deals with since <= day <= until, oldest first (rejected ones only when
    asked for by `status` or `include_rejected`)."""
    where, params = ["1 = 1"], []
    if since is not None:
        where.append("d.day >= ?")
        params.append(since.isoformat())
    if until is not None:
        where.append("d.day <= ?")
        params.append(until.isoformat())
    if status is not None:
        where.append("d.status = ?")
        params.append(status)
    elif not include_rejected:
        where.append("d.status != 'rejected'")
    rows = store.conn.execute(
        f"SELECT {_COLUMNS} FROM deals d WHERE {' AND '.join(where)} ORDER BY d.day, d.id",
        params,
    ).fetchall()
    return [_deal(r) for r in rows]


def count_deals(store: Store) -> int:
    return int(store.conn.execute("SELECT COUNT(*) FROM deals").fetchone()[0])


def set_status(store: Store, deal_id: int, status: Status) -> None:
    """Confirm or reject a stored deal; an unknown id is an input error."""
    if status not in STATUSES:
        raise InputError(f"status {status!r}: use one of {', '.join(STATUSES)}")
    with store.writing() as conn:
        row = conn.execute("SELECT id FROM deals WHERE id = ?", (deal_id,)).fetchone()
        if row is None:
            raise InputError(f"deal {deal_id}: no such deal (see `deals list`)")
        conn.execute("UPDATE deals SET status = ? WHERE id = ?", (status, deal_id))


def deal_sources(store: Store, deal_id: int) -> list[Report]:
    rows = store.conn.execute(
        "SELECT day, title, url, source FROM deal_sources WHERE deal_id = ? ORDER BY day, url",
        (deal_id,),
    ).fetchall()
    return [Report(date.fromisoformat(r[0]), r[1], r[2], r[3]) for r in rows]


def _deal(row: Any) -> Deal:
    kind = str(row[5])
    return Deal(
        id=int(row[0]),
        day=date.fromisoformat(str(row[1])),
        payer=str(row[2]),
        payee=str(row[3]),
        amount_usd=None if row[4] is None else float(row[4]),
        kind=_kind(kind),
        title=str(row[6]),
        url=str(row[7]),
        status=_status(str(row[8])),
        confidence=float(row[9]),
        sources=int(row[10]),
    )


def _kind(text: str) -> Kind:
    for kind in KINDS:
        if kind == text:
            return kind
    raise InputError(f"deals: unknown kind {text!r} in the store")


def _status(text: str) -> Status:
    for status in STATUSES:
        if status == text:
            return status
    raise InputError(f"deals: unknown status {text!r} in the store")
