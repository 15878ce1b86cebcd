"""Reading and writing the small JSON model files (the headline classifier's head, the
deal pair head): one atomic write and one read whose error names the file."""

from __future__ import annotations

from pathlib import Path


def write_atomic(path: Path, text: str) -> None:
    """Write `text` to `path` through a temp file beside it, so a reader never sees half."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def read_model_text(path: Path, what: str) -> str:
    """The text of `path`; ValueError naming `what` and the file when it cannot be read."""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise ValueError(f"cannot read {what} {path}: {e}") from e
