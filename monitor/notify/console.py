"""The console channel: alerts printed as plain text when no Slack is configured."""

from __future__ import annotations

import sys
from typing import TextIO

from monitor.notify.slack_blocks import axes_line
from monitor.present.segments import comparison_line, segment_lines, v3_lines
from monitor.present.smart_money_json import context_lines
from monitor.reading.circular_json import context_lines as circular_lines
from signals.models import Alert, IndexReading
from signals.wording import voice


def render_text(alert: Alert) -> str:
    """A plain-text rendering of an alert (also the README's sample message)."""
    lines = [f"== {alert.title} =="]
    if alert.reading is not None:
        lines += reading_lines(alert.reading)
    else:
        lines.append(alert.text)
    for ref in alert.headlines:
        lines.append(f"  * {ref.title} ({ref.source}, {ref.label} {ref.confidence:.2f}) {ref.url}")
    return "\n".join(lines)


def reading_lines(reading: IndexReading) -> list[str]:
    change = "first reading" if reading.change is None else f"{reading.change:+.1f}"
    comparison = comparison_line(reading)
    lines = [comparison] if comparison else []
    lines.append(f"Index {reading.index:.1f}/100, regime {reading.regime}, change {change}")
    if reading.probability is not None and reading.base_rate is not None:
        lines += voice(reading.regime, reading.probability, reading.base_rate, reading.target)
        lines += axes_line(reading, "froth {:.0f}, stress {:.0f}")
        lines += [f"  driver: {d}" for d in reading.drivers]
        lines += [f"  {line}" for line in v3_lines(reading)]
        if reading.caution:
            lines.append(f"  CAUTION: {reading.caution}")
    for c in sorted(reading.components, key=lambda c: (c.value is None, -c.contribution)):
        value = "missing" if c.value is None else f"{c.value:5.1f}  w {c.weight:4.0%}"
        if c.value is not None and reading.probability is not None:
            value = f"{c.contribution:+5.1f} pts" + (" unfitted" if c.unfitted else "")
        lines.append(f"  {c.name:<15} {value:<16} {c.detail}")
    segments = segment_lines(reading)
    if segments:
        lines.append("Segments:")
        lines += [f"  {line}" for line in segments]
    if reading.top_headlines:
        lines.append("Headlines:")
        for h in reading.top_headlines:
            lines.append(f"  * {h.title} ({h.source}, {h.label} {h.confidence:.2f}) {h.url}")
    if reading.stale:
        lines.append(f"Missing or stale: {', '.join(reading.stale)}")
    lines += [f"Note: {n}" for n in reading.notes]
    lines += list(context_lines(reading.context))
    lines += list(circular_lines(reading.context))
    return lines


class ConsoleNotifier:
    """Writes each alert to a stream (stdout by default)."""

    name = "console"
    wants_chart = False

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream

    def send(self, alert: Alert, *, chart: bytes | None = None) -> None:
        stream = self.stream or sys.stdout
        stream.write(render_text(alert) + "\n\n")
        stream.flush()
