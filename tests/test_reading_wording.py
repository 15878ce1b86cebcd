"""Sentences of a reading that said something misleading: the index beside the crash
probability ("Crash probability 13%" above "Index 15.7/100" read as a contradiction until
the unfitted news share was named), and the stale layoff-events note."""

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


def test_stale_layoff_events_say_what_to_import() -> None:
    """It said "re-import to use it": re-importing the same export changes nothing."""
    import numpy as np

    from signals.news_events import _event_note
    from signals.news_scale import NewsParams

    day = 86400.0
    note = _event_note(0.0, True, 100 * day, np.zeros(1), np.zeros(1), NewsParams())
    assert note.startswith("; layoff events: stale, the newest layoffs.fyi event is 1970-01-01")
    assert note.endswith(
        "not used; import a newer layoffs.fyi export (`bubble-monitor import-layoffs FILE`) "
        "to use it"
    )
