"""`bubble-monitor classify [TEXT ...] [--input FILE|-] [--explain] [--json]`: label headlines.

Texts come from the arguments, then from the input file (or stdin with `-`), one per line:
plain text, or a JSON object with a `text` (or `title`) field. Empty lines are skipped and
counted on stderr, so JSON output has exactly one object per headline, in input order.
`--explain` adds the nearest training headlines and the words that pushed the label
(monitor.cli.classify_explain); JSON objects then carry an `explain` field. The headlines
searched are the ones the head was trained on (monitor.research.realnews.trained_on): for
the shipped real-news head, the team's lines plus the corpus titles, which need
`--real-news CORPUS`; a note on stderr says when the set searched is not the head's.
Embeddings are cached (the store with --db, else the data directory's file,
monitor.reading.embedding_file), so explaining against the corpus again is fast.
"""

from __future__ import annotations

import json
import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from monitor.cli.classify_explain import check_explain_options, explain_all, print_explanation
from monitor.cli.common import (
    JsonOption,
    console,
    err_console,
    new_table,
    open_store,
    plain,
    print_json_line,
)
from monitor.errors import InputError, ModelError, not_utf8

if TYPE_CHECKING:
    from rich.table import Table

    from signals.classifier import HeadlineClassifier
    from signals.models import HeadlineScore


@dataclass(frozen=True)
class Inputs:
    texts: list[str]
    skipped: list[str]  # "where" of each empty line, e.g. "headlines.txt:3"


#: classify's --db: only an embedding cache (the shared DbOption's help speaks of a store).
CacheDbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Use this store's embedding cache (SQLite file or postgresql:// URL); "
        "without it: the data dir's embedding-cache.sqlite, never a store.",
    ),
]


def register(app: typer.Typer) -> None:
    app.command("classify")(classify)


def classify(
    texts: list[str] | None = typer.Argument(None, help="Headlines to label.", show_default=False),
    input_file: str | None = typer.Option(
        None, "--input", "-i", help="File of headlines, one per line (text or JSON); - = stdin."
    ),
    as_json: JsonOption = False,
    db: CacheDbOption = None,
    head: Path | None = typer.Option(
        None, "--head", help="Classifier head JSON (default: the one shipped in the package)."
    ),
    explain: bool = typer.Option(
        False, "--explain", help="Show the nearest training headlines and the deciding words."
    ),
    train_data: Path | None = typer.Option(
        None, "--train-data", help="With --explain: training set to search (default: shipped)."
    ),
    real_news: Path | None = typer.Option(
        None,
        "--real-news",
        help="With --explain: the headline corpus (ai_news_headlines JSONL) the real-news "
        "head was trained with, to search its real titles too.",
    ),
    no_cache: bool = typer.Option(
        False, "--no-cache", help="Without --db: embed every text anew (no embedding-cache file)."
    ),
) -> None:
    """Label headlines: layoffs, funding_round, circular_deal, capex_debt, bubble_warning,
    ai_demand or other, with a probability for each.

    Embeddings are read from and saved to a cache: with --db that store's, else the
    data directory's embedding-cache.sqlite (BUBBLE_MONITOR_DATA_DIR moves it).
    """
    check_explain_options(explain, train_data, real_news)
    inputs = _gather_reported(texts or [], input_file)
    if not inputs.texts:
        return
    with _classifier(head, db, cache=not no_cache) as classifier:
        try:  # the model loads on the first text that is not in the cache
            scores = classifier.classify(inputs.texts)
            explained = (
                explain_all(classifier, inputs.texts, head, db, train_data, real_news)
                if explain
                else []
            )
        except OSError as e:  # the model folder is missing or unreadable
            raise ModelError(f"cannot load the embedding model: {e}") from e
    if as_json:
        for number, (text, score) in enumerate(zip(inputs.texts, scores, strict=True)):
            line = score_json(text, score)
            if explained:
                line["explain"] = explained[number].to_dict()
            print_json_line(line)
    else:
        console.print(_table(inputs.texts, scores))
        for number, explanation in enumerate(explained, start=1):
            print_explanation(number, explanation)


def _gather_reported(texts: list[str], input_file: str | None) -> Inputs:
    """The headlines, with the empty lines skipped said on stderr; InputError when there
    is nothing at all (only empty lines is not an error)."""
    inputs = gather(texts, input_file)
    if inputs.skipped:
        where = ", ".join(inputs.skipped[:5]) + (" ..." if len(inputs.skipped) > 5 else "")
        err_console.print(f"skipped {len(inputs.skipped)} empty line(s): {where}", highlight=False)
    if not inputs.texts and not inputs.skipped:
        if input_file is not None:
            name = "<stdin>" if input_file == "-" else input_file
            raise InputError(f"{name}: no headlines (the input is empty)")
        raise InputError("no headlines: give them as arguments or with --input FILE (- = stdin)")
    return inputs


