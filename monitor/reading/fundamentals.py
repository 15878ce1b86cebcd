"""The reading's `fundamentals` part: the hyperscalers' and each segment's capex,
capex/revenue, growth, debt growth, free cash flow after capex and price/sales from the
filings known on the reading's date, and the market's CAPE percentile as context.

Only facts filed on or before the reading's day count, so a reading recomputed for a
past date (or a backtest) never sees a number before it was public. Every measure is
`unfitted`: shown, never weighted into the index, until an evaluation shows it forecasts.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pandas as pd

from monitor.config.feeds_yaml import Config
from monitor.errors import ConfigError
from monitor.reading.cape_source import load_cape_csv
from monitor.reading.fundamentals_json import group_json, line_of, market_json
from monitor.sources.edgar.fundamentals import fundamentals_tickers
from monitor.store import Store
from monitor.store.fundamentals import companies, load_facts
from monitor.store.prices import load_closes
from signals.fundamentals.cape import CapeReading, cape_reading
from signals.fundamentals.group import PriceAt, read_group
from signals.fundamentals.measures import Fundamentals, fundamentals

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class StoredFundamentals:
    by_ticker: dict[str, Fundamentals]
    simulated: bool


def stored_companies(
    store: Store, tickers: tuple[str, ...], day: date | None
) -> tuple[dict[str, Fundamentals], list[str]]:
    """Each stored company's measures from the facts filed on or before `day` (all when
    None), and the tickers with no stored company."""
    listed = companies(store)
    found: dict[str, Fundamentals] = {}
    for ticker in tickers:
        if ticker in listed:
            cik = listed[ticker].cik
            found[ticker] = fundamentals(cik, load_facts(store, cik, until=day))
    return found, [t for t in tickers if t not in listed]


def stored_fundamentals(store: Store, tickers: tuple[str, ...], day: date) -> StoredFundamentals:
    """The companies with a trailing twelve months known on `day`."""
    found, _ = stored_companies(store, tickers, day)
    with_ttm = {t: f for t, f in found.items() if f.ttm is not None}
    listed = companies(store)
    return StoredFundamentals(with_ttm, any(listed[t].source == "simulated" for t in with_ttm))


def reading_part(store: Store, config: Config, *, now: datetime) -> dict[str, Any] | None:
    """`fundamentals_view` for the live reading: a failure here (a bad stored row, a bug)
    is logged and shown as the part's error, never stops the reading."""
    try:
        return fundamentals_view(store, config, now=now)
    except Exception as e:
        log.exception("fundamentals: the reading's fundamentals part failed")
        return {"line": None, "error": f"{type(e).__name__}: {e}", "status": "failed"}


def fundamentals_view(store: Store, config: Config, *, now: datetime) -> dict[str, Any] | None:
    """The `fundamentals` member of a reading, or None when no company is stored."""
    settings = config.fundamentals
    tickers = fundamentals_tickers(config)
    day = now.date()
    stored = stored_fundamentals(store, tickers, day)
    if not stored.by_ticker:
        return None
    price_at = _price_lookup(store, tuple(stored.by_ticker), day)
    kwargs: dict[str, Any] = {
        "baseline_year": settings.baseline_year,
        "price_at": price_at,
        "as_of": day,
    }
    group = read_group(stored.by_ticker, settings.hyperscalers, **kwargs)
    segments = []
    for segment in config.segments:
        if segment.name in settings.segments:
            members = [t for t in segment.symbols if t in stored.by_ticker]
            reading = read_group(stored.by_ticker, members, **kwargs)
            segments.append(group_json(segment.name, reading, history=False))
    market = market_json(*_cape(settings.cape_csv, day))
    hyperscalers = group_json("hyperscalers", group, history=True)
    return {
        "line": ("SIMULATED: " if stored.simulated else "") + line_of(group),
        "as_of": day.isoformat(),
        "simulated": stored.simulated,
        "status": "unfitted",
        "hyperscalers": hyperscalers,
        "segments": [*segments, {"name": "market", **market}],
        "not_covered": dict(settings.not_covered),
        "notes": [
            "from SEC XBRL companyfacts, each value counted from its filing date",
            "unfitted: shown as context, not weighted into the index",
            *(
                ["SIMULATED fundamentals (demo scenario), not filed values"]
                if stored.simulated
                else []
            ),
        ],
    }


def _price_lookup(store: Store, tickers: tuple[str, ...], day: date) -> PriceAt:
    closes = load_closes(store, tickers)
    closes = closes.loc[closes.index <= pd.Timestamp(day)]

    def price_at(ticker: str, when: date) -> float | None:
        if ticker not in closes.columns:
            return None
        series = closes[ticker].loc[: pd.Timestamp(when)].dropna()
        return float(series.iloc[-1]) if len(series) else None

    return price_at


def _cape(path: Any, day: date) -> tuple[CapeReading | None, str]:
    """The CAPE reading and, when there is none, why (and how to supply it)."""
    if path is None:
        return None, (
            "no CAPE source: set fundamentals.cape_csv in feeds.yaml to a CSV with date and "
            "cape columns (e.g. Shiller's ie_data.xls, sheet Data, saved as CSV)"
        )
    try:
        series = load_cape_csv(path)
    except ConfigError as e:
        return None, str(e)
    reading = cape_reading(series, day)
    return reading, "" if reading else f"fundamentals.cape_csv {path}: no CAPE on or before {day}"
