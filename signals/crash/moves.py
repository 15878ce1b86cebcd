"""What each input's move did to the crash probability between two readings.

The fitted contributions of a reading share out the gap between its probability and the
probability at the features' means; between two readings a contribution can grow while its
feature fell (the whole gap grew). So "what changed" asks the model a simpler question per
input: with every other input at its previous value, how far does moving this one alone
from its previous value to its current one move the probability? A feature without a
value counts as its historical mean, as in the reading itself.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from signals.crash.model import CrashModel


def input_effects(
    model: CrashModel,
    before: Mapping[str, float | None],
    after: Mapping[str, float | None],
) -> dict[str, float]:
    """Probability change (0-1) from each fitted feature's move alone, by feature name;
    features whose value did not change are left out."""
    x = np.array([_value(before.get(f)) for f in model.features])
    start = float(model.predict(x[None, :])[0])
    out: dict[str, float] = {}
    for i, feature in enumerate(model.features):
        new = _value(after.get(feature))
        if _same(new, x[i]):
            continue
        moved = x.copy()
        moved[i] = new
        out[feature] = float(model.predict(moved[None, :])[0]) - start
    return out


def _value(v: float | None) -> float:
    return math.nan if v is None else float(v)


def _same(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or a == b
