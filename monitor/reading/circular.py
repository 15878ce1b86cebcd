"""The reading's `circular` member: circular deals as of a reading, from the deals table.

Context, not a component of the index: it is not fitted against crashes (too few
bubbles with deal data), so it is shown and marked unfitted, like the smart-money line
before two years of 13F quarters exist. Deals dated after the reading are not seen.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Final

from monitor.config.feeds_yaml import Config
from monitor.reading.circular_json import (
    MAX_EDGES,
    SERIES_MONTHS,
    UNFITTED_NOTE,
    circular_line,
    graph_dict,
)
from monitor.store.db import Store
from monitor.store.deals import count_deals, load_deals
from signals.deals.entities import EntityTable
from signals.deals.graph import build_graph, firm_deals, monthly_series
from signals.deals.models import Deal

#: URLs of simulated deals (the demo's) start with this: the line then says so.
SIMULATED_PREFIX: Final = "https://demo.invalid/"
SERIES_START: Final = date(2023, 1, 1)


def entity_table(config: Config) -> EntityTable:
    """The deal parties: the segments' aliases extended by signals.deals.entities.EXTRA."""
    return EntityTable.build([a for s in config.segments for a in s.aliases])


def circular_context(store: Store, *, now: datetime) -> dict[str, Any] | None:
    """The `circular` member of a reading as of `now`; None when no deal is stored."""
    if count_deals(store) == 0:
        return None
    deals = load_deals(store, until=now.date())
    if not deals:
        return None
    return circular_document(deals, now=now, months=SERIES_MONTHS)


def circular_document(
    deals: list[Deal], *, now: datetime, months: int | None = None
) -> dict[str, Any]:
    graph = build_graph(deals)
    firm = build_graph(firm_deals(deals))
    start = _months_back(now.date(), months) if months else SERIES_START
    series = monthly_series(deals, start=start, end=now.date())
    simulated = any(d.url.startswith(SIMULATED_PREFIX) for d in deals)
    return {
        "line": circular_line(
            graph, deals=len(deals), simulated=simulated, firm=firm, priced=_priced(deals)
        ),
        "status": "context",
        "fitted": False,
        "simulated": simulated,
        "deals": len(deals),
        "confirmed": sum(1 for d in deals if d.status == "confirmed"),
        **graph_dict(graph, series, max_edges=MAX_EDGES, firm=firm),
        "notes": [UNFITTED_NOTE],
    }


def _priced(deals: list[Deal]) -> int:
    """How many deals state an amount (the line tells them from the whole count)."""
    return sum(1 for d in deals if d.amount_usd is not None)


def _months_back(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 - (months - 1)
    return date(index // 12, index % 12 + 1, 1)
