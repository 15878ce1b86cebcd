"""The benchmark scripts docs cite run with the interpreter that runs them: bench_backtest
spawned `<project>/.venv/bin/python`, so anywhere the venv lives elsewhere (this machine's
shared venv, a CI image) it stopped with FileNotFoundError before measuring anything."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import numpy as np
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]


def _script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _data(tmp_path: Path, bench: ModuleType) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    days = pd.bdate_range("2020-01-02", periods=300)
    rng = np.random.default_rng(3)
    closes = pd.DataFrame(
        100 * np.cumprod(1 + rng.normal(0.0005, 0.02, size=(300, 2)), axis=0),
        index=days,
        columns=["NVDA", "SPY"],
    )
    closes.rename_axis("date").to_csv(data / bench.PRICES, float_format="%.4f")
    (data / bench.LAYOFFS).write_text(
        "company,location,total_laid_off,date\nAcme,SF,100,3/2/2020\n", encoding="utf-8"
    )
    return data


def test_bench_backtest_runs_the_backtest_with_its_own_interpreter(tmp_path: Path) -> None:
    bench = _script("bench_backtest")
    data = _data(tmp_path, bench)
    out = tmp_path / "out"
    out.mkdir()
    seconds, peak_mb = bench.whole_process(data, out)
    assert seconds > 0 and peak_mb > 0
    assert (out / "backtest.csv").exists() and (out / "backtest.png").exists()


def test_bench_backtest_stages_time_psy_once_per_ticker(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The warm-up run fills the per-ticker PSY memo, so the timed 'market frame (PSY
    included)' stage read the memo: 'PSY radf calls: 0 for 18 basket tickers', 0.06 s."""
    bench = _script("bench_backtest")
    bench.stages(_data(tmp_path, bench))
    assert "PSY radf calls: 1 for 1 basket tickers" in capsys.readouterr().out
