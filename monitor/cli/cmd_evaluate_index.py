"""`bubble-monitor evaluate-index` and `fit-index`: the crash model proven and refitted.

Thin shells over monitor.research.evaluate_index; the tables show what `--json` prints.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from monitor.cli.common import FeedsOption, JsonOption, config, console, print_json
from monitor.cli.evaluate_index_tables import render

if TYPE_CHECKING:
    from signals.crash.model import CrashModel

PricesOption = typer.Option(..., "--prices", help="Price file: wide daily closes or French CSV.")
FormatOption = typer.Option(
    "wide", "--format", help="wide (daily closes), french49 (monthly) or french-daily."
)
FORMATS = ("wide", "french49", "french-daily")
HorizonOption = typer.Option(None, "--horizon", help="24m or 6m (default: by format).")
DrawdownOption = typer.Option(None, "--drawdown", help="Crash depth (default 0.40 / 0.20).")
SegmentOption = typer.Option(None, "--segment", help="A feeds.yaml segment's tickers.")


def register(app: typer.Typer) -> None:
    app.command("evaluate-index")(evaluate_index)
    app.command("fit-index")(fit_index)


def _options(**values: Any) -> Any:
    from monitor.research.evaluate_index import EvaluateOptions

    if values["fmt"] not in FORMATS:
        from monitor.errors import InputError

        raise InputError(f"--format {values['fmt']!r}: use one of {', '.join(FORMATS)}")
    units = values.pop("units", None)
    if units:
        values["units"] = tuple(u.strip() for u in units.split(",") if u.strip())
    return EvaluateOptions(**values)


def _check_months(start: str | None, end: str | None) -> None:
    """--start and --end named before the file is read: a short file said "too short for
    a 6-month outcome window" and left a typo such as 2020-13 unnamed."""
    from monitor.research.index_options import month

    month(start, "--start", end=False)
    month(end, "--end", end=True)


def evaluate_index(
    prices: Path = PricesOption,
    fmt: str = FormatOption,
    horizon: str | None = HorizonOption,
    drawdown: float | None = DrawdownOption,
    start: str | None = typer.Option(None, "--start", metavar="YYYY-MM", help="First month."),
    end: str | None = typer.Option(None, "--end", metavar="YYYY-MM", help="Last month."),
    segment: str | None = SegmentOption,
    warmup_years: int | None = typer.Option(None, "--warmup-years", help="Years before 1st fit."),
    model: str | None = typer.Option(
        None, "--model", help="Frozen evaluation: 'shipped' or a fit-index JSON (no refit)."
    ),
    units: str | None = typer.Option(
        None, "--units", help="Wide file: columns to evaluate, comma-separated ('basket' ok)."
    ),
    out: Path | None = typer.Option(None, "--out", help="Write every prediction to a CSV."),
    record_check: str | None = typer.Option(
        None,
        "--record-check",
        metavar="NAME",
        help="With --model: store this frozen check's summary in that model file "
        "(readings then say what it found: docs/index-v3.md).",
    ),
    as_json: JsonOption = False,
    feeds: FeedsOption = None,
) -> None:
    """Walk-forward (default) or frozen out-of-sample crash forecasts and the baselines."""
    from monitor.research.evaluate_index import evaluate_all, horizon_months, write_predictions

    _check_months(start, end)
    options = _options(
        prices=prices,
        fmt=fmt,
        horizon=horizon,
        drawdown=drawdown,
        start=start,
        end=end,
        segment=segment,
        warmup_years=warmup_years,
        model=model,
        units=units,
    )
    if record_check is not None and model is None:
        from monitor.errors import InputError

        raise InputError("--record-check needs --model shipped|FILE (a frozen evaluation)")
    doc, predictions = evaluate_all(options, config(feeds))
    if out is not None:
        doc["out"] = {"path": str(out), "rows": write_predictions(predictions, out)}
    if record_check is not None and model is not None:
        from monitor.research.frozen_record import model_file
        from monitor.research.frozen_record import record_check as record

        target = model_file(model, horizon_months(options))
        doc["recorded"] = {"model": str(target), **record(target, record_check, prices, doc)}
    if as_json:
        print_json(doc)
        return
    render(doc)


