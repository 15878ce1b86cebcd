"""The crash model: L2-regularised logistic regression on standardised features, then a
Platt step on its log-odds, kept as JSON (no pickle). v2's Platt step was temporal (fitted
on the latest dates, it followed the recent crash rate); v3 fits without it
(`calibrate=False`). A pooled out-of-fold Platt step (signals.crash.pooled) can be fitted
on request; it is not shipped (docs/index-v3.md).

Fit: features standardised with the training mean and scale (a missing feature becomes 0,
the training mean, so it neither raises nor lowers the odds); the logistic regression is
fitted on the earliest 80% of the training dates, a Platt step (a * logit + b) on the
latest 20% (out of time, so calibration corrects drift rather than fit), then the
regression is refitted on everything and keeps (a, b). Prediction is plain numpy.

The froth and stress axes are the calibrated log-odds contributions of the froth and the
stress features, each reported as its percentile among the training rows (0-100), so 90
means "more than 90% of the history it was fitted on".
"""

from __future__ import annotations

import hashlib
import json
import warnings
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from signals.crash.features import FROTH, STRESS
from signals.crash.holdout import Holdout, holdout_from_dict

FORMAT: Final[int] = 1
Z_CLIP: Final[float] = 5.0
CALIBRATION_SHARE: Final[float] = 0.2
#: L2 strength (inverse) on standardised features; fixed before any run, not tuned.
DEFAULT_C: Final[float] = 0.1
Array = npt.NDArray[np.float64]


@dataclass(frozen=True)
class CrashModel:
    """Everything a prediction needs, plus where it came from."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    platt_a: float
    platt_b: float
    horizon_months: int
    depth: float
    base_rate: float
    froth_grid: tuple[float, ...]
    stress_grid: tuple[float, ...]
    n_train: int
    n_events: int
    C: float
    data_hash: str = ""
    source: str = ""
    trained_through: str = ""
    #: The pre-committed hold-out of this model's procedure (`fit-index --holdout-start`).
    holdout: Holdout | None = None
    #: "platt_latest" (v2: a Platt step on the latest 20% of dates), "none" (v3 as first
    #: shipped) or "pooled_oof" (signals.crash.pooled: fitted on the walk-forward's
    #: predictions of both development periods; `calibration_record` says how it scored).
    calibration: str = "platt_latest"
    calibration_record: dict[str, Any] | None = None
    #: One-variable baselines fitted on the same rows, for frozen evaluation:
    #: name -> (mean, sd, slope, intercept); "gsy_runup" -> (rate flagged, rate not).
    baselines: dict[str, tuple[float, ...]] | None = None
    #: What a probability is compared with (signals.crash.reference), fitted rows only.
    reference: dict[str, Any] | None = None
    #: Frozen checks on units never fitted (signals.crash.frozen_checks), newest last.
    frozen_checks: tuple[dict[str, Any], ...] = ()

    def standardise(self, x: Array) -> Array:
        z = (np.asarray(x, dtype=np.float64) - np.array(self.mean)) / np.array(self.scale)
        return np.asarray(np.clip(np.nan_to_num(z, nan=0.0), -Z_CLIP, Z_CLIP), dtype=np.float64)

    def contributions(self, x: Array) -> Array:
        """Calibrated log-odds contribution of each feature (rows x features)."""
        return np.asarray(self.standardise(x) * np.array(self.coef) * self.platt_a, np.float64)

    def logit(self, x: Array) -> Array:
        base = self.platt_a * self.intercept + self.platt_b
        return np.asarray(self.contributions(x).sum(axis=1) + base, dtype=np.float64)

    def predict(self, x: Array) -> Array:
        return np.asarray(1.0 / (1.0 + np.exp(-self.logit(x))), dtype=np.float64)

    def axis_sums(self, x: Array) -> tuple[Array, Array]:
        parts = self.contributions(x)
        froth = [i for i, f in enumerate(self.features) if f in FROTH]
        stress = [i for i, f in enumerate(self.features) if f in STRESS]
        return parts[:, froth].sum(axis=1), parts[:, stress].sum(axis=1)

    def axes(self, x: Array) -> tuple[Array, Array]:
        """Froth and stress, 0-100: percentiles of the axis sums among the training rows."""
        froth, stress = self.axis_sums(x)
        return _percentile(froth, self.froth_grid), _percentile(stress, self.stress_grid)

    def to_json(self) -> str:
        holdout = None if self.holdout is None else self.holdout.to_dict()
        return json.dumps({"format": FORMAT, **asdict(self), "holdout": holdout}, indent=1)

    @classmethod
    def from_json(cls, text: str, origin: str = "model") -> CrashModel:
        raw: dict[str, Any] = json.loads(text)
        if raw.pop("format", None) != FORMAT:
            raise ValueError(f"{origin}: not a crash model of format {FORMAT}")
        stored = raw.pop("holdout", None)
        holdout = None if stored is None else holdout_from_dict(stored)
        tuples = {k: tuple(v) for k, v in raw.items() if isinstance(v, list)}
        stored_baselines = raw.pop("baselines", None)
        baselines = (
            None
            if stored_baselines is None
            else {str(k): tuple(float(x) for x in v) for k, v in stored_baselines.items()}
        )
        return cls(**{**raw, **tuples}, holdout=holdout, baselines=baselines)


def _percentile(values: Array, grid: Sequence[float]) -> Array:
    """Position of each value in a 101-point quantile grid, 0-100."""
    g = np.asarray(grid, dtype=np.float64)
    return np.asarray(np.interp(values, g, np.linspace(0.0, 100.0, len(g))), dtype=np.float64)


def data_hash(x: Array, y: Array) -> str:
    digest = hashlib.sha256()
    digest.update(np.ascontiguousarray(np.round(x, 10)).tobytes())
    digest.update(np.ascontiguousarray(y).tobytes())
    return "sha256:" + digest.hexdigest()[:16]


def fit(
    x: Array,
    y: Array,
    dates: npt.NDArray[np.datetime64],
    features: Sequence[str],
    *,
    horizon_months: int,
    depth: float,
    c: float = DEFAULT_C,
    calibrate: bool = True,
) -> CrashModel:
    """Fit on rows sorted or not; `dates` decide the 80/20 split for calibration. With
    `calibrate=False` (v3) there is no Platt step: the regression's own probabilities."""
    with warnings.catch_warnings():
        # A feature with no value yet in the window (a 5-year run-up early on) gets mean 0
        # and scale 1; its standardised column is all 0, so its coefficient stays 0.
        warnings.simplefilter("ignore", RuntimeWarning)
        mean = np.nan_to_num(np.nanmean(x, axis=0))
        scale = np.nan_to_num(np.nanstd(x, axis=0))
    scale = np.where(scale > 0, scale, 1.0)
    stub = _stub(features, mean, scale, horizon_months, depth, c)
    z = stub.standardise(x)
    cut = np.quantile(dates.astype("datetime64[D]").astype(np.int64), 1 - CALIBRATION_SHARE)
    early = dates.astype("datetime64[D]").astype(np.int64) <= cut
    a, b = _platt(z, y, early, c) if calibrate else (1.0, 0.0)
    coef, intercept = logistic(z, y, c)
    model = _replace(
        _finish(stub, coef, intercept, a, b, y),
        calibration="platt_latest" if calibrate else "none",
    )
    froth, stress = model.axis_sums(x)
    quantiles = np.linspace(0, 1, 101)
    return _replace(
        model,
        froth_grid=tuple(float(v) for v in np.quantile(froth, quantiles)),
        stress_grid=tuple(float(v) for v in np.quantile(stress, quantiles)),
        data_hash=data_hash(x, y),
    )


