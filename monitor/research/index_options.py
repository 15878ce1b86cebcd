"""Options of `evaluate-index` and `fit-index` and the dataset they ask for: the horizon,
depth, months and price file of one run (shared by the walk-forward, the frozen evaluation
and the v3 fit, so none of them imports another).

Horizon and depth default by format: the French monthly industries get Greenwood, Shleifer
& You's 24 months and 40%, daily files 6 months and 20%. The warm-up (years of data before
the first out-of-sample prediction) defaults to 15 years for monthly data (the 1930s crashes
in every training set), 9 for French daily files and 3 for other daily data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from monitor.config.feeds_yaml import Config
from monitor.errors import InputError
from monitor.research.crash_inputs import Format, PanelInput, load_panel
from signals.crash.dataset import LABEL, Dataset, build
from signals.crash.features import OWN_PRICES

HORIZONS = {"24m": 24, "6m": 6}
DEFAULT_DEPTH = {24: 0.40, 6: 0.20}
WARMUP_YEARS = {"french49": 15, "wide": 3, "french-daily": 9}


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
    #: fit-index on French daily files: the pooled out-of-fold calibration (its rule kept it,
    #: the frozen checks did not: docs/index-v3.md), on request only.
    pooled_calibration: bool = False


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
