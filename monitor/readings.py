"""The index stage: read prices and headlines from the store, compute and save a reading.

Idempotent: the reading is keyed by `now`, so running the stage twice for the same
instant stores the same row once. Nothing is filled in: a ticker without a fresh close is
named stale, a component without inputs is named missing and its weight is spread over
the others (signals.index.combine).
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pandas as pd

from monitor.config import Config
from monitor.errors import StoreError
from monitor.prices.collect import stale_tickers
from monitor.store import Store
from monitor.store.headlines import list_headlines
from monitor.store.layoffs import count_layoff_events, layoff_series
from monitor.store.prices import load_closes
from monitor.store.readings import latest_reading, readings_between, save_reading
from signals.index import NoComponentsError, combine
from signals.market import market_signals
from signals.models import IndexReading, Signal, StoredHeadline
from signals.news import NewsParams, news_signals
from signals.regime import Drawdown, basket_drawdown


def compute_reading(store: Store, config: Config, *, now: datetime) -> IndexReading:
    """Compute the reading as of `now`, save it (replacing one with the same as_of)."""
    closes = _closes(store, config, now)
    has_prices = bool(closes.notna().to_numpy().any())
    signals: list[Signal] = []
    if has_prices:
        signals.extend(market_signals(closes, list(config.basket)))
    events = layoff_series(store, until=now.date()) if count_layoff_events(store) else None
    signals.extend(news_signals(_headlines(store, now), now=now, layoff_events=events))
    stale = stale_tickers(store, config, now=now) if has_prices else []
    drawdown = basket_drawdown(closes, config.basket) if has_prices else None
    try:
        reading = combine(
            signals,
            config.index.weights,
            as_of=now,
            previous=latest_reading(store, before=now),
            stale=stale,
            drawdown=drawdown,
            recent_high=_high_since_peak(store, drawdown, now),
        )
    except NoComponentsError as e:
        raise StoreError(
            f"{store.location}: no prices and no scored headlines to compute the index from; "
            "run `bubble-monitor collect` first (or `report --demo`)"
        ) from e
    save_reading(store, reading, computed_at=now)
    return reading


def _closes(store: Store, config: Config, now: datetime) -> pd.DataFrame:
    # All stored history: the components rank today against their own past, and a live
    # reading must rank against the same past as the backtest does.
    closes = load_closes(store, config.tickers)
    # Never look past `now`: a re-computed past reading sees what was known then.
    return closes.loc[closes.index <= pd.Timestamp(now.date())]


def _headlines(store: Store, now: datetime) -> list[StoredHeadline]:
    params = NewsParams()
    window = params.long_days + params.baseline_days + 10
    stored = list_headlines(store, since=now - timedelta(days=window))
    return [h for h in stored if h.headline.published <= now]


def _high_since_peak(store: Store, drawdown: Drawdown | None, now: datetime) -> float | None:
    """The highest stored index since the basket's 52-week high (for "bursting")."""
    if drawdown is None or not drawdown.fresh:
        return None
    start = datetime.combine(drawdown.peak_day, time(), UTC)
    return max(
        (r.index for r in readings_between(store, start, now) if r.as_of < now), default=None
    )
