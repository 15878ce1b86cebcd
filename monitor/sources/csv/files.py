"""Reading a user's CSV file with one translation of every way it can fail to open."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO, TypeVar

from monitor.errors import InputError

if TYPE_CHECKING:
    import pandas as pd

T = TypeVar("T")


def parse_csv_file(path: Path, parse: Callable[[TextIO], T]) -> T:
    """Open `path` as UTF-8 text (a BOM allowed) and run `parse` on it; a missing,
    unreadable or undecodable file becomes an InputError naming the file."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            return parse(handle)
    except FileNotFoundError as e:
        raise InputError(f"{path}: file not found") from e
    except UnicodeDecodeError as e:
        raise InputError(f"{path}: not UTF-8 text ({e.reason} at byte {e.start})") from e
    except csv.Error as e:
        raise InputError(f"{path}: not a readable CSV: {e}") from e
    except OSError as e:
        raise InputError(f"{path}: cannot read: {e}") from e


def write_daily_csv(frame: pd.DataFrame, path: Path, *, float_format: str = "%.2f") -> None:
    """One row per day (a `date` column as YYYY-MM-DD, empty cells for missing values);
    a failure to write becomes an InputError naming the file."""
    import pandas as pd

    out = frame.copy()
    out.index = pd.DatetimeIndex(out.index).strftime("%Y-%m-%d")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        out.to_csv(path, float_format=float_format, na_rep="", index_label="date")
    except OSError as e:
        raise InputError(f"{path}: cannot write: {e}") from e
