"""One voice: the words every rendering of a reading uses (terminal, Slack, the page).

The terminal report, the Slack message and the dashboard say the same thing about the same
reading because they take their sentences from here: the probability with its base rate,
the regime word with what it means, the change, and how an input's move changed the
probability. Pure: numbers in, text out.

The regime word and the probability must never disagree. The rule (docs/reading.md):

- a *calm* or *warming* word contradicts a probability of at least LIFT (1.5) times its
  base rate (the word says "nothing much", the probability says "well above normal");
- a *bubble* or *bursting* word contradicts a probability below its base rate (the word
  alarms, the probability is below normal);
- *frothy* and a reading without a probability (index v1) contradict nothing.

1.5 is the round multiple of index v3's pre-registered regime rule (docs/preregistration.md:
calm p < b, warming b <= p < 1.5 b, frothy and above p >= 1.5 b; signals.crash.regimes
`regime_v3`), under which no word ever contradicts its probability: every fitted reading's
word is `regime_v3` of its own probability and base rate, so no guard is needed.
`contradicts` is the rule the tests hold every reading to.
"""

from __future__ import annotations

import math
from typing import Final

from signals.crash.words import feature_name, value_text

LIFT: Final[float] = 1.5
REGIMES: Final[tuple[str, ...]] = ("calm", "warming", "frothy", "bubble", "bursting")
QUIET: Final[frozenset[str]] = frozenset({"calm", "warming"})
ALARM: Final[frozenset[str]] = frozenset({"bubble", "bursting"})
#: Over the newest headlines while the news components have no value yet.
FRESH_TITLE: Final = (
    "New headlines (the news components are still warming up, so none is scored in)"
)
#: What a v1 regime (froth and stress, no probability) says.
MEANING: Final[dict[str, str]] = {
    "calm": "no sign of a bubble",
    "warming": "prices running ahead of normal",
    "frothy": "a run-up well past normal",
    "bubble": "an explosive run-up",
    "bursting": "a run-up that is breaking",
}
#: What a v3 regime adds to its probability against the base rate (regime_v3: calm below
#: it, warming up to 1.5x, frothy beyond; bubble and bursting beyond 1.5x with the GSY flag
#: or a 10% fall). "Calm" is about the crash odds, not about bubbles.
MEANING_V3: Final[dict[str, str]] = {
    "bubble": "after a run-up of 100% raw and net of the market",
    "bursting": "10% or more off the 1-year high",
}


def contradicts(regime: str, probability: float | None, base_rate: float | None) -> bool:
    """Whether the regime word says the opposite of the probability (rule above)."""
    if probability is None or base_rate is None or base_rate <= 0:
        return False
    if regime in QUIET:
        return probability >= LIFT * base_rate
    if regime in ALARM:
        return probability < base_rate
    return False


def percent(value: float) -> str:
    return f"{value:.0%}"


def multiple(probability: float, base_rate: float) -> str:
    """How the probability compares with its base rate, in words."""
    if base_rate <= 0:
        return ""
    ratio = probability / base_rate
    if math.isclose(ratio, 1.0, abs_tol=0.05):
        return "about its base rate"
    if ratio > 1:
        return f"{ratio:.1f}x its base rate"
    return f"below its base rate ({ratio:.1f}x)"


def probability_sentence(
    probability: float | None, base_rate: float | None, target: str | None
) -> str:
    """E.g. "Crash probability 77% (base rate 48%): a 20% drawdown within 6 months"."""
    if probability is None:
        return "Crash probability not available yet (less than a year of prices)"
    base = "" if base_rate is None else f" (base rate {percent(base_rate)})"
    what = f": a {target}" if target else ""
    return f"Crash probability {percent(probability)}{base}{what}"


def regime_sentence(regime: str, probability: float | None, base_rate: float | None) -> str:
    """E.g. "Regime frothy: the probability is 1.6x its base rate"; a v1 reading has no
    probability to compare with, so its word is glossed instead."""
    if probability is None or base_rate is None:
        meaning = MEANING.get(regime)
        return f"Regime {regime}" + (f" ({meaning})" if meaning else "")
    gloss = MEANING_V3.get(regime)
    head = f"Regime {regime}" + (f" ({gloss})" if gloss else "")
    return f"{head}: the probability is {multiple(probability, base_rate)}"


def voice(
    regime: str, probability: float | None, base_rate: float | None, target: str | None
) -> tuple[str, ...]:
    """The sentences every channel opens a reading with: the probability (when fitted)
    and the regime word with what it means against the base rate."""
    head = () if probability is None else (probability_sentence(probability, base_rate, target),)
    return (*head, regime_sentence(regime, probability, base_rate))


def change_phrase(change: float | None, since: str | None = None) -> str:
    """E.g. "+0.3 points since 2026-10-29", "first reading"."""
    if change is None:
        return "first reading" if since is None else f"no comparable reading since {since}"
    when = f" since {since}" if since else " since the last reading"
    return f"{change:+.1f} points{when}"


def index_sentence(index: float, change: float | None, since: str | None = None) -> str:
    return f"Index {index:.1f}/100, {change_phrase(change, since)}"


def title(index: float, regime: str, probability: float | None) -> str:
    """The one-line title (Slack header, page heading): probability first when there is one."""
    if probability is None:
        return f"AI bubble index {index:.0f}/100 · {regime}"
    return f"AI crash probability {percent(probability)} · {regime} · index {index:.0f}/100"


def move_sentence(
    name: str,
    before: float | None,
    after: float | None,
    effect: float | None,
    *,
    unfitted: bool = False,
    index_points: float | None = None,
) -> str:
    """What one input did: which moved, by how much, and what that alone did to the
    probability (`effect`, 0-1, with every other input at its previous value); an unfitted
    input (news, smart money) never moves the probability, only the index."""
    label = input_name(name)
    if before is None or after is None:
        moved = f"{label} {'has no value now' if after is None else 'has a value again'}"
    else:
        # A crash-model input in its own unit (a run-up of 0.96 is the log of +162%).
        shown = number if feature_name(name) is None else (lambda v: value_text(name, v))
        verb = "rose" if after > before else "fell" if after < before else "held"
        moved = f"{label} {verb} {shown(before)} → {shown(after)}"
    if unfitted:
        points = "" if index_points is None else f" ({index_points:+.1f} index points)"
        return f"{moved}: outside the fitted model, moves the index{points}, not the probability"
    if effect is None:
        return moved
    if abs(effect) < 0.0005:
        return f"{moved}: alone, it left the probability unchanged"
    direction = "raised" if effect > 0 else "lowered"
    return f"{moved}: alone, that {direction} the probability {abs(effect) * 100:.1f} points"


def number(value: float) -> str:
    return f"{value:.1f}" if abs(value) >= 10 else f"{value:.2f}"


_UNIT_NAMES: Final[dict[str, str]] = {
    "llm": "LLM",
    "applied_ai": "applied AI",
    "ai": "AI",
    "basket": "basket",
}


def display_name(name: str) -> str:
    """A segment or unit as people read it ("applied AI", not the config key applied_ai)."""
    return _UNIT_NAMES.get(name, name.replace("_", " "))


def input_name(name: str) -> str:
    """An input as the report names it: a crash-model feature by its name in words
    ("5-year run-up"), any other component by its key in words ("circular deal")."""
    return feature_name(name) or words(name)


def words(name: str) -> str:
    """A component name for reading: 'runup_2y_net' -> 'runup 2y net'."""
    return " ".join("AI" if w.lower() == "ai" else w for w in name.split("_"))
