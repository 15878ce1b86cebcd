"""The pooled panel: one row per (date, series) with features, baseline scores and label."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from signals.crash.features import FEATURES, MA_DISTANCE, feature_frames, stack
from signals.crash.gsy import candidates, run_ups
from signals.crash.panel import Panel

LABEL = "label"
GSY_FLAG = "gsy_runup"
V1 = "v1_index"
#: Share of labelled rows a feature must cover to enter the model.
MIN_COVERAGE = 0.5


@dataclass(frozen=True)
class Dataset:
    rows: pd.DataFrame
    features: tuple[str, ...]
    horizon_months: int
    depth: float


def build(
    panel: Panel,
    horizon_months: int,
    depth: float,
    v1_index: pd.Series | None = None,
    *,
    allowed: Sequence[str] = FEATURES,
) -> Dataset:
    """Features, the GSY flag, the MA-distance and PSY scores and the crash label per row.

    `v1_index` (one value per date, the v1 index of the basket) is broadcast to every series.
    `allowed` limits the model's features (v3's short model: the unit's own prices only).
    """
    frames = feature_frames(panel)
    r = run_ups(panel, horizon_months, depth)
    frames[LABEL] = r.crashed
    frames[GSY_FLAG] = candidates(r, 1.0, five_year=0.5).astype(float).where(r.raw_2y.notna())
    if v1_index is not None:
        aligned = v1_index.reindex(panel.returns.index)
        frames[V1] = pd.DataFrame(
            np.repeat(aligned.to_numpy(dtype=np.float64)[:, None], panel.returns.shape[1], 1),
            index=panel.returns.index,
            columns=panel.returns.columns,
        )
    rows = stack(frames)
    rows = rows.loc[rows["runup_1y"].notna()]
    labelled = rows.loc[rows[LABEL].notna()]
    present = [f for f in allowed if f in rows and labelled[f].notna().mean() >= MIN_COVERAGE]
    assert MA_DISTANCE in rows
    return Dataset(rows=rows, features=tuple(present), horizon_months=horizon_months, depth=depth)


def sampled(data: Dataset, every: str) -> Dataset:
    """The rows on the last trading date of each period (`"ME"` month ends, `"W-FRI"`
    weeks): daily rows overlap heavily in their 6-month outcome windows, so a sample fits
    the same model at a fraction of the cost."""
    dates = pd.DatetimeIndex(data.rows.index.get_level_values("date"))
    unique = pd.Series(dates.unique(), index=dates.unique())
    last = set(unique.groupby(unique.dt.to_period(every[0] if every == "ME" else "W")).max())
    keep = np.fromiter((d in last for d in dates), dtype=bool, count=len(dates))
    return Dataset(data.rows.loc[keep], data.features, data.horizon_months, data.depth)
