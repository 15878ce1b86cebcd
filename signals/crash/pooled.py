"""The pooled out-of-fold calibration of the short model (docs/preregistration.md, addendum
of 2026-12-07): a Platt step `logit p' = a * logit p + b` fitted on the walk-forward
predictions of both development periods together, kept only when it raises the Brier skill
in each period.

Unlike v2's Platt step it is not fitted on the latest slice of one training window, so it
cannot follow the recent crash rate; it can correct only what the regression gets wrong the
same way in every period. Its rule kept it on the short model's development periods; it is
not shipped, because after 1989 it halved the probabilities of volatile units against what
they did (docs/index-v3.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from signals.crash.metrics import brier
from signals.crash.model import CrashModel, logistic

Array = npt.NDArray[np.float64]
#: Effectively unregularised: two parameters on tens of thousands of rows.
C_PLATT: Final[float] = 1e4
EPS: Final[float] = 1e-6


@dataclass(frozen=True)
class Platt:
    a: float
    b: float

    def apply(self, p: Array) -> Array:
        z = self.a * _logit(p) + self.b
        return np.asarray(1.0 / (1.0 + np.exp(-z)), dtype=np.float64)


def _logit(p: Array) -> Array:
    q = np.clip(np.asarray(p, dtype=np.float64), EPS, 1 - EPS)
    return np.asarray(np.log(q / (1 - q)), dtype=np.float64)


def fit_platt(y: Array, p: Array) -> Platt | None:
    """The two numbers, or None when they cannot be fitted or would invert the ranking."""
    y = np.asarray(y, dtype=np.float64)
    if len(y) < 2 or len(np.unique(y)) < 2:
        return None
    coef, intercept = logistic(_logit(p)[:, None], y, C_PLATT)
    a = float(coef[0])
    return Platt(a, float(intercept)) if a > 0 else None


def _skill(y: Array, p: Array, reference: Array) -> float:
    return 1.0 - brier(y, p) / brier(y, reference)


def decide(periods: Mapping[str, tuple[Array, Array, Array]]) -> dict[str, Any]:
    """The addendum's rule on (outcome, probability, reference base rate) per development
    period: the pooled fit, each period's skill without it, with it and leave-one-period-out
    (reported, not deciding), and whether it is kept."""
    ys = [np.asarray(v[0], dtype=np.float64) for v in periods.values()]
    ps = [np.asarray(v[1], dtype=np.float64) for v in periods.values()]
    pooled = fit_platt(np.concatenate(ys), np.concatenate(ps))
    record: dict[str, Any] = {
        "form": "logit p' = a * logit p + b",
        "a": None if pooled is None else round(pooled.a, 6),
        "b": None if pooled is None else round(pooled.b, 6),
        "n": int(sum(len(y) for y in ys)),
        "periods": {},
    }
    kept = pooled is not None
    for name, (y, p, reference) in periods.items():
        others = [k for k in periods if k != name]
        rest = fit_platt(
            np.concatenate([periods[k][0] for k in others]) if others else np.array([]),
            np.concatenate([periods[k][1] for k in others]) if others else np.array([]),
        )
        none = round(_skill(y, p, reference), 4)
        with_pooled = None if pooled is None else round(_skill(y, pooled.apply(p), reference), 4)
        kept = kept and with_pooled is not None and with_pooled > none
        record["periods"][name] = {
            "n": len(y),
            "none": none,
            "pooled": with_pooled,
            "leave_one_period_out": (
                None if rest is None else round(_skill(y, rest.apply(p), reference), 4)
            ),
        }
    record["kept"] = kept
    return record


def calibrated(model: CrashModel, platt: Platt, record: dict[str, Any]) -> CrashModel:
    """The model with the Platt step on its log-odds. Contributions scale by `a`; the froth
    and stress grids are quantiles of contribution sums, so they scale with them (a > 0) and
    every percentile stays what it was."""
    if model.platt_a != 1.0 or model.platt_b != 0.0:
        raise ValueError("pooled calibration applies to a model without a Platt step")
    return replace(
        model,
        platt_a=platt.a,
        platt_b=platt.b,
        calibration="pooled_oof",
        froth_grid=tuple(platt.a * v for v in model.froth_grid),
        stress_grid=tuple(platt.a * v for v in model.stress_grid),
        calibration_record=record,
    )
