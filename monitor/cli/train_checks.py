"""Checks `train` makes before it trains: a wrong --out must fail in a second, not after
the minutes (or, with --finetune, the hour) the training takes."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from monitor.errors import InputError

if TYPE_CHECKING:
    from signals.classifier.dataset import LabelledText


def check_out_folder(target: Path) -> None:
    """InputError naming --out when its folder is missing or not writable, or it is a folder."""
    folder = target.parent
    if target.is_dir():
        raise InputError(f"--out {target} is a folder; give the head's file name")
    if not folder.is_dir():
        raise InputError(f"--out {target}: folder {folder} does not exist")
    if not os.access(folder, os.W_OK):
        raise InputError(f"--out {target}: folder {folder} is not writable")


NO_EXAMPLES = (
    'no labelled headlines (expected JSONL lines {"text", "label"} or CSV rows under '
    "a text,label header)"
)


def check_trainable(examples: list[LabelledText], sources: list[Path]) -> None:
    """InputError naming the files when the set cannot train a head (before the model loads)."""
    from signals.classifier.training import untrainable

    problem = untrainable([e.label for e in examples])
    if problem:
        raise InputError(f"{', '.join(map(str, sources))}: {problem}")
