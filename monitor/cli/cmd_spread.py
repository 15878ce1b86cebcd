"""`bubble-monitor spread`: the run-up of one segment net of another, as a series."""

from __future__ import annotations

import math
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
    print_json,
)

if TYPE_CHECKING:
    import pandas as pd

    from monitor.config.feeds_yaml import Config
    from monitor.research.segment_spread import SpreadSeries


def register(app: typer.Typer) -> None:
    app.command("spread")(spread)


def spread(
    a: str = typer.Option("llm", "--a", help="The segment whose run-up is measured."),
    b: str = typer.Option("applied_ai", "--b", help="The segment it is measured net of."),
    horizon: int = typer.Option(
        504, "--horizon", min=20, max=2520, help="Run-up length in sessions (504 = 2 years)."
    ),
    prices: Path | None = typer.Option(
        None, "--prices", help="Closes CSV (wide or long) instead of the stored prices."
    ),
    out: Path | None = typer.Option(None, "--out", help="Write one row per day to this CSV."),
    as_json: JsonOption = False,
    db: DbOption = None,
    feeds: FeedsOption = None,
) -> None:
    """Segment A's run-up net of segment B's (GSY style), every day, and where it stands."""
    from monitor.cli.common import open_store
    from monitor.research.segment_spread import closes_from, spread_series

    if a == b:
        from monitor.errors import InputError

        raise InputError(f"--a and --b are both {a!r}: a segment net of itself is zero")
    cfg = config(feeds)
    if prices is not None:
        closes = closes_from(cfg, store=None, prices=prices)
        source = str(prices)
    else:
        with open_store(db, create=False) as store:  # it only reads: a typo is no new file
            closes = closes_from(cfg, store=store, prices=None)
            source = str(store.path)
    for name in (a, b):
        _require_prices(cfg, closes, name, source, from_file=prices is not None)
    series = spread_series(cfg, closes, a, b, horizon=horizon, source=source)
    if out is not None:
        from monitor.sources.csv.files import write_daily_csv

        write_daily_csv(series.frame, out, float_format="%.4f")
    if as_json:
        print_json(_payload(series))
        return
    console.print(_summary(series, out, _with_prices(closes, series)))


def _require_prices(
    cfg: Config, closes: pd.DataFrame, name: str, source: str, *, from_file: bool
) -> None:
    """Stop with the segment's display name, its key (what --a/--b take) and what to run
    when none of its tickers has a close (research's error names only the key)."""
    from monitor.errors import InputError
    from monitor.present.segments import missing_reason
    from signals.wording import display_name

    symbols = list(cfg.segment(name).symbols)
    present = [t for t in symbols if t in closes]
    if present and closes[present].notna().any().any():
        return
    where = f"{source}: segment {display_name(name)} ({name})"
    if from_file:
        raise InputError(
            f"{where}: the file has no closes of its tickers ({', '.join(symbols)}); "
            "give a file with those columns, or compare other segments with --a/--b"
        )
    others = [s.name for s in cfg.segments if s.name != name]
    raise InputError(
        f"{where} has {missing_reason(symbols, symbols)}; or compare other segments with "
        f"--a/--b ({', '.join(others)})"
    )


def _with_prices(closes: pd.DataFrame, series: SpreadSeries) -> tuple[int, int]:
    """How many of each segment's tickers have a close (a configured ticker never
    collected is in `series.tickers_*` too: the table says "18 of 19")."""
    a, b = (
        int(closes[list(tickers)].notna().any().sum())
        for tickers in (series.tickers_a, series.tickers_b)
    )
    return a, b


def _number(value: Any, digits: int) -> float | None:
    number = float(value)
    return round(number, digits) if math.isfinite(number) else None


def _row(day: Any, row: Any) -> dict[str, Any]:
    return {
        "date": f"{day:%Y-%m-%d}",
        "runup_a": _number(row["runup_a"], 4),
        "runup_b": _number(row["runup_b"], 4),
        "net": _number(row["net"], 4),
        "percentile": _number(row["percentile"], 1),
    }


def _payload(series: SpreadSeries) -> dict[str, Any]:
    frame = series.frame
    rows = [_row(day, row) for day, row in frame.iterrows()]
    return {
        "a": series.a,
        "b": series.b,
        "horizon_days": series.horizon,
        "tickers_a": list(series.tickers_a),
        "tickers_b": list(series.tickers_b),
        "start": rows[0]["date"] if rows else None,
        "end": rows[-1]["date"] if rows else None,
        "last": rows[-1] if rows else None,
        "rows": rows,
    }


def _summary(series: SpreadSeries, out: Path | None, priced: tuple[int, int]) -> Any:
    frame = series.frame
    net = frame["net"].dropna()
    from signals.wording import display_name

    name_a, name_b = display_name(series.a), display_name(series.b)
    table = new_table(title=f"{name_a} run-up net of {name_b}", show_header=False)
    table.add_column("what")
    table.add_column("value")
    counts = zip(priced, (series.tickers_a, series.tickers_b), strict=True)
    a_count, b_count = (f"{n} of {len(t)}" if n < len(t) else str(n) for n, t in counts)
    table.add_row("tickers with prices", f"{name_a}: {a_count}, {name_b}: {b_count}")
    table.add_row("run-up", f"{series.horizon} sessions")
    if net.empty:
        table.add_row("net", f"none yet: fewer than {series.horizon} sessions of both")
    else:
        last = frame.loc[net.index[-1]]
        rank = last["percentile"]
        table.add_row("last day", f"{net.index[-1]:%Y-%m-%d}")
        table.add_row(name_a, f"{last['runup_a']:+.0%}")
        table.add_row(name_b, f"{last['runup_b']:+.0%}")
        table.add_row(
            "net",
            f"{last['net'] * 100:+.0f} points"
            + ("" if math.isnan(rank) else f" ({rank:.0f}th percentile of its past)"),
        )
        # The days of the low and the high, not a period: printed as `(d1 .. d2)` they
        # read as the range's dates, and came out backwards when the high came first.
        table.add_row("low", f"{net.min() * 100:+.0f} points on {net.idxmin():%Y-%m-%d}")
        table.add_row("high", f"{net.max() * 100:+.0f} points on {net.idxmax():%Y-%m-%d}")
    if out is not None:
        table.add_row("csv", str(out))
    return table
