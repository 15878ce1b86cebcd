"""The backtest chart: the index over its regime bands, the basket price, marked episodes.

matplotlib is imported here only (Agg backend, no display), and this module only when a
chart is asked for, so the CLI and the tests that draw nothing never load it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

import pandas as pd

from monitor.errors import InputError
from signals.backtest import Backtest
from signals.regime import BANDS, BURSTING

_BAND_COLOURS: Final[dict[str, str]] = {
    "calm": "#d8f0d8",
    "warming": "#fbf3c8",
    "frothy": "#fbdcb8",
    "bubble": "#f6c2c2",
}
_EPISODE_COLOUR: Final[str] = "#c0392b"
_BURSTING_COLOUR: Final[str] = "#6d1b1b"


def draw_chart(result: Backtest, basket_level: pd.Series, path: Path, *, title: str = "") -> None:
    """Write the PNG: top, the index on its bands; bottom, the basket (log scale)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    frame = result.frame
    fig, (top, bottom) = plt.subplots(
        2, 1, figsize=(10, 5.6), dpi=90, sharex=True, gridspec_kw={"height_ratios": [3, 2]}
    )
    try:
        _index_panel(top, frame)
        _basket_panel(bottom, basket_level)
        if result.warmup_end is not None and pd.Timestamp(result.warmup_end) > frame.index[0]:
            top.axvspan(frame.index[0], pd.Timestamp(result.warmup_end), color="white", alpha=0.6)
            top.text(frame.index[0], 92, " warm-up", fontsize=7, color="#555555")
        for episode in result.episodes:
            for axis in (top, bottom):
                axis.axvspan(
                    pd.Timestamp(episode.start),
                    pd.Timestamp(episode.end),
                    color=_EPISODE_COLOUR,
                    alpha=0.12,
                    lw=0,
                )
        top.set_title(title or "Bubble-risk index (backtest)", fontsize=11)
        fig.tight_layout()
        path.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(path, format="png")
    except OSError as e:
        raise InputError(f"{path}: cannot write the chart: {e}") from e
    finally:
        plt.close(fig)


def _index_panel(axis: object, frame: pd.DataFrame) -> None:
    from matplotlib.axes import Axes

    assert isinstance(axis, Axes)
    edges = [edge for edge, _ in BANDS] + [100.0]
    for (lo, name), hi in zip(BANDS, edges[1:], strict=True):
        axis.axhspan(lo, hi, color=_BAND_COLOURS.get(name, "#eeeeee"), lw=0, zorder=0)
        axis.text(
            0.005, (lo + hi) / 200, name, transform=axis.transAxes, fontsize=7, color="#555555"
        )
    axis.plot(frame.index, frame["index"], color="#1f3b73", lw=1.0, label="index")
    burst = frame["regime"] == BURSTING
    if burst.any():
        axis.scatter(
            frame.index[burst],
            frame.loc[burst, "index"],
            s=4,
            color=_BURSTING_COLOUR,
            zorder=3,
            label=BURSTING,
        )
    axis.set_ylim(0, 100)
    axis.set_ylabel("index (0-100)")
    axis.legend(loc="upper right", fontsize=7, frameon=False, ncols=2)


def _basket_panel(axis: object, level: pd.Series) -> None:
    from matplotlib.axes import Axes

    assert isinstance(axis, Axes)
    if level.notna().any():
        axis.plot(level.index, level, color="#333333", lw=0.9)
        axis.set_yscale("log")
    axis.set_ylabel("basket (start = 1, log)")
    axis.grid(True, which="major", alpha=0.3)
