"""Inputs of `evaluate-index` and `fit-index`: a price file read into a `Panel`.

`french49`: the Kenneth French industry CSV (monthly; monitor.sources.french.industries49).
`wide`: daily closes (date + one column per ticker, as `backtest` reads them); the series
are the basket's tickers found in the file (or those of `--segment NAME`) plus the
equal-weighted basket itself, the market is SPY where the file has it (else the
equal-weighted mean of the series), and HYG/LQD feed the credit feature. For wide files
the v1 index of the basket is replayed too, as a baseline.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pandas as pd

from monitor.config.feeds_yaml import Config
from monitor.errors import InputError
from signals.crash.panel import Panel, returns_from_closes

Format = Literal["wide", "french49"]
MARKET_TICKER = "SPY"
BASKET_SERIES = "basket"
CREDIT_TICKERS = ("HYG", "LQD")


@dataclass(frozen=True)
class PanelInput:
    panel: Panel
    v1_index: pd.Series | None
    basket: tuple[str, ...]


def load_panel(
    path: Path, fmt: Format, config: Config, *, segment: str | None = None, with_v1: bool = True
) -> PanelInput:
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    if fmt == "french49":
        from monitor.sources.french.industries49 import read_french49

        return PanelInput(read_french49(path), None, ())
    from monitor.research.backtest.run import choose_basket, load_closes_csv
    from monitor.research.segment_backtest import in_dollars

    # Non-USD listings (9984.T) in dollars on the US calendar, as the live reading has them.
    closes = in_dollars(load_closes_csv(path), config).closes
    basket = _segment_basket(config, segment) or choose_basket(list(closes.columns), config)
    missing = [t for t in basket if t not in closes]
    basket = tuple(t for t in basket if t in closes)
    if not basket:
        raise InputError(f"{path}: none of the basket's tickers is a column ({', '.join(missing)})")
    panel = closes_panel(closes, basket)
    return PanelInput(panel, v1_index(closes, basket, config) if with_v1 else None, basket)


def closes_panel(closes: pd.DataFrame, basket: tuple[str, ...]) -> Panel:
    """A daily panel from wide closes: the basket tickers and the equal-weighted basket."""
    returns = returns_from_closes(closes[list(basket)])
    returns[BASKET_SERIES] = returns.mean(axis=1, skipna=True).where(returns.notna().any(axis=1))
    if MARKET_TICKER in closes:
        market = returns_from_closes(closes[[MARKET_TICKER]])[MARKET_TICKER]
    else:
        market = returns[BASKET_SERIES]
    extras = closes[list(CREDIT_TICKERS)] if all(t in closes for t in CREDIT_TICKERS) else None
    return Panel(returns=returns, market=market, frequency="daily", extras=extras)


def v1_index(closes: pd.DataFrame, basket: tuple[str, ...], config: Config) -> pd.Series:
    """The v1 index of the basket, market components only (no news history in a price file)."""
    from signals.backtest import run_backtest
    from signals.market import market_components

    components = market_components(closes, list(basket)).values
    return run_backtest(components, config.index.weights).frame["index"]


def _segment_basket(config: Config, segment: str | None) -> tuple[str, ...] | None:
    """The tickers of a feeds.yaml segment (ConfigError naming the known ones)."""
    return None if segment is None else config.segment(segment).symbols
