"""Bubble evidence as history counts it (index v3): the GSY flag of a unit, the crash share
of past run-up episodes like its own with a Wilson 95% interval, and its three nearest
named analogs from the century table (French 49 industries, 1926-2014).

"Like this one": the episodes at the highest GSY threshold (50%, 100%, 150% over two years,
raw and net of the market) that the unit's own run-up clears; below 50% no episode is like
it. Analogs: the nearest episodes of that set by (log 2-year run-up, log net run-up).
Counts below 20 are written in words (`count_words`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, Final

THRESHOLDS: Final[tuple[float, ...]] = (0.5, 1.0, 1.5)
GSY_THRESHOLD: Final[float] = 1.0
ANALOGS: Final[int] = 3
_WORDS: Final[tuple[str, ...]] = (
    "no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
    "eighteen", "nineteen",
)  # fmt: skip


def count_words(n: int) -> str:
    """ "twelve" below 20 (a small count said as one), digits from 20 on."""
    return _WORDS[n] if 0 <= n < 20 else str(n)


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float] | None:
    """Wilson score 95% interval of a share k / n; None with no observation."""
    if n <= 0:
        return None
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def bubble_evidence(
    runup_2y: float | None, net_2y: float | None, table: Sequence[Mapping[str, Any]]
) -> dict[str, Any]:
    """The `bubble_evidence` document of a unit with simple 2-year run-ups (0.8 = +80%)."""
    if runup_2y is None or net_2y is None or math.isnan(runup_2y) or math.isnan(net_2y):
        return _empty("no 2-year run-up yet (less than two years of prices)")
    return {
        **_evidence(runup_2y, net_2y, table),
        "runup_2y": round(runup_2y, 4),
        "net_2y": round(net_2y, 4),
    }


def _evidence(runup_2y: float, net_2y: float, table: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    level = min(runup_2y, net_2y)
    cleared = [t for t in THRESHOLDS if level > t]
    flag = runup_2y > GSY_THRESHOLD and net_2y > GSY_THRESHOLD
    if not cleared:
        doc = _empty(
            f"2-year run-up {runup_2y:+.0%}, {net_2y:+.0%} net of the market: not a run-up of "
            "50% or more both raw and net, the smallest past episodes counted"
        )
        return {**doc, "flag": flag}
    threshold = cleared[-1]
    like = [e for e in table if e["threshold"] == threshold and e.get("crashed") is not None]
    crashed = sum(1 for e in like if e["crashed"])
    interval = wilson(crashed, len(like))
    return {
        "flag": flag,
        "threshold": threshold,
        "episodes": len(like),
        "crashed": crashed,
        "interval": None if interval is None else [round(interval[0], 3), round(interval[1], 3)],
        "analogs": analogs(runup_2y, net_2y, like),
        "text": _text(threshold, len(like), crashed, interval),
    }


def _empty(why: str) -> dict[str, Any]:
    return {
        "flag": False,
        "threshold": None,
        "episodes": 0,
        "crashed": 0,
        "interval": None,
        "analogs": [],
        "text": why,
        "runup_2y": None,
        "net_2y": None,
    }


def _text(threshold: float, n: int, k: int, interval: tuple[float, float] | None) -> str:
    if interval is None:
        return f"no past industry run-up above {threshold:.0%} with a known outcome"
    low, high = interval
    return (
        f"{count_words(k)} of {count_words(n)} past industry run-ups above {threshold:.0%} "
        f"(raw and net, 1926-2014) fell 40% within two years (95% interval "
        f"{low:.0%}-{high:.0%})"
    )


def flag_line(evidence: Mapping[str, Any], names: Mapping[str, str]) -> str | None:
    """Which units carry the GSY flag and how past run-ups like theirs ended, in one line:
    "GSY bubble flag on LLM (26 of 47 past industry run-ups like it crashed within two
    years; 95% interval 41%-69%); off for the basket, applied AI, market" (a Wilson
    interval). Units without two years of prices are left out; None when no unit has them.
    `names`: unit -> display name."""
    units = [("basket", evidence), *(evidence.get("segments") or {}).items()]
    known = [(names.get(u, u), e) for u, e in units if e.get("runup_2y") is not None]
    if not known:
        return None
    on = [(name, e) for name, e in known if e.get("flag")]
    off = [name for name, e in known if not e.get("flag")]
    parts = []
    for name, e in on:
        if not e.get("episodes") or not e.get("interval"):
            parts.append(f"{name} (no past industry run-up like it with a known outcome)")
            continue
        low, high = e["interval"]
        parts.append(
            f"{name} ({count_words(e['crashed'])} of {count_words(e['episodes'])} past "
            f"industry run-ups like it crashed within two years; 95% interval "
            f"{low:.0%}-{high:.0%})"
        )
    text = f"GSY bubble flag on {' and '.join(parts)}" if parts else "GSY bubble flag off"
    if on and off:
        text += f"; off for {', '.join(off)}"
    elif off:
        text += f" for {', '.join(off)} (2-year run-up above 100% raw and net of the market)"
    return text


def followed(e: Mapping[str, Any]) -> str:
    """What followed an episode, in the terms `crashed` is decided on (the largest fall
    within two years of the month the run-up was flagged), then the fall from its peak.

    Both are said because they can disagree: Toys, flagged 1939-11, fell 32% at most in the
    two years after the flag (no crash) and 44% in the two years after its 1940-03 peak."""
    flagged, fall, peak_fall = e.get("start"), e.get("fall_24m"), e.get("fall_after_peak_24m")
    if fall is None or flagged is None:
        # A table without the flag-window fall (written before it was recorded).
        return "unknown" if peak_fall is None else f"fell {peak_fall:.0%} after the peak"
    verdict = "crashed" if e["crashed"] else "no crash"
    text = f"{verdict}: fell {fall:.0%} at most within 2 years of the flag"
    if peak_fall is not None and round(peak_fall, 2) != round(fall, 2):
        text += f", {peak_fall:.0%} in the 2 years after the peak"
    return text


def analogs(
    runup_2y: float, net_2y: float, like: Sequence[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """The nearest episodes by (log 2-year run-up, log net run-up), nearest first."""

    def distance(e: Mapping[str, Any]) -> float:
        return math.hypot(
            math.log1p(e["runup_2y"]) - math.log1p(runup_2y),
            math.log1p(e["net_2y"]) - math.log1p(net_2y),
        )

    out = []
    for e in sorted(like, key=distance)[:ANALOGS]:
        out.append(
            {
                "industry": e["industry"],
                "start": e.get("start"),
                "peak": e["peak"],
                "runup_2y": e["runup_2y"],
                "crashed": e["crashed"],
                "fall_24m": e.get("fall_24m"),
                "followed": followed(e),
            }
        )
    return out
