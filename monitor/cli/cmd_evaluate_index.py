"""`bubble-monitor evaluate-index` and `fit-index`: the crash model proven and refitted.

Thin shells over monitor.research.evaluate_index; the tables show what `--json` prints.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from monitor.cli.common import FeedsOption, JsonOption, config, console, new_table, print_json

if TYPE_CHECKING:
    from rich.table import Table

PricesOption = typer.Option(..., "--prices", help="Price file: wide daily closes or French CSV.")
FormatOption = typer.Option("wide", "--format", help="wide (daily closes) or french49.")
HorizonOption = typer.Option(None, "--horizon", help="24m or 6m (default: by format).")
DrawdownOption = typer.Option(None, "--drawdown", help="Crash depth (default 0.40 / 0.20).")
SegmentOption = typer.Option(None, "--segment", help="A feeds.yaml segment's tickers.")


def register(app: typer.Typer) -> None:
    app.command("evaluate-index")(evaluate_index)
    app.command("fit-index")(fit_index)


def _options(**values: Any) -> Any:
    from monitor.research.evaluate_index import EvaluateOptions

    if values["fmt"] not in ("wide", "french49"):
        from monitor.errors import InputError

        raise InputError(f"--format {values['fmt']!r}: use wide or french49")
    return EvaluateOptions(**values)


def evaluate_index(
    prices: Path = PricesOption,
    fmt: str = FormatOption,
    horizon: str | None = HorizonOption,
    drawdown: float | None = DrawdownOption,
    start: str | None = typer.Option(None, "--start", metavar="YYYY-MM", help="First month."),
    end: str | None = typer.Option(None, "--end", metavar="YYYY-MM", help="Last month."),
    segment: str | None = SegmentOption,
    warmup_years: int | None = typer.Option(None, "--warmup-years", help="Years before 1st fit."),
    as_json: JsonOption = False,
    feeds: FeedsOption = None,
) -> None:
    """Walk-forward, out-of-sample crash forecasts of the model and the baselines."""
    from monitor.research.evaluate_index import evaluate

    options = _options(
        prices=prices,
        fmt=fmt,
        horizon=horizon,
        drawdown=drawdown,
        start=start,
        end=end,
        segment=segment,
        warmup_years=warmup_years,
    )
    doc = evaluate(options, config(feeds))
    if as_json:
        print_json(doc)
        return
    _render(doc)


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
        help="Store the walk-forward scores from this month on as the model's hold-out.",
    ),
    out: Path | None = typer.Option(None, "--out", help="Model JSON (default: the shipped one)."),
    as_json: JsonOption = False,
    feeds: FeedsOption = None,
) -> None:
    """Refit the crash model on every known outcome and write its parameters as JSON."""
    from monitor.reading.crash_model import model_path
    from monitor.research.evaluate_index import fit_model, horizon_months

    options = _options(
        prices=prices,
        fmt=fmt,
        horizon=horizon,
        drawdown=drawdown,
        segment=segment,
        start=holdout_start,
    )
    model = fit_model(options, config(feeds))
    target = out or model_path(horizon_months(options))
    target.write_text(model.to_json() + "\n", encoding="utf-8")
    summary = {
        "path": str(target),
        "data_hash": model.data_hash,
        "n_train": model.n_train,
        "n_events": model.n_events,
        "base_rate": round(model.base_rate, 4),
        "features": list(model.features),
        "holdout": None if model.holdout is None else model.holdout.to_dict(),
    }
    if as_json:
        print_json(summary)
    else:
        console.print(
            f"wrote {target}: {model.n_train} rows, {model.n_events} crashes, "
            f"base rate {model.base_rate:.1%}, data {model.data_hash}"
        )
        if model.holdout is not None:
            h = model.holdout
            state = "passed" if h.passed else "failed"
            console.print(f"hold-out {h.summary()}: {state}, {h.verdict()}")


def _render(doc: dict[str, Any]) -> None:
    console.print(
        f"horizon {doc['horizon']}, drawdown {doc['drawdown']:.0%}: {doc['n_predictions']} "
        f"predictions ({doc['first_prediction']} .. {doc['last_prediction']}), "
        f"{doc['n_events']} crashes, {doc['n_dropped_unknown_outcome']} dropped (outcome past "
        f"the data end), {doc['refits']} refits"
    )
    console.print(
        _table(
            "Out of sample",
            ["model", "auc", "brier", "brier_skill"],
            [[name, *m.values()] for name, m in doc["models"].items()],
        )
    )
    console.print(
        _table(
            "Calibration by decile",
            ["decile", "n", "mean_probability", "observed_rate"],
            [list(row.values()) for row in doc["calibration"]],
        )
    )
    console.print(
        _table(
            "Crash rate by regime",
            ["regime", "n", "crash_rate"],
            [list(row.values()) for row in doc["regimes"]],
        )
    )
    console.print(
        _table(
            "Run-up episodes (GSY rule)",
            ["series", "start", "runup_2y", "peak_runup_2y", "crashed", "probability"],
            [list(row.values()) for row in doc["episodes"]],
        )
    )
    g = doc["gsy_replication"]
    console.print(
        f"GSY replication: {g['episodes']} episodes, {g['crashed']} crashed (published 40 and 21)"
    )


def _table(title: str, columns: list[str], rows: list[list[Any]]) -> Table:
    table = new_table(title=title)
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*("-" if v is None else str(v) for v in row[: len(columns)]))
    return table
