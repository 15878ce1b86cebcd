"""`classify --explain`: the nearest training headlines and the words that pushed a label.

The headlines searched are the ones the head was trained on
(monitor.research.realnews.trained_on); their vectors come through the classifier's
embedder, so the cache behind it (the store with --db, else the data directory's file)
spares the ~4,200 real-news titles a second embedding.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from monitor.cli.common import console, err_console, open_store
from monitor.errors import InputError

if TYPE_CHECKING:
    from signals.classifier import HeadlineClassifier
    from signals.classifier.dataset import LabelledText
    from signals.classifier.explain import Explanation


def check_explain_options(explain: bool, train_data: Path | None, corpus: Path | None) -> None:
    given = "--train-data" if train_data is not None else "--real-news" if corpus else None
    if given and not explain:
        raise InputError(f"{given} is used only with --explain")
    if train_data is not None and corpus is not None:
        raise InputError("give --train-data or --real-news, not both: they are two training sets")
    if corpus is not None and not corpus.is_file():
        raise InputError(f"--real-news {corpus}: headline corpus not found (the shared JSONL)")


def explain_all(
    classifier: HeadlineClassifier,
    texts: list[str],
    head: Path | None,
    db: str | None,
    train_data: Path | None,
    corpus: Path | None,
) -> list[Explanation]:
    """Explanations against the set the head was trained on (its vectors cached)."""
    from monitor.reading.classifier_files import DEFAULT_HEAD_PATH
    from monitor.research.realnews.trained_on import trained_on

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
    return _explain_with(classifier, texts, found.examples)


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
