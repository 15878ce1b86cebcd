"""The labelled headlines a head was trained on, for `classify --explain` to search.

An explanation's "nearest training headlines" are evidence only if they are what the head
learnt from. The head records the sha256 of its training set (`data_hash`), so the set is
rebuilt from the sources a head can have been trained on: a given file (`--train-data`),
the real-news set (the labelled corpus titles of the train/tune period plus the team's
lines, joined to the corpus file), or the team's lines alone; each with and without the
user's stored corrections. The first whose hash is the head's is the set. When none is
(the corpus was not given, or the head was trained on other files), the caller gets the
nearest set with a note saying what it is not.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from monitor.reading.classifier_files import TRAIN_FILE, load_examples
from monitor.research.realnews.corrections import apply_corrections
from signals.classifier.dataset import LabelledText, data_hash
from signals.classifier.head import Head


@dataclass(frozen=True)
class SearchSet:
    """The examples to search, whether they are exactly the head's training set, and,
    when not, a note for the user."""

    examples: list[LabelledText]
    exact: bool
    note: str = ""


def trained_on(
    head: Head,
    head_path: Path,
    *,
    data: Path | None = None,
    corpus: Path | None = None,
    corrections: Sequence[LabelledText] = (),
) -> SearchSet:
    """The training set of `head` (see the module docstring); ValueError or InputError
    naming the file when a source cannot be read."""
    candidates = _candidates(data, corpus, corrections)
    for examples in candidates:
        if data_hash(examples) == head.data_hash:
            return SearchSet(examples, True)
    searched = candidates[0]
    if data is None and corpus is None and head.thresholds_by_kind:
        note = (
            f"classifier head {head_path} is a real-news model ({head.n_train} training "
            f"texts); the nearest examples come from the team's {len(searched)} lines "
            "only: give --real-news CORPUS (the ai_news_headlines JSONL it was trained "
            "with) to search the real titles it learnt from too"
        )
    else:
        source = str(data or corpus or TRAIN_FILE)
        note = (
            f"the {len(searched)} examples searched ({source}) are not the set classifier "
            f"head {head_path} was trained on (data sha256 {head.data_hash[:12]}..., "
            f"{head.n_train} texts): the nearest examples may be ones it never learnt"
        )
    return SearchSet(searched, False, note)


def _candidates(
    data: Path | None, corpus: Path | None, corrections: Sequence[LabelledText]
) -> list[list[LabelledText]]:
    """Each possible training set, without the corrections first."""
    if corpus is not None:
        from monitor.research.realnews.pipeline import training_set

        sets = [training_set(corpus)[1]]
        if corrections:
            sets.append(training_set(corpus, corrections)[1])
        return sets
    base = load_examples(data or TRAIN_FILE)
    if not corrections:
        return [base]
    return [base, apply_corrections([], base, corrections)[1]]
