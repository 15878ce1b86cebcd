"""The deals graph's amount labels, measured in Chromium: on a crowded graph (a hub paying
and paid by every other party, as OpenAI is on the real deals) no amount covers a party's
name or another amount, and amounts are drawn above the edges with a halo."""

from __future__ import annotations

from typing import Any

from monitor.present.deals_svg import graph_svg

PARTIES = ("OpenAI", "Amazon", "Oracle", "Nvidia", "Microsoft", "AMD")


def _crowded() -> dict[str, Any]:
    """OpenAI pays and is paid by each other party; every edge is on a loop."""
    edges = []
    for k, other in enumerate(PARTIES[1:]):
        for a, b in (("OpenAI", other), (other, "OpenAI")):
            edges.append({"from": a, "to": b, "amount_usd": (k + 1) * 37e9, "on_cycle": True})
    return {"nodes": list(PARTIES), "edges": edges}


BOXES = """() => Array.from(document.querySelectorAll('text')).map(t => {
  const b = t.getBBox();
  return {text: t.textContent, amount: t.classList.contains('amount'),
          x: b.x, y: b.y, w: b.width, h: b.height};
})"""


def _overlap(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return bool(
        a["x"] < b["x"] + b["w"]
        and b["x"] < a["x"] + a["w"]
        and a["y"] < b["y"] + b["h"]
        and b["y"] < a["y"] + a["h"]
    )


def test_amounts_cover_no_name_and_no_other_amount(chromium: Any) -> None:
    svg = graph_svg(_crowded())
    page = chromium.new_page(viewport={"width": 1080, "height": 800})
    try:
        page.set_content(svg)
        boxes = page.evaluate(BOXES)
    finally:
        page.close()
    amounts = [b for b in boxes if b["amount"]]
    assert len(amounts) >= 6  # most of the eight largest edges keep a label
    clashes = [
        (a["text"], b["text"])
        for i, a in enumerate(amounts)
        for b in boxes
        if b is not a and (not b["amount"] or boxes.index(b) > boxes.index(a)) and _overlap(a, b)
    ]
    assert clashes == []
    # Drawn after every edge, on a white plate: the old labels came right after their own
    # edge, so every later edge struck them through ("$1/48B").
    assert svg.rindex('<path class="edge') < svg.index('class="amount-plate"')
    assert svg.count('class="amount-plate"') == svg.count('class="amount"')
