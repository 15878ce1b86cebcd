"""The payload codec of a stored reading: IndexReading <-> plain JSON types, every field kept.

A stored reading loads back equal to the one saved (the report rounds; the store does not):
the headline references, components, v2 fields, segment readings and the spread.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from monitor.store.stamps import parse_stamp, stamp
from signals.models import (
    Component,
    HeadlineRef,
    IndexReading,
    SegmentReading,
    SpreadReading,
)


def ref_to_dict(ref: HeadlineRef) -> dict[str, Any]:
    return {
        "title": ref.title,
        "url": ref.url,
        "source": ref.source,
        "label": ref.label,
        "confidence": ref.confidence,
        "published": None if ref.published is None else stamp(ref.published),
        "sources": ref.sources,
    }


def ref_from_dict(data: dict[str, Any]) -> HeadlineRef:
    return HeadlineRef(
        title=data["title"],
        url=data["url"],
        source=data["source"],
        label=data["label"],
        confidence=float(data["confidence"]),
        published=parse_stamp(data.get("published")),
        sources=int(data.get("sources", 1)),
    )


def reading_to_payload(reading: IndexReading) -> dict[str, Any]:
    """The reading as plain JSON types, every field kept (the stored payload)."""
    return {
        "as_of": stamp(reading.as_of),
        "index": reading.index,
        "regime": reading.regime,
        "change": reading.change,
        "components": [component_to_dict(c) for c in reading.components],
        "top_headlines": [ref_to_dict(r) for r in reading.top_headlines],
        "stale": list(reading.stale),
        "notes": list(reading.notes),
        **v2_fields(reading),
        "context": dict(reading.context),
        "segments": [segment_to_dict(s) for s in reading.segments],
        "spread": None if reading.spread is None else spread_to_dict(reading.spread),
    }


def v2_fields(reading: IndexReading) -> dict[str, Any]:
    """The index v2 keys (None / empty on a v1 reading)."""
    return {
        "probability": reading.probability,
        "base_rate": reading.base_rate,
        "froth": reading.froth,
        "stress": reading.stress,
        "drivers": list(reading.drivers),
        "target": reading.target,
        "validated": reading.validated,
        "caution": reading.caution,
    }


def component_to_dict(c: Component) -> dict[str, Any]:
    return {
        "name": c.name,
        "kind": c.kind,
        "value": c.value,
        "weight": c.weight,
        "contribution": c.contribution,
        "detail": c.detail,
        "coverage": c.coverage,
        "unfitted": c.unfitted,
    }


def component_from_dict(c: dict[str, Any]) -> Component:
    return Component(
        name=c["name"],
        kind=c["kind"],
        value=optional_float(c["value"]),
        weight=float(c["weight"]),
        contribution=float(c["contribution"]),
        detail=c["detail"],
        coverage=float(c.get("coverage", 1.0)),
        unfitted=bool(c.get("unfitted", False)),
    )


def reading_from_payload(data: dict[str, Any]) -> IndexReading:
    as_of = parse_stamp(data["as_of"])
    assert as_of is not None
    return IndexReading(
        as_of=as_of,
        index=float(data["index"]),
        regime=data["regime"],
        change=None if data.get("change") is None else float(data["change"]),
        components=tuple(component_from_dict(c) for c in data["components"]),
        top_headlines=tuple(ref_from_dict(r) for r in data.get("top_headlines", [])),
        stale=tuple(data.get("stale", [])),
        notes=tuple(data.get("notes", [])),
        probability=optional_float(data.get("probability")),
        base_rate=optional_float(data.get("base_rate")),
        froth=optional_float(data.get("froth")),
        stress=optional_float(data.get("stress")),
        drivers=tuple(data.get("drivers", [])),
        target=data.get("target"),
        # Readings stored before the live model was chosen by its hold-out have neither.
        validated=data.get("validated"),
        caution=data.get("caution"),
        context=dict(data.get("context") or {}),
        # Readings stored before segments existed have neither key.
        segments=tuple(segment_from_dict(s) for s in data.get("segments") or []),
        spread=None if data.get("spread") is None else spread_from_dict(data["spread"]),
    )


def segment_to_dict(s: SegmentReading) -> dict[str, Any]:
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
