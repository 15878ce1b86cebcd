"""Read the Kenneth R. French 49-industry CSV as published into a monthly `Panel`.

The file holds several sections, each a title line, a header line (`,Agric,Food ,...`) and
data rows keyed `YYYYMM` (monthly) or `YYYY` (annual). Three monthly sections are used:
value-weighted returns (percent), the number of firms and the average firm size ($M);
`-99.99` and `-999` mean "no firms yet". Market equity is firms x average size; the market
return is the cap-weighted mean of the industries with the previous month's equity as
weights (signals.crash.panel.cap_weighted_market).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import numpy as np
import pandas as pd

from monitor.errors import InputError
from signals.crash.panel import Panel, cap_weighted_market

RETURNS: Final[str] = "average value weighted returns -- monthly"
FIRMS: Final[str] = "number of firms in portfolios"
SIZE: Final[str] = "average firm size"
MISSING: Final[tuple[float, ...]] = (-99.99, -999.0)


@dataclass
class _Section:
    title: str
    line: int
    columns: list[str] = field(default_factory=list)
    rows: dict[str, list[float]] = field(default_factory=dict)


def read_french49(path: Path) -> Panel:
    """The monthly panel of a French industry file; InputError names the file and line."""
    try:
        text = path.read_text(encoding="utf-8-sig", errors="replace")
    except OSError as e:
        raise InputError(f"{path}: cannot read: {e.strerror or e}") from e
    sections = parse_sections(text.splitlines(), path)
    returns = _monthly(sections, RETURNS, path) / 100.0
    firms = _monthly(sections, FIRMS, path).reindex_like(returns)
    size = _monthly(sections, SIZE, path).reindex_like(returns)
    equity = firms * size
    return Panel(
        returns=returns,
        market=cap_weighted_market(returns, equity),
        frequency="monthly",
        equity=equity,
    )


def parse_sections(lines: Iterable[str], path: Path) -> dict[str, _Section]:
    """Every section by lower-case title; rows keyed by their date field as written."""
    sections: dict[str, _Section] = {}
    current: _Section | None = None
    for number, raw in enumerate(lines, start=1):
        cells = [c.strip() for c in raw.split(",")]
        if not any(cells):
            continue
        if cells[0].isdigit():
            if current is None or not current.columns:
                raise InputError(f"{path}:{number}: data row before any section header")
            current.rows[cells[0]] = _values(cells[1:], current, path, number)
        elif cells[0] == "" and current is not None and not current.columns:
            current.columns = cells[1:]
        elif len(cells) == 1 or cells[0]:
            current = _Section(title=raw.strip(), line=number)
            sections.setdefault(current.title.lower(), current)
    return sections


def _values(cells: list[str], section: _Section, path: Path, number: int) -> list[float]:
    if len(cells) != len(section.columns):
        raise InputError(
            f"{path}:{number}: {len(cells)} values but the header of "
            f"'{section.title}' (line {section.line}) names {len(section.columns)} industries"
        )
    out = []
    for name, cell in zip(section.columns, cells, strict=True):
        try:
            value = float(cell)
        except ValueError:
            raise InputError(f"{path}:{number}: industry {name}: not a number: {cell!r}") from None
        out.append(np.nan if any(abs(value - m) < 1e-9 for m in MISSING) else value)
    return out


def _monthly(sections: dict[str, _Section], title: str, path: Path) -> pd.DataFrame:
    section = sections.get(title)
    if section is None:
        raise InputError(f"{path}: no section '{title}' (is this the 49-industry CSV?)")
    monthly = {k: v for k, v in section.rows.items() if len(k) == 6}
    if not monthly:
        raise InputError(f"{path}:{section.line}: section '{section.title}' has no YYYYMM rows")
    try:
        index = pd.to_datetime(list(monthly), format="%Y%m") + pd.offsets.MonthEnd(0)
    except ValueError as e:
        raise InputError(f"{path}:{section.line}: '{section.title}': bad YYYYMM: {e}") from e
    frame = pd.DataFrame(list(monthly.values()), index=index, columns=section.columns)
    return frame.sort_index()
