"""`bubble-monitor backtest --prices FILE.csv ...`: the index replayed over a price history.

A thin shell over monitor.research.backtest.run: reads the files, writes the CSV and chart, prints a
summary (or, with --json, the summary and every day's reading).
"""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from monitor.cli.common import (
    DbOption,
    FeedsOption,
    JsonOption,
    config,
    console,
    new_table,
    open_store,
    print_json,
)
from monitor.config import paths
from monitor.errors import InputError

if TYPE_CHECKING:
    import pandas as pd
    from rich.table import Table

    from monitor.research.backtest.run import BacktestRun
    from signals.crash.model import CrashModel


def register(app: typer.Typer) -> None:
    app.command("backtest")(backtest)


def backtest(
    prices: Path = typer.Option(..., "--prices", help="Closes CSV: wide (date + tickers) or long."),
    headlines: Path | None = typer.Option(
        None, "--headlines", help="JSONL: text or title, published, optional source and url."
    ),
    stored_headlines: bool = typer.Option(
        False,
        "--stored-headlines",
        help="Use the scored headlines in --db (e.g. from import-headlines) instead of a file.",
    ),
    layoffs: Path | None = typer.Option(
        None, "--layoffs", help="layoffs.fyi export (else the events imported into --db)."
    ),
    start: str | None = typer.Option(
        None, "--start", metavar="YYYY-MM-DD", help="First day to report."
    ),
    end: str | None = typer.Option(
        None, "--end", metavar="YYYY-MM-DD", help="Last day (later data is never read)."
    ),
    out: Path | None = typer.Option(None, "--out", help="Write one row per day to this CSV."),
    chart: Path | None = typer.Option(None, "--chart", help="Write the chart to this PNG."),
    segment: str | None = typer.Option(
        None, "--segment", help="Replay one feeds.yaml segment (its tickers and its news)."
    ),
    as_json: JsonOption = False,
    db: DbOption = None,
    feeds: FeedsOption = None,
) -> None:
    """Replay the index over history: every day from data up to that day only."""
    from monitor.research.backtest.run import BacktestInputs, run, write_csv

    cfg = config(feeds)
    inputs = BacktestInputs(
        prices=prices,
        headlines=headlines,
        layoffs=layoffs,
        stored_headlines=stored_headlines,
        start=_date(start, "--start"),
        end=_date(end, "--end"),
        segment=segment,
    )
    default_db = paths.db_path(None)
    has_store = db is not None or isinstance(default_db, str) or default_db.exists()
    if (layoffs is None or stored_headlines) and has_store:
        with open_store(db, create=False) as store:  # it only reads: a typo is no new file
            result = run(inputs, cfg, store=store)
    else:
        result = run(inputs, cfg)
    if out is not None:
        write_csv(result, out)
    if chart is not None:
        from monitor.research.backtest.chart import draw_chart

        draw_chart(result.result, result.basket_level, chart, title=_title(result))
    if as_json:
        print_json(_payload(result, out, chart))
        return
    console.print(_summary(result, out, chart))