def _stub(
    features: Sequence[str], mean: Array, scale: Array, horizon: int, depth: float, c: float
) -> CrashModel:
    zeros = tuple(0.0 for _ in features)
    return CrashModel(
        features=tuple(features),
        mean=tuple(float(v) for v in np.nan_to_num(mean)),
        scale=tuple(float(v) for v in scale),
        coef=zeros,
        intercept=0.0,
        platt_a=1.0,
        platt_b=0.0,
        horizon_months=horizon,
        depth=depth,
        base_rate=0.0,
        froth_grid=(0.0, 1.0),
        stress_grid=(0.0, 1.0),
        n_train=0,
        n_events=0,
        C=c,
    )


def logistic(z: Array, y: Array, c: float) -> tuple[Array, float]:
    from sklearn.linear_model import LogisticRegression

    if len(np.unique(y)) < 2:
        rate = float(np.clip(y.mean(), 1e-4, 1 - 1e-4))
        return np.zeros(z.shape[1]), float(np.log(rate / (1 - rate)))
    lr = LogisticRegression(C=c, max_iter=200, solver="newton-cholesky")
    lr.fit(z, y)
    return np.asarray(lr.coef_[0], dtype=np.float64), float(lr.intercept_[0])


def _platt(z: Array, y: Array, early: npt.NDArray[np.bool_], c: float) -> tuple[float, float]:
    late = ~early
    if len(np.unique(y[early])) < 2 or len(np.unique(y[late])) < 2:
        return 1.0, 0.0
    coef, intercept = logistic(z[early], y[early], c)
    logit = (z[late] @ coef + intercept)[:, None]
    a, b = logistic(logit, y[late], 1e4)
    # A negative slope would invert the ranking the regression learnt: keep it identity.
    return (float(a[0]), b) if a[0] > 0 else (1.0, 0.0)


def _finish(
    stub: CrashModel, coef: Array, intercept: float, a: float, b: float, y: Array
) -> CrashModel:
    return _replace(
        stub,
        coef=tuple(float(v) for v in coef),
        intercept=intercept,
        platt_a=a,
        platt_b=b,
        base_rate=float(y.mean()),
        n_train=len(y),
        n_events=int(y.sum()),
    )


def _replace(model: CrashModel, **changes: Any) -> CrashModel:
    from dataclasses import replace

    return replace(model, **changes)
