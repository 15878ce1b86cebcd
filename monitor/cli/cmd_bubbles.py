"""`bubble-monitor bubbles FILE.csv --column COL ...`: the PSY bubble test on one series.

Reads one column of a CSV, runs the recursive right-tailed ADF tests (signals.psy), takes
Monte Carlo critical values (cached on disk in the app data directory) and dates the
explosive episodes. Prints a summary, or JSON with --json, and a chart with --chart.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from monitor.cli.common import JsonOption, console, err_console, new_table, print_json
from monitor.errors import InputError

if TYPE_CHECKING:
    from monitor.research.bubbles_files import Series


def register(app: typer.Typer) -> None:
    app.command("bubbles")(bubbles)


def bubbles(
    file: Path = typer.Argument(..., help="CSV file with a date column and the series."),
    column: str = typer.Option(..., "--column", help="Column holding the series."),
    date_column: str = typer.Option("date", "--date-column", help="Column holding the dates."),
    log: bool = typer.Option(False, "--log", help="Test the log of the series (prices)."),
    lag: int = typer.Option(0, "--lag", min=0, max=24, help="ADF lag order K."),
    ic_max_lag: int | None = typer.Option(
        None, "--bic-max-lag", min=0, max=12, help="Choose each window's lag by BIC up to this."
    ),
    min_window: int | None = typer.Option(
        None, "--min-window", min=3, help="Smallest regression (default floor(T(0.01+1.8/sqrt T)))."
    ),
    reps: int = typer.Option(200, "--reps", min=10, max=100_000, help="Monte Carlo replications."),
    seed: int = typer.Option(1234, "--seed", help="Seed of the Monte Carlo simulation."),
    min_duration: int | None = typer.Option(
        None, "--min-duration", min=1, help="Shortest episode kept (default round(log T))."
    ),
    as_json: JsonOption = False,
    chart: Path | None = typer.Option(None, "--chart", help="Write a PNG chart here."),
) -> None:
    """Test a series for explosive (bubble) behaviour: PSY's GSADF and BSADF with dated episodes."""
    from monitor.research.bubbles_files import cached_critical_values, read_series, write_chart
    from signals.psy import psy_test

    series = read_series(file, column, date_column=date_column, log=log)
    n = series.values.size
    m = _min_window(file, column, n, min_window, lag if ic_max_lag is None else ic_max_lag)
    cv = cached_critical_values(n, m, lag=lag, reps=reps, seed=seed, ic_max_lag=ic_max_lag)
    test = psy_test(
        series.values,
        min_window=m,
        lag=lag,
        ic_max_lag=ic_max_lag,
        cv=cv,
        min_duration=min_duration,
    )
    result, duration, episodes = test.result, test.min_duration, list(test.episodes)
    cv95 = cv.bsadf_at(0.95)
    if chart is not None:
        write_chart(
            chart,
            title=f"{file.name}: {column}{' (log)' if log else ''}",
            dates=series.dates,
            values=series.values,
            bsadf=result.bsadf,
            cv95=cv95,
            offset=result.offset,
            episodes=episodes,
        )
    payload = _payload(series, result, cv, cv95, episodes)
    if as_json:
        print_json(payload)
        return
    if series.skipped:
        err_console.print(f"skipped {series.skipped} empty cell(s) in column '{column}'")
    _print_summary(payload, reps, duration, chart)


def _min_window(file: Path, column: str, n: int, given: int | None, k: int) -> int:
    """The smallest regression window; InputError when `n` values cannot hold the test."""
    from signals.psy import psy_min_window

    m = psy_min_window(n) if given is None and n >= 4 else (given or 3)
    if n < 10 or n - 1 - k < m:
        raise InputError(
            f"{file}: column '{column}' has {n} values; the test needs at least "
            f"{max(10, m + k + 1)} (min window {m} + lag {k} + 1)"
        )
    return m


def _num(x: float) -> float | None:
    return round(float(x), 6) if math.isfinite(x) else None


def _payload(series: Series, result: Any, cv: Any, cv95: Any, episodes: Any) -> dict[str, Any]:
    dates = series.dates
    off = result.offset
    return {
        "T": result.T,
        "min_window": result.min_window,
        "lag": result.lag,
        "gsadf": _num(result.gsadf),
        "sadf": _num(result.sadf),
        "gsadf_cv": {"90": _num(cv.gsadf[0]), "95": _num(cv.gsadf[1]), "99": _num(cv.gsadf[2])},
        "bsadf": [
            {"date": dates[off + i], "value": _num(v), "cv95": _num(c)}
            for i, (v, c) in enumerate(zip(result.bsadf, cv95, strict=True))
        ],
        "episodes": [
            {
                "start": dates[e.start],
                "end": dates[e.end] if e.end is not None else None,
                "peak": dates[e.peak],
            }
            for e in episodes
        ],
    }


def _verdict(stat: float | None, cvs: dict[str, float | None]) -> str:
    if stat is None:
        return "undefined"
    for level, size in (("99", "1%"), ("95", "5%"), ("90", "10%")):
        c = cvs[level]
        if c is not None and stat > c:
            return f"explosive at the {size} level"
    return "no evidence of explosiveness"


def _print_summary(p: dict[str, Any], reps: int, duration: int, chart: Path | None) -> None:
    cvs = p["gsadf_cv"]
    head = new_table(title="PSY bubble test", show_header=False)
    head.add_row("observations (T)", str(p["T"]))
    head.add_row("min window / lag", f"{p['min_window']} / {p['lag']}")
    head.add_row("GSADF", f"{p['gsadf']:.3f}  ({_verdict(p['gsadf'], cvs)})")
    head.add_row("GSADF cv 90/95/99%", " / ".join(f"{cvs[k]:.3f}" for k in ("90", "95", "99")))
    head.add_row("SADF", f"{p['sadf']:.3f}" if p["sadf"] is not None else "n/a")
    last = p["bsadf"][-1]
    head.add_row("last BSADF / cv95", f"{last['value']:.3f} / {last['cv95']:.3f} ({last['date']})")
    head.add_row("Monte Carlo", f"{reps} replications; episodes of at least {duration} obs")
    console.print(head)
    if not p["episodes"]:
        console.print("No explosive episode (BSADF above its 95% critical value).")
    else:
        # Said above the table: as its title, rich wrapped it to the three date columns.
        console.print("Explosive episodes (BSADF above its 95% critical value):")
        table = new_table()
        for col in ("start", "end", "peak"):
            table.add_column(col)
        for e in p["episodes"]:
            table.add_row(e["start"], e["end"] or "running", e["peak"])
        console.print(table)
    if chart is not None:
        console.print(f"chart written to {chart}")
