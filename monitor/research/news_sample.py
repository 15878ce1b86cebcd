"""A stratified, deterministic subsample of a headline archive (JSONL), for checks that
must stay within minutes: scoring all of a 66,693-row corpus with MiniLM on a shared CPU
takes far longer.

The rule: rows are grouped into strata by (collection, year-month of `date`); within each
stratum, in file order, every `every`-th row is kept, starting with the first. Every
collection and month therefore keeps the same share (1/every, rounded up per stratum), so
rates against each component's own trailing baseline keep their shape. Lines that are not
JSON objects with a string date are kept too (the import names and rejects them).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path


def stratified_sample(source: Path, out: Path, *, every: int) -> int:
    """Write the sample of `source` to `out`; return the number of lines written."""
    if every < 1:
        raise ValueError(f"every must be at least 1, got {every}")
    seen: Counter[tuple[str, str]] = Counter()
    written = 0
    with source.open("rb") as src, out.open("wb") as dst:
        for raw in src:
            stratum = _stratum(raw)
            position = seen[stratum]
            seen[stratum] += 1
            if position % every == 0:
                dst.write(raw if raw.endswith(b"\n") else raw + b"\n")
                written += 1
    return written


def _stratum(raw: bytes) -> tuple[str, str]:
    try:
        record = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError):
        return ("", "")
    if not isinstance(record, dict):
        return ("", "")
    day = record.get("date")
    collection = record.get("collection")
    return (
        collection if isinstance(collection, str) else "",
        day[:7] if isinstance(day, str) else "",
    )
