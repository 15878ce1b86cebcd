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


#: Each feature's name where its value is said apart ("2-year run-up fell +186% -> +162%").
_NAMES: Final[dict[str, str]] = {
    "runup_1y": "1-year run-up",
    "runup_2y": "2-year run-up",
    "runup_2y_net": "2-year run-up net of the market",
    "runup_5y": "5-year run-up",
    "acceleration": "acceleration",
    "volatility": "volatility",
    "psy": "PSY explosiveness",
    "issuance": "issuance",
    "drawdown": "drawdown",
    "volatility_change": "6-month/1-year volatility",
    "market_drawdown": "market drawdown",
    "credit": "junk-bond lag",
}
_LOG_FEATURES: Final = frozenset({"runup_1y", "runup_2y", "runup_2y_net", "runup_5y", "issuance"})


def feature_name(feature: str) -> str | None:
    """The feature's name in words, or None for a name this module does not know."""
    return _NAMES.get(feature)


def value_text(feature: str, value: float) -> str:
    """The value alone in the feature's own unit ("+186%", "13%", "1.11x", "+20 pts")."""
    template = _WORDS.get(feature, "{num}")
    placeholder = template[template.index("{") + 1 : template.index("}")]
    return _formats(feature, value)[placeholder]


def describe(feature: str, value: float | None, *, part: bool = False) -> str:
    """The value in words; `part`: the short form a run-up takes inside the run-up driver."""
    words = _PARTS if part and feature in _PARTS else _WORDS
    template = words.get(feature, feature + " {num}")
    if value is None:
        return template.split(" {")[0] + ": no value here (counted as its historical mean)"
    return template.format(**_formats(feature, value))


def _formats(feature: str, value: float) -> dict[str, str]:
    # Run-ups and issuance are log returns: shown as the simple return a reader knows.
    pct = math.expm1(value) if feature in _LOG_FEATURES else value
    return {
        "pct": f"{pct:+.0%}",
        "abs": f"{value:.0%}",
        "pts": f"{100 * value:+.0f} pts",
        "num": f"{value:.2f}",
        "ratio": f"{math.exp(value):.2f}x",
    }
