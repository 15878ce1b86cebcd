"""The index history chart: stacked component contributions under the index line, PNG.

Each component's band is its contribution (value x effective weight) to the index, so the
bands stack up to the index line; the background shades the regime bands. matplotlib is
imported lazily with the Agg backend, so nothing needs a display and `--help` stays fast.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

from monitor.errors import InputError
from signals.models import IndexReading
from signals.regime import BANDS

_BAND_COLOURS = {"calm": "#e8f5e9", "warming": "#fffde7", "frothy": "#fff3e0", "bubble": "#ffebee"}


def index_chart_png(readings: Sequence[IndexReading], *, title: str | None = None) -> bytes:
    """The chart as PNG bytes; needs at least one reading."""
    if not readings:
        raise InputError("no stored index readings to chart; run `bubble-monitor report` first")
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import dates as mdates
    from matplotlib import pyplot as plt

    readings = sorted(readings, key=lambda r: r.as_of)
    times = mdates.date2num([r.as_of for r in readings])  # type: ignore[no-untyped-call]
    names = list(dict.fromkeys(c.name for r in readings for c in r.components))
    layers = [[_contribution(r, name) for r in readings] for name in names]
    fig, ax = plt.subplots(figsize=(10, 5), dpi=100)
    try:
        edges = [edge for edge, _ in BANDS] + [100.0]
        for (edge, name), top in zip(BANDS, edges[1:], strict=True):
            ax.axhspan(edge, top, color=_BAND_COLOURS.get(name, "#f5f5f5"), zorder=0)
            ax.text(
                1.005,
                edge + 1,
                name,
                fontsize=8,
                color="#555555",
                transform=ax.get_yaxis_transform(),
            )
        if len(readings) > 1:
            ax.stackplot(times, layers, labels=names, alpha=0.75, zorder=2)
        ax.plot(
            times,
            [r.index for r in readings],
            color="black",
            lw=1.8,
            label="index",
            zorder=3,
            marker="o" if len(readings) < 3 else None,
        )
        ax.xaxis_date()
        ax.set_ylim(0, 100)
        ax.set_ylabel("bubble risk (0-100)")
        ax.set_title(title or f"AI bubble index: {readings[-1].index:.0f} ({readings[-1].regime})")
        ax.legend(loc="upper left", fontsize=7, ncol=4, framealpha=0.8)
        fig.autofmt_xdate()
        fig.tight_layout()
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png")
        return buffer.getvalue()
    finally:
        plt.close(fig)


def write_index_chart(readings: Sequence[IndexReading], path: Path) -> Path:
    """Write the chart to `path` (InputError naming the file when it cannot)."""
    data = index_chart_png(readings)
    try:
        path.write_bytes(data)
    except OSError as e:
        raise InputError(f"{path}: cannot write the chart: {e.strerror or e}") from e
    return path


def _contribution(reading: IndexReading, name: str) -> float:
    return next((c.contribution for c in reading.components if c.name == name), 0.0)