def gather(texts: list[str], input_file: str | None) -> Inputs:
    """Arguments first, then the lines of the input; empty ones are set aside with their place."""
    kept: list[str] = []
    skipped: list[str] = []
    for number, text in enumerate(texts, start=1):
        (kept if text.strip() else skipped).append(text if text.strip() else f"argument {number}")
    if input_file is not None:
        name = "<stdin>" if input_file == "-" else input_file
        for number, line in enumerate(_read_lines(input_file), start=1):
            text = parse_line(line, name, number)
            (kept if text.strip() else skipped).append(text if text.strip() else f"{name}:{number}")
    return Inputs(kept, skipped)


def parse_line(line: str, name: str, number: int) -> str:
    """The headline on one input line: the line itself, or the text/title of a JSON object."""
    stripped = line.strip()
    if not stripped.startswith("{"):
        return stripped
    try:
        obj = json.loads(stripped)
    except json.JSONDecodeError as e:
        raise InputError(f"{name}:{number}: malformed JSON ({e.msg} at column {e.colno})") from e
    value = obj.get("text", obj.get("title")) if isinstance(obj, dict) else None
    if value is None:
        raise InputError(f"{name}:{number}: JSON object has no 'text' or 'title' field")
    if not isinstance(value, str):
        raise InputError(f"{name}:{number}: 'text' must be a string, got {type(value).__name__}")
    return value.strip()


def _read_lines(input_file: str) -> list[str]:
    if input_file == "-":
        data, name = sys.stdin.buffer.read(), "<stdin>"
    else:
        try:
            data, name = Path(input_file).read_bytes(), input_file
        except OSError as e:
            raise InputError(f"cannot read input file {input_file}: {e.strerror or e}") from e
    try:
        return data.decode("utf-8-sig").splitlines()
    except UnicodeDecodeError as e:
        raise InputError(not_utf8(data, e, name)) from e


@contextmanager
def _classifier(head: Path | None, db: str | None, *, cache: bool) -> Iterator[HeadlineClassifier]:
    """The classifier with its embeddings cached in the store --db names, else (unless
    `cache` is off) in the data directory's file (monitor.reading.embedding_file)."""
    from monitor.reading.embedding_cache import CachedEmbedder

    classifier = _load(head)
    normalise_text = classifier.head.params.normalise_text
    if db is not None:
        with open_store(db) as store:
            yield classifier.with_embedder(
                CachedEmbedder(classifier.embedder, store, normalise_text=normalise_text)
            )
        return
    if not cache:
        yield classifier
        return
    from monitor.config.paths import data_dir
    from monitor.reading.embedding_file import FILE_NAME, file_cached

    path = data_dir() / FILE_NAME
    with file_cached(
        classifier.embedder, path, normalise_text=normalise_text, warn=_note
    ) as embedder:
        yield classifier.with_embedder(embedder)


def _note(message: str) -> None:
    err_console.print(f"note: {message}", highlight=False, markup=False)


def _load(head: Path | None) -> HeadlineClassifier:
    from monitor.reading.classifier_files import load_classifier
    from signals.classifier.classifier import ModelMismatchWarning

    # The mismatch warning is for the user: one line on stderr, not Python's warning
    # format with a source line of this file.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ModelMismatchWarning)
        try:
            classifier = load_classifier(head)
        except (OSError, ValueError) as e:
            raise ModelError(f"cannot load the classifier: {e}") from e
    for warning in caught:
        err_console.print(f"warning: {warning.message}", highlight=False, markup=False)
    return classifier


def score_json(text: str, score: HeadlineScore) -> dict[str, object]:
    return {
        "text": text,
        "label": score.label,
        "confidence": round(score.confidence, 4),
        "scores": {label: round(p, 4) for label, p in score.scores.items()},
    }


def _table(texts: list[str], scores: list[HeadlineScore]) -> Table:
    table = new_table(title="headline labels")
    table.add_column("#", justify="right")
    table.add_column("label")
    table.add_column("confidence", justify="right")
    table.add_column("headline", overflow="fold")
    for number, (text, score) in enumerate(zip(texts, scores, strict=True), start=1):
        shown = text if len(text) <= 160 else text[:157] + "..."
        table.add_row(str(number), score.label, f"{score.confidence:.2f}", plain(shown))
    return table
