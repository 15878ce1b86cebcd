"""The shipped critical-value table (signals/psy_cv_table.py) is the simulation it
replaces: every drift point equal to a fresh Monte Carlo run, element for element, and
used without simulating; other settings are still simulated."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from monitor.research import psy_cv_table as writer
from signals import market_explosive, psy_cv_table
from signals.market_explosive import ExplosiveSettings, bounded_cv95, grid_drifts, simulated_cv95


def test_every_drift_point_equals_a_fresh_simulation() -> None:
    settings = ExplosiveSettings()
    assert set(psy_cv_table.STEPS) == set(grid_drifts(settings))
    for drift in grid_drifts(settings):
        shipped = bounded_cv95(settings, drift)
        assert np.array_equal(shipped, simulated_cv95(settings, drift)), drift


def test_the_table_is_read_without_simulating(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_simulation(*args: object, **kwargs: object) -> None:
        raise AssertionError("simulated although the table has these settings")

    monkeypatch.setattr(market_explosive, "critical_values", no_simulation)
    cv = bounded_cv95(ExplosiveSettings(), 0.03)
    assert cv.shape == (psy_cv_table.LENGTH,)
    assert np.all(np.diff(cv) >= 0)
    with pytest.raises(ValueError):
        cv[0] = 1.0  # shared by every caller: read-only


def test_other_settings_are_simulated() -> None:
    settings = dataclasses.replace(ExplosiveSettings(), reps=60)
    cv = bounded_cv95(settings, None)
    assert np.array_equal(cv, simulated_cv95(settings, None))
    assert not np.array_equal(cv, bounded_cv95(ExplosiveSettings(), None))
    # A drift off the grid is not in the table either.
    off_grid = bounded_cv95(dataclasses.replace(settings, reps=60), 0.015)
    assert off_grid.shape == cv.shape


def test_breakpoints_rebuild_a_step_array() -> None:
    cv = np.array([1.0, 1.0, 2.0, 2.0, 2.0, 3.5])
    assert writer.breakpoints(cv) == [(0, 1.0), (2, 2.0), (5, 3.5)]
