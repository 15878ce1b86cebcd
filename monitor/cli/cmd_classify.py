"""`bubble-monitor classify [TEXT ...] [--input FILE|-] [--explain] [--json]`: label headlines.

Texts come from the arguments, then from the input file (or stdin with `-`), one per line:
plain text, or a JSON object with a `text` (or `title`) field. Empty lines are skipped and
counted on stderr, so JSON output has exactly one object per headline, in input order.
`--explain` adds the nearest training headlines and the words that pushed the label
(signals.classifier.explain); JSON objects then carry an `explain` field. The headlines
searched are the ones the head was trained on (monitor.research.realnews.trained_on): for
the shipped real-news head, the team's lines plus the corpus titles, which need
`--real-news CORPUS`; a note on stderr says when the set searched is not the head's.
"""

from __future__ import annotations

import json
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from monitor.cli.common import (
    DbOption,
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

    from monitor.store import Store
    from signals.classifier import HeadlineClassifier
    from signals.classifier.dataset import LabelledText
    from signals.classifier.explain import Explanation
    from signals.models import HeadlineScore


@dataclass(frozen=True)
class Inputs:
    texts: list[str]
    skipped: list[str]  # "where" of each empty line, e.g. "headlines.txt:3"


def register(app: typer.Typer) -> None:
    app.command("classify")(classify)


def classify(
    texts: list[str] | None = typer.Argument(None, help="Headlines to label.", show_default=False),
    input_file: str | None = typer.Option(
        None, "--input", "-i", help="File of headlines, one per line (text or JSON); - = stdin."
    ),
    as_json: JsonOption = False,
    db: DbOption = None,
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
) -> None:
    """Label headlines: layoffs, funding_round, circular_deal, capex_debt, bubble_warning,
    ai_demand or other, with a probability for each.

    With --db, embeddings are read from and saved to that store's cache.
    """
    _check_explain_options(explain, train_data, real_news)
    inputs = gather(texts or [], input_file)
    if inputs.skipped:
        where = ", ".join(inputs.skipped[:5]) + (" ..." if len(inputs.skipped) > 5 else "")
        err_console.print(f"skipped {len(inputs.skipped)} empty line(s): {where}", highlight=False)
    if not inputs.texts:
        if inputs.skipped:
            return
        if input_file is not None:
            name = "<stdin>" if input_file == "-" else input_file
            raise InputError(f"{name}: no headlines (the input is empty)")
        raise InputError("no headlines: give them as arguments or with --input FILE (- = stdin)")
    scores = _score(inputs.texts, head, db)
    explained = _explain(inputs.texts, head, db, train_data, real_news) if explain else []
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


def _score(texts: list[str], head: Path | None, db: str | None) -> list[HeadlineScore]:
    try:
        return _score_with(_load(head), texts, db)
    except OSError as e:  # the model folder is missing or unreadable
        raise ModelError(f"cannot load the embedding model: {e}") from e


def _score_with(
    classifier: HeadlineClassifier, texts: list[str], db: str | None
) -> list[HeadlineScore]:
    if db is None:
        return classifier.classify(texts)
    with open_store(db) as store:
        return _cached(classifier, store).classify(texts)


def _cached(classifier: HeadlineClassifier, store: Store) -> HeadlineClassifier:
    from monitor.reading.embedding_cache import CachedEmbedder

    cached = CachedEmbedder(
        classifier.embedder, store, normalise_text=classifier.head.params.normalise_text
    )
    return classifier.with_embedder(cached)


def _check_explain_options(explain: bool, train_data: Path | None, corpus: Path | None) -> None:
    given = "--train-data" if train_data is not None else "--real-news" if corpus else None
    if given and not explain:
        raise InputError(f"{given} is used only with --explain")
    if train_data is not None and corpus is not None:
        raise InputError("give --train-data or --real-news, not both: they are two training sets")
    if corpus is not None and not corpus.is_file():
        raise InputError(f"--real-news {corpus}: headline corpus not found (the shared JSONL)")


def _explain(
    texts: list[str],
    head: Path | None,
    db: str | None,
    train_data: Path | None,
    corpus: Path | None,
) -> list[Explanation]:
    """Explanations against the set the head was trained on (its vectors cached with --db)."""
    from monitor.reading.classifier_files import DEFAULT_HEAD_PATH
    from monitor.research.realnews.trained_on import trained_on

    classifier = _load(head)
    try:
        found = trained_on(
            classifier.head,
            head or DEFAULT_HEAD_PATH,
            data=train_data,
            corpus=corpus,
            corrections=_stored_corrections(db),
        )
    except ValueError as e:
        raise InputError(str(e)) from e
    if found.note:
        err_console.print(f"note: {found.note}", highlight=False, markup=False)
    training = found.examples
    if db is None:
        return _explain_with(classifier, texts, training)
    with open_store(db) as store:
        return _explain_with(_cached(classifier, store), texts, training)


def _explain_with(
    classifier: HeadlineClassifier, texts: list[str], training: list[LabelledText]
) -> list[Explanation]:
    from signals.classifier.explain import Explainer

    vectors = classifier.embed([e.text for e in training])
    explainer = Explainer(classifier, training, vectors)
    return [explainer.explain(text) for text in texts]


def _stored_corrections(db: str | None) -> list[LabelledText]:
    """The corrections in the store --db names (a head may have learnt them); none without
    --db, so that explaining never creates a database."""
    if db is None:
        return []
    from monitor.store.corrections import list_corrections
    from signals.classifier.dataset import LabelledText

    with open_store(db) as store:
        return [LabelledText(c.text, c.label) for c in list_corrections(store)]


def print_explanation(number: int, e: Explanation) -> None:
    verdict = f"{e.label}" if e.label == e.candidate else f"other (abstained from {e.candidate})"
    console.print(
        f"#{number} {verdict}: p({e.candidate}) = {e.probability:.2f}, threshold {e.threshold:.2f}",
        highlight=False,
    )
    words = ", ".join(f"{w} (+{d:.2f})" for w, d in e.words) or "none stands out"
    console.print(f"   words that pushed {e.candidate}: {words}", highlight=False, markup=False)
    for n in e.neighbours:
        console.print(
            f"   nearest [{n.label}] {n.similarity:.2f}: {n.text}", highlight=False, markup=False
        )


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
