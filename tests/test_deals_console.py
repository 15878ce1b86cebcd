"""`deals list` in a terminal (monitor.present.deals_console): every short field whole at
any width, the title cut with an ellipsis, no line wider than the terminal."""

from __future__ import annotations

import io
from datetime import date

from rich.console import Console

from monitor.present.deals_console import TABLE_WIDTH, deal_lines, print_deals
from signals.deals.models import Deal

LONG = "Microsoft inks deal for A.I. computing power with Nvidia-backed CoreWeave " * 3
DEALS = [
    Deal(1, date(2023, 1, 24), "Microsoft", "OpenAI", 1e10, "equity",
         "Microsoft invests $10 billion in ChatGPT maker OpenAI", "https://a.example/1",
         "confirmed", 1.0),
    Deal(2, date(2023, 6, 1), "Microsoft", "CoreWeave", None, "compute", LONG,
         "https://a.example/2", "extracted", 0.7, sources=3),
]  # fmt: skip


def _printed(width: int) -> list[str]:
    console = Console(width=width, file=io.StringIO(), record=True, color_system=None)
    print_deals(console, DEALS)
    return console.export_text().rstrip("\n").split("\n")


def test_a_narrow_terminal_gets_two_lines_a_deal_with_every_field_whole() -> None:
    printed = _printed(80)
    assert max(len(line) for line in printed) <= 80
    legend, *lines = printed  # the legend names the fields of the rows below
    assert legend.split()[:4] == ["id", "date", "payer", "→"] and len(lines) == 4
    assert lines[0].split() == ["1", "2023-01-24", "Microsoft", "→", "OpenAI", "$10B", "equity",
                                "confirmed"]  # fmt: skip
    assert "Microsoft → CoreWeave  -  compute  extracted, 3 sources" in lines[2]
    assert lines[1].strip() == DEALS[0].title
    assert lines[3].startswith("      Microsoft inks") and lines[3].endswith("…")


def test_a_wide_terminal_gets_a_table_with_short_columns_whole() -> None:
    lines = _printed(TABLE_WIDTH)
    assert max(len(line) for line in lines) <= TABLE_WIDTH
    body = "\n".join(lines)
    for cell in ("2023-01-24", "Microsoft", "CoreWeave", "$10B", "compute", "extracted"):
        assert cell in body
    assert "…" in body and "ChatGPT maker OpenAI" in body


def test_lines_are_cut_to_any_width() -> None:
    for width in (20, 40, 99):
        assert all(len(line) <= width for line in deal_lines(DEALS, width))
