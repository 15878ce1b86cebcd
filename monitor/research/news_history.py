"""The news history of imported headlines: every news component over the years of a store,
beside the basket's next-6-month drawdowns (docs/news-history.md).

`news_history` reads the store's scored headlines (as `backtest --stored-headlines` does)
and the basket closes of a price CSV, computes the daily news components without
look-ahead (signals.news.news_component_frame, headlines only, no layoffs.fyi events) and
the month-end lead/lag table and the stated rule (signals.news_history). `draw` writes the
chart. Nothing here fits a weight.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Final

import pandas as pd

from monitor.config.feeds_yaml import Config
from monitor.errors import InputError
from monitor.research.backtest.headlines import stored_headlines
from monitor.research.backtest.run import choose_basket, load_closes_csv
from monitor.store.db import Store
from signals.labels import NEWS_COMPONENTS
from signals.news import news_component_frame
from signals.news_history import Verdict, forward_drawdown, lead_lag, month_ends, verdict
from signals.regime import equal_weight_index

#: The second half of the month-ends starts here (the rule of docs/news-history.md).
SPLIT: Final[pd.Timestamp] = pd.Timestamp("2024-01-01")
#: The named drawdowns: the basket's lowest close of each year, its high of the year before.
EPISODE_YEARS: Final[tuple[int, ...]] = (2022, 2025)


@dataclass(frozen=True, slots=True)
class Episode:
    """A basket drawdown: the high of the 12 months before the year's low, and the low."""

    peak: date
    trough: date
    depth: float


@dataclass(frozen=True, slots=True)
class NewsHistory:
    """Daily components and basket, month-end table, the rule's verdicts, the episodes."""

    daily: pd.DataFrame  # NEWS_COMPONENTS + "basket" + "forward_drawdown", business days
    headlines: int
    table: pd.DataFrame  # component, shift, rho, n
    verdicts: tuple[Verdict, ...]
    episodes: tuple[Episode, ...]


def news_history(store: Store, prices: Path, config: Config, *, start: date) -> NewsHistory:
    """The news history from `start` to the last day of the price file."""
    closes = load_closes_csv(prices)
    basket = choose_basket([str(c) for c in closes.columns], config)
    level = equal_weight_index(closes, list(basket))
    if level is None:
        raise InputError(f"{prices}: no basket ticker of feeds.yaml in the file")
    headlines = stored_headlines(store)
    if not headlines:
        raise InputError(f"{store.location}: no scored headlines; run import-headlines first")
    days = level.index[level.index >= pd.Timestamp(start)]
    news = news_component_frame(headlines, start=days[0].date(), end=days[-1].date())
    daily = news.reindex(days)
    daily["basket"] = level.reindex(days)
    daily["forward_drawdown"] = forward_drawdown(level).reindex(days)
    monthly = month_ends(daily)
    components = monthly[list(NEWS_COMPONENTS)]
    target = monthly["forward_drawdown"]
    return NewsHistory(
        daily=daily,
        headlines=len(headlines),
        table=lead_lag(components, target),
        verdicts=tuple(verdict(n, components[n], target, SPLIT) for n in NEWS_COMPONENTS),
        episodes=tuple(find_episode(level, year) for year in EPISODE_YEARS),
    )


def find_episode(level: pd.Series, year: int) -> Episode:
    """The year's lowest close and the highest close of the 12 months before it."""
    index = pd.DatetimeIndex(level.index)
    in_year = level[index.year == year]
    trough = pd.Timestamp(str(in_year.idxmin()))
    before = level[(level.index >= trough - pd.DateOffset(months=12)) & (level.index <= trough)]
    peak = pd.Timestamp(str(before.idxmax()))
    depth = 1.0 - float(level[trough]) / float(level[peak])
    return Episode(peak.date(), trough.date(), depth)


def around(history: NewsHistory, episode: Episode, months: int = 3) -> pd.DataFrame:
    """Mean of each component in the `months` before the peak, peak to trough, and the
    `months` after the trough, with the count of days with a value in each."""
    daily = history.daily
    peak, trough = pd.Timestamp(episode.peak), pd.Timestamp(episode.trough)
    spans = {
        "before peak": (peak - pd.DateOffset(months=months), peak),
        "peak to trough": (peak, trough),
        "after trough": (trough, trough + pd.DateOffset(months=months)),
    }
    rows = []
    for name in NEWS_COMPONENTS:
        row: dict[str, object] = {"component": name}
        for label, (lo, hi) in spans.items():
            values = daily.loc[(daily.index >= lo) & (daily.index <= hi), name].dropna()
            row[label] = float(values.mean()) if len(values) else float("nan")
            row[f"{label} days"] = len(values)
        rows.append(row)
    return pd.DataFrame(rows)
