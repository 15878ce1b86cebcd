"""The news history chart: the basket with its named drawdowns shaded, its next-6-month
drawdown, and one panel per news component (0-100, 50 = its own baseline rate).

matplotlib is imported inside `draw_news_history` only (Agg backend, no display).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Final

import pandas as pd

from monitor.research.news_history import NewsHistory
from signals.labels import NEWS_COMPONENTS

if TYPE_CHECKING:
    from matplotlib.axes import Axes

_SHADE: Final[str] = "#f6c2c2"


def draw_news_history(history: NewsHistory, path: Path, *, title: str = "") -> None:
    """Write the PNG (one shared time axis)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    daily = history.daily
    fig, axes = plt.subplots(
        len(NEWS_COMPONENTS) + 1, 1, figsize=(10, 12), dpi=80, sharex=True,
        gridspec_kw={"height_ratios": [2.2] + [1.0] * len(NEWS_COMPONENTS)},
    )  # fmt: skip
    try:
        top = axes[0]
        top.plot(daily.index, daily["basket"], color="#1f3a5f", lw=1.2, label="AI basket")
        top.set_yscale("log")
        top.set_ylabel("basket (log)")
        twin = top.twinx()
        twin.plot(
            daily.index, -100 * daily["forward_drawdown"], color="#c0392b", lw=0.8,
            label="next-6-month drawdown, % (right)",
        )  # fmt: skip
        twin.set_ylabel("drawdown %")
        top.legend(loc="upper left", fontsize=8)
        twin.legend(loc="lower left", fontsize=8)
        top.set_title(title, fontsize=10)
        for ax, name in zip(axes[1:], NEWS_COMPONENTS, strict=True):
            _component(ax, daily[name], name)
        for ax in axes:
            for e in history.episodes:
                ax.axvspan(pd.Timestamp(e.peak), pd.Timestamp(e.trough), color=_SHADE, lw=0)
        fig.tight_layout()
        fig.savefig(path)
    finally:
        plt.close(fig)


def _component(ax: Axes, series: pd.Series, name: str) -> None:
    monthly = series.resample("MS").mean()
    ax.plot(series.index, series, color="#999999", lw=0.4)
    ax.plot(monthly.index, monthly, color="#1f3a5f", lw=1.2, drawstyle="steps-post")
    ax.axhline(50, color="#555555", lw=0.6, ls=":")
    ax.set_ylim(0, 100)
    ax.set_ylabel(name.replace("_", " "), fontsize=8)
