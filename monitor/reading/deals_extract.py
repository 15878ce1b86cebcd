"""Deals from newly stored headlines: the extraction step of `collect news` (and of
`import-headlines`). Reads the titles of the given headline ids, runs the rules of
signals.deals.extract and records what they find as `extracted` deals, one source per
headline, one deal per story told by several outlets (monitor.store.deals)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from monitor.store.db import Store
from monitor.store.deals import DealCounts, Report, record_deals
from monitor.store.stamps import parse_stamp
from signals.deals.entities import EntityTable
from signals.deals.extract import extract_deals
from signals.deals.models import DealDraft

#: Ids per query (SQLite's default limit on variables is 999 in old builds).
CHUNK = 500


def extract_new_deals(
    store: Store, table: EntityTable, headline_ids: Sequence[int], *, now: datetime
) -> DealCounts:
    """Extract and record the deals of the headlines `headline_ids` (already stored)."""
    found: list[tuple[DealDraft, Report]] = []
    for start in range(0, len(headline_ids), CHUNK):
        chunk = list(headline_ids[start : start + CHUNK])
        marks = ", ".join("?" for _ in chunk)
        rows = store.conn.execute(
            f"SELECT title, url, source, published FROM headlines WHERE id IN ({marks})", chunk
        ).fetchall()
        for title, url, source, published in rows:
            drafts = extract_deals(str(title), table)
            if not drafts:
                continue
            stamp = parse_stamp(str(published))
            day = (stamp or now).date()
            found.extend((d, Report(day, str(title), str(url), str(source))) for d in drafts)
    if not found:
        return DealCounts()
    return record_deals(store, found, now=now)
