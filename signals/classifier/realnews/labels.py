"""The real-news label file: parsed rows, joined titles and the split by date.

`signals/classifier/data/real_news_labels.csv` (read in monitor.research.realnews) keeps,
per labelled corpus title, its key (see `sample.title_key`), date, collection, the reason
it was sampled, the labelling batch and the label; no title text (the corpus in
../shared/data supplies it). Rows dated from TEST_START on are the untouched test period.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from signals.labels import LABELS

#: First day of the untouched test period (train and tune on the dates before it).
TEST_START: Final[str] = "2025-07-01"
COLUMNS: Final[tuple[str, ...]] = ("key", "date", "collection", "reason", "batch", "label")


@dataclass(frozen=True)
class LabelRow:
    """One labelled corpus title (text filled in once joined to the corpus)."""

    key: str
    date: str
    collection: str
    reason: str
    label: str
    text: str = ""

    @property
    def is_test(self) -> bool:
        return self.date >= TEST_START


def parse_labels(text: str, source: str = "real_news_labels.csv") -> list[LabelRow]:
    """Rows of the label CSV; a bad row raises ValueError naming `source` and the line."""
    reader = csv.DictReader(io.StringIO(text))
    if tuple(reader.fieldnames or ()) != COLUMNS:
        raise ValueError(f"{source}: header must be {','.join(COLUMNS)}")
    rows: list[LabelRow] = []
    for line, raw in enumerate(reader, start=2):
        if raw["label"] not in LABELS:
            raise ValueError(f"{source}:{line}: label {raw['label']!r} is not one of {LABELS}")
        if len(raw["key"]) != 64 or len(raw["date"]) != 10:
            raise ValueError(f"{source}:{line}: malformed key or date")
        rows.append(
            LabelRow(raw["key"], raw["date"], raw["collection"], raw["reason"], raw["label"])
        )
    return rows


def join_titles(rows: Iterable[LabelRow], titles: Mapping[str, str]) -> list[LabelRow]:
    """The rows with their titles from `titles` (key -> title); a missing key raises."""
    missing = [r.key for r in rows if r.key not in titles]
    if missing:
        raise KeyError(f"{len(missing)} labelled keys are not in the corpus, e.g. {missing[0]}")
    return [LabelRow(r.key, r.date, r.collection, r.reason, r.label, titles[r.key]) for r in rows]


def split(rows: Sequence[LabelRow]) -> tuple[list[LabelRow], list[LabelRow]]:
    """(train/tune rows before TEST_START, test rows from it on)."""
    return [r for r in rows if not r.is_test], [r for r in rows if r.is_test]
