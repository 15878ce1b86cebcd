"""The market's CAPE series from a CSV the user supplies (`fundamentals.cape_csv`).

The monitor ships no CAPE data and fetches none: Robert Shiller publishes the series
(ie_data.xls, sheet `Data`); saved as CSV with a `date` column (YYYY-MM, or Shiller's
decimal 1871.01 style) and a `cape` column (`CAPE` also accepted), the path in
feeds.yaml makes the market segment's CAPE line. Blank CAPE cells (the first ten years,
months without earnings yet) are skipped; anything else unreadable names its line.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from monitor.errors import ConfigError


def load_cape_csv(path: Path) -> list[tuple[date, float]]:
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
    except OSError as e:
        raise ConfigError(f"fundamentals.cape_csv {path}: cannot read: {e}") from e
    if not rows:
        raise ConfigError(f"fundamentals.cape_csv {path}: no rows")
    columns = {c.strip().lower(): c for c in rows[0] if c}
    if "date" not in columns or "cape" not in columns:
        raise ConfigError(f"fundamentals.cape_csv {path}: needs 'date' and 'cape' columns")
    out = []
    for line, row in enumerate(rows, start=2):
        cell = (row.get(columns["cape"]) or "").strip()
        if not cell:
            continue
        try:
            out.append((_month(row[columns["date"]]), float(cell)))
        except (TypeError, ValueError) as e:
            raise ConfigError(f"fundamentals.cape_csv {path}:{line}: {e}") from e
    return out


def _month(text: str) -> date:
    text = text.strip()
    if "-" in text:
        year, month = text.split("-")[:2]
        return date(int(year), int(month), 1)
    year, _, fraction = text.partition(".")  # Shiller's 1871.01 = January, 1871.1 = October
    return date(int(year), int((fraction + "0")[:2] or "1"), 1)
