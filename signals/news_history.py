"""How news components moved around a basket's drawdowns: pure numbers for the news history
(docs/news-history.md). Data in (daily component frame, basket level), tables out.

- `forward_drawdown`: at each day, the largest peak-to-trough fall of the level within the
  next `days` rows, starting from that day (0 when the path only rises).
- `month_ends`: the last row of each calendar month.
- `lead_lag`: Spearman correlation of C(t+s) with D(t) at month-ends, per component and
  shift s in months, with the count of pairs.
- `rotation_p_value`: a circular-shift permutation test of one correlation.
- `candidate`: the stated rule for a component to leave `unfitted` (see the doc).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import pandas as pd

SHIFTS: Final[tuple[int, ...]] = (-6, -3, -1, 0, 1, 3, 6)
HORIZON_DAYS: Final[int] = 126
MIN_PAIRS: Final[int] = 8
MIN_TEST_MONTHS: Final[int] = 18
MIN_ABS_RHO: Final[float] = 0.3
MAX_P: Final[float] = 0.05


def forward_drawdown(level: pd.Series, days: int = HORIZON_DAYS) -> pd.Series:
    """Max drawdown of level[t .. t+days] per t; NaN where fewer than `days` rows follow."""
    values = level.to_numpy(dtype=float)
    out = np.full(len(values), np.nan)
    for i in range(len(values) - days):
        path = values[i : i + days + 1]
        peaks = np.maximum.accumulate(path)
        out[i] = float(np.max(1.0 - path / peaks))
    return pd.Series(out, index=level.index, name="forward_drawdown")


def month_ends(frame: pd.DataFrame) -> pd.DataFrame:
    """The last row of each calendar month (of the rows given), indexed by that day."""
    index = pd.DatetimeIndex(frame.index)
    months = index.to_period("M")
    last = [i for i in range(len(index)) if i + 1 == len(index) or months[i + 1] != months[i]]
    return frame.iloc[last]


def spearman(a: pd.Series, b: pd.Series) -> tuple[float, int]:
    """(rho, pairs) over the rows where both are known; rho NaN below MIN_PAIRS pairs."""
    both = pd.concat([a, b], axis=1).dropna()
    n = len(both)
    if n < MIN_PAIRS or both.iloc[:, 0].nunique() < 2 or both.iloc[:, 1].nunique() < 2:
        return float("nan"), n
    ranks = both.rank()
    return float(np.corrcoef(ranks.iloc[:, 0], ranks.iloc[:, 1])[0, 1]), n


def lead_lag(
    monthly: pd.DataFrame, target: pd.Series, shifts: Sequence[int] = SHIFTS
) -> pd.DataFrame:
    """Rows (component, shift, rho, n): corr of component at t+shift months with target(t).
    `monthly` and `target` share one month-end index."""
    rows = []
    for name in monthly.columns:
        for shift in shifts:
            moved = monthly[name].shift(-shift)
            rho, n = spearman(moved, target)
            rows.append({"component": name, "shift": shift, "rho": rho, "n": n})
    return pd.DataFrame(rows)


def rotation_p_value(component: pd.Series, target: pd.Series) -> tuple[float, float, int]:
    """(rho, p, n): p is the share of circular rotations of the component (over the rows
    where both are known) whose |rho| is at least the observed |rho|."""
    both = pd.concat([component, target], axis=1).dropna()
    n = len(both)
    rho, _ = spearman(both.iloc[:, 0], both.iloc[:, 1])
    if np.isnan(rho):
        return rho, float("nan"), n
    x = both.iloc[:, 0].rank().to_numpy()
    y = both.iloc[:, 1].rank().to_numpy()
    rotated = [abs(np.corrcoef(np.roll(x, k), y)[0, 1]) for k in range(1, n)]
    p = (1 + sum(r >= abs(rho) - 1e-12 for r in rotated)) / n
    return rho, float(p), n


@dataclass(frozen=True, slots=True)
class Verdict:
    """The stated rule applied to one component (docs/news-history.md)."""

    component: str
    rho_first: float
    n_first: int
    rho_second: float
    n_second: int
    p_second: float

    @property
    def candidate(self) -> bool:
        same_sign = np.sign(self.rho_first) == np.sign(self.rho_second) != 0
        return bool(
            same_sign
            and abs(self.rho_second) >= MIN_ABS_RHO
            and self.n_second >= MIN_TEST_MONTHS
            and self.p_second < MAX_P
        )


def verdict(name: str, component: pd.Series, target: pd.Series, split: pd.Timestamp) -> Verdict:
    """The rule on month-end series split at `split` (first half before, second from)."""
    first = component.index < split
    rho_1, n_1 = spearman(component[first], target[first])
    rho_2, p_2, n_2 = rotation_p_value(component[~first], target[~first])
    return Verdict(name, rho_1, n_1, rho_2, n_2, p_2)
