"""A live v3 reading of one basket: crash probability, the base rate of units as volatile
(signals.crash.reference), index, regime (`regime_v3`), froth, stress, components, drivers.

Pure: prices, the benchmark, news signals, the model and `now` come in; nothing is read.
The segments of feeds.yaml each call `crash_reading` with their own basket and benchmark.

- probability: the fitted model (signals.crash.model) on the basket's features as of `now`
  (the equal-weighted basket of the given closes, net of the benchmark);
- index (0-100) = 100 x probability + the unfitted components' contributions, clipped;
  an unfitted component (a news label) weighs UNFITTED_WEIGHT per point away from its
  neutral 50, so five of them can move the index by at most +-10 points, and never the
  probability;
- contributions of the fitted features are in index points: the gap between 100 x
  probability and 100 x the probability at the features' historical means (the `baseline`
  component) shared in proportion to each feature's log-odds contribution; so the
  contributions add up to the index;
- a feature without enough history (a 5-year run-up on 2 years of prices) counts as its
  historical mean, is listed with value None and named in `missing`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Final, Literal

import numpy as np
import pandas as pd

from signals.crash.features import FEATURES, FROTH, feature_frames
from signals.crash.model import CrashModel
from signals.crash.panel import Panel, returns_from_closes
from signals.crash.reference import kind_base_rate
from signals.crash.regimes import index_from_probability, regime_v3
from signals.crash.words import describe
from signals.models import Signal

UNFITTED_WEIGHT: Final[float] = 0.04
NEUTRAL: Final[float] = 50.0
TOP_DRIVERS: Final[int] = 3
BASELINE: Final[str] = "baseline"
Axis = Literal["froth", "stress", "news", "base"]


class NotEnoughHistoryError(ValueError):
    """The basket has less than a year of prices: no run-up, no probability."""


@dataclass(frozen=True, slots=True)
class CrashComponent:
    name: str
    axis: Axis
    value: float | None
    weight: float
    contribution: float
    detail: str
    unfitted: bool = False
    log_odds: float = 0.0


@dataclass(frozen=True, slots=True)
class CrashReading:
    name: str
    as_of: datetime
    probability: float
    base_rate: float
    index: float
    regime: str
    froth: float
    stress: float
    components: tuple[CrashComponent, ...]
    drivers: tuple[str, ...]
    horizon_months: int
    depth: float
    missing: tuple[str, ...] = ()


def basket_panel(
    closes: pd.DataFrame, benchmark: pd.Series | None, extras: pd.DataFrame | None = None
) -> Panel:
    """One series, the equal-weighted basket, with the benchmark as its market."""
    returns = returns_from_closes(closes)
    basket = returns.mean(axis=1, skipna=True).where(returns.notna().any(axis=1))
    frame = basket.to_frame("basket")
    if benchmark is not None:
        market = returns_from_closes(benchmark.to_frame("m"))["m"].reindex(frame.index)
    else:
        market = basket
    return Panel(returns=frame, market=market, frequency="daily", extras=extras)


def latest_features(panel: Panel, now: datetime) -> dict[str, float]:
    """Every feature of the panel's first series on the last date on or before `now`."""
    cut = panel.window(pd.Timestamp(now.date()))
    frames = feature_frames(cut)
    return {
        name: float(frame.to_numpy(dtype=np.float64)[-1, 0])
        for name, frame in frames.items()
        if len(frame)
    }


def crash_reading(
    closes: pd.DataFrame,
    *,
    benchmark: pd.Series | None,
    news: Sequence[Signal],
    model: CrashModel,
    now: datetime,
    extras: pd.DataFrame | None = None,
    name: str = "basket",
) -> CrashReading:
    """The reading of one basket as of `now` (closes after `now` are never used)."""
    panel = basket_panel(closes, benchmark, extras)
    features = latest_features(panel, now)
    return reading_from_features(features, news=news, model=model, now=now, name=name)


def reading_from_features(
    features: Mapping[str, float],
    *,
    news: Sequence[Signal],
    model: CrashModel,
    now: datetime,
    name: str = "basket",
) -> CrashReading:
    """The reading from features already computed as of `now` (a row of `feature_frames`
    over the whole history gives the same numbers, since every feature is causal)."""
    if math.isnan(features.get("runup_1y", math.nan)):
        raise NotEnoughHistoryError(f"{name}: less than a year of prices before {now.date()}")
    x = np.array([[features.get(f, math.nan) for f in model.features]])
    probability = float(model.predict(x)[0])
    base_rate = unit_base_rate(model, features.get("volatility", math.nan))
    froth, stress = (float(v[0]) for v in model.axes(x))
    fitted = _fitted_components(model, x[0], probability)
    unfitted = [_unfitted(s) for s in news]
    shown = _shown_only(features, model)
    index = index_from_probability(probability) + sum(c.contribution for c in unfitted)
    return CrashReading(
        name=name,
        as_of=now,
        probability=probability,
        base_rate=base_rate,
        index=max(0.0, min(100.0, index)),
        regime=regime_v3(
            probability, base_rate, flag=gsy_flag(features), drawdown=features.get("drawdown")
        ),
        froth=froth,
        stress=stress,
        components=(*fitted, *unfitted, *shown),
        drivers=drivers(fitted),
        horizon_months=model.horizon_months,
        depth=model.depth,
        missing=tuple(f for f, v in zip(model.features, x[0], strict=True) if math.isnan(v)),
    )


