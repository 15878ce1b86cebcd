"""The v2 reading over history, vectorised: probability, froth, stress, regime and index
for every day of a basket's closes, each day from data up to that day only (the features
are causal; the model is the shipped one, fitted once, so the backtest of a fitted period
is in-sample for the model: `evaluate-index` is the out-of-sample test)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from signals.crash.features import feature_frames
from signals.crash.model import CrashModel
from signals.crash.reading import NEUTRAL, UNFITTED_WEIGHT, basket_panel
from signals.crash.regimes import index_from_probability, regime

COLUMNS = ("probability", "froth", "stress", "regime_v2", "index_v2")


def crash_history(
    closes: pd.DataFrame,
    *,
    benchmark: pd.Series | None,
    model: CrashModel,
    extras: pd.DataFrame | None = None,
    news: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per day of `closes`: the COLUMNS (NaN / "" before a year of prices).

    `news` (days x news components, 0-100) adds the unfitted contributions to index_v2.
    """
    frames = feature_frames(basket_panel(closes, benchmark, extras))
    index = frames["runup_1y"].index
    x = np.column_stack(
        [
            frames[f]["basket"].to_numpy(dtype=np.float64)
            if f in frames
            else np.full(len(index), np.nan)
            for f in model.features
        ]
    )
    ready = ~np.isnan(frames["runup_1y"]["basket"].to_numpy(dtype=np.float64))
    probability = np.where(ready, model.predict(x), np.nan)
    froth, stress = model.axes(x)
    out = pd.DataFrame(
        {
            "probability": probability,
            "froth": np.where(ready, froth, np.nan),
            "stress": np.where(ready, stress, np.nan),
        },
        index=index,
    )
    out["regime_v2"] = [
        regime(f, s) if ok else "" for f, s, ok in zip(froth, stress, ready, strict=True)
    ]
    unfitted = _unfitted(news, index)
    points = [
        index_from_probability(p) if ok else np.nan
        for p, ok in zip(probability, ready, strict=True)
    ]
    out["index_v2"] = np.clip(np.array(points) + unfitted, 0.0, 100.0)
    out = out.reindex(closes.index)
    out["regime_v2"] = out["regime_v2"].fillna("")
    return out


def _unfitted(news: pd.DataFrame | None, index: pd.Index) -> np.ndarray:
    if news is None or news.empty:
        return np.zeros(len(index))
    aligned = news.reindex(index)
    return np.asarray(
        (UNFITTED_WEIGHT * (aligned - NEUTRAL)).sum(axis=1, min_count=1).fillna(0.0),
        dtype=np.float64,
    )
