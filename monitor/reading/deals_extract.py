"""Deals from newly stored headlines: the extraction step of `collect news` and of
`import-headlines`. Runs the rules of signals.deals.extract on each title and records what
they find as `extracted` deals, one source per headline, one deal per story told by
several outlets (monitor.store.deals).

One entry point, `extract_new_deals`, for both stages: it takes the ids of the headlines
just stored (collect news: every new row of the run; import-headlines: each committed
batch) and reads their rows back in one range scan of the primary key.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from monitor.store.db import Store
from monitor.store.deals import DealCounts, Report, record_deals
from monitor.store.stamps import parse_stamp
from signals.deals.entities import EntityTable
from signals.deals.extract import extract_deals
from signals.deals.models import DealDraft


def extract_new_deals(
    store: Store, table: EntityTable, headline_ids: Sequence[int], *, now: datetime
) -> DealCounts:
    """Extract and record the deals of the headlines `headline_ids` (already stored)."""
    if not headline_ids:
        return DealCounts()
    wanted = set(headline_ids)
    # One range scan of the primary key: new rows are the newest ids, and one scan is far
    # cheaper than thousands of IN lists.
    rows = store.conn.execute(
        "SELECT id, title, url, source, published FROM headlines WHERE id BETWEEN ? AND ?",
        (min(wanted), max(wanted)),
    ).fetchall()
    titled = (
        (str(title), str(url), str(source), parse_stamp(str(published)) or now)
        for row_id, title, url, source, published in rows
        if row_id in wanted
    )
    return _record(store, table, titled, now)


def _record(
    store: Store,
    table: EntityTable,
    titled: Iterable[tuple[str, str, str, datetime]],
    now: datetime,
) -> DealCounts:
    found: list[tuple[DealDraft, Report]] = []
    for title, url, source, published in titled:
        drafts = extract_deals(title, table)
        found.extend((d, Report(published.date(), title, url, source)) for d in drafts)
    if not found:
        return DealCounts()
    return record_deals(store, found, now=now)
