"""The dashboard's hyperscaler capex block, without a browser: present only with a
fundamentals member, one bar per quarter, text escaped, and a note when history is short."""

from __future__ import annotations

from typing import Any

from monitor.web.blocks_fundamentals import capex_chart


def payload(history: list[dict[str, Any]], *, nested: bool = False) -> dict[str, Any]:
    doc = {"line": "capex <b>", "simulated": False, "hyperscalers": {"history": history}}
    return {"context": {"fundamentals": doc}} if nested else {"fundamentals": doc}


def point(quarter: str, capex: float, ratio: float | None) -> dict[str, Any]:
    return {"quarter": quarter, "capex": capex, "revenue": 1e12, "capex_to_revenue": ratio}


def test_no_fundamentals_no_block() -> None:
    assert capex_chart({}) is None and capex_chart({"fundamentals": None}) is None


def test_one_bar_per_quarter_from_a_stored_payload() -> None:
    history = [point(f"2025Q{q}", q * 1e11, 0.1 * q) for q in range(1, 5)]
    chart = capex_chart(payload(history, nested=True))
    assert chart is not None and chart.svg is not None and chart.quarters == 4
    svg = str(chart.svg)
    assert svg.count('<rect class="capex-bar"') == 4 and 'data-capex="400.000"' in svg
    # The card's words: "$400.0B", "40% of revenue"; the axis tops at the largest bar.
    assert "2025Q4: capex $400.0B, 40% of revenue" in svg
    assert 'text-anchor="end">$400.0B</text>' in svg
    assert chart.line == "capex <b>"  # the template escapes it


def test_a_quarter_without_a_ratio_still_has_its_bar_and_short_history_has_no_chart() -> None:
    history = [point("2025Q3", 1e11, None), point("2025Q4", 2e11, 0.2)]
    chart = capex_chart(payload(history))
    assert chart is not None and chart.svg is not None
    assert str(chart.svg).count('<rect class="capex-bar"') == 2
    short = capex_chart(payload(history[:1]))
    assert short is not None and short.svg is None and short.quarters == 1
