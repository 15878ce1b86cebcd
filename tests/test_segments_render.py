"""The comparison line and segment rows in Slack, the console channel and report --json."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

from monitor.notify.console import render_text
from monitor.notify.slack_blocks import alert_blocks
from monitor.present.reading import reading_to_dict
from monitor.present.segments import comparison_line
from signals.models import Alert, Component, IndexReading, SegmentReading, SpreadReading
from tests.test_demo_report import SEGMENT_KEYS

NOW = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
COMP = Component("explosiveness", "market", 80.0, 1.0, 80.0, "8 of 19 explosive")


def segment(name: str, index: float | None, regime: str) -> SegmentReading:
    return SegmentReading(name, index, regime, 1.5, (COMP,), ("NVDA",), "SPY", runup=1.2)


def reading(*segments: SegmentReading) -> IndexReading:
    spread = SpreadReading("llm", "applied_ai", date(2026, 3, 2), 504, 1.2, 0.1, 1.1, 97.0)
    return IndexReading(NOW, 60.0, "frothy", None, (COMP,), segments=segments, spread=spread)


BOTH = reading(segment("llm", 72.4, "bubble"), segment("applied_ai", 41.2, "warming"))


def test_comparison_line_from_the_indexes() -> None:
    assert comparison_line(BOTH) == (
        "LLM 72/100 (bubble) vs applied AI 41/100 (warming): gap +31 points"
    )


def test_comparison_line_prefers_probabilities() -> None:
    llm = replace(segment("llm", 72.4, "bubble"), probability=0.34)
    applied = replace(segment("applied_ai", 41.2, "warming"), probability=0.12)
    assert comparison_line(reading(llm, applied)) == (
        "LLM crash probability 34% vs applied AI 12%: gap +22 points"
    )


def test_comparison_line_with_one_segment_without_data() -> None:
    llm = replace(segment("llm", 34.0, "bubble"), probability=0.34)
    half = reading(llm, segment("applied_ai", None, "no data"))
    assert comparison_line(half) == (
        "LLM crash probability 34%; applied AI has no reading yet: none of its inputs has a value"
    )


def test_no_comparison_without_both_segments() -> None:
    assert comparison_line(reading(segment("ai", 50.0, "frothy"))) is None
    half = reading(segment("llm", 57.0, "bursting"), segment("applied_ai", None, "no data"))
    assert comparison_line(half) == (
        "LLM 57/100 (bursting); applied AI has no reading yet: none of its inputs has a value"
    )


def test_slack_opens_with_the_comparison_and_lists_segments() -> None:
    alert = Alert("digest", "k", "Daily digest", "", reading=BOTH)
    blocks, fallback = alert_blocks(alert)
    assert blocks[0]["text"]["text"] == (
        "*LLM 72/100 (bubble) vs applied AI 41/100 (warming): gap +31 points*"
    )
    assert blocks[1]["type"] == "header"
    assert fallback.startswith("LLM 72/100 (bubble) vs applied AI 41/100")
    segment_block = next(
        b for b in blocks if b.get("text", {}).get("text", "").startswith("*Segments*")
    )
    text = segment_block["text"]["text"]
    assert "• LLM: 72/100 bubble (+1.5); 2-year run-up +120%" in text
    assert "• spread: LLM +120% vs applied AI +10% over 2 years: net +110 points, 97th" in text


def test_segment_line_leads_with_the_probability_when_fitted() -> None:
    from monitor.present.segments import segment_line

    fitted = replace(segment("llm", 39.3, "bursting"), probability=0.3676, froth=95.5, stress=90.5)
    line = segment_line(fitted)
    assert line.startswith(
        "LLM: crash probability 37%, 39/100 bursting, froth 96, stress 90 (+1.5); "
    )
    # Contributions in index points, largest either way, never a feature's raw value.
    top = sorted(fitted.components, key=lambda c: -abs(c.contribution))[:3]
    assert line.endswith(
        "largest contributions: " + ", ".join(f"{c.name} {c.contribution:+.1f}" for c in top)
    )


def test_console_alert_opens_with_the_comparison() -> None:
    text = render_text(Alert("digest", "k", "Daily digest", "", reading=BOTH))
    lines = text.splitlines()
    assert lines[1] == "LLM 72/100 (bubble) vs applied AI 41/100 (warming): gap +31 points"
    assert "Segments:" in lines


def test_report_json_segments_shape() -> None:
    payload = reading_to_dict(BOTH)
    assert payload["comparison"].startswith("LLM 72/100")
    first = payload["segments"][0]
    assert set(first) >= SEGMENT_KEYS
    assert first["probability"] is None and first["index"] == 72.4
    assert first["components"][0] == {
        "name": "explosiveness",
        "value": 80.0,
        "weight": 1.0,
        "contribution": 80.0,
        "detail": "8 of 19 explosive",
    }
    assert payload["spread"]["net"] == 1.1 and payload["spread"]["horizon_days"] == 504
