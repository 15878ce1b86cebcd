"""Each crash-model feature's value in words ("1-year run-up +102%", "25% below the 1-year
high"), for components, drivers and what changed. Pure."""

from __future__ import annotations

import math
from typing import Final

_WORDS: Final[dict[str, str]] = {
    "runup_1y": "1-year run-up {pct}",
    "runup_2y": "2-year run-up {pct}",
    "runup_2y_net": "2-year run-up net of the market {pct}",
    "runup_5y": "5-year run-up {pct}",
    "acceleration": "acceleration (last year's log return minus the year before's) {pts}",
    "volatility": "volatility {abs} a year",
    "psy": "PSY explosiveness (BSADF) {num}",
    "issuance": "issuance (equity growth net of return) {pct}",
    "drawdown": "{abs} below the 1-year high",
    "volatility_change": "6-month volatility {ratio} the 1-year",
    "market_drawdown": "market {abs} below its 1-year high",
    "credit": "junk bonds lagging investment grade by {pts} over 3 months",
}


#: The run-up features as parts of one driver ("the run-up (1-year +102%, ...)").
_PARTS: Final[dict[str, str]] = {
    "runup_1y": "1-year {pct}",
    "runup_2y": "2-year {pct}",
    "runup_2y_net": "2-year net of the market {pct}",
    "runup_5y": "5-year {pct}",
    "acceleration": "acceleration {pts}",
}


def describe(feature: str, value: float | None, *, part: bool = False) -> str:
    """The value in words; `part`: the short form a run-up takes inside the run-up driver."""
    words = _PARTS if part and feature in _PARTS else _WORDS
    template = words.get(feature, feature + " {num}")
    if value is None:
        return template.split(" {")[0] + ": no value here (counted as its historical mean)"
    log_features = {"runup_1y", "runup_2y", "runup_2y_net", "runup_5y", "issuance"}
    pct = math.expm1(value) if feature in log_features else value
    return template.format(
        pct=f"{pct:+.0%}",
        abs=f"{value:.0%}",
        pts=f"{100 * value:+.0f} pts",
        num=f"{value:.2f}",
        ratio=f"{math.exp(value):.2f}x",
    )