def unit_base_rate(model: CrashModel, volatility: float) -> float:
    """The training crash rate of units as volatile as this one (signals.crash.reference);
    the model's overall base rate when it stores no reference."""
    kind = kind_base_rate(model.reference, volatility)
    return model.base_rate if kind is None else float(kind["rate"])


def gsy_flag(features: Mapping[str, float]) -> bool:
    """GSY's bubble candidate: 2-year run-up above 100% raw and net of the market."""
    raw, net = features.get("runup_2y", math.nan), features.get("runup_2y_net", math.nan)
    return bool(math.expm1(raw) > 1.0 and math.expm1(net) > 1.0)


def _fitted_components(
    model: CrashModel, x: np.ndarray, probability: float
) -> list[CrashComponent]:
    log_odds = model.contributions(x[None, :])[0]
    typical = float(model.predict(np.array([model.mean]))[0])
    gap = 100.0 * (probability - typical)
    total = float(log_odds.sum())
    share = log_odds / total if abs(total) > 1e-12 else np.zeros_like(log_odds)
    weights = np.abs(np.array(model.coef)) / max(float(np.abs(model.coef).sum()), 1e-12)
    base = CrashComponent(
        BASELINE,
        "base",
        100.0 * typical,
        0.0,
        100.0 * typical,
        "crash probability (%) with every feature at its historical mean",
    )
    out = [base]
    for i, feature in enumerate(model.features):
        value = None if math.isnan(x[i]) else float(x[i])
        out.append(
            CrashComponent(
                name=feature,
                axis="froth" if feature in FROTH else "stress",
                value=value,
                weight=float(weights[i]),
                contribution=float(gap * share[i]),
                detail=describe(feature, value),
                log_odds=float(log_odds[i]),
            )
        )
    return out


def _unfitted(signal: Signal) -> CrashComponent:
    if signal.value is None:
        return CrashComponent(
            signal.name,
            "news",
            None,
            UNFITTED_WEIGHT,
            0.0,
            f"missing, not used ({signal.detail})",
            unfitted=True,
        )
    value = float(signal.value)
    return CrashComponent(
        signal.name,
        "news",
        value,
        UNFITTED_WEIGHT,
        UNFITTED_WEIGHT * (value - NEUTRAL),
        f"unfitted: {signal.detail}",
        unfitted=True,
    )


def _shown_only(features: Mapping[str, float], model: CrashModel) -> list[CrashComponent]:
    """Features computed but not in the model (credit for the century model): weight 0."""
    out = []
    for feature in FEATURES:
        if feature in model.features or feature not in features or math.isnan(features[feature]):
            continue
        value = float(features[feature])
        out.append(
            CrashComponent(
                feature,
                "stress" if feature not in FROTH else "froth",
                value,
                0.0,
                0.0,
                f"not in the fitted model, shown only: {describe(feature, value)}",
                unfitted=True,
            )
        )
    return out


def drivers(components: Sequence[CrashComponent]) -> tuple[str, ...]:
    """The three fitted features that move the odds most, in words. The run-ups over 1, 2
    and 5 years (raw and net) and the acceleration are linear in the same yearly returns
    (acceleration = 1-year minus the year before), so only their sum has a meaning: they
    are one driver, their log-odds summed (alone, one of them can read as lowering the
    odds while together they raise them)."""
    fitted = [c for c in components if c.axis in ("froth", "stress") and c.value is not None]
    runs = [c for c in fitted if c.name in RUN_UP]
    pairs = [(c.detail, c.log_odds) for c in fitted if c.name not in RUN_UP]
    if runs:
        parts = ", ".join(describe(c.name, c.value, part=True) for c in runs)
        pairs.append((f"the run-up ({parts})", sum(c.log_odds for c in runs)))
    out = []
    for detail, odds in sorted(pairs, key=lambda p: -abs(p[1]))[:TOP_DRIVERS]:
        # One multiplier for both directions: "lowers the odds x1.29" read as a rise.
        verb = "raises" if odds > 0 else "lowers"
        out.append(f"{detail} {verb} the crash odds x{math.exp(odds):.2f}")
    return tuple(out)


#: Features linear in the same yearly log returns (see `drivers`).
RUN_UP: Final = frozenset({"runup_1y", "runup_2y", "runup_2y_net", "runup_5y", "acceleration"})
