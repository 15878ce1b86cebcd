"""The user's label corrections in `train`: read from the store when asked for, merged
into the training examples, and a note when stored ones go unused."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from monitor.cli.common import err_console, open_store

if TYPE_CHECKING:  # imported where used: `bubble-monitor --help` loads no numpy
    from signals.classifier.dataset import LabelledText


def corrections_to_learn(with_corrections: bool, db: str | None) -> list[LabelledText]:
    """The stored corrections when asked for (a note when there are none); without
    --with-corrections, none, with a note when the store holds some that will be ignored."""
    if with_corrections:
        corrections = stored_corrections(db)
        if not corrections:
            err_console.print("note: no stored corrections; training on the other data only")
        return corrections
    from monitor.cli.real_traffic import correction_keys

    unused = len(correction_keys(db))
    if unused:
        err_console.print(
            f"note: {unused} correction(s) stored by `label` are not learnt; add "
            "--with-corrections to train on them",
            highlight=False,
        )
    return []


def stored_corrections(db: str | Path | None) -> list[LabelledText]:
    from monitor.store.corrections import list_corrections
    from signals.classifier.dataset import LabelledText

    # Reading only: a mistyped --db is named, not created empty and read as "no corrections".
    with open_store(db, create=False) as store:
        return [LabelledText(c.text, c.label) for c in list_corrections(store)]


def with_corrected(
    examples: list[LabelledText], corrections: list[LabelledText]
) -> list[LabelledText]:
    """The examples with each corrected headline's label replaced, new ones appended."""
    from monitor.store.corrections import correction_key

    corrected = {correction_key(c.text) for c in corrections}
    kept = [e for e in examples if correction_key(e.text) not in corrected]
    return kept + corrections
