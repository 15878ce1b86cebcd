"""The LLM vs applied-AI gap is the gap of the numbers shown: the demo said "19% vs 14%:
gap +4 points" (18.6% - 14.4% unrounded), which reads as an arithmetic slip."""

from __future__ import annotations

from dataclasses import replace

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
