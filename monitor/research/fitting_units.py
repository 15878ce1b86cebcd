"""v3's fitting panel: French daily industry files and the mixes built from them.

Each file's portfolios keep their names under a prefix (`ff10:HiTec`, `ff30:BusEq`); the
random sub-baskets and the all-industries mean of each file are added
(signals.crash.units). The market is the equal-weighted mean of the first file's
portfolios (no v3 short feature uses it; the GSY baseline's net run-up does).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from monitor.errors import InputError
from monitor.sources.french.daily import read_french_daily
from signals.crash.panel import Panel
from signals.crash.units import with_mixes


def prefix_of(path: Path) -> str:
    """`ff10` for ff10_industry_daily_1926_2009.csv; else the file's stem."""
    stem = path.stem
    return stem.split("_", 1)[0] if "_" in stem else stem


def fitting_panel(paths: Sequence[Path], *, mixes: bool = True) -> Panel:
    """Every file's portfolios (and mixes) side by side on the union of their dates."""
    if not paths:
        raise InputError("no French daily file given")
    frames = []
    market: pd.Series | None = None
    for path in paths:
        if not path.is_file():
            raise InputError(f"{path}: no such file")
        panel = read_french_daily(path)
        prefix = prefix_of(path)
        if mixes:
            frames.append(with_mixes(panel.returns, prefix))
        else:
            frames.append(panel.returns.add_prefix(f"{prefix}:"))
        market = panel.market if market is None else market
    returns = pd.concat(frames, axis=1).sort_index()
    assert market is not None
    return Panel(returns=returns, market=market.reindex(returns.index), frequency="daily")
