"""`bubble-monitor train [--extra FILE] [--with-corrections] [--background FILE] [--out PATH]`
and `bubble-monitor train --real-news CORPUS [--with-corrections] [--finetune] [--work DIR]
[--out PATH]`.

Trains on the labelled headlines shipped in the package plus, optionally, a user's own
JSONL (`{"text", "label"}` per line) or CSV (`text,label` columns) and the corrections
stored by `bubble-monitor label` (`--with-corrections`; a correction replaces the label of
the same headline in the other data), with the hyper-parameters of the current head, and
saves the head with its model id, data hash and abstention thresholds. `--background FILE`
(JSONL or CSV with text,label, repeatable) gives real feed titles never trained on: the
`other` ones are where the thresholds measure how often real traffic leaks into a bubble
label (without it, on the training set's hand-written hard negatives, which leak far more).

The shipped head is the real-news model (issue 22), which only `--real-news` rebuilds
(monitor.cli.train_real_news): the plain `train` writes it only with `--out` elsewhere, so
that it never silently replaces the shipped model with one of the team's lines alone.
Both learn the corrections with --with-corrections (the real-news rule:
monitor.research.realnews.corrections), and both say when stored ones go unused.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from monitor.cli.common import (
    DbOption,
    JsonOption,
    console,
    new_table,
    print_json,
)
from monitor.cli.train_checks import NO_EXAMPLES, check_out_folder, check_trainable
from monitor.cli.train_corrections import corrections_to_learn, with_corrected
from monitor.cli.train_real_news import cached, train_real_news
from monitor.errors import InputError, ModelError

if TYPE_CHECKING:
    from signals.classifier.dataset import LabelledText
    from signals.classifier.head import Head, HeadParams


def register(app: typer.Typer) -> None:
    app.command("train")(train)


def train(
    extra: list[Path] | None = typer.Option(
        None, "--extra", help="More labelled headlines (JSONL or CSV with text,label); repeatable."
    ),
    out: Path | None = typer.Option(
        None,
        "--out",
        help="Where to write the head (default: the package's head.json); with --finetune "
        "the encoder delta goes beside it (HEAD.encoder-delta.safetensors).",
    ),
    c: float | None = typer.Option(None, "--c", help="Inverse regularisation strength."),
    data: Path | None = typer.Option(
        None, "--data", help="Base training set instead of the shipped one (JSONL or CSV)."
    ),
    with_corrections: bool = typer.Option(
        False, "--with-corrections", help="Also learn the corrections stored by `label` (--db)."
    ),
    target_precision: float | None = typer.Option(
        None,
        "--target-precision",
        help="Precision at feed-mix prevalence the abstention thresholds aim for (0 = none).",
    ),
    background: list[Path] | None = typer.Option(
        None,
        "--background",
        help="Real titles (JSONL/CSV text,label) whose `other` rows calibrate the thresholds.",
    ),
    real_news: Path | None = typer.Option(
        None,
        "--real-news",
        help="Rebuild the real-news model (the shipped one) from this corpus: the shared "
        "ai_news_headlines JSONL.",
    ),
    finetune: bool = typer.Option(
        False, "--finetune", help="With --real-news: also fine-tune the encoder (about an hour)."
    ),
    work: Path | None = typer.Option(
        None,
        "--work",
        help="With --real-news: folder that keeps the vectors between runs (default: a "
        "temporary one).",
    ),
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Retrain the head on the team's lines and yours, or (--real-news) the shipped model."""
    plain_only = {"--extra": extra, "--c": c, "--data": data, "--background": background,
                  "--target-precision": target_precision}  # fmt: skip
    _check_options(real_news, plain_only, {"--finetune": finetune or None, "--work": work})
    if real_news is not None:
        train_real_news(
            real_news, out, frozen=not finetune, work=work, as_json=as_json,
            corrections=corrections_to_learn(with_corrections, db),
        )  # fmt: skip
        return
    _train_plain(
        extra or [], out, c, data, with_corrections, target_precision, background or [], db,
        as_json=as_json,
    )  # fmt: skip


