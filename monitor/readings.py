"""The index stage: read prices and headlines from the store, compute and save a reading.

Idempotent: the reading is keyed by `now`, so running the stage twice for the same
instant stores the same row once. Nothing is filled in: a ticker without a fresh close is
named stale, a component without inputs is named missing and its weight is spread over
the others (signals.index.combine).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta

import pandas as pd

from monitor.config import Config
from monitor.errors import StoreError
from monitor.fx import usd_closes
from monitor.prices.collect import stale_tickers
from monitor.segment_readings import compute_segments
from monitor.store import Store
from monitor.store.headlines import list_headlines
from monitor.store.layoffs import count_layoff_events, events_series, load_layoff_events
from monitor.store.prices import load_closes
from monitor.store.readings import latest_reading, readings_between, save_reading
from signals.index import NoComponentsError, combine
from signals.market import market_signals
from signals.models import IndexReading, Signal, StoredHeadline
from signals.news import NewsParams, news_signals
from signals.regime import Drawdown, basket_drawdown


def compute_reading(store: Store, config: Config, *, now: datetime) -> IndexReading:
    """Compute the reading as of `now`, save it (replacing one with the same as_of)."""
    converted = usd_closes(_closes(store, config, now), config)
    closes = converted.closes
    has_prices = bool(closes.notna().to_numpy().any())
    signals: list[Signal] = []
    if has_prices:
        signals.extend(market_signals(closes, list(config.basket)))
    events = load_layoff_events(store, until=now.date()) if count_layoff_events(store) else []
    headlines = _headlines(store, now)
    signals.extend(
        news_signals(headlines, now=now, layoff_events=events_series(events) if events else None)
    )
    stale = stale_tickers(store, config, now=now) if has_prices else []
    drawdown = basket_drawdown(closes, config.basket) if has_prices else None
    previous = latest_reading(store, before=now)
    try:
        reading = combine(
            signals,
            config.index.weights,
            as_of=now,
            previous=previous,
            stale=stale,
            drawdown=drawdown,
            recent_high=_high_since_peak(store, drawdown, now),
        )
    except NoComponentsError as e:
        raise StoreError(
            f"{store.path}: no prices and no scored headlines to compute the index from; "
            "run `bubble-monitor collect` first (or `report --demo`)"
        ) from e
    segments = compute_segments(
        config, closes, headlines, events, now=now, previous=previous, stale=stale
    )
    reading = replace(
        reading,
        segments=segments.segments,
        spread=segments.spread,
        notes=(*reading.notes, *converted.notes),
    )
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
