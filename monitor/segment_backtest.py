"""`backtest --segment NAME`: the replay narrowed to one segment of feeds.yaml.

The segment's tickers found in the price file make the basket; headlines and layoff
events are those its alias table attributes to it (all for `news: all`, none for
`news: none`, and then only the market components are weighed); non-USD listings are
converted with their FX column (`JPY=X`) onto the US calendar, as in the live reading.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import pandas as pd

from monitor.config import Config
from monitor.errors import InputError
from monitor.segment_readings import alias_table
from monitor.store.layoffs import LayoffEvent
from signals.attribution import attribute
from signals.currency import listing_currency
from signals.fx import Conversion, to_usd
from signals.index import MARKET_COMPONENTS
from signals.models import StoredHeadline
from signals.news import NewsParams


@dataclass(frozen=True, slots=True)
class SegmentSelection:
    """What the replay of one segment reads."""

    name: str
    basket: tuple[str, ...]
    headlines: list[StoredHeadline]
    events: list[LayoffEvent]
    weights: Mapping[str, float]
    news_params: NewsParams


def in_dollars(closes: pd.DataFrame, config: Config) -> Conversion:
    """Every column of a price file in dollars: configured currencies, else the suffix."""
    currencies = {str(c): listing_currency(str(c)) for c in closes.columns}
    currencies.update(config.currencies)
    return to_usd(closes, currencies)


def select_segment(
    name: str,
    config: Config,
    columns: Sequence[str],
    headlines: list[StoredHeadline],
    events: list[LayoffEvent],
    source: str,
) -> SegmentSelection:
    """The segment's basket, news and weights; errors name the segment and the file."""
    segment = config.segment(name)
    basket = tuple(t for t in segment.symbols if t in columns)
    if not basket:
        raise InputError(
            f"{source}: none of segment {name}'s tickers is in the file "
            f"({', '.join(segment.symbols)})"
        )
    table = alias_table(config)
    mine = attribute(headlines, {name: segment.news}, table)[name]
    if segment.news == "aliases":
        events = [e for e in events if name in table.matches(e.company)]
    elif segment.news == "none":
        events = []
    weights = config.index.weights
    if segment.news == "none":
        weights = {k: w for k, w in weights.items() if k in MARKET_COMPONENTS}
    return SegmentSelection(name, basket, mine, events, weights, _params(mine, headlines))


def _params(mine: list[StoredHeadline], every: list[StoredHeadline]) -> NewsParams:
    """Fixed news rates scaled by the segment's share of the headlines (signals.segments)."""
    defaults = NewsParams()
    share = min(1.0, max(len(mine) / len(every), 1e-3)) if every else 1.0
    return replace(defaults, fixed_rates={k: v * share for k, v in defaults.fixed_rates.items()})
