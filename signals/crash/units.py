"""Diversified fitting units built from a panel of portfolios (index v3's short model).

The units a reading is read for are portfolios (a segment, the basket, the market), so the
short model is fitted on portfolios too: each industry, the equal-weighted mean of all
industries, and random equal-weighted sub-baskets of 2, 3 and 5 industries (drawn once with
a fixed seed, rebalanced every period; a mix exists on the days all its members do).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

MIX_SIZES: tuple[int, ...] = (2, 3, 5)
MIXES_PER_SIZE = 20


def with_mixes(
    returns: pd.DataFrame,
    prefix: str,
    *,
    sizes: Sequence[int] = MIX_SIZES,
    per_size: int = MIXES_PER_SIZE,
    seed: int = 0,
) -> pd.DataFrame:
    """The portfolios (renamed `prefix:name`), their equal-weighted mean (`prefix:all`) and
    the random sub-baskets (`prefix:mix3-07` = the 8th mix of 3)."""
    rng = np.random.default_rng(seed)
    names = [str(c) for c in returns.columns]
    out = {f"{prefix}:{n}": returns[n] for n in names}
    out[f"{prefix}:all"] = returns.mean(axis=1, skipna=True).where(returns.notna().any(axis=1))
    for size in (k for k in sizes if k < len(names)):  # all of them is `prefix:all`
        for number in range(per_size):
            members = sorted(rng.choice(len(names), size=size, replace=False))
            # mean without skipna: a mix starts when every member has a return
            out[f"{prefix}:mix{size}-{number:02d}"] = returns.iloc[:, members].mean(
                axis=1, skipna=False
            )
    return pd.DataFrame(out, index=returns.index)
