"""`deals list` in a terminal: whoever reviews extracted deals reads who pays whom first.

From 140 columns a table whose short columns keep their width and whose title is cut with an
ellipsis to the room left (about 50 characters); below that (a nine-column table left
"Micro…" and "2023-…" in 80 columns) each deal is two lines: id, date, payer -> payee,
amount, kind and status, then the title indented under it, cut to the width, under a
legend line naming those fields.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from rich.console import Console
from rich.table import Table
from rich.text import Text

from monitor.reading.circular_json import usd
from signals.deals.models import Deal

TABLE_WIDTH: Final[int] = 140
INDENT: Final[str] = "      "
SHORT: Final[tuple[str, ...]] = ("id", "date", "from", "to", "amount", "kind", "status", "sources")


def print_deals(console: Console, deals: Sequence[Deal]) -> None:
    if console.width >= TABLE_WIDTH:
        console.print(deals_table(deals, console.width))
        return
    for line in deal_lines(deals, console.width):
        console.print(line, markup=False, highlight=False, soft_wrap=True)


def deals_table(deals: Sequence[Deal], width: int) -> Table:
    """The short columns at the width of their longest cell; the title cut to what is left
    (rich would otherwise squeeze the short columns to nothing for a long title)."""
    rows = [
        (str(d.id), d.day.isoformat(), d.payer, d.payee, amount(d.amount_usd), d.kind,
         d.status, str(d.sources))
        for d in deals
    ]  # fmt: skip
    widths = [max([len(name), *(len(r[i]) for r in rows)]) for i, name in enumerate(SHORT)]
    # Each column takes its cell plus a space either side and one rule; one more rule ends it.
    room = max(width - sum(widths) - 3 * (len(SHORT) + 1) - 1, len("title"))
    table = Table()
    for name, widest in zip(SHORT, widths, strict=True):
        table.add_column(name, no_wrap=True, min_width=widest)
    table.add_column("title", no_wrap=True, width=room)
    for row, d in zip(rows, deals, strict=True):
        # Text cells: a title or name with square brackets is not rich markup.
        table.add_row(*(Text(cell) for cell in row), Text(_cut(d.title, room)))
    return table


#: The two-line form's header: its fields have no heading otherwise ("-" read as nothing).
LEGEND: Final[str] = "  id  date  payer → payee  amount (- none stated)  kind  status; title below"


def deal_lines(deals: Sequence[Deal], width: int) -> list[str]:
    lines = [_cut(LEGEND, width)] if deals else []
    for d in deals:
        sources = f", {d.sources} sources" if d.sources > 1 else ""
        head = (
            f"{d.id:>4}  {d.day.isoformat()}  {d.payer} → {d.payee}  {amount(d.amount_usd)}  "
            f"{d.kind}  {d.status}{sources}"
        )
        lines += [_cut(head, width), _cut(INDENT + d.title, width)]
    return lines


def amount(value: float | None) -> str:
    return "-" if value is None else usd(value)


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"
