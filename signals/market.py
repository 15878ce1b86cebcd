"""The five market components, as daily series over the whole history.

From a wide frame of closes (DatetimeIndex of days, one column per ticker, NaN where a
ticker has no close), every component is computed for every day at once, so the backtest
and the live reading share one code path; the live reading is the last row. A value on
day t uses only closes up to t. Values are 0-100 (higher = more bubble risk) or NaN.

- overextension: the equal-weighted basket vs its 200-day moving average.
- explosiveness: PSY BSADF per basket ticker (see `signals.market_explosive`).
- concentration: 6-month relative performance of cap- vs equal-weighted (SPY/RSP, QQQ/QQQE).
- fragility: basket realised volatility (20 days), ^VIX (or VIXY) vs its 50-day mean,
  and the basket's drawdown from its 52-week high.
- credit: junk vs investment-grade bonds, HYG/LQD over 3 months; HYG lagging = stress.

Normalisation: each raw measure becomes the percentile of today's value among all its
values so far (expanding window, at least `min_history` = 252 values, else NaN), so that
"high" means high for this market's own history. Explosiveness keeps a fixed scale.
A component made of several measures averages the percentiles of those present; its
coverage is the share of its intended inputs that were present. Nothing is filled in.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime

import numpy as np
import pandas as pd

from signals.market_detail import MarketComponents, describe
from signals.market_explosive import ExplosiveSettings, explosiveness
from signals.models import Signal

COMPONENTS: tuple[str, ...] = (
    "overextension",
    "explosiveness",
    "concentration",
    "fragility",
    "credit",
)
CONCENTRATION_PAIRS: tuple[tuple[str, str], ...] = (("SPY", "RSP"), ("QQQ", "QQQE"))
VOLATILITY_TICKERS: tuple[str, ...] = ("^VIX", "VIXY")
CREDIT_PAIR: tuple[str, str] = ("HYG", "LQD")


@dataclass(frozen=True, slots=True)
class MarketSettings:
    ma_days: int = 200
    min_history: int = 252
    vol_days: int = 20
    vix_ma_days: int = 50
    high_days: int = 252
    concentration_days: int = 126
    credit_days: int = 63
    explosive: ExplosiveSettings = field(default_factory=ExplosiveSettings)


def _concentration(
    closes: pd.DataFrame, cfg: MarketSettings, raw: dict[str, pd.Series]
) -> tuple[pd.Series, pd.Series]:
    """Cap- vs equal-weighted relative performance (value, coverage); raw measures to `raw`."""
    index = closes.index
    parts = []
    for a, b in CONCENTRATION_PAIRS:
        ratio = _log_ratio(closes, a, b)
        name = f"{a}/{b}"
        raw[name] = pd.Series(np.nan, index=index)
        if ratio is None:
            continue
        rel = ratio.diff(cfg.concentration_days)
        raw[name] = _on_own_days(rel, index)
        parts.append(percentile(raw[name], cfg.min_history))
    return _mean_of_present(parts, index, 2)


def _fragility(
    closes: pd.DataFrame, valid: pd.Series, cfg: MarketSettings, raw: dict[str, pd.Series]
) -> tuple[pd.Series, pd.Series, str | None]:
    """Basket volatility, VIX vs its mean and drawdown (value, coverage, the VIX ticker
    used); raw measures to `raw`."""
    index = closes.index
    returns = valid.pct_change(fill_method=None)
    vol = returns.rolling(cfg.vol_days, min_periods=cfg.vol_days).std() * np.sqrt(252.0)
    high = valid.rolling(cfg.high_days, min_periods=cfg.high_days).max()
    raw["basket_vol"] = vol.reindex(index)
    raw["drawdown"] = (1.0 - valid / high).reindex(index)
    raw["vix_vs_ma"] = pd.Series(np.nan, index=index)
    vol_ticker = next(
        (t for t in VOLATILITY_TICKERS if t in closes and closes[t].notna().any()), None
    )
    if vol_ticker is not None:
        v = closes[vol_ticker].dropna()
        raw["vix_vs_ma"] = _on_own_days(v / v.rolling(cfg.vix_ma_days).mean() - 1.0, index)
    parts = [percentile(raw[k], cfg.min_history) for k in ("basket_vol", "vix_vs_ma", "drawdown")]
    value, coverage = _mean_of_present(parts, index, 3)
    return value, coverage, vol_ticker


def percentile(raw: pd.Series, min_history: int) -> pd.Series:
    """Percentile (0-100) of each value among the values up to and including it."""
    s = raw.dropna()
    ranks = s.expanding(min_periods=min_history).rank(pct=True) * 100.0
    return ranks.reindex(raw.index)


def _on_own_days(s: pd.Series, index: pd.Index) -> pd.Series:
    """A series computed on a ticker's own trading days, shown on every day (NaN elsewhere)."""
    return s.reindex(index)


