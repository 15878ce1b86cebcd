"""Reading the shared headline corpus and joining it to the real-news labels."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Final

from monitor.errors import InputError
from monitor.reading.classifier_files import DATA_DIR
from signals.classifier.realnews.labels import LabelRow, join_titles, parse_labels
from signals.classifier.realnews.sample import title_key

CORPUS_NAME: Final[str] = "ai_news_headlines_2022_2026.jsonl"
LABELS_FILE: Final[Path] = DATA_DIR / "real_news_labels.csv"


#: The last corpus read, under its path, size and modification time: a rebuild read the
#: 66,693-row file three times (2.5-5 s of a warm `train --real-news`), evaluate twice.
_LAST_READ: dict[tuple[str, int, int], list[dict[str, str]]] = {}


def read_corpus(path: Path) -> list[dict[str, str]]:
    """Every row of the JSONL corpus (do not modify them: the last file read is kept for
    the next call); a broken line (not UTF-8, not JSON, no string `title`) raises
    InputError naming file:line."""
    try:
        stat = path.stat()
    except OSError as e:
        raise InputError(f"cannot read the headline corpus {path}: {e}") from e
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    if key not in _LAST_READ:
        rows = _read(path)
        _LAST_READ.clear()
        _LAST_READ[key] = rows
    return list(_LAST_READ[key])


def _read(path: Path) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    try:
        with path.open("rb") as handle:
            for line, raw in enumerate(handle, start=1):
                rows.append(_row(raw, path, line))
    except OSError as e:
        raise InputError(f"cannot read the headline corpus {path}: {e}") from e
    return rows


def _row(raw: bytes, path: Path, line: int) -> dict[str, str]:
    try:
        row = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as e:
        raise InputError(f"{path}:{line}: not UTF-8 text ({e.reason})") from e
    except json.JSONDecodeError as e:
        raise InputError(f"{path}:{line}: malformed JSON ({e.msg})") from e
    if not isinstance(row, dict) or not isinstance(row.get("title"), str):
        raise InputError(f"{path}:{line}: expected an object with a string 'title' field")
    return row


def labelled_rows(corpus: Path, labels: Path = LABELS_FILE) -> list[LabelRow]:
    """The labelled set with titles, joined by key to the corpus at `corpus`."""
    titles = {title_key(r["title"]): r["title"] for r in read_corpus(corpus)}
    rows = parse_labels(labels.read_text(encoding="utf-8"), str(labels))
    try:
        return join_titles(rows, titles)
    except KeyError as e:
        raise InputError(f"{labels} does not match the corpus {corpus}: {e.args[0]}") from e