def fit_index(
    prices: Path = PricesOption,
    fmt: str = FormatOption,
    horizon: str | None = HorizonOption,
    drawdown: float | None = DrawdownOption,
    segment: str | None = SegmentOption,
    holdout_start: str | None = typer.Option(
        None,
        "--holdout-start",
        metavar="YYYY-MM",
        help="Store the scores from this month on as the model's hold-out (french-daily: of "
        "the same procedure fitted before that month).",
    ),
    out: Path | None = typer.Option(None, "--out", help="Model JSON (default: the shipped one)."),
    extra_prices: list[Path] | None = typer.Option(
        None, "--extra-prices", help="french-daily: more French daily files to fit on."
    ),
    fit_end: str | None = typer.Option(
        None,
        "--fit-end",
        metavar="YYYY-MM",
        help="french-daily: last month fitted (default: every known outcome).",
    ),
    pooled_calibration: bool = typer.Option(
        False,
        "--pooled-calibration",
        help="french-daily: add the pooled out-of-fold Platt step if its rule keeps it "
        "(not shipped: docs/index-v3.md).",
    ),
    as_json: JsonOption = False,
    feeds: FeedsOption = None,
) -> None:
    """Refit the crash model on every known outcome and write its parameters as JSON."""
    from monitor.reading.crash_model import model_path
    from monitor.reading.model_files import write_atomic
    from monitor.research.evaluate_index import fit_model, horizon_months

    options = _options(
        prices=prices,
        fmt=fmt,
        horizon=horizon,
        drawdown=drawdown,
        segment=segment,
        start=holdout_start,
        extra_prices=tuple(extra_prices or ()),
        fit_end=fit_end,
        pooled_calibration=pooled_calibration,
    )
    model = fit_model(options, config(feeds))
    target = out or model_path(horizon_months(options))
    # The shipped JSON is what a running service loads: never let it read half a file.
    write_atomic(target, model.to_json() + "\n")
    if as_json:
        print_json(_fit_summary(model, target))
    else:
        _print_fit(model, target)


def _fit_summary(model: CrashModel, target: Path) -> dict[str, Any]:
    return {
        "path": str(target),
        "data_hash": model.data_hash,
        "n_train": model.n_train,
        "n_events": model.n_events,
        "base_rate": round(model.base_rate, 4),
        "features": list(model.features),
        "holdout": None if model.holdout is None else model.holdout.to_dict(),
        "calibration": model.calibration,
        "calibration_record": model.calibration_record,
    }


def _print_fit(model: CrashModel, target: Path) -> None:
    console.print(
        f"wrote {target}: {model.n_train} rows, {model.n_events} crashes, "
        f"base rate {model.base_rate:.1%}, data {model.data_hash}"
    )
    if model.calibration_record is not None:
        console.print(_calibration_line(model.calibration, model.calibration_record))
    if model.holdout is not None:
        h = model.holdout
        state = "passed" if h.passed else "failed"
        console.print(f"hold-out {h.summary()}: {state}, {h.verdict()}")


def _calibration_line(calibration: str, record: dict[str, Any]) -> str:
    if "periods" not in record:
        return f"pooled calibration: not fitted ({record.get('reason', 'no development rows')})"
    skills = "; ".join(
        f"{name}: Brier skill {row['none']:+.3f} -> {row['pooled']:+.3f}"
        for name, row in record["periods"].items()
        if row["pooled"] is not None
    )
    state = "kept" if calibration == "pooled_oof" else "not kept"
    return f"pooled calibration a={record['a']}, b={record['b']}: {state} ({skills})"
