"""Index v3's parts of a live reading, added to `reading.context` (so report --json,
history, /api/reading, Slack and the dashboard all carry them): `relative` (each segment's
probability against the others and the industry panel, with its base rate and interval)
and `bubble_evidence` (the GSY flag, the crash share of past run-ups like it with a Wilson
interval, three named analogs) for the headline basket and each segment.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from monitor.errors import ModelError
from signals.crash.evidence import bubble_evidence
from signals.crash.model import CrashModel
from signals.crash.relative import Unit, relative_doc
from signals.models import Component, IndexReading, SegmentReading

EPISODES = Path(__file__).resolve().parents[2] / "signals" / "crash" / "episodes_ff49.json"


@lru_cache(maxsize=2)
def episode_table(path: Path = EPISODES) -> tuple[dict[str, Any], ...]:
    """The century episode table (monitor.research.episode_table), read once."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        return tuple(doc["episodes"])
    except (OSError, ValueError, KeyError) as e:
        raise ModelError(f"{path}: cannot read the episode table: {e}") from e


def _value(components: tuple[Component, ...], name: str) -> float | None:
    for c in components:
        if c.name == name and c.value is not None and not math.isnan(c.value):
            return float(c.value)
    return None


def _simple(log_value: float | None) -> float | None:
    return None if log_value is None else math.expm1(log_value)


def v3_context(
    reading: IndexReading, segments: Sequence[SegmentReading], model: CrashModel
) -> dict[str, Any]:
    """{"relative", "bubble_evidence"} of the basket's reading with a probability and of
    its `segments`; {} without one."""
    if reading.probability is None:
        return {}
    table = episode_table()
    basket = Unit("basket", reading.probability, _value(reading.components, "volatility"))
    units = [
        Unit(s.name, s.probability, _value(s.components, "volatility"))
        for s in segments
        if s.probability is not None
    ] or [basket]
    target = reading.target or ""
    evidence = bubble_evidence(
        _simple(_value(reading.components, "runup_2y")),
        _simple(_value(reading.components, "runup_2y_net")),
        table,
    )
    # A segment that holds its own benchmark (the market: SPY, RSP) has no net run-up
    # (signals.segments): against itself it is 0, so it is never a GSY candidate.
    evidence["segments"] = {
        s.name: bubble_evidence(
            s.runup, s.runup_net if s.runup_net is not None or s.runup is None else 0.0, table
        )
        for s in segments
        if s.probability is not None
    }
    return {
        "relative": relative_doc(units, model.reference, target=target, basket=basket),
        "bubble_evidence": evidence,
    }
