"""Read a Kenneth R. French daily portfolio file into a daily `Panel`.

The files as saved in ../shared/data: a header `date,<portfolio>,...`, then one row per day,
`date` as YYYYMMDD and value-weighted returns in percent; `-99.99` / `-999` mean "no data".
The daily files carry no firm counts or sizes, so the market is the equal-weighted mean of
the portfolios present that day (v3's short model uses no market feature; the GSY
baseline's net run-up is measured against this mean, and the evaluation says so).
"""

from __future__ import annotations

import csv
import math
from datetime import datetime
from pathlib import Path
from typing import Final

import numpy as np
import pandas as pd

from monitor.errors import InputError
from signals.crash.panel import Panel

MISSING: Final[tuple[float, ...]] = (-99.99, -999.0)
MARKET_NOTE: Final[str] = "market = equal-weighted mean of the file's portfolios"


def read_french_daily(path: Path) -> Panel:
    """The daily panel of a French daily file; InputError names the file, line and field."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
    except OSError as e:
        raise InputError(f"{path}: cannot read: {e.strerror or e}") from e
    except UnicodeDecodeError as e:
        raise InputError(f"{path}: not UTF-8 text ({e.reason} at byte {e.start})") from e
    if not rows or len(rows[0]) < 2 or rows[0][0].strip().lower() != "date":
        raise InputError(f"{path}:1: expected a header 'date,<portfolio>,...'")
    names = [c.strip() for c in rows[0][1:]]
    days: list[str] = []
    values: list[list[float]] = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        days.append(_day(row[0].strip(), path, number))
        values.append(_values(row[1:], names, path, number))
    if not days:
        raise InputError(f"{path}: no data rows")
    index = pd.to_datetime(days, format="%Y%m%d")
    returns = pd.DataFrame(np.array(values) / 100.0, index=index, columns=names).sort_index()
    if returns.index.has_duplicates:
        raise InputError(
            f"{path}: repeated dates, e.g. {returns.index[returns.index.duplicated()][0]:%Y%m%d}"
        )
    market = returns.mean(axis=1, skipna=True).where(returns.notna().any(axis=1))
    market.name = "market"
    return Panel(returns=returns, market=market, frequency="daily")


def _day(text: str, path: Path, number: int) -> str:
    try:  # 20231399 passed the digit check and stopped pandas with a traceback
        datetime.strptime(text, "%Y%m%d")
    except ValueError:
        raise InputError(f"{path}:{number}: date {text!r}: expected YYYYMMDD") from None
    if len(text) != 8:
        raise InputError(f"{path}:{number}: date {text!r}: expected YYYYMMDD")
    return text


def _values(cells: list[str], names: list[str], path: Path, number: int) -> list[float]:
    if len(cells) != len(names):
        raise InputError(f"{path}:{number}: {len(cells)} values, the header names {len(names)}")
    out = []
    for name, cell in zip(names, cells, strict=True):
        try:
            value = float(cell)
        except ValueError:
            raise InputError(f"{path}:{number}: {name}: not a number: {cell!r}") from None
        if any(abs(value - m) < 1e-9 for m in MISSING):
            value = np.nan
        elif not -100 < value < math.inf:  # a portfolio cannot lose more than it holds
            raise InputError(f"{path}:{number}: {name}: {cell!r} is not a return in percent")
        out.append(value)
    return out
