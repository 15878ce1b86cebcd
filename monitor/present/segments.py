"""Segments in the report, the console alert and Slack: the one line comparing `llm`
with `applied_ai`, a row per segment, and the LLM-minus-applied-AI spread.

The comparison line opens every rendering. It gives both crash probabilities and their
gap when a fitted model provides them, else both index values and their gap, so it never
shows a number the reading does not have.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from signals.crash.evidence import flag_line
from signals.crash.relative import display_name
from signals.models import Component, IndexReading, SegmentReading
from signals.spread import SPREAD_PAIR, describe_spread

#: Tickers named in a "has no prices" sentence before "and N more".
SHOWN_TICKERS: Final[int] = 3


def _by_name(reading: IndexReading) -> dict[str, SegmentReading]:
    return {s.name: s for s in reading.segments}


def comparison_line(reading: IndexReading) -> str | None:
    """Index v3's relative fragility ("LLM: more fragile than 92% of industries; applied
    AI 55%; market 30%") when the reading has it, then the LLM-vs-applied-AI gap."""
    relative = reading.context.get("relative") if reading.context else None
    lead = relative.get("text") if isinstance(relative, dict) else None
    gap = _gap_line(reading)
    if lead and gap:
        return f"{lead}. {gap}"
    return lead or gap


def v3_lines(reading: IndexReading) -> list[str]:
    """Plain lines of the v3 parts: each unit's probability with its base rate and
    interval, the market-wide base rate, the bubble evidence of the basket."""
    return context_v3_lines(reading.context or {})


def context_v3_lines(context: Mapping[str, Any]) -> list[str]:
    """`v3_lines` from a stored reading's context (the dashboard reads payloads)."""
    relative, evidence = context.get("relative"), context.get("bubble_evidence")
    lines = []
    if isinstance(relative, dict):
        basket = relative.get("basket")
        units = [*([basket] if isinstance(basket, dict) else []), *relative.get("units", [])]
        for u in units:
            lines.append(_unit_line(u))
        wide = relative.get("market_wide")
        if isinstance(wide, dict):
            lines.append(str(wide["text"]))
    if isinstance(evidence, dict):
        lines += evidence_lines(evidence)
    return lines


def unit_name(unit: str) -> str:
    return "the basket" if unit == "basket" else display_name(unit)


def analog_text(a: Mapping[str, Any]) -> str:
    """ "Toys, flagged 1966-04 at a 2-year run-up of +167%, peak 1966-04: crashed: ..."
    (the run-up is the flag month's, the month `followed` counts from)."""
    if not a.get("start"):  # a reading stored before the table recorded flag months
        return f"{a['industry']} (peak {a['peak']}, run-up {a['runup_2y']:+.0%}): {a['followed']}"
    return (
        f"{a['industry']}, flagged {a['start']} at a 2-year run-up of {a['runup_2y']:+.0%}, "
        f"peak {a['peak']}: {a['followed']}"
    )


def unit_names(evidence: Mapping[str, Any]) -> dict[str, str]:
    """Display names of the basket and of each segment of a `bubble_evidence` document."""
    return {u: unit_name(u) for u in ("basket", *(evidence.get("segments") or {}))}


def evidence_lines(evidence: Mapping[str, Any]) -> list[str]:
    """Which units carry the GSY flag, then the evidence and analogs of the basket and of
    each flagged segment (an unflagged segment's are in `report --json`)."""
    line = flag_line(evidence, unit_names(evidence))
    lines = [] if line is None else [line]
    segments = evidence.get("segments") or {}
    shown = [("basket", evidence), *((n, e) for n, e in segments.items() if e.get("flag"))]
    for name, e in shown:
        lines.append(f"{unit_name(name)}: {e.get('text')}")
        lines += [f"  analog: {analog_text(a)}" for a in e.get("analogs", [])]
    return lines


def _unit_line(u: dict[str, Any]) -> str:
    p = u["probability"]
    text = f"{unit_name(u['name'])}: crash probability {p:.0%}"
    if u.get("base_rate") is not None:
        low, high = u["base_rate_range"]
        text += (
            f"; units as volatile crashed {u['base_rate']:.0%} of the time (90% interval "
            f"{low:.0%}-{high:.0%})"
        )
    if u.get("interval") is not None:
        # The realised rate of the probability's decile in the fitted history, which can
        # lie either side of the probability itself: say what it is, not "interval".
        low, high = u["interval"]
        text += f"; units given about {p:.0%} crashed {low:.0%}-{high:.0%} (fitted history)"
    return text


def _gap_line(reading: IndexReading) -> str | None:
    """ "LLM 72/100 (frothy) vs applied AI 41/100 (warming): gap +31 points"; a segment
    without a value says why and what to run; None when either segment is not configured."""
    segments = _by_name(reading)
    a, b = (segments.get(name) for name in SPREAD_PAIR)
    if a is None or b is None:
        return None
    # The gap of the numbers shown (19% vs 14%: +5), not of the unrounded ones (+4).
    if a.probability is not None and b.probability is not None:
        gap = round(a.probability * 100) - round(b.probability * 100)
        return (
            f"LLM crash probability {a.probability:.0%} vs applied AI {b.probability:.0%}: "
            f"gap {gap:+d} points"
        )
    if a.index is None or b.index is None:
        # No gap to give: say which segment has no reading, why, and what to run.
        said = [f"{unit_name(s.name)} {_short(s)}" for s in (a, b) if s.index is not None]
        missing = "; ".join(no_reading_text(s) for s in (a, b) if s.index is None)
        return "; ".join([*said, missing])
    # One fitted, one not: compare what both have, the 0-100 index.
    return (
        f"LLM {a.index:.0f}/100 ({a.regime}) vs applied AI {b.index:.0f}/100 ({b.regime}): "
        f"gap {round(a.index) - round(b.index):+d} points"
    )


