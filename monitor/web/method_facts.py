"""What the Method page says about the live crash model, read from the model itself.

The page once hard-coded the 6-month model's target, fit and frozen check, so with
`index.model: 24m` it described a model that was not producing the readings.
"""

from __future__ import annotations

import re
from typing import Any, Final

from monitor.errors import BubbleMonitorError
from monitor.reading.crash_model import live_model, model_path
from signals.crash.model import CrashModel

#: The shipped models' training files as a reader knows them (docs/index-v2.md).
_SOURCES: Final[dict[str, str]] = {
    "ff10_industry_daily_1926_2009.csv": (
        "Kenneth French's 10 daily industry portfolios (1926–2009)"
    ),
    "ff30_industry_daily_1959_2009.csv": "his 30 daily industry portfolios (1959–2009)",
    "ff49_industry_portfolios_1926_2014.csv": (
        "Kenneth French's 49 monthly industry portfolios (1926–2014)"
    ),
}


def describe_sources(source: str) -> str:
    """E.g. "ff10_...csv + ff30_...csv, with random sub-baskets" -> the portfolios' names."""
    if not source:
        return "(not recorded)"
    return re.sub(r"[\w.-]+\.csv", lambda m: _SOURCES.get(m.group(0), m.group(0)), source)


def method_facts(choice: str) -> dict[str, Any]:
    """The facts of the model `index.model: choice` selects, or `error` naming why not."""
    try:
        model = live_model(choice)
    except BubbleMonitorError as e:
        return {"error": str(e)}
    return model_facts(model)


def model_facts(model: CrashModel) -> dict[str, Any]:
    holdout = model.holdout
    checks = [_check(c) for c in model.frozen_checks]
    return {
        "file": model_path(model.horizon_months).name,
        "target": f"{model.depth:.0%} within {model.horizon_months} months",
        "horizon_months": model.horizon_months,
        "sources": describe_sources(model.source),
        "trained_through": model.trained_through or "(not recorded)",
        "n_train": f"{model.n_train:,}",
        "base_rate": f"{model.base_rate:.1%}",
        "holdout": None
        if holdout is None
        else {"start": holdout.start, "end": holdout.end, "passed": holdout.passed},
        "checks": checks,
    }


def _check(check: dict[str, Any]) -> dict[str, Any]:
    units = check.get("units_within_tolerance") or [0, 0]
    return {
        "name": str(check.get("name", "a frozen check")),
        "years": f"{str(check.get('start', ''))[:4]}–{str(check.get('end', ''))[:4]}",
        "slope": f"{float(check.get('calibration_slope', float('nan'))):.2f}",
        "calibrated": bool(check.get("calibrated")),
        "units": f"{units[0]} of {units[1]}",
    }
