"""Reading a user's CSV file with one translation of every way it can fail to open."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path
from typing import TextIO, TypeVar

from monitor.errors import InputError

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
