"""Frozen evaluation: a fitted model applied as it is to rows it never saw (no refit).

The predictions have the columns of a walk-forward (signals.crash.walkforward), so the same
report scores them. The baselines are frozen too: fitted once on the model's own training
rows and stored in its JSON (`baselines`); `base_rate` is the model's training base rate,
a constant forecast. A model without stored baselines is scored against the base rate only.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from signals.crash.dataset import GSY_FLAG, LABEL, Dataset
from signals.crash.model import CrashModel
from signals.crash.walkforward import SCORE_BASELINES, apply_baseline, baseline_params


def fit_baselines(train: pd.DataFrame) -> dict[str, tuple[float, ...]]:
    """The walk-forward baselines fitted on `train` (rows with known outcomes)."""
    y = train[LABEL].to_numpy(dtype=np.float64)
    base = float(y.mean())
    flagged = train.loc[train[GSY_FLAG] == 1.0, LABEL]
    unflagged = train.loc[train[GSY_FLAG] != 1.0, LABEL]
    out: dict[str, tuple[float, ...]] = {
        GSY_FLAG: (
            float(flagged.mean()) if len(flagged) else base,
            float(unflagged.mean()) if len(unflagged) else base,
        )
    }
    for name in SCORE_BASELINES:
        if name in train:
            params = baseline_params(train[name], y)
            if params is not None:
                out[name] = params
    return out


def predict_frozen(model: CrashModel, data: Dataset) -> pd.DataFrame:
    """One row per (date, series) of `data`: the label, the model's probability, the axes
    and every stored baseline. A model feature absent from `data` counts as its mean."""
    rows = data.rows
    columns = [
        rows[f].to_numpy(dtype=np.float64) if f in rows else np.full(len(rows), np.nan)
        for f in model.features
    ]
    x = np.column_stack(columns) if columns else np.zeros((len(rows), 0))
    froth, stress = model.axes(x)
    out = pd.DataFrame(index=rows.index)
    out[LABEL] = rows[LABEL]
    out["model"] = model.predict(x)
    out["froth"] = froth
    out["stress"] = stress
    out["base_rate"] = model.base_rate
    stored = model.baselines or {}
    if GSY_FLAG in stored:
        rate_in, rate_out = stored[GSY_FLAG]
        out[GSY_FLAG] = np.where(rows[GSY_FLAG].to_numpy() == 1.0, rate_in, rate_out)
    for name in SCORE_BASELINES:
        if name in stored and name in rows:
            values = rows[name].to_numpy(dtype=np.float64)
            out[name] = apply_baseline(stored[name], values, model.base_rate)
    return out


def missing_features(model: CrashModel, data: Dataset) -> list[str]:
    """The model's features the evaluated file cannot give (counted as their mean)."""
    return [f for f in model.features if f not in data.rows or data.rows[f].isna().all()]
