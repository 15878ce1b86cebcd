"""`train --real-news CORPUS`: the CLI shell over monitor.research.realnews.pipeline.

The head goes to --out (default: the package's head.json) and, with --finetune, the encoder
delta beside it (monitor.reading.finetuned.delta_path_for), where `classify --head` finds
it. Everything that could fail after an hour of fine-tuning is checked first: the output
folder, and a --work folder's cached vectors, which must come from this training set
(a stamp file records which; older folders are checked by their row count).
"""

from __future__ import annotations

import contextlib
import functools
import sys
import tempfile
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Final

from monitor.cli.common import console, err_console, print_json
from monitor.cli.train_checks import check_out_folder
from monitor.errors import InputError, ModelError

if TYPE_CHECKING:
    from monitor.research.realnews.pipeline import BuildReport
    from signals.classifier.dataset import LabelledText
    from signals.classifier.encoder import Embedder
    from signals.classifier.head import Head

#: In a --work folder: the training set (and base model) its vectors were computed for.
WORK_STAMP: Final[str] = "training.sha256"
#: In a --work folder: the sha256 of the delta whose vectors final.npz holds.
FINAL_DELTA: Final[str] = "final.delta.sha256"


def train_real_news(
    corpus: Path,
    out: Path | None,
    *,
    frozen: bool,
    work: Path | None,
    as_json: bool,
    corrections: Sequence[LabelledText] = (),
) -> None:
    """Rebuild the real-news model (with the user's `corrections` as training data) and
    print what it did."""
    from monitor.reading.classifier_files import DEFAULT_HEAD_PATH
    from monitor.reading.finetuned import delta_path_for
    from monitor.research.realnews.pipeline import build

    if not corpus.is_file():
        raise InputError(f"headline corpus {corpus} not found (the shared JSONL)")
    target = out or DEFAULT_HEAD_PATH
    check_out_folder(target)
    # The delta goes beside the head it belongs to, where load_classifier looks for it:
    # a head written elsewhere with --out never replaces the package's delta.
    delta = delta_path_for(target)
    stamp = work_stamp(corpus, corrections) if work is not None and not frozen else ""
    if work is not None and stamp:
        check_work(work, stamp, corpus)
        check_final(work, delta)
    try:
        # The fine-tuning trainer prints its loss dicts to stdout: keep stdout for --json.
        with contextlib.redirect_stdout(sys.stderr), cached(_plain_encoder()) as encoder:
            run = functools.partial(
                build, frozen=frozen, head_out=target, delta_out=delta,
                corrections=corrections, embedder=encoder,
            )  # fmt: skip
            if work is not None:
                head, report = run(corpus, work)
            else:
                with tempfile.TemporaryDirectory() as scratch:
                    head, report = run(corpus, Path(scratch))
    except (KeyError, ValueError) as e:
        raise InputError(f"{corpus}: {e}") from e
    except OSError as e:
        raise ModelError(f"cannot load or write the model: {e}") from e
    if not frozen:
        readable_as_usual(delta)
    if work is not None and stamp:
        (work / WORK_STAMP).write_text(stamp + "\n", encoding="utf-8")
        (work / FINAL_DELTA).write_text(_digest(delta) + "\n", encoding="utf-8")
    _print_summary(head, report, target, None if frozen else delta, as_json=as_json)


@contextlib.contextmanager
def cached(inner: Embedder) -> Iterator[Embedder]:
    """`inner` behind the data directory's embedding cache (monitor.reading.embedding_file):
    a training run embeds only the texts no earlier run (or `classify`) embedded. The
    texts are keyed as given: training passes them prepared as the head wants them."""
    from monitor.config.paths import data_dir
    from monitor.reading.embedding_file import FILE_NAME, file_cached

    def note(message: str) -> None:
        err_console.print(f"note: {message}", highlight=False, markup=False)

    path = data_dir() / FILE_NAME
    with file_cached(inner, path, normalise_text=False, warn=note) as encoder:
        yield encoder


def _plain_encoder() -> Embedder:
    from monitor.reading.minilm import MiniLMEncoder

    return MiniLMEncoder()


def _print_summary(
    head: Head, report: BuildReport, target: Path, delta: Path | None, *, as_json: bool
) -> None:
    summary = {
        "out": str(target),
        "delta": None if delta is None else str(delta),
        "model_id": head.model_id,
        "real_titles": report.n_real,
        "team_lines": report.n_team,
        "corrections": report.corrections,
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
        f"{report.n_team} team lines ({report.corrections} of your corrections); "
        f"{report.seconds:.0f} s"
    )
    if delta is not None:
        console.print(f"encoder delta -> {delta} ({report.delta_bytes:,} bytes)")


def work_stamp(corpus: Path, corrections: Sequence[LabelledText] = ()) -> str:
    """What the cached vectors depend on: the training texts and labels, the base model,
    and the number of texts (for folders written before the stamp existed)."""
    from monitor.reading.minilm import default_model_id
    from monitor.research.realnews.pipeline import training_set
    from signals.classifier.dataset import data_hash

    training, examples = training_set(corpus, corrections)
    return f"{data_hash(examples)} {default_model_id()} {len(training.texts)}"


def check_work(work: Path, stamp: str, corpus: Path) -> None:
    """InputError naming `work` when its vectors were computed for another training set."""
    import numpy as np

    if not work.is_dir():
        return
    cached = sorted(work.glob("fold_*.npz")) + sorted(work.glob("final.npz"))
    if not cached:
        return
    stamp_file = work / WORK_STAMP
    if stamp_file.exists():
        if stamp_file.read_text(encoding="utf-8").strip() == stamp:
            return
        raise InputError(_STALE.format(work=work, corpus=corpus, why=f"{stamp_file} differs"))
    n_texts = int(stamp.rsplit(" ", 1)[1])
    for path in cached:
        try:
            rows = np.load(path)["vectors"].shape[0]
        except (OSError, KeyError, ValueError, zipfile.BadZipFile) as e:
            raise InputError(f"{path}: not a vectors file of `train --real-news` ({e})") from e
        if rows != n_texts:
            why = f"{path.name} has {rows} rows, the training set {n_texts}"
            raise InputError(_STALE.format(work=work, corpus=corpus, why=why))


_STALE = (
    "--work {work} holds vectors of another training set than {corpus} with the shipped "
    "labels ({why}): empty the folder or give another --work"
)


def check_final(work: Path, delta: Path) -> None:
    """InputError when final.npz would be reused beside a delta it was not computed with
    (the pipeline reuses both when both exist): the head would not fit its delta."""
    record = work / FINAL_DELTA
    if not ((work / "final.npz").exists() and delta.exists() and record.exists()):
        return
    if record.read_text(encoding="utf-8").strip() != _digest(delta):
        raise InputError(
            f"--work {work}: final.npz was computed with another encoder delta than {delta} "
            f"({record}); remove final.npz to fine-tune again, or the delta to replace it"
        )


def _digest(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def readable_as_usual(path: Path) -> None:
    """Give `path` the mode a new file gets under the umask: safetensors writes 0600, so a
    service running as another user could not read a delta trained by an admin."""
    import os

    umask = os.umask(0)
    os.umask(umask)
    path.chmod(0o666 & ~umask)
