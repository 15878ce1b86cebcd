"""A reading as the CLI gives it to machines: the JSON shape of DESIGN.md (the terminal
report is monitor.present.console_compact and console_tables, built from this document).

`reading_to_dict` is the one JSON form of a reading for users: `report --json` prints it
and `history --json` prints a list of it, so both have exactly the same keys. Values are
not rounded (JSON is for machines; the tables round).
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

from monitor.present.segments import (
    comparison_line,
    component_json,
    segments_json,
    spread_json,
)
from signals.models import IndexReading

DEMO_BANNER = "SIMULATED DEMO: prices and headlines are a bundled scenario, not market data"


def reading_to_dict(reading: IndexReading) -> dict[str, Any]:
    """The `report --json` document (and a `history --json` element): DESIGN.md's keys."""
    return {
        "as_of": reading.as_of.astimezone(UTC).isoformat(),
        "index": reading.index,
        "regime": reading.regime,
        "change": reading.change,
        "comparison": comparison_line(reading),
        "components": [
            component_json(c, v2=reading.probability is not None) for c in reading.components
        ],
        "top_headlines": [
            {
                "title": h.title,
                "url": h.url,
                "source": h.source,
                "label": h.label,
                "confidence": h.confidence,
            }
            for h in reading.top_headlines
        ],
        "stale": list(reading.stale),
        "segments": segments_json(reading),
        "spread": spread_json(reading),
        **_v2(reading),
        # Smart money and model mix as of the reading (null for readings stored before
        # they existed); see docs/smart-money.md.
        "smart_money": reading.context.get("smart_money"),
        "model_mix": reading.context.get("model_mix"),
        # Index v3 (docs/index-v3.md); null on readings stored before v3.
        "relative": reading.context.get("relative"),
        "bubble_evidence": reading.context.get("bubble_evidence"),
        # A reading of the bundled demo scenario, not of market data (monitor/ops).
        "simulated": bool(reading.context.get("simulated", False)),
        # Circular deals as of the reading (null before any deal was stored, and on
        # readings stored before deals existed); docs/circular-deals.md.
        "circular": reading.context.get("circular"),
        # Capex, revenue and debt from SEC filings (docs/fundamentals.md); null before it.
        "fundamentals": reading.context.get("fundamentals"),
    }


def _v2(reading: IndexReading) -> dict[str, Any]:
    """The index v2 keys, on a reading that has a fitted probability (DESIGN.md's)."""
    if reading.probability is None:
        return {}
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
