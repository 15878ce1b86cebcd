"""Daily series of one unit (the basket or a segment), computed once over a whole history.

The demo's past (monitor.ops.demo_history) needs a reading for every simulated session.
Running the live reading once per day would re-run every ticker's PSY test and the crash
features over all the years before that day; instead each input is computed once as a
daily series, as the backtest does, and every day reads its row:

- the market components (signals.market.market_components: PSY once per ticker),
- the news components (signals.news.news_component_frame),
- the crash features (signals.crash.features.feature_frames),
- the equal-weighted level (for the drawdown that decides "bursting") and the run-ups.

Every one of them is causal (a value on day d uses data up to d only), so a row equals what
the live reading computes from the data known on that day: tests/test_demo_history.py
checks the last day against the live path.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from signals.basket import BENCHMARK, CREDIT
from signals.crash.features import feature_frames
from signals.crash.reading import basket_panel
from signals.market import market_components, signals_on
from signals.market_detail import DetailTable, MarketComponents
from signals.models import Signal, StoredHeadline
from signals.news import news_component_frame
from signals.regime import PEAK_WINDOW_DAYS, Drawdown, equal_weight_index
from signals.spread import GSY_HORIZON, runup_series


@dataclass(frozen=True)
class UnitSeries:
    """One unit's inputs for every day; `news` is None for a unit that reads no news."""

    name: str
    tickers: tuple[str, ...]
    market: MarketComponents | None
    news: pd.DataFrame | None
    features: dict[str, pd.DataFrame]
    level: pd.Series | None
    runup: pd.Series
    runup_net: pd.Series | None
    benchmark: str | None = None
    arrays: _Arrays = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "arrays", _Arrays(self))

    def market_signals_on(self, day: pd.Timestamp) -> list[Signal]:
        if self.market is None or self.arrays.detail is None:
            return []
        return signals_on(self.market, day, self.arrays.detail)

    def news_on(self, day: pd.Timestamp) -> dict[str, float]:
        """The news components on `day` (NaN where missing); empty without news."""
        a = self.arrays
        if a.news is None or self.news is None:
            return {}
        position = _at_or_before(a.news_index, day)
        row = a.news[position] if position >= 0 else np.full(len(self.news.columns), np.nan)
        return dict(zip((str(c) for c in self.news.columns), row.tolist(), strict=True))

    def features_on(self, day: pd.Timestamp) -> dict[str, float]:
        """Every crash feature on the last date on or before `day` (absent before any)."""
        a = self.arrays
        position = _at_or_before(a.feature_index, day)
        if position < 0:
            return {}
        return dict(zip(a.feature_names, a.features[position].tolist(), strict=True))

    def value_on(self, series: pd.Series | None, day: pd.Timestamp) -> float | None:
        if series is None:
            return None
        value = series.get(day)
        return None if value is None or pd.isna(value) else float(value)

    def drawdown_on(self, day: pd.Timestamp) -> Drawdown | None:
        """signals.regime.basket_drawdown as of `day`, from the level computed once."""
        a = self.arrays
        end = _at_or_before(a.level_index, day) + 1
        if end <= 0:
            return None
        window = a.level[max(0, end - PEAK_WINDOW_DAYS) : end]
        peak_pos = int(np.argmax(window))
        peak, last = float(window[peak_pos]), float(window[-1])
        return Drawdown(
            day=a.level_index[end - 1].date(),
            depth=max(0.0, 1.0 - last / peak) if peak > 0 else 0.0,
            peak_day=a.level_index[end - len(window) + peak_pos].date(),
            days_since_peak=len(window) - 1 - peak_pos,
        )


class _Arrays:
    """The unit's frames as arrays, read once (a pandas look-up per day and number cost
    more than the whole computation of the series)."""

    def __init__(self, unit: UnitSeries) -> None:
        self.detail = DetailTable(unit.market) if unit.market is not None else None
        self.news = None if unit.news is None else unit.news.to_numpy(dtype=np.float64)
        self.news_index = pd.DatetimeIndex([] if unit.news is None else unit.news.index)
        frames = {k: f for k, f in unit.features.items() if len(f.columns)}
        first = next(iter(frames.values()), pd.DataFrame())
        self.feature_index = pd.DatetimeIndex(first.index)
        self.feature_names = list(frames)
        self.features = (
            np.column_stack([f.iloc[:, 0].to_numpy(dtype=np.float64) for f in frames.values()])
            if frames
            else np.empty((0, 0))
        )
        level = unit.level if unit.level is not None else pd.Series(dtype=float)
        self.level_index = pd.DatetimeIndex(level.index)
        self.level = level.to_numpy(dtype=np.float64)


def _at_or_before(index: pd.DatetimeIndex, day: pd.Timestamp) -> int:
    return int(index.searchsorted(day, side="right")) - 1


def unit_series(
    name: str,
    closes: pd.DataFrame,
    tickers: Sequence[str],
    *,
    headlines: Sequence[StoredHeadline] | None,
    layoff_events: pd.Series | None,
    days: tuple[date, date],
    benchmarks: Sequence[str] = (),
    benchmark: str | None = None,
) -> UnitSeries:
    """The unit's series over `days` (first, last); `headlines` None: no news components
    (a segment with `news: none`); `benchmarks`: what its net run-up is measured against."""
    mine = [t for t in tickers if t in closes and closes[t].notna().any()]
    market = market_components(closes, mine) if mine else None
    news = None
    if headlines is not None:
        news = news_component_frame(
            headlines, start=days[0], end=days[1], layoff_events=layoff_events
        )
    features: dict[str, pd.DataFrame] = {}
    if mine:
        extras = closes[list(CREDIT)] if all(t in closes for t in CREDIT) else None
        panel = basket_panel(closes[mine], closes.get(BENCHMARK), extras)
        features = feature_frames(panel)
    runup = runup_series(closes, tickers, GSY_HORIZON)
    net = None
    if benchmarks and not set(benchmarks) <= set(tickers):
        net = runup - runup_series(closes, list(benchmarks), GSY_HORIZON)
    level = equal_weight_index(closes, mine) if mine else None
    return UnitSeries(name, tuple(tickers), market, news, features, level, runup, net, benchmark)
