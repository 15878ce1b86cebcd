"""The LLM vs applied-AI gap is the gap of the numbers shown: the demo said "19% vs 14%:
gap +4 points" (18.6% - 14.4% unrounded), which reads as an arithmetic slip."""

from __future__ import annotations

import io
from dataclasses import replace

from rich.console import Console

from monitor.present.console_tables import print_full
from monitor.present.segments import comparison_line
from tests.test_segments_render import reading, segment


def test_the_gap_adds_up_with_the_shown_probabilities() -> None:
    llm = replace(segment("llm", 20.0, "calm"), probability=0.186)
    applied = replace(segment("applied_ai", 14.4, "calm"), probability=0.144)
    assert comparison_line(reading(llm, applied)) == (
        "LLM crash probability 19% vs applied AI 14%: gap +5 points"
    )


def test_the_index_gap_adds_up_with_the_shown_indexes() -> None:
    both = reading(segment("llm", 72.6, "bubble"), segment("applied_ai", 41.4, "warming"))
    assert comparison_line(both) == (
        "LLM 73/100 (bubble) vs applied AI 41/100 (warming): gap +32 points"
    )


def test_report_full_names_segments_as_the_report_does() -> None:
    """`report --full`'s Segments listed "llm: regime calm" under a header line saying
    "LLM: more fragile than 76% of industries"."""
    out = io.StringIO()
    doc = {
        "components": [],
        "segments": [
            {"name": "llm", "regime": "calm", "probability": 0.19, "headlines": 3},
            {"name": "applied_ai", "regime": "calm", "probability": 0.14},
        ],
    }
    print_full(Console(file=out, width=100), doc)
    lines = out.getvalue().splitlines()
    assert "  LLM: regime calm; crash probability 19%; 3 headlines" in lines
    assert "  applied AI: regime calm; crash probability 14%; 0 headlines" in lines


def test_report_full_gives_a_v1_component_its_kind() -> None:
    """A v1 reading's document has no `kind`: the --full table's kind column was empty."""
    out = io.StringIO()
    doc = {
        "components": [
            {"name": "explosiveness", "value": 0.0, "weight": 1.0, "contribution": 0.0},
            {"name": "layoffs", "value": None, "weight": 0.0, "contribution": 0.0},
        ]
    }
    print_full(Console(file=out, width=60), doc)  # stacked blocks below 100 columns
    text = out.getvalue()
    assert "explosiveness (market)" in text and "layoffs (news)" in text
