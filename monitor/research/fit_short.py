"""`fit-index --format french-daily`: v3's short model on diversified portfolios.

The French daily files given (`--prices` and `--extra-prices`), each with its random
sub-baskets and all-industries mean (monitor.research.fitting_units), the unit's own-price
features only (signals.crash.features.SHORT_V3), month-end rows (daily rows overlap in
their 6-month outcome windows; a month-end sample fits the same model at 1/21 of the cost),
rows dated up to `--fit-end` (default 1989-06, docs/preregistration.md), no Platt step.
The one-variable baselines fitted on the same rows are stored for frozen evaluation. With
`--holdout-start` the model's hold-out record is its frozen evaluation on the files' own
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
from monitor.research.index_options import FIT_END, EvaluateOptions, depth, horizon_months, month
from signals.crash.dataset import LABEL, build, sampled
from signals.crash.evaluation import report
from signals.crash.features import SHORT_V3
from signals.crash.frozen import fit_baselines, predict_frozen
from signals.crash.holdout import holdout_from_report
from signals.crash.model import CrashModel, fit
from signals.crash.reference import reference_table
from signals.crash.walkforward import WalkForward


def fit_short(options: EvaluateOptions) -> CrashModel:
    months = horizon_months(options)
    end = month(options.fit_end or FIT_END, "--fit-end", end=True)
    assert end is not None
    paths = [options.prices, *options.extra_prices]
    data = sampled(
        build(fitting_panel(paths), months, depth(options, months), allowed=SHORT_V3), "ME"
    )
    rows = data.rows
    dates = pd.DatetimeIndex(rows.index.get_level_values("date"))
    train = rows.loc[(dates <= end) & rows[LABEL].notna().to_numpy()]
    if train[LABEL].nunique() < 2:
        raise InputError(f"{options.prices}: no crash and no calm row to fit before {end:%Y-%m}")
    model = fit(
        train[list(data.features)].to_numpy(dtype=np.float64),
        train[LABEL].to_numpy(dtype=np.float64),
        train.index.get_level_values("date").to_numpy(),
        data.features,
        horizon_months=months,
        depth=data.depth,
        calibrate=False,
    )
    names = " + ".join(p.name for p in paths)
    last = pd.Timestamp(train.index.get_level_values("date").max())
    model = replace(
        model,
        source=f"{names}, with random sub-baskets, month ends",
        trained_through=f"{last:%Y-%m-%d}",
        baselines=fit_baselines(train),
        reference=reference_of(model, train, data.features, market=f"{prefix_of(paths[0])}:all"),
    )
    return model if options.start is None else with_holdout(model, paths, options.start)


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


def with_holdout(model: CrashModel, paths: list[Path], start_month: str) -> CrashModel:
    """The model with its hold-out record: frozen on the files' own portfolios (no mixes),
    every prediction dated from `start_month` on (docs/preregistration.md: 1990-01)."""
    panel = fitting_panel(paths, mixes=False)
    data = build(panel, model.horizon_months, model.depth)
    predictions = predict_frozen(model, data)
    first = pd.DatetimeIndex(predictions.index.get_level_values("date")).min()
    wf = WalkForward(predictions, 0, 0, first)
    doc = report(panel, data, wf, start=month(start_month, "--holdout-start", end=False))
    try:
        return replace(model, holdout=holdout_from_report(doc))
    except ValueError as e:
        raise InputError(f"--holdout-start {start_month}: {e}") from e
