"""Labelled headlines: reading the shipped JSONL/CSV files and hashing a training set.

The hash identifies the data a head was trained on: it is stored in head.json, so that
`evaluate` and `doctor` can tell whether the shipped head matches the shipped data.
Errors are ValueError naming the file and line; the CLI turns them into InputError.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from signals.labels import LABELS


@dataclass(frozen=True, slots=True)
class LabelledText:
    text: str
    label: str


def parse_examples(raw: str, path: Path) -> list[LabelledText]:
    """The examples of a JSONL (`{"text", "label"}` per line; `title` accepted for text) or
    CSV (by `path`'s suffix) text; ValueError naming `path` and the line when one is bad."""
    if path.suffix.lower() == ".csv":
        return _parse_csv(raw, path)
    return _parse_jsonl(raw, path)


def _parse_jsonl(raw: str, path: Path) -> list[LabelledText]:
    examples = []
    for number, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            raise ValueError(f"{path}:{number}: not valid JSON ({e.msg})") from e
        if not isinstance(obj, dict):
            raise ValueError(f"{path}:{number}: expected an object with text and label")
        examples.append(_example(obj.get("text", obj.get("title")), obj.get("label"), path, number))
    return examples


def _parse_csv(raw: str, path: Path) -> list[LabelledText]:
    reader = csv.DictReader(raw.splitlines())
    fields = {f.strip().lower() for f in reader.fieldnames or ()}
    if "label" not in fields or not fields & {"text", "title"}:
        raise ValueError(f"{path}:1: CSV header needs a 'text' (or 'title') and a 'label' column")
    examples = []
    for row in reader:
        clean = {k.strip().lower(): v for k, v in row.items() if k is not None}
        if not any((v or "").strip() for v in clean.values()):
            continue
        text = clean.get("text") or clean.get("title")
        examples.append(_example(text, clean.get("label"), path, reader.line_num))
    return examples


def _example(text: object, label: object, path: Path, line: int) -> LabelledText:
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"{path}:{line}: missing or empty 'text'")
    if not isinstance(label, str) or label.strip() not in LABELS:
        raise ValueError(f"{path}:{line}: label {label!r} is not one of {', '.join(LABELS)}")
    return LabelledText(text=text.strip(), label=label.strip())


def data_hash(examples: Iterable[LabelledText]) -> str:
    """sha256 of the (label, text) pairs, order-independent: same data, same hash."""
    lines = sorted(f"{e.label}\t{e.text}" for e in examples)
    digest = hashlib.sha256()
    for line in lines:
        digest.update(line.encode("utf-8"))
        digest.update(b"\n")
    return digest.hexdigest()


def label_counts(examples: Sequence[LabelledText]) -> dict[str, int]:
    counts = dict.fromkeys(LABELS, 0)
    for e in examples:
        counts[e.label] += 1
    return counts
