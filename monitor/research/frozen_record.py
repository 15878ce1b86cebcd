"""Store a frozen check's summary in the model file it evaluated (`evaluate-index --model
FILE --record-check NAME`), so every reading of that model can say what the check found
(signals.crash.frozen_checks). The file is rewritten atomically: a running service loads it."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from monitor.errors import InputError
from monitor.reading.crash_model import model_path, read_model_file
from monitor.reading.model_files import write_atomic
from signals.crash.frozen_checks import check_record, with_check


def model_file(model: str, horizon_months: int) -> Path:
    """The file `--model` names ('shipped' is the packaged model of this horizon)."""
    return model_path(horizon_months) if model == "shipped" else Path(model)


def record_check(path: Path, name: str, prices: Path, doc: dict[str, Any]) -> dict[str, Any]:
    """Replace (or add) the check `name` in the model at `path`; the stored record."""
    if doc.get("mode") != "frozen":
        raise InputError("--record-check needs a frozen evaluation (--model shipped|FILE)")
    model = read_model_file(path)
    record = check_record(name, prices.name, doc)
    updated = dataclasses.replace(model, frozen_checks=with_check(model.frozen_checks, record))
    write_atomic(path, updated.to_json() + "\n")
    return record
