"""The short model's pooled out-of-fold calibration, from the fitting rows themselves
(docs/preregistration.md, addendum of 2026-12-07).

The walk-forward of the fitting procedure (yearly refits, no Platt step, 9 warm-up years)
predicts every fitting row out of sample; the predictions dated in the development periods
are pooled, a Platt step is fitted on them (signals.crash.pooled) and kept only when it
raises the Brier skill in each period. `fit-index --format french-daily` runs it after the
fit; `benchmarks/v3_frozen_checks.py --development` prints the same record.
"""

from __future__ import annotations

from typing import Any, Final

import numpy as np
import pandas as pd

from signals.crash.dataset import LABEL, Dataset
from signals.crash.pooled import Platt, decide
from signals.crash.walkforward import run as walk

#: The development periods of docs/preregistration.md (first and last month).
DEV_PERIODS: Final[tuple[tuple[str, str], ...]] = (
    ("1936-01", "1959-12"),
    ("1960-01", "1989-06"),
)
WARMUP_YEARS: Final[int] = 9


def development_predictions(data: Dataset, end: pd.Timestamp) -> pd.DataFrame:
    """Out-of-sample predictions of the fitting procedure on the rows dated up to `end`."""
    dates = pd.DatetimeIndex(data.rows.index.get_level_values("date"))
    rows = Dataset(data.rows.loc[dates <= end], data.features, data.horizon_months, data.depth)
    return walk(rows, warmup_years=WARMUP_YEARS, calibrate=False).predictions


def _period(
    predictions: pd.DataFrame, first: str, last: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    when = pd.DatetimeIndex(predictions.index.get_level_values("date"))
    start = pd.Timestamp(f"{first}-01")
    stop = pd.Timestamp(f"{last}-01") + pd.offsets.MonthEnd(0)
    keep = np.asarray((when >= start) & (when <= stop)) & predictions[LABEL].notna().to_numpy()
    part = predictions.loc[keep]
    return (
        part[LABEL].to_numpy(dtype=np.float64),
        part["model"].to_numpy(dtype=np.float64),
        part["base_rate"].to_numpy(dtype=np.float64),
    )


def pooled_calibration(
    predictions: pd.DataFrame,
    periods: tuple[tuple[str, str], ...] = DEV_PERIODS,
) -> tuple[Platt | None, dict[str, Any]]:
    """The Platt step when the rule keeps it (else None) and the record of the decision.
    A period without both a crash and a calm row cannot be scored and is left out (named
    in the record); with no period left there is no calibration."""
    scored: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
    skipped = []
    for first, last in periods:
        y, p, reference = (
            _period(predictions, first, last)
            if len(predictions)
            else (np.array([]), np.array([]), np.array([]))
        )
        if len(np.unique(y)) < 2:
            skipped.append(f"{first}..{last}")
            continue
        scored[f"{first}..{last}"] = (y, p, reference)
    if not scored:
        return None, {"kept": False, "reason": "no development period with crashes and calm rows"}
    record = decide(scored)
    if skipped:
        record["skipped_periods"] = skipped
    kept = record["kept"] and record["a"] is not None
    return (Platt(record["a"], record["b"]) if kept else None), record
