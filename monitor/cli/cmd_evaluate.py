"""`bubble-monitor evaluate [--background FILE] [--json] [--compare]`: how well it labels.

Prints stratified 5-fold cross-validated precision, recall and F1 per label on the shipped
training data (with the head's hyper-parameters and abstention thresholds), macro-F1, the
confusion matrix, and the scores of the shipped head on the held-out set that training
never sees. `--background FILE` adds a labelled background set and the scores at the
default feed mix's prevalence (monitor.cli.real_traffic). Titles with a stored correction
(`bubble-monitor label`, in --db) are left out of every set. `--compare` adds the table of
candidate configurations recorded in docs/classifier-real-traffic.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from monitor.cli.common import (
    DbOption,
    JsonOption,
    console,
    err_console,
    new_table,
    print_json,
)
from monitor.errors import InputError, ModelError

if TYPE_CHECKING:
    from rich.table import Table

    from monitor.cli.real_traffic import Background
    from signals.classifier.dataset import LabelledText
    from signals.classifier.encoder import Embedder
    from signals.classifier.evaluate import Comparison, Embedded, Report
    from signals.classifier.head import Head


#: Column headers that fit an 80-column terminal.
_SHORT = {"funding_round": "funding", "circular_deal": "circular", "capex_debt": "capex",
          "bubble_warning": "bubble", "ai_demand": "demand"}  # fmt: skip


def register(app: typer.Typer) -> None:
    app.command("evaluate")(evaluate)


def evaluate(
    as_json: JsonOption = False,
    head_path: Path | None = typer.Option(None, "--head", help="Head JSON to evaluate."),
    compare: bool = typer.Option(False, "--compare", help="Also compare candidate configs."),
    errors: bool = typer.Option(False, "--errors", help="List the held-out mistakes."),
    data: Path | None = typer.Option(None, "--data", help="Training set (default: shipped)."),
    heldout_path: Path | None = typer.Option(
        None, "--heldout", help="Held-out set (default: shipped)."
    ),
    background: list[Path] | None = typer.Option(
        None, "--background", help="Labelled background set (JSONL/CSV, mostly other); repeatable."
    ),
    db: DbOption = None,
) -> None:
    """Cross-validated and held-out precision, recall and F1 of the headline classifier."""
    from monitor.cli.real_traffic import real_traffic
    from monitor.reading.classifier_files import DEFAULT_HEAD_PATH, encoder_for, model_mismatch
    from signals.classifier.evaluate import compare as run_compare
    from signals.classifier.evaluate import misclassified

    path = head_path or DEFAULT_HEAD_PATH
    head = _head(path)
    train, heldout, backgrounds, dropped = _datasets(data, heldout_path, background, db)
    try:
        encoder = encoder_for(head, path)
    except ValueError as e:
        raise ModelError(str(e)) from e
    mismatch = model_mismatch(head, encoder, path)
    if mismatch:
        err_console.print(f"warning: {mismatch}", highlight=False, markup=False)
    try:  # the model loads on the first embedding
        payload, cv, held, held_set = _scores(
            head, path, train, heldout, encoder, dropped, data or _train_file()
        )
    except OSError as e:
        raise ModelError(f"cannot load the embedding model: {e}") from e
    if errors and held_set is not None:
        payload["heldout_errors"] = [
            {"text": t, "label": y, "predicted": p, "confidence": round(c, 3)}
            for t, y, p, c in misclassified(head, held_set)
        ]
    if backgrounds:
        payload["real_traffic"] = real_traffic(head, encoder, held_set, backgrounds)
    comparison = run_compare(train, heldout, encoder) if compare else []
    if comparison:
        payload["comparison"] = [_comparison_row(c) for c in comparison]
    if as_json:
        print_json(payload)
    else:
        _print(payload, cv, held, comparison)


def _head(path: Path) -> Head:
    from monitor.reading.classifier_files import load_head

    try:
        return load_head(path)
    except ValueError as e:
        raise ModelError(str(e)) from e


def _datasets(
    data: Path | None, heldout_path: Path | None, background: list[Path] | None, db: str | None
) -> tuple[list[LabelledText], list[LabelledText], list[Background], int]:
    """Training, held-out and background sets without the user's corrected headlines, and
    how many were dropped for that."""
    from monitor.cli.real_traffic import correction_keys, load_backgrounds, without_corrected
    from monitor.reading.classifier_files import HELDOUT_FILE, TRAIN_FILE

    excluded = correction_keys(db)
    train, dropped = without_corrected(_load(data or TRAIN_FILE), excluded)
    _check_cross_validable(train, data or TRAIN_FILE)
    held_file = heldout_path or HELDOUT_FILE
    heldout = _load(held_file) if heldout_path is not None or held_file.exists() else []
    heldout, dropped_held = without_corrected(heldout, excluded)
    backgrounds = load_backgrounds(background or [], excluded)
    return train, heldout, backgrounds, dropped + dropped_held


def _scores(
    head: Head,
    path: Path,
    train: list[LabelledText],
    heldout: list[LabelledText],
    encoder: Embedder,
    dropped: int,
    source: Path,
) -> tuple[dict[str, Any], Report, Report | None, Embedded | None]:
    """The payload's scores: cross-validated on `train`, and on `heldout` when given."""
    from signals.classifier.dataset import data_hash
    from signals.classifier.evaluate import cross_validate, embed_examples, evaluate_head

    train_set = embed_examples(train, encoder, head.params)
    try:
        cv = cross_validate(train_set, head.params, thresholds=head.thresholds)
    except ValueError as e:  # scikit-learn: a fold too small to split or to fit
        raise InputError(f"{source}: cannot cross-validate on it: {e}") from e
    held_set = embed_examples(heldout, encoder, head.params) if heldout else None
    held = evaluate_head(head, held_set) if held_set is not None else None
    payload: dict[str, Any] = {
        "head": str(path),
        "model_id": head.model_id,
        "params": head.params.to_dict(),
        "head_matches_data": head.data_hash == data_hash(train),
        "thresholds": head.thresholds,
        "dropped_corrected": dropped,
        "cv": cv.to_dict(),
        "heldout": held.to_dict() if held is not None else None,
    }
    return payload, cv, held, held_set


