"""`train --real-news CORPUS`: the CLI shell over monitor.research.realnews.pipeline."""

from __future__ import annotations

import tempfile
from pathlib import Path

from monitor.cli.common import console, print_json
from monitor.errors import InputError, ModelError


def train_real_news(
    corpus: Path, out: Path | None, *, frozen: bool, work: Path | None, as_json: bool
) -> None:
    """Rebuild the real-news model and print what it did."""
    from monitor.reading.classifier_files import DEFAULT_HEAD_PATH
    from monitor.reading.finetuned import delta_path_for
    from monitor.research.realnews.pipeline import build

    if not corpus.is_file():
        raise InputError(f"headline corpus {corpus} not found (the shared JSONL)")
    target = out or DEFAULT_HEAD_PATH
    # The delta goes beside the head it belongs to, where load_classifier looks for it:
    # a head written elsewhere with --out never replaces the package's delta.
    delta = delta_path_for(target)
    try:
        if work is not None:
            head, report = build(corpus, work, frozen=frozen, head_out=target, delta_out=delta)
        else:
            with tempfile.TemporaryDirectory() as scratch:
                head, report = build(
                    corpus, Path(scratch), frozen=frozen, head_out=target, delta_out=delta
                )
    except (KeyError, ValueError) as e:
        raise InputError(f"{corpus}: {e}") from e
    except OSError as e:
        raise ModelError(f"cannot write the model: {e}") from e
    summary = {
        "out": str(target),
        "delta": None if frozen else str(delta),
        "model_id": head.model_id,
        "real_titles": report.n_real,
        "team_lines": report.n_team,
        "seconds": round(report.seconds, 1),
        "finetune_seconds": [round(s, 1) for s in report.finetune_seconds],
        "delta_bytes": report.delta_bytes,
        "thresholds_by_kind": report.thresholds_by_kind,
        "prevalence": report.prevalence,
    }
    if as_json:
        print_json(summary)
        return
    console.print(
        f"real-news model -> {target} ({head.model_id}); {report.n_real} real titles + "
        f"{report.n_team} team lines; {report.seconds:.0f} s"
    )
    if not frozen:
        console.print(f"encoder delta -> {delta} ({report.delta_bytes:,} bytes)")
