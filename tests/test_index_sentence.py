"""The index line beside the crash probability says why the two differ: "Crash probability
13%" above "Index 15.7/100" read as a contradiction until the unfitted news share was named."""

from __future__ import annotations

from signals.wording import index_sentence


def test_the_unfitted_news_share_is_named() -> None:
    line = index_sentence(15.6955, 1.616, "2026-10-29", probability=0.12557)
    assert line == "Index 15.7/100 (unfitted news +3.1), +1.6 points since 2026-10-29"
    below = index_sentence(10.0, None, None, probability=0.12)
    assert below == "Index 10.0/100 (unfitted news -2.0), first reading"


def test_no_share_when_the_index_is_the_probability_or_has_none() -> None:
    assert index_sentence(12.6, 0.5, None, probability=0.126) == (
        "Index 12.6/100, +0.5 points since the last reading"
    )
    assert index_sentence(48.0, None, "2026-01-02") == (
        "Index 48.0/100, no comparable reading since 2026-01-02"
    )