def _train_file() -> Path:
    from monitor.reading.classifier_files import TRAIN_FILE

    return TRAIN_FILE


def _load(path: Path) -> list[LabelledText]:
    from monitor.cli.train_checks import NO_EXAMPLES
    from monitor.reading.classifier_files import load_examples

    try:
        examples = load_examples(path)
    except ValueError as e:
        raise InputError(str(e)) from e
    if not examples:
        raise InputError(f"{path}: {NO_EXAMPLES}")
    return examples


def _check_cross_validable(train: list[LabelledText], path: Path) -> None:
    """InputError naming the training file when it cannot train a head at all (checked
    before the model loads; a set that trains but not on every fold is named by _scores)."""
    from signals.classifier.training import untrainable

    problem = untrainable([e.label for e in train])
    if problem:
        raise InputError(f"{path}: {problem}")


def _comparison_row(c: Comparison) -> dict[str, Any]:
    return {
        "config": c.name,
        "cv_macro_f1": round(c.cv.macro_f1, 4),
        "cv_log_loss": round(c.cv.log_loss or 0.0, 4),
        "heldout_macro_f1": None if c.heldout is None else round(c.heldout.macro_f1, 4),
        "heldout_accuracy": None if c.heldout is None else round(c.heldout.accuracy, 4),
    }


def _print(
    payload: dict[str, Any], cv: Report, held: Report | None, comparison: list[Comparison]
) -> None:
    if not payload["head_matches_data"]:
        err_console.print("note: the head was trained on other data than the shipped set")
    title = f"per label: 5-fold CV (n={cv.n}) and held-out (n={held.n if held else 0})"
    table = new_table(title=title)
    for column in ("label", "cv P", "cv R", "cv F1", "held-out P", "held-out R", "held-out F1"):
        table.add_column(column, justify="left" if column == "label" else "right")
    for label, s in cv.per_class.items():
        h = held.per_class[label] if held else None
        row = [f"{s.precision:.2f}", f"{s.recall:.2f}", f"{s.f1:.2f}"]
        row += [f"{h.precision:.2f}", f"{h.recall:.2f}", f"{h.f1:.2f}"] if h else ["-"] * 3
        table.add_row(label, *row)
    held_f1 = f"{held.macro_f1:.3f}" if held else "-"
    table.add_row("macro", "", "", f"{cv.macro_f1:.3f}", "", "", held_f1)
    console.print(table)
    console.print(_confusion(cv, "CV confusion (rows = true, columns = predicted)"))
    if held is not None:
        console.print(_confusion(held, "held-out confusion"))
    for e in payload.get("heldout_errors", []):
        console.print(f"{e['label']} -> {e['predicted']} ({e['confidence']:.2f}): {e['text']}")
    if "real_traffic" in payload:
        console.print(_real_traffic_table(payload["real_traffic"]))
    if comparison:
        console.print(_comparison_table(comparison))


def _confusion(report: Report, title: str) -> Table:
    table = new_table(title=title)
    table.add_column("true \\ pred.")
    for name in (_SHORT.get(label, label) for label in report.labels):
        table.add_column(name, justify="right")
    # Rows use the columns' short names: the full ones cut to `funding_ro…` at 80 columns.
    for label, row in zip(report.labels, report.confusion, strict=True):
        table.add_row(_SHORT.get(label, label), *(str(n) for n in row))
    return table


def _comparison_table(comparison: list[Comparison]) -> Table:
    table = new_table(title="candidate configurations")
    for column in ("config", "CV macro-F1", "CV log-loss", "held-out macro-F1"):
        table.add_column(column, justify="left" if column == "config" else "right")
    for c in comparison:
        row = _comparison_row(c)
        held = "-" if row["heldout_macro_f1"] is None else f"{row['heldout_macro_f1']:.3f}"
        table.add_row(c.name, f"{row['cv_macro_f1']:.3f}", f"{row['cv_log_loss']:.3f}", held)
    return table


def _real_traffic_table(section: dict[str, Any]) -> Table:
    files = ", ".join(f"{f['path']} FP {f['fp_rate_on_other']:.3f}" for f in section["files"])
    table = new_table(
        title=f"at feed-mix prevalence ({section['titles_per_day']:.1f} titles/day; {files})"
    )
    for column in ("label", "prev.", "P", "R", "FP on other", "false/day"):
        table.add_column(column, justify="left" if column == "label" else "right")
    for label, s in section["per_label"].items():
        table.add_row(
            label,
            f"{s['prevalence']:.3f}",
            f"{s['precision']:.2f}",
            f"{s['recall']:.2f}",
            f"{s['fp_rate_on_other']:.3f}",
            f"{s['false_per_day']:.2f}",
        )
    return table
