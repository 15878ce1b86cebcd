"""`bubble-monitor train [--extra FILE] [--out PATH]`: retrain the classifier head.

Trains on the labelled headlines shipped in the package plus, optionally, a user's own
JSONL (`{"text", "label"}` per line) or CSV (`text,label` columns), with the
hyper-parameters of the current head, and saves the head with its model id and data hash.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from monitor.cli.common import JsonOption, console, new_table, print_json
from monitor.errors import InputError, ModelError

if TYPE_CHECKING:
    from signals.classifier.dataset import LabelledText


def register(app: typer.Typer) -> None:
    app.command("train")(train)


def train(
    extra: list[Path] | None = typer.Option(
        None, "--extra", help="More labelled headlines (JSONL or CSV with text,label); repeatable."
    ),
    out: Path | None = typer.Option(
        None, "--out", help="Where to write the head (default: the head shipped in the package)."
    ),
    c: float | None = typer.Option(None, "--c", help="Inverse regularisation strength."),
    data: Path | None = typer.Option(
        None, "--data", help="Base training set instead of the shipped one (JSONL or CSV)."
    ),
    as_json: JsonOption = False,
) -> None:
    """Retrain the classifier head on the shipped data (and --extra files)."""
    from signals.classifier.dataset import TRAIN_FILE, label_counts
    from signals.classifier.encoder import MiniLMEncoder
    from signals.classifier.head import DEFAULT_HEAD_PATH, HeadParams, load_head, save_head
    from signals.classifier.training import train_head

    examples = _load(data or TRAIN_FILE)
    for path in extra or []:
        examples += _load(path)
    params = load_head(DEFAULT_HEAD_PATH).params if DEFAULT_HEAD_PATH.exists() else HeadParams()
    if c is not None:
        if c <= 0:
            raise InputError(f"--c must be positive, got {c}")
        params = HeadParams.from_dict({**params.to_dict(), "C": c})
    head = train_head(examples, MiniLMEncoder(), params)
    target = out or DEFAULT_HEAD_PATH
    try:
        save_head(head, target)
    except OSError as e:
        raise ModelError(f"cannot write the head to {target}: {e}; choose another --out") from e
    counts = label_counts(examples)
    summary = {
        "out": str(target),
        "examples": len(examples),
        "per_label": counts,
        "model_id": head.model_id,
        "data_hash": head.data_hash,
        "params": head.params.to_dict(),
        "temperature": head.temperature,
    }
    if as_json:
        print_json(summary)
        return
    table = new_table(title=f"trained head -> {target}")
    table.add_column("label")
    table.add_column("examples", justify="right")
    for label, n in counts.items():
        table.add_row(label, str(n))
    console.print(table)
    console.print(f"model {head.model_id}, data sha256 {head.data_hash[:16]}..., C={params.C:g}")


def _load(path: Path) -> list[LabelledText]:
    from signals.classifier.dataset import load_examples

    try:
        return load_examples(path)
    except ValueError as e:
        raise InputError(str(e)) from e