def _train_plain(
    extra: list[Path],
    out: Path | None,
    c: float | None,
    data: Path | None,
    with_corrections: bool,
    target_precision: float | None,
    background: list[Path],
    db: str | None,
    *,
    as_json: bool,
) -> None:
    """Fit a head on the team's lines (or --data) plus the user's files and corrections."""
    from monitor.reading.classifier_files import DEFAULT_HEAD_PATH, TRAIN_FILE, encoder_for
    from monitor.reading.minilm import MiniLMEncoder
    from signals.classifier.head import HeadParams
    from signals.classifier.training import train_head

    current = _current_head() if DEFAULT_HEAD_PATH.exists() else None
    if out is None and current is not None and current.thresholds_by_kind:
        raise InputError(_REAL_NEWS_HEAD.format(path=DEFAULT_HEAD_PATH, n=current.n_train))
    check_out_folder(out or DEFAULT_HEAD_PATH)
    examples, n_corrections = _examples(data or TRAIN_FILE, extra, with_corrections, db)
    check_trainable(examples, [data or TRAIN_FILE, *extra])
    params = _override(current.params if current else HeadParams(), c, target_precision)
    negatives = _real_other(background, examples)
    try:
        encoder = encoder_for(current) if current is not None else MiniLMEncoder()
    except ValueError as e:
        raise ModelError(str(e)) from e
    try:  # the model loads on the first embedding not in the cache
        with cached(encoder) as through_cache:
            head = train_head(examples, through_cache, params, negatives)
    except OSError as e:
        raise ModelError(f"cannot load the embedding model: {e}") from e
    target = out or DEFAULT_HEAD_PATH
    _save(head, target)
    _report(head, target, examples, n_corrections, len(negatives), as_json)


_REAL_NEWS_HEAD = (
    "{path} is the real-news model ({n} training texts, thresholds per feed kind), which "
    "only `train --real-news CORPUS` rebuilds; this `train` learns the team's lines and "
    "your files alone and would replace it: write the new head elsewhere with --out FILE "
    "(then `classify --head FILE`), or give --out {path} to replace it knowingly"
)


def _check_options(
    real_news: Path | None,
    plain_only: Mapping[str, object],
    real_news_only: Mapping[str, object],
) -> None:
    """InputError for an option the chosen kind of training would silently ignore."""
    if real_news is not None:
        given = [name for name, value in plain_only.items() if value is not None]
        if given:
            raise InputError(
                f"{given[0]} is not used with --real-news: the real-news model trains on "
                "the labelled corpus sample, the team's lines and, with --with-corrections, "
                "yours (docs/classifier-real-news.md)"
            )
        return
    given = [name for name, value in real_news_only.items() if value is not None]
    if given:
        raise InputError(f"{given[0]} needs --real-news CORPUS")


def _current_head() -> Head:
    """The package's head, whose hyper-parameters and encoder a retrain keeps."""
    from monitor.reading.classifier_files import DEFAULT_HEAD_PATH, load_head

    try:
        return load_head(DEFAULT_HEAD_PATH)
    except ValueError as e:
        raise ModelError(f"{e}; reinstall the package to restore it") from e


def _save(head: Head, target: Path) -> None:
    from monitor.reading.classifier_files import save_head

    try:
        save_head(head, target)
    except OSError as e:
        raise ModelError(f"cannot write the head to {target}: {e}; choose another --out") from e


def _examples(
    base: Path, extra: list[Path], with_corrections: bool, db: str | None
) -> tuple[list[LabelledText], int]:
    """The training examples (base, extra files, stored corrections) and how many
    corrections they include."""
    examples = _load(base)
    for path in extra:
        examples += _load(path)
    corrections = corrections_to_learn(with_corrections, db)
    return with_corrected(examples, corrections), len(corrections)


def _report(
    head: Head,
    target: Path,
    examples: list[LabelledText],
    n_corrections: int,
    n_background: int,
    as_json: bool,
) -> None:
    from signals.classifier.dataset import label_counts

    counts = label_counts(examples)
    summary = {
        "out": str(target),
        "examples": len(examples),
        "corrections": n_corrections,
        "background_other": n_background,
        "thresholds": head.thresholds,
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
    console.print(
        f"model {head.model_id}, data sha256 {head.data_hash[:16]}..., C={head.params.C:g}"
    )


def _load(path: Path) -> list[LabelledText]:
    from monitor.reading.classifier_files import load_examples

    try:
        examples = load_examples(path)
    except ValueError as e:
        raise InputError(str(e)) from e
    if not examples:  # a user's file that adds nothing must not pass for one that did
        raise InputError(f"{path}: {NO_EXAMPLES}")
    return examples


def _real_other(paths: list[Path], examples: list[LabelledText]) -> list[str]:
    """The `other` titles of the background files, minus any that are also training data."""
    from monitor.store.corrections import correction_key

    trained = {correction_key(e.text) for e in examples}
    out: list[str] = []
    for path in paths:
        rows = [e.text for e in _load(path) if e.label == "other"]
        if not rows:
            raise InputError(f"{path}: no row labelled 'other'; a background set is real traffic")
        out += [t for t in rows if correction_key(t) not in trained]
    return out


def _override(params: HeadParams, c: float | None, target: float | None) -> HeadParams:
    from signals.classifier.head import HeadParams

    changes: dict[str, float] = {}
    if c is not None:
        if c <= 0:
            raise InputError(f"--c must be positive, got {c}")
        changes["C"] = c
    if target is not None:
        if not 0 <= target < 1:
            raise InputError(f"--target-precision must be in [0, 1), got {target}")
        changes["target_precision"] = target
    return HeadParams.from_dict({**params.to_dict(), **changes})
