"""Regimes, v3 (`regime_v3`, the live reading's): from the probability p against the base
rate b of the unit's kind and the bubble evidence, rule fixed in docs/preregistration.md
before any fit: `calm` p < b; `warming` b <= p < 1.5 b; `frothy` p >= 1.5 b; `bubble` p >=
1.5 b and the GSY flag; `bursting` p >= 1.5 b and 10% or more below the 1-year high. A
higher regime always needs a probability at least as high: it never contradicts it.

v2 regimes (`regime`, kept for the v2 evaluation tables): from the two axes, froth and
stress (each 0-100, a percentile of the history the model was fitted on), and the 0-100
index from the calibrated probability.

Cut-offs are fixed percentiles of the fitted history, not tuned on dates: froth above its
median is `warming`, above its 80th percentile `frothy`, above its 95th `bubble`; stress
above its 90th percentile while froth is above its median is `bursting` (a run-up that is
breaking). The evaluation reports the out-of-sample crash rate of each regime, which is the
evidence that the ordering means something.

Index = 100 x probability (the fitted part), plus the unfitted components' documented small
weight times their distance from neutral (50): see signals.crash.reading.
"""

from __future__ import annotations

from typing import Final

FROTH_WARMING: Final[float] = 50.0
FROTH_FROTHY: Final[float] = 80.0
FROTH_BUBBLE: Final[float] = 95.0
STRESS_BURSTING: Final[float] = 90.0
REGIMES: Final[tuple[str, ...]] = ("calm", "warming", "frothy", "bubble", "bursting")


def regime(froth: float, stress: float) -> str:
    if stress >= STRESS_BURSTING and froth >= FROTH_WARMING:
        return "bursting"
    if froth >= FROTH_BUBBLE:
        return "bubble"
    if froth >= FROTH_FROTHY:
        return "frothy"
    if froth >= FROTH_WARMING:
        return "warming"
    return "calm"


#: docs/preregistration.md: round multiples of the base rate, not fitted.
ELEVATED: Final[float] = 1.5
BURSTING_DRAWDOWN: Final[float] = 0.10


def regime_v3(probability: float, base_rate: float, *, flag: bool, drawdown: float | None) -> str:
    if probability < base_rate:
        return "calm"
    if probability < ELEVATED * base_rate:
        return "warming"
    if drawdown is not None and drawdown >= BURSTING_DRAWDOWN:
        return "bursting"
    return "bubble" if flag else "frothy"


def index_from_probability(probability: float) -> float:
    """The fitted part of the 0-100 index: the crash probability in percent."""
    return max(0.0, min(100.0, 100.0 * probability))