def no_reading_text(s: SegmentReading) -> str:
    """Why a segment has no reading, and what to run: "applied AI has no prices: none of
    its 9 tickers (RXRX, SDGR, ABSI and 6 more) has stored closes; ..." (a segment without
    a value has no prices of its tickers and no news component with a value)."""
    return f"{unit_name(s.name)} has {missing_reason(s.tickers, s.stale)}"


def missing_reason(tickers: Sequence[str], stale: Sequence[str]) -> str:
    """The reason `no_reading_text` gives, from a segment's tickers and stale inputs."""
    if not tickers or not set(tickers) <= set(stale):
        return "no reading yet: none of its inputs has a value"
    shown = ", ".join(tickers[:SHOWN_TICKERS])
    more = f" and {len(tickers) - SHOWN_TICKERS} more" if len(tickers) > SHOWN_TICKERS else ""
    which = (
        f"its ticker {shown} has no"
        if len(tickers) == 1
        else f"none of its {len(tickers)} tickers ({shown}{more}) has"
    )
    them = "it" if len(tickers) == 1 else "them"
    return (
        f"no prices: {which} stored closes; `bubble-monitor collect prices` fetches "
        f"{them}, or `bubble-monitor import-prices FILE` adds {them} from a CSV"
    )


def _short(s: SegmentReading) -> str:
    if s.probability is not None:
        return f"crash probability {s.probability:.0%}"
    return "no data yet" if s.index is None else f"{s.index:.0f}/100 ({s.regime})"


def component_json(c: Component, *, v2: bool = False) -> dict[str, Any]:
    """A component as report --json shows it (unrounded: JSON is for machines); a v2
    reading's components also say whether the fitted model uses them."""
    return {
        "name": c.name,
        "value": c.value,
        "weight": c.weight,
        "contribution": c.contribution,
        "detail": c.detail,
        **({"unfitted": c.unfitted} if v2 else {}),
    }


def segments_json(reading: IndexReading) -> list[dict[str, Any]]:
    """The `segments` list of report --json (DESIGN.md keys first, then context)."""
    return [
        {
            "name": s.name,
            "probability": s.probability,
            "base_rate": s.base_rate,
            "index": s.index,
            "regime": s.regime,
            "froth": s.froth,
            "stress": s.stress,
            "components": [component_json(c, v2=s.probability is not None) for c in s.components],
            "change": s.change,
            "tickers": list(s.tickers),
            "benchmark": s.benchmark,
            "runup": s.runup,
            "runup_net": s.runup_net,
            "headlines": s.headlines,
            "stale": list(s.stale),
        }
        for s in reading.segments
    ]


def spread_json(reading: IndexReading) -> dict[str, Any] | None:
    spread = reading.spread
    if spread is None:
        return None
    return {
        "a": spread.a,
        "b": spread.b,
        "day": spread.day.isoformat(),
        "horizon_days": spread.horizon,
        "runup_a": spread.runup_a,
        "runup_b": spread.runup_b,
        "net": spread.net,
        "percentile": spread.percentile,
    }


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value:+.0%}"


def segment_line(s: SegmentReading) -> str:
    """One line per segment, for plain text and Slack."""
    if s.index is None and s.probability is None:
        return no_reading_text(s)
    value = "no data" if s.index is None else f"{s.index:.0f}/100 {s.regime}"
    if s.probability is not None and s.froth is not None and s.stress is not None:
        value = (
            f"crash probability {s.probability:.0%}, {value}, froth {s.froth:.0f}, "
            f"stress {s.stress:.0f}"
        )
    change = "" if s.change is None else f" ({s.change:+.1f})"
    # Contributions in index points, largest either way (as `report --full` lists them):
    # a fitted feature's value is in its own unit (a run-up of 0.73), no 0-100 score.
    top = sorted(
        (c for c in s.components if c.value is not None), key=lambda c: -abs(c.contribution)
    )
    drivers = ", ".join(f"{c.name} {c.contribution:+.1f}" for c in top[:3])
    net = "" if s.runup_net is None else f", net of benchmark {_percent(s.runup_net)}"
    return (
        f"{unit_name(s.name)}: {value}{change}; 2-year run-up {_percent(s.runup)}{net}; "
        f"{s.headlines} headlines; largest contributions: {drivers or 'none'}"
    )


def segment_lines(reading: IndexReading) -> list[str]:
    """The per-segment lines and the spread line (empty without segments)."""
    lines = [segment_line(s) for s in reading.segments]
    if reading.spread is not None:
        lines.append(f"spread: {describe_spread(reading.spread)}")
    return lines
