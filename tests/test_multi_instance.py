"""Three `serve` processes on one PostgreSQL database, a fast schedule and a kill -9 of the
lock holder: one reading per slot, one delivery per alert, and another instance takes over.
The scenario lives in tests/multi_instance.py (benchmarks/bench_multi_instance.py runs it
longer and prints the figures)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.multi_instance import run_scenario

pytestmark = pytest.mark.slow


def test_three_instances_do_each_unit_of_work_once(pg_url: str, tmp_path: Path) -> None:
    figures = run_scenario(pg_url, tmp_path, instances=3, interval=3)
    print(f"\nmulti-instance figures: {figures}")  # shown with -s; the docs quote them
    log = figures.serve_log
    # A run on the same data replaces its reading (dated by the data), so readings can be
    # fewer than runs; never two inside one run.
    assert figures.ok_runs >= 5 and figures.readings_written >= 1
    assert figures.duplicate_runs == 0 and figures.duplicate_readings == 0
    assert figures.alerts_sent >= figures.ok_runs // 2  # breaking news nearly every run
    assert figures.deliveries == figures.alerts_sent
    assert figures.duplicate_deliveries == 0
    assert set(figures.skipped) <= {
        "held by another instance",
        "done by another instance",
        "started by an instance that stopped before finishing",
        "already run in this slot by this instance",
        "the previous run was still going",
    }
    assert (
        figures.skipped["held by another instance"] + figures.skipped["done by another instance"]
        >= figures.ok_runs
    )  # the other instances fired too, and stood down
    # The killed holder's run never finished; the survivor that took the job over closed
    # its row as abandoned (no restart needed), and ran the next slot.
    assert figures.killed_run_outcome == "abandoned", figures.killed_run_error
    assert figures.killed_run_error and "which took the job over" in figures.killed_run_error
    assert figures.killed_run_closed_s is not None
    assert 0 <= figures.killed_run_closed_s <= figures.takeover_s
    assert figures.takeover_s is not None and figures.takeover_s < 3 * figures.interval_s + 10
    assert sorted(figures.exit_codes, key=str) == [-9, 0, 0], log[-3000:]  # survivors: clean
    assert figures.healthz["store"]["backend"] == "postgresql"
    # Any job main adds later and this config does not turn off only changes the count.
    serving = r"serving \d+ job\(s\) on postgresql store postgresql://postgres@127\.0\.0\.1:"
    assert re.search(serving, log)
    assert log.count("(standby ready)") == 3  # every instance loaded the model before a job
    assert "job index skipped: held by another instance" in log or "done by another" in log
