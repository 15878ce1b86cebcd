"""Segment readings and the spread inside a stored reading's JSON payload.

Plain JSON types, every field kept, so that a stored reading loads back equal to the one
saved (the report rounds; the store does not).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from signals.models import SegmentReading, SpreadReading


def segment_to_dict(s: SegmentReading) -> dict[str, Any]:
    from monitor.store.readings import component_to_dict, ref_to_dict

    return {
        "name": s.name,
        "index": s.index,
        "regime": s.regime,
        "change": s.change,
        "components": [component_to_dict(c) for c in s.components],
        "tickers": list(s.tickers),
        "benchmark": s.benchmark,
        "probability": s.probability,
        "base_rate": s.base_rate,
        "froth": s.froth,
        "stress": s.stress,
        "runup": s.runup,
        "runup_net": s.runup_net,
        "headlines": s.headlines,
        "top_headlines": [ref_to_dict(r) for r in s.top_headlines],
        "stale": list(s.stale),
        "notes": list(s.notes),
    }


def segment_from_dict(d: dict[str, Any]) -> SegmentReading:
    from monitor.store.readings import component_from_dict, ref_from_dict

    return SegmentReading(
        name=str(d["name"]),
        index=optional_float(d.get("index")),
        regime=str(d["regime"]),
        change=optional_float(d.get("change")),
        components=tuple(component_from_dict(c) for c in d.get("components", [])),
        tickers=tuple(d.get("tickers", [])),
        benchmark=d.get("benchmark"),
        probability=optional_float(d.get("probability")),
        base_rate=optional_float(d.get("base_rate")),
        froth=optional_float(d.get("froth")),
        stress=optional_float(d.get("stress")),
        runup=optional_float(d.get("runup")),
        runup_net=optional_float(d.get("runup_net")),
        headlines=int(d.get("headlines", 0)),
        top_headlines=tuple(ref_from_dict(r) for r in d.get("top_headlines", [])),
        stale=tuple(d.get("stale", [])),
        notes=tuple(d.get("notes", [])),
    )


def spread_to_dict(s: SpreadReading) -> dict[str, Any]:
    return {
        "a": s.a,
        "b": s.b,
        "day": s.day.isoformat(),
        "horizon": s.horizon,
        "runup_a": s.runup_a,
        "runup_b": s.runup_b,
        "net": s.net,
        "percentile": s.percentile,
    }


def spread_from_dict(d: dict[str, Any]) -> SpreadReading:
    return SpreadReading(
        a=str(d["a"]),
        b=str(d["b"]),
        day=date.fromisoformat(d["day"]),
        horizon=int(d["horizon"]),
        runup_a=optional_float(d.get("runup_a")),
        runup_b=optional_float(d.get("runup_b")),
        net=optional_float(d.get("net")),
        percentile=optional_float(d.get("percentile")),
    )


def optional_float(value: Any) -> float | None:
    """A payload number that may be null."""
    return None if value is None else float(value)
