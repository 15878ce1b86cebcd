"""The `evaluate-index` and `fit-index` stages: a price file to walk-forward scores, or to
the shipped model JSON.

Horizon and depth default by format: the French monthly industries get Greenwood, Shleifer
& You's 24 months and 40%, daily files 6 months and 20%. The warm-up (years of data before
the first out-of-sample prediction) defaults to 15 years for monthly data (the 1930s crashes
in every training set) and 3 years for daily data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from monitor.config import Config
from monitor.crash_inputs import Format, PanelInput, load_panel
from monitor.errors import InputError
from signals.crash.dataset import LABEL, Dataset, build
from signals.crash.evaluation import report
from signals.crash.features import OWN_PRICES
from signals.crash.frozen import fit_baselines
from signals.crash.gsy import replication
from signals.crash.holdout import holdout_from_report
from signals.crash.model import CrashModel, fit
from signals.crash.walkforward import run

HORIZONS = {"24m": 24, "6m": 6}
DEFAULT_DEPTH = {24: 0.40, 6: 0.20}
WARMUP_YEARS = {"french49": 15, "wide": 3, "french-daily": 9}
#: v3's short model is fitted on rows to this date (docs/preregistration.md).
FIT_END = "1989-06"


@dataclass(frozen=True)
class EvaluateOptions:
    prices: Path
    fmt: Format = "wide"
    horizon: str | None = None
    drawdown: float | None = None
    start: str | None = None
    end: str | None = None
    segment: str | None = None
    warmup_years: int | None = None
    #: Frozen evaluation: "shipped" (the live model of the horizon) or a model JSON path.
    model: str | None = None
    #: Evaluated units of a wide file (columns, or "basket"); default the basket's tickers.
    units: tuple[str, ...] | None = None
    #: fit-index on French daily files: more files beside `prices`, and the fit's last month.
    extra_prices: tuple[Path, ...] = ()
    fit_end: str | None = None
    #: v2's Platt step on the latest 20% of dates; v3 evaluates and fits without it.
    calibrate: bool = False


def horizon_months(options: EvaluateOptions) -> int:
    label = options.horizon or ("24m" if options.fmt == "french49" else "6m")
    if label not in HORIZONS:
        raise InputError(f"--horizon {label!r}: use one of {', '.join(HORIZONS)}")
    return HORIZONS[label]


def depth(options: EvaluateOptions, months: int) -> float:
    value = options.drawdown if options.drawdown is not None else DEFAULT_DEPTH[months]
    if not 0.0 < value < 1.0:
        raise InputError(f"--drawdown {value}: a fraction between 0 and 1, such as 0.40")
    return value


def month(text: str | None, option: str, *, end: bool) -> pd.Timestamp | None:
    if text is None:
        return None
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", text):
        raise InputError(f"{option} {text!r}: expected YYYY-MM")
    stamp = pd.Timestamp(f"{text}-01")
    return stamp + pd.offsets.MonthEnd(0) if end else stamp


def prepare(
    options: EvaluateOptions,
    config: Config,
    *,
    months: int | None = None,
    crash: float | None = None,
) -> tuple[PanelInput, Dataset]:
    months = months or horizon_months(options)
    source = load_panel(
        options.prices, options.fmt, config, segment=options.segment, units=options.units
    )
    fall = crash if crash is not None else depth(options, months)
    data = build(source.panel, months, fall, source.v1_index, allowed=OWN_PRICES)
    if not data.rows[LABEL].notna().any():
        raise InputError(f"{options.prices}: too short for a {months}-month outcome window")
    return source, data


def evaluate(options: EvaluateOptions, config: Config) -> dict[str, Any]:
    """The `evaluate-index --json` document (walk-forward, or frozen with `--model`)."""
    return evaluate_all(options, config)[0]


def evaluate_all(options: EvaluateOptions, config: Config) -> tuple[dict[str, Any], pd.DataFrame]:
    """The document and every out-of-sample prediction (rows: date x series)."""
    if options.model is not None:
        from monitor.research.frozen import evaluate_frozen

        return evaluate_frozen(options, config)
    source, data = prepare(options, config)
    doc, predictions = _walk_forward(options, source, data)
    doc["gsy_replication"] = _without_list(replication(source.panel))
    if source.market_note:
        doc["market"] = source.market_note
    return doc, predictions


def write_predictions(predictions: pd.DataFrame, path: Path) -> int:
    """`--out`: date, unit, probability, event (1/0, empty while unknown); rows written."""
    frame = pd.DataFrame(
        {
            "date": pd.DatetimeIndex(predictions.index.get_level_values("date")).strftime(
                "%Y-%m-%d"
            ),
            "unit": predictions.index.get_level_values("series").astype(str),
            "probability": predictions["model"].round(6).to_numpy(),
            "event": predictions[LABEL].map({1.0: "1", 0.0: "0"}).fillna("").to_numpy(),
        }
    )
    try:
        frame.to_csv(path, index=False)
    except OSError as e:
        raise InputError(f"--out {path}: cannot write: {e.strerror or e}") from e
    return len(frame)


def _walk_forward(
    options: EvaluateOptions, source: PanelInput, data: Dataset
) -> tuple[dict[str, Any], pd.DataFrame]:
    start = month(options.start, "--start", end=False)
    end = month(options.end, "--end", end=True)
    warmup = options.warmup_years or WARMUP_YEARS[options.fmt]
    wf = run(data, warmup_years=warmup, calibrate=options.calibrate)
    if wf.first_prediction is None:
        raise InputError(f"{options.prices}: no prediction after a {warmup}-year warm-up")
    doc = report(source.panel, data, wf, start=start, end=end)
    doc["warmup_years"] = warmup
    return doc, wf.predictions


def _without_list(doc: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in doc.items() if k != "list"}


def fit_model(options: EvaluateOptions, config: Config) -> CrashModel:
    """The model fitted on every row whose outcome is known (the shipped parameters).

    With `options.start` (fit-index --holdout-start), the walk-forward scores of predictions
    dated from that month on are stored with it as its hold-out record."""
    month(options.start, "--holdout-start", end=False)
    if options.fmt == "french-daily":
        from monitor.research.fit_short import fit_short

        return fit_short(options)
    source, data = prepare(options, config)
    model = _fit(options, data)
    if options.start is None:
        return model
    doc, _ = _walk_forward(options, source, data)
    try:
        return replace(model, holdout=holdout_from_report(doc))
    except ValueError as e:
        raise InputError(f"{options.prices}: --holdout-start {options.start}: {e}") from e


def _fit(options: EvaluateOptions, data: Dataset) -> CrashModel:
    from monitor.research.fit_short import reference_of

    train = data.rows.loc[data.rows[LABEL].notna()]
    x = train[list(data.features)].to_numpy(dtype=np.float64)
    y = train[LABEL].to_numpy(dtype=np.float64)
    dates = train.index.get_level_values("date").to_numpy()
    model = fit(
        x,
        y,
        dates,
        data.features,
        horizon_months=data.horizon_months,
        depth=data.depth,
        calibrate=options.calibrate,
    )
    last = pd.Timestamp(dates.max()).strftime("%Y-%m-%d")
    return replace(
        model,
        source=options.prices.name,
        trained_through=last,
        baselines=fit_baselines(train),
        reference=reference_of(model, train, data.features, market=None),
    )
