"""Files of the `bubbles` command: one series from a CSV, a disk cache of critical values,
and the chart (matplotlib, Agg, imported only when a chart is asked for)."""

from __future__ import annotations

import csv
import hashlib
import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from monitor.config import paths
from monitor.errors import InputError
from signals.psy import CriticalValues, Episode, critical_values

_ISO_LIKE = re.compile(r"^\d{4}-\d{2}")


@dataclass(frozen=True, slots=True)
class Series:
    """One column of a CSV: its dates (as written) and values, blank cells skipped."""

    dates: list[str]
    values: np.ndarray
    skipped: int


def read_series(path: Path, column: str, *, date_column: str = "date", log: bool = False) -> Series:
    """Read `column` of a CSV; errors name the file, the line and the column."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as f:
            return _parse(csv.reader(f), path, column, date_column, log)
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, not a CSV file") from None
    except (UnicodeDecodeError, csv.Error) as e:
        raise InputError(f"{path}: not a readable CSV file ({e})") from None


def _parse(
    rows: Iterator[list[str]], path: Path, column: str, date_column: str, log: bool
) -> Series:
    header = next(rows, None)
    if not header:
        raise InputError(f"{path}: empty file")
    names = [h.strip() for h in header]
    for wanted, what in ((column, "--column"), (date_column, "--date-column")):
        if wanted not in names:
            raise InputError(f"{path}: no column '{wanted}' ({what}); columns: {', '.join(names)}")
    vi, di = names.index(column), names.index(date_column)
    dates: list[str] = []
    values: list[float] = []
    skipped = 0
    for line, row in enumerate(rows, start=2):
        if not row or all(not c.strip() for c in row):
            continue
        cell = row[vi].strip() if vi < len(row) else ""
        if not cell:
            skipped += 1
            continue
        values.append(_number(cell, path, line, column, log))
        dates.append(_date(row, di, path, line, date_column, dates))
    return Series(dates=dates, values=np.asarray(values, dtype=np.float64), skipped=skipped)


def _number(cell: str, path: Path, line: int, column: str, log: bool) -> float:
    try:
        x = float(cell)
    except ValueError:
        raise InputError(
            f"{path}: line {line}, column '{column}': not a number: {cell!r}"
        ) from None
    if not math.isfinite(x):
        raise InputError(f"{path}: line {line}, column '{column}': not a finite number: {cell!r}")
    if log:
        if x <= 0:
            raise InputError(
                f"{path}: line {line}, column '{column}': --log needs values > 0, got {cell}"
            )
        x = math.log(x)
    return x


def _date(row: list[str], di: int, path: Path, line: int, name: str, seen: list[str]) -> str:
    d = row[di].strip() if di < len(row) else ""
    if not d:
        raise InputError(f"{path}: line {line}, column '{name}': empty date")
    if seen and _ISO_LIKE.match(d) and _ISO_LIKE.match(seen[-1]) and d <= seen[-1]:
        raise InputError(
            f"{path}: line {line}, column '{name}': dates must increase ({d} after {seen[-1]})"
        )
    return d


def cached_critical_values(
    n: int,
    min_window: int,
    *,
    lag: int,
    reps: int,
    seed: int,
    ic_max_lag: int | None,
    cache_dir: Path | None = None,
) -> CriticalValues:
    """Critical values from the app data dir's cache, simulated and saved on a miss."""
    folder = cache_dir or paths.data_dir() / "psy_cv"
    key = f"n{n}-m{min_window}-lag{lag}-ic{ic_max_lag}-reps{reps}-seed{seed}"
    file = folder / f"{hashlib.sha1(key.encode()).hexdigest()[:16]}.npz"
    if file.is_file():
        try:
            with np.load(file) as z:
                if str(z["key"]) == key:
                    return _from_arrays(n, min_window, lag, ic_max_lag, reps, seed, z)
        except (OSError, ValueError, KeyError):
            pass  # a corrupt cache file is simulated again and overwritten
    cv = critical_values(n, min_window, lag=lag, reps=reps, seed=seed, ic_max_lag=ic_max_lag)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = file.with_suffix(".tmp.npz")
        np.savez(tmp, key=key, adf=cv.adf, sadf=cv.sadf, gsadf=cv.gsadf, bsadf=cv.bsadf)
        tmp.replace(file)
    except OSError:
        pass  # the cache is an optimisation; a read-only data dir only costs time
    return cv


def _from_arrays(
    n: int, m: int, lag: int, ic: int | None, reps: int, seed: int, z: np.lib.npyio.NpzFile
) -> CriticalValues:
    k = lag if ic is None else ic
    return CriticalValues(
        T=n, min_window=m, lag=k, reps=reps, seed=seed, offset=m + k,
        adf=z["adf"], sadf=z["sadf"], gsadf=z["gsadf"], bsadf=z["bsadf"],
    )  # fmt: skip


def write_chart(
    path: Path,
    *,
    title: str,
    dates: Sequence[str],
    values: np.ndarray,
    bsadf: np.ndarray,
    cv95: np.ndarray,
    offset: int,
    episodes: Sequence[Episode],
) -> None:
    """The series with episodes shaded, and BSADF against its 95% critical value."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    x = np.arange(len(dates))
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(11, 6.5), sharex=True)
    top.plot(x, values, color="#1f3b73", linewidth=1.0)
    top.set_title(title)
    for axis in (top, bottom):
        for e in episodes:
            axis.axvspan(e.start, e.end if e.end is not None else x[-1], color="#f4a261", alpha=0.3)
    bottom.plot(x[offset:], bsadf, color="#1f3b73", linewidth=1.0, label="BSADF")
    bottom.plot(x[offset:], cv95, color="#c1121f", linewidth=1.0, linestyle="--", label="95% cv")
    bottom.legend(loc="upper left")
    ticks = np.linspace(0, len(dates) - 1, num=min(8, len(dates))).astype(int)
    bottom.set_xticks(ticks, [dates[i] for i in ticks], rotation=30, ha="right")
    fig.tight_layout()
    try:
        fig.savefig(path, dpi=110)
    except OSError as e:
        raise InputError(f"{path}: cannot write the chart ({e.strerror or e})") from None
    finally:
        plt.close(fig)