def basket_level(closes: pd.DataFrame, basket: list[str]) -> tuple[pd.Series, pd.Series]:
    """Equal-weighted basket (daily rebalanced) and the share of the basket priced each day."""
    present = [t for t in basket if t in closes]
    frame = closes[present] if present else pd.DataFrame(index=closes.index)
    returns = frame.pct_change(fill_method=None)
    mean = returns.mean(axis=1, skipna=True)
    priced = frame.notna().sum(axis=1) / max(1, len(basket))
    started = frame.notna().any(axis=1)
    # Days before the basket exists stay NaN; a first day with prices but no return yet
    # is the base (1.0).
    level = (1.0 + mean.fillna(0.0)).cumprod().where(started)
    return level, priced


def _log_ratio(closes: pd.DataFrame, a: str, b: str) -> pd.Series | None:
    if a not in closes or b not in closes:
        return None
    quotient = closes[a] / closes[b]
    with np.errstate(divide="ignore", invalid="ignore"):
        logs = np.log(quotient.to_numpy(dtype=np.float64))
    return pd.Series(logs, index=quotient.index).replace([np.inf, -np.inf], np.nan).dropna()


def _mean_of_present(
    parts: list[pd.Series], index: pd.Index, n_intended: int
) -> tuple[pd.Series, pd.Series]:
    if not parts:
        nan = pd.Series(np.nan, index=index)
        return nan, pd.Series(0.0, index=index)
    frame = pd.concat(parts, axis=1).reindex(index)
    return frame.mean(axis=1, skipna=True), frame.notna().sum(axis=1) / n_intended


def market_components(
    closes: pd.DataFrame,
    basket: list[str] | tuple[str, ...],
    settings: MarketSettings | None = None,
) -> MarketComponents:
    """Every component, raw measure and coverage for every day of `closes`."""
    cfg = settings or MarketSettings()
    closes = closes.sort_index()
    index = closes.index
    basket = list(basket)
    values, coverage, raw = {}, {}, {}

    level, priced = basket_level(closes, basket)
    valid = level.dropna()
    ext = valid / valid.rolling(cfg.ma_days, min_periods=cfg.ma_days).mean() - 1.0
    raw["basket_vs_ma"] = ext.reindex(index)
    values["overextension"] = percentile(raw["basket_vs_ma"], cfg.min_history)
    coverage["overextension"] = priced.where(raw["basket_vs_ma"].notna(), 0.0)

    exp = explosiveness(closes, basket, cfg.explosive)
    values["explosiveness"] = exp.value
    coverage["explosiveness"] = exp.coverage
    raw["explosive_share"] = exp.share
    raw["explosive_flagged"] = exp.flagged
    raw["explosive_tested"] = exp.tested

    values["concentration"], coverage["concentration"] = _concentration(closes, cfg, raw)
    values["fragility"], coverage["fragility"], vol_ticker = _fragility(closes, valid, cfg, raw)

    ratio = _log_ratio(closes, *CREDIT_PAIR)
    raw["HYG/LQD"] = pd.Series(np.nan, index=index)
    if ratio is not None:
        raw["HYG/LQD"] = _on_own_days(ratio.diff(cfg.credit_days), index)
    values["credit"] = percentile(-raw["HYG/LQD"], cfg.min_history)
    coverage["credit"] = values["credit"].notna().astype(float)

    return MarketComponents(
        values=pd.DataFrame(values, index=index)[list(COMPONENTS)],
        coverage=pd.DataFrame(coverage, index=index)[list(COMPONENTS)].fillna(0.0),
        raw=pd.DataFrame(raw, index=index),
        explosive_ratio=exp.ratio,
        volatility_ticker=vol_ticker,
    )


def market_component_frame(
    closes: pd.DataFrame,
    basket: list[str] | tuple[str, ...],
    settings: MarketSettings | None = None,
) -> pd.DataFrame:
    """Index = days of `closes`; columns = COMPONENTS; values 0-100 or NaN."""
    return market_components(closes, basket, settings).values


def market_signals(
    closes: pd.DataFrame,
    basket: list[str] | tuple[str, ...],
    *,
    as_of: date | datetime | pd.Timestamp | None = None,
    settings: MarketSettings | None = None,
) -> list[Signal]:
    """The live reading: each component on the last day up to `as_of`, with a detail line."""
    if as_of is not None:
        stamp = pd.Timestamp(as_of)
        if stamp.tzinfo is not None and getattr(closes.index, "tz", None) is None:
            stamp = stamp.tz_convert(None)
        closes = closes.loc[closes.index <= stamp]
    if closes.empty:
        return [Signal(name, "market", None, "no price data", 0.0) for name in COMPONENTS]
    comps = market_components(closes, basket, settings)
    day = comps.values.index[-1]
    out = []
    for name in COMPONENTS:
        value = float(comps.values[name].iloc[-1])
        present = math.isfinite(value)
        out.append(
            Signal(
                name=name,
                kind="market",
                value=value if present else None,
                detail=describe(name, comps, day),
                coverage=float(comps.coverage[name].iloc[-1]) if present else 0.0,
            )
        )
    return out
