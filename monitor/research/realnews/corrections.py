"""The user's label corrections in the real-news model: training data, never test data.

A correction (`bubble-monitor label`, table label_corrections) is the user's label for one
headline wording (monitor.store.corrections.correction_key). `train --real-news
--with-corrections` folds them in the way plain `train --with-corrections` does:

- a labelled train/tune corpus title with a correction keeps its place (it still stands for
  its sampling stratum in the out-of-fold calibration and the prevalences) under the
  corrected label;
- a team line with a correction is replaced by it;
- every other correction is trained on as an extra line (like the team's lines: trained on,
  never scored out of fold), including a correction of a test-period title, which the
  untouched test then leaves out (`drop_corrected`): a correction never scores the model
  it trained.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import replace

from monitor.store.corrections import correction_key
from signals.classifier.dataset import LabelledText
from signals.classifier.realnews.labels import LabelRow


def apply_corrections(
    train_rows: Sequence[LabelRow],
    team: Sequence[LabelledText],
    corrections: Sequence[LabelledText],
) -> tuple[list[LabelRow], list[LabelledText]]:
    """(train/tune rows under their corrected labels, the team's lines with corrected ones
    replaced and the remaining corrections appended). A later correction of the same
    wording wins, as in the store."""
    by_key = {correction_key(c.text): c for c in corrections}
    used: set[str] = set()
    rows: list[LabelRow] = []
    for row in train_rows:
        key = correction_key(row.text)
        fixed = by_key.get(key)
        if fixed is not None:
            used.add(key)
        rows.append(row if fixed is None else replace(row, label=fixed.label))
    kept = [e for e in team if correction_key(e.text) not in by_key]
    extra = [c for key, c in by_key.items() if key not in used]
    return rows, kept + extra


def drop_corrected(
    rows: Sequence[LabelRow], corrected: Collection[str]
) -> tuple[list[LabelRow], int]:
    """The rows whose title has no correction (keys of `corrected`), and how many were
    dropped."""
    kept = [r for r in rows if correction_key(r.text) not in corrected]
    return kept, len(rows) - len(kept)
