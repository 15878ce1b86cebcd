"""Deals from newly stored headlines: the extraction step of `collect news` and of
`import-headlines`. Reads each title with the rules of signals.deals.extract, and with the
pair model too when `news.deal_pair_model` is true (signals.deals.pairmodel, round 4 of
docs/circular-deals.md: the model decides which pairs of a title naming 2-6 parties are
deals, the rules give amounts and kinds; off by default: it lost precision on test4) and
records what they find as `extracted` deals, one source per headline, one deal per story
told by several outlets (monitor.store.deals).

The model is loaded once per process (monitor.reading.deals_model). Without it (head file
missing or bad, or the encoder failing) the rules alone read the titles, and a named
PairModelWarning / log warning says so: extraction never stops for the model.

One entry point, `extract_new_deals`, for both stages: it takes the ids of the headlines
just stored (collect news: every new row of the run; import-headlines: each committed
batch) and reads their rows back in one range scan of the primary key.
"""

from __future__ import annotations

import functools
import logging
import warnings
from collections.abc import Sequence
from datetime import datetime

from monitor.config.feeds_yaml import Config
from monitor.reading.deals_model import PairModel, PairModelWarning, load_pair_model
from monitor.store.db import Store
from monitor.store.deals import DealCounts, Report, record_deals
from monitor.store.stamps import parse_stamp
from signals.deals.entities import EntityTable
from signals.deals.extract import extract_deals
from signals.deals.models import DealDraft
from signals.deals.pairmodel import extract_many

log = logging.getLogger(__name__)


@functools.cache
def shipped_model() -> PairModel | None:
    """The shipped pair model, loaded once per process (None, with a warning, without it)."""
    return load_pair_model()


def configured_model(config: Config) -> PairModel | None:
    """The pair model when `news.deal_pair_model` asks for it, else None (the rules alone,
    the default: on the untouched test4 the model gained recall, 0.540 -> 0.619, and lost
    more precision, 0.708 -> 0.591; docs/circular-deals.md, round 4)."""
    return shipped_model() if config.news.deal_pair_model else None


def extract_new_deals(
    store: Store,
    table: EntityTable,
    headline_ids: Sequence[int],
    *,
    now: datetime,
    model: PairModel | None = None,
) -> DealCounts:
    """Extract and record the deals of the headlines `headline_ids` (already stored), by
    the rules, or by rules + `model` (the pair model; see `configured_model`)."""
    if not headline_ids:
        return DealCounts()
    wanted = set(headline_ids)
    # One range scan of the primary key: new rows are the newest ids, and one scan is far
    # cheaper than thousands of IN lists.
    rows = store.conn.execute(
        "SELECT id, title, url, source, published FROM headlines WHERE id BETWEEN ? AND ?",
        (min(wanted), max(wanted)),
    ).fetchall()
    titled = [
        (str(title), str(url), str(source), parse_stamp(str(published)) or now)
        for row_id, title, url, source, published in rows
        if row_id in wanted
    ]
    drafts = read_titles([t[0] for t in titled], table, model)
    found: list[tuple[DealDraft, Report]] = [
        (d, Report(published.date(), title, url, source))
        for (title, url, source, published), ds in zip(titled, drafts, strict=True)
        for d in ds
    ]
    if not found:
        return DealCounts()
    return record_deals(store, found, now=now)


def read_titles(
    titles: Sequence[str], table: EntityTable, model: PairModel | None
) -> list[list[DealDraft]]:
    """The deals of each title: rules + `model`, or the rules alone when `model` is None
    or fails (a failing encoder is named in a warning and the log, never raised)."""
    if model is not None:
        try:
            return extract_many(titles, table, model.head, model.encoder)
        except (ImportError, OSError, RuntimeError, ValueError, MemoryError) as e:
            message = f"deal pair model failed ({type(e).__name__}: {e})"
            log.warning("%s: deals are read by the rules alone", message)
            warnings.warn(f"{message}: deals are read by the rules alone", PairModelWarning,
                          stacklevel=2)  # fmt: skip
    return [extract_deals(title, table) for title in titles]
