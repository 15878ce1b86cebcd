"""`backtest --segment NAME`: the replay narrowed to one segment of feeds.yaml.

The segment's tickers found in the price file make the basket; headlines and layoff
events are those its alias table attributes to it (all for `news: all`, none for
`news: none`, and then only the market components are weighed; unattributed headlines
stay in without their score, to mark the days the feeds were collecting); non-USD listings are
converted with their FX column (`JPY=X`) onto the US calendar, as in the live reading.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from monitor.config.feeds_yaml import Config
from monitor.errors import InputError
from monitor.reading.segments import alias_table, segment_events
from monitor.store.layoffs import LayoffEvent
from signals.attribution import attribute, segment_view
from signals.currency import listing_currency
from signals.fx import Conversion, to_usd
from signals.index import MARKET_COMPONENTS
from signals.models import StoredHeadline


@dataclass(frozen=True, slots=True)
class SegmentSelection:
    """What the replay of one segment reads."""

    name: str
    basket: tuple[str, ...]
    headlines: list[StoredHeadline]
    events: list[LayoffEvent]
    weights: Mapping[str, float]
    #: Headlines attributed to the segment (`headlines` holds every one, see segment_view).
    attributed: int


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
    weights = config.index.weights
    if segment.news == "none":
        weights = {k: w for k, w in weights.items() if k in MARKET_COMPONENTS}
        return SegmentSelection(name, basket, [], [], weights, 0)
    chosen = segment_events(segment, events, table)
    return SegmentSelection(name, basket, segment_view(headlines, mine), chosen, weights, len(mine))