def _date(text: str | None, option: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(f"{option}: {text!r} is not a date (expected YYYY-MM-DD)") from None


def _title(result: BacktestRun) -> str:
    days = result.frame.index
    basket = ", ".join(result.basket[:6]) + (" ..." if len(result.basket) > 6 else "")
    which = f"segment {result.segment}, " if result.segment else ""
    return (
        f"Bubble-risk index {days[0]:%Y-%m-%d} .. {days[-1]:%Y-%m-%d} "
        f"({which}basket {len(result.basket)}: {basket})"
    )


def _number(value: Any) -> float | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


def _payload(result: BacktestRun, out: Path | None, chart: Path | None) -> dict[str, Any]:
    frame = result.frame
    names = list(result.result.components)
    readings = [
        {
            "date": f"{day:%Y-%m-%d}",
            "index": _round(row["index"]),
            "regime": row["regime"] or None,
            "components": {n: _round(row[n]) for n in names},
            **_v2_row(row),
        }
        for day, row in frame.iterrows()
    ]
    return {
        "start": f"{frame.index[0]:%Y-%m-%d}",
        "end": f"{frame.index[-1]:%Y-%m-%d}",
        "days": len(frame),
        "segment": result.segment,
        "basket": list(result.basket),
        "tickers": list(result.tickers),
        "headlines": result.headlines,
        "layoff_events": result.layoff_events,
        "warmup_end": _iso(result.result.warmup_end),
        "missing": list(result.result.missing),
        "absent_inputs": list(result.absent_inputs),
        "coverage": {n: round(v, 4) for n, v in result.result.coverage.items()},
        "episodes": [
            {
                "start": e.start.isoformat(),
                "end": e.end.isoformat(),
                "peak": e.peak.isoformat(),
                "peak_index": round(e.peak_index, 2),
                "days": e.days,
            }
            for e in result.result.episodes
        ],
        "notes": list(result.notes),
        "v2": _v2_head(result),
        "out": None if out is None else str(out),
        "chart": None if chart is None else str(chart),
        "readings": readings,
    }


def _v2_head(result: BacktestRun) -> dict[str, Any]:
    from monitor.reading.crash_model import model_label
    from signals.basket import caution, target_text

    model = _model(result)
    return {
        "base_rate": round(model.base_rate, 4),
        "target": target_text(model),
        "drivers": list(result.drivers),
        "model": model_label(model),
        "validated": model.holdout is not None and model.holdout.passed,
        "caution": caution(model),
    }


def _model(result: BacktestRun) -> CrashModel:
    from monitor.reading.crash_model import live_model

    return result.model or live_model()


def _v2_row(row: pd.Series) -> dict[str, Any]:
    probability = _number(row.get("probability"))
    return {
        "probability": None if probability is None else round(float(probability), 4),
        "base_rate": _round(row.get("base_rate"), digits=4),
        "froth": _round(row.get("froth")),
        "stress": _round(row.get("stress")),
        "regime_v2": row.get("regime_v2") or None,
        "index_v2": _round(row.get("index_v2")),
    }


def _v2_summary(result: BacktestRun, table: Table) -> None:
    """Index v2 over the run: the last reading with its drivers, and days per regime."""
    from signals.basket import caution, target_text

    frame = result.frame
    if "probability" not in frame or not frame["probability"].notna().any():
        table.add_row("index v2", "needs a year of basket prices")
        return
    model = _model(result)
    last = frame.loc[frame["probability"].notna()].iloc[-1]
    table.add_row(
        "v2 last reading",
        f"crash probability {last['probability']:.0%} (base rate {last['base_rate']:.0%} of "
        f"units as volatile) of a "
        f"{target_text(model)}; froth {last['froth']:.0f}, stress {last['stress']:.0f}, "
        f"{last['regime_v2']}, index {last['index_v2']:.1f}",
    )
    for driver in result.drivers:
        table.add_row("v2 driver", driver)
    warning = caution(model)
    if warning:
        table.add_row("v2 caution", warning)
    counts = frame["regime_v2"].replace("", "none").value_counts()
    table.add_row("v2 days per regime", ", ".join(f"{k} {v}" for k, v in counts.items()))


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def _round(value: Any, *, digits: int = 2) -> float | None:
    number = _number(value)
    return None if number is None else round(float(number), digits)


def _summary(result: BacktestRun, out: Path | None, chart: Path | None) -> Table:
    frame = result.frame
    table = new_table(title="backtest", show_header=False)
    table.add_column("what")
    table.add_column("value")
    index = frame["index"]
    table.add_row("period", f"{frame.index[0]:%Y-%m-%d} .. {frame.index[-1]:%Y-%m-%d}")
    table.add_row("days", str(len(frame)))
    if result.result.warmup_end is not None:
        table.add_row("warm-up until", result.result.warmup_end.isoformat())
    if result.segment:
        table.add_row("segment", result.segment)
    table.add_row("basket", ", ".join(result.basket))
    table.add_row("index", f"mean {index.mean():.1f}, min {index.min():.1f}, max {index.max():.1f}")
    last = frame.iloc[-1]
    table.add_row("last reading", f"{_round(last['index'])} ({last['regime'] or 'no value'})")
    regimes = frame["regime"].replace("", "none").value_counts()
    table.add_row("days per regime", ", ".join(f"{k} {v}" for k, v in regimes.items()))
    _v2_summary(result, table)
    for e in result.result.episodes:
        table.add_row("episode", f"{e.start} .. {e.end}: peak {e.peak_index:.1f} on {e.peak}")
    for note in result.notes:
        table.add_row("note", note)
    for label, path in (("csv", out), ("chart", chart)):
        if path is not None:
            table.add_row(label, str(path))
    return table
