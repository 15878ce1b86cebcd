"""The market's CAPE series from a CSV the user supplies (`fundamentals.cape_csv`).

The monitor ships no CAPE data and fetches none: Robert Shiller publishes the series
(ie_data.xls, sheet `Data`); saved as CSV with a `date` column (YYYY-MM, or Shiller's
decimal 1871.01 style) and a `cape` column (`CAPE` also accepted), the path in
feeds.yaml makes the market segment's CAPE line. Blank CAPE cells (the first ten years,
months without earnings yet) are skipped; anything else unreadable (a file not in UTF-8, a
date or a CAPE that is not one, a CAPE that is not a finite positive ratio) names its line,
counted as the file counts them (a quoted cell may hold a line break).
"""

from __future__ import annotations

import csv
import math
from datetime import date
from pathlib import Path

from monitor.errors import ConfigError


def load_cape_csv(path: Path) -> list[tuple[date, float]]:
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            # The line each row ends on, as an editor counts (DictReader's own line_num).
            rows = [(reader.line_num, row) for row in reader]
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        raise ConfigError(f"fundamentals.cape_csv {path}: cannot read: {e}") from e
    if not rows:
        raise ConfigError(f"fundamentals.cape_csv {path}: no rows")
    columns = {c.strip().lower(): c for c in rows[0][1] if c}
    if "date" not in columns or "cape" not in columns:
        raise ConfigError(f"fundamentals.cape_csv {path}: needs 'date' and 'cape' columns")
    out = []
    for line, row in rows:
        cell = (row.get(columns["cape"]) or "").strip()
        if not cell:
            continue
        try:
            out.append((_month(row[columns["date"]] or ""), _ratio(cell)))
        except (TypeError, ValueError) as e:
            raise ConfigError(f"fundamentals.cape_csv {path}:{line}: {e}") from e
    return out


def _ratio(cell: str) -> float:
    value = float(cell)
    # A price over ten years of earnings: a finite positive number (Shiller's is 4.8-44).
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"cape {cell!r} is not a positive ratio")
    return value


def _month(text: str) -> date:
    text = text.strip()
    if "-" in text:
        year, month = text.split("-")[:2]
        return date(int(year), int(month), 1)
    year, _, fraction = text.partition(".")  # Shiller's 1871.01 = January, 1871.1 = October
    return date(int(year), int((fraction + "0")[:2] or "1"), 1)
