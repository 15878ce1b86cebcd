"""`fit-index --format french-daily`: v3's short model on diversified portfolios.

The French daily files given (`--prices` and `--extra-prices`), each with its random
sub-baskets and all-industries mean (monitor.research.fitting_units), the unit's own-price
features only (signals.crash.features.SHORT_V3), month-end rows (daily rows overlap in
their 6-month outcome windows; a month-end sample fits the same model at 1/21 of the cost),
rows dated up to `--fit-end` (default: every row with a known outcome; the procedure was
validated on rows to 1989-06, docs/preregistration.md), no Platt step on the latest dates;
then, on request, the pooled out-of-fold calibration (monitor.research.pooled_calibration:
fitted on the walk-forward's predictions of the development periods, kept only when it
raises the Brier skill in each; not shipped). The one-variable baselines fitted on the
same rows are stored for frozen evaluation. With `--holdout-start` the hold-out record is
the procedure's: fitted on the rows before the hold-out, frozen on the files' own
portfolios (no mixes) from that month on.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from monitor.errors import InputError
from monitor.research.fitting_units import fitting_panel, prefix_of
from monitor.research.index_options import EvaluateOptions, depth, horizon_months, month
from monitor.research.pooled_calibration import development_predictions, pooled_calibration
from signals.crash.dataset import LABEL, Dataset, build, sampled
from signals.crash.evaluation import report
from signals.crash.features import SHORT_V3
from signals.crash.frozen import fit_baselines, predict_frozen
from signals.crash.holdout import Holdout, holdout_from_report
from signals.crash.model import CrashModel, fit
from signals.crash.pooled import calibrated
from signals.crash.reference import reference_table
from signals.crash.walkforward import WalkForward


def fit_short(options: EvaluateOptions) -> CrashModel:
    """The model on every row with a known outcome up to `--fit-end` (default: all). With
    `--holdout-start`, the hold-out record is the procedure's: the same fit on the rows up
    to the month before the hold-out minus the horizon, frozen on the hold-out
    (docs/preregistration.md, addendum 2)."""
    months = horizon_months(options)
    end = month(options.fit_end, "--fit-end", end=True)
    paths = [options.prices, *options.extra_prices]
    data = sampled(
        build(fitting_panel(paths), months, depth(options, months), allowed=SHORT_V3), "ME"
    )
    model = _fit_to(data, end, options, paths)
    if options.start is None:
        return model
    start = month(options.start, "--holdout-start", end=False)
    assert start is not None
    before = start - pd.DateOffset(months=months) - pd.Timedelta(days=1)
    last_fitted = pd.Timestamp(model.trained_through)
    procedure = model if last_fitted <= before else _fit_to(data, before, options, paths)
    return replace(model, holdout=holdout_of(procedure, paths, options.start))


def _fit_to(
    data: Dataset, end: pd.Timestamp | None, options: EvaluateOptions, paths: list[Path]
) -> CrashModel:
    rows = data.rows
    known = rows[LABEL].notna().to_numpy().copy()
    if end is not None:
        known &= np.asarray(pd.DatetimeIndex(rows.index.get_level_values("date")) <= end)
    train = rows.loc[known]
    if train[LABEL].nunique() < 2:
        until = "" if end is None else f" before {end:%Y-%m}"
        raise InputError(f"{options.prices}: no crash and no calm row to fit{until}")
    model = fit(
        train[list(data.features)].to_numpy(dtype=np.float64),
        train[LABEL].to_numpy(dtype=np.float64),
        train.index.get_level_values("date").to_numpy(),
        data.features,
        horizon_months=data.horizon_months,
        depth=data.depth,
        calibrate=False,
    )
    last = pd.Timestamp(train.index.get_level_values("date").max())
    if options.pooled_calibration:
        platt, record = pooled_calibration(development_predictions(data, last))
        model = (
            calibrated(model, platt, record) if platt else replace(model, calibration_record=record)
        )
    names = " + ".join(p.name for p in paths)
    return replace(
        model,
        source=f"{names}, with random sub-baskets, month ends",
        trained_through=f"{last:%Y-%m-%d}",
        baselines=fit_baselines(train),
        reference=reference_of(model, train, data.features, market=f"{prefix_of(paths[0])}:all"),
    )


def reference_of(
    model: CrashModel, train: pd.DataFrame, features: tuple[str, ...], *, market: str | None
) -> dict[str, Any]:
    """signals.crash.reference on the training rows; industries are the units that are
    neither a mix nor an all-industries mean."""
    series = train.index.get_level_values("series").astype(str)
    mixed = series.str.contains(":mix") | series.str.endswith(":all")
    return reference_table(
        probability=model.predict(train[list(features)].to_numpy(dtype=np.float64)),
        volatility=train["volatility"].to_numpy(dtype=np.float64),
        y=train[LABEL].to_numpy(dtype=np.float64),
        dates=train.index.get_level_values("date").to_numpy(),
        industry=np.asarray(~mixed, dtype=bool),
        market=np.asarray(series == market, dtype=bool),
    )


def holdout_of(model: CrashModel, paths: list[Path], start_month: str) -> Holdout:
    """The model's frozen record on the files' own portfolios (no mixes), every prediction
    dated from `start_month` on (docs/preregistration.md: 1990-01)."""
    panel = fitting_panel(paths, mixes=False)
    data = build(panel, model.horizon_months, model.depth)
    predictions = predict_frozen(model, data)
    first = pd.DatetimeIndex(predictions.index.get_level_values("date")).min()
    wf = WalkForward(predictions, 0, 0, first)
    doc = report(panel, data, wf, start=month(start_month, "--holdout-start", end=False))
    try:
        return holdout_from_report(doc)
    except ValueError as e:
        raise InputError(f"--holdout-start {start_month}: {e}") from e
