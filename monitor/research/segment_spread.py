"""The spread of one segment over another as a series: from the store or a price file.

`bubble-monitor spread` prints it; the daily reading keeps only its last value. Closes are
read in dollars on the US calendar (monitor.reading.fx), so the series is the same whichever
source it comes from.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from monitor.config.feeds_yaml import Config
from monitor.errors import InputError, StoreError
from monitor.research.segment_backtest import in_dollars
from monitor.store import Store
from signals.spread import GSY_HORIZON, spread_frame


@dataclass(frozen=True, slots=True)
class SpreadSeries:
    a: str
    b: str
    horizon: int
    tickers_a: tuple[str, ...]
    tickers_b: tuple[str, ...]
    frame: pd.DataFrame  # runup_a, runup_b, net, percentile; one row per US trading day


def closes_from(config: Config, *, store: Store | None, prices: Path | None) -> pd.DataFrame:
    """Closes in dollars from a price file, else from the store."""
    if prices is not None:
        from monitor.research.backtest.run import load_closes_csv

        return in_dollars(load_closes_csv(prices), config).closes
    assert store is not None
    from monitor.store.prices import load_closes

    closes = load_closes(store, config.tickers).dropna(how="all")
    if closes.empty:
        raise StoreError(f"{store.path}: no stored prices; run `bubble-monitor collect prices`")
    return in_dollars(closes, config).closes


def spread_series(
    config: Config,
    closes: pd.DataFrame,
    a: str,
    b: str,
    *,
    horizon: int = GSY_HORIZON,
    source: str,
) -> SpreadSeries:
    """Segment a's run-up net of segment b's, every day; errors name what is missing."""
    members = {}
    for name in (a, b):
        tickers = tuple(t for t in config.segment(name).symbols if t in closes)
        if not tickers or not closes[list(tickers)].notna().any().any():
            raise InputError(
                f"{source}: no prices of segment {name}'s tickers "
                f"({', '.join(config.segment(name).symbols)})"
            )
        members[name] = tickers
    frame = spread_frame(closes, members[a], members[b], horizon=horizon)
    return SpreadSeries(a, b, horizon, members[a], members[b], frame)
