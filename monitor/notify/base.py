"""The notifier seam: a tiny protocol per channel and a manager that isolates failures.

A channel (Slack bot, Slack webhook, console) implements `Notifier.send`. The manager
sends an alert through every channel; one channel raising never stops the others, and the
result says which channels delivered it (freqtrade's rpc_manager pattern).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from monitor.errors import NotifyError, PartialDeliveryError, UncertainDeliveryError
from signals.models import Alert

log = logging.getLogger(__name__)

#: Set when the service is stopping (monitor.service.lifecycle): a channel waiting before
#: a retry (Slack's Retry-After) gives up at once and the send fails, so the alert's
#: claim is released and the next start sends it, instead of the service abandoning the
#: send at its stop deadline with the alert claimed and never delivered.
stopping = threading.Event()

ChartFactory = Callable[[], bytes | None]

#: Opens every channel's rendering of a simulated reading (the demo's; the console's
#: banner is monitor.present.reading.DEMO_BANNER).
SIMULATED_TITLE = "SIMULATED DEMO, not market data"


@runtime_checkable
class Notifier(Protocol):
    """One delivery channel. `send` raises NotifyError (or anything) when it fails."""

    name: str
    wants_chart: bool

    def send(self, alert: Alert, *, chart: bytes | None = None) -> None: ...


@dataclass(frozen=True)
class Delivery:
    """What sending one alert did: channels that delivered it and those that failed."""

    sent: tuple[str, ...] = ()
    failed: dict[str, str] = field(default_factory=dict)
    #: Channels that delivered the alert without an optional part (the chart), and why.
    warnings: dict[str, str] = field(default_factory=dict)
    #: Failed channels that may have delivered it all the same (UncertainDeliveryError).
    uncertain: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return bool(self.sent)


@dataclass(frozen=True)
class Undelivered:
    """One alert a channel failed to deliver: its dedup key, the channel, why."""

    key: str
    channel: str
    error: str


#: Failures kept per thread until taken (a thread that never takes them keeps the last few).
_KEPT_FAILURES = 100


class NotifierManager:
    """Sends through every channel; each failure is caught, logged and reported."""

    name = "manager"

    def __init__(self, notifiers: Sequence[Notifier]) -> None:
        self.notifiers = tuple(notifiers)
        self._local = threading.local()

    def take_failures(self) -> list[Undelivered]:
        """The channel failures of this thread's deliveries since the last call, and forget
        them. The service's runner takes them after each job run (each job has its own
        thread), so a revoked token shows in the job log and /metrics, not only in a log
        line: the stage that sends counts only what was delivered."""
        taken: list[Undelivered] = getattr(self._local, "failures", [])
        self._local.failures = []
        return taken

    def _note_failure(self, failure: Undelivered) -> None:
        kept: list[Undelivered] = getattr(self._local, "failures", [])
        self._local.failures = [*kept[-(_KEPT_FAILURES - 1) :], failure]

    @property
    def wants_chart(self) -> bool:
        return any(n.wants_chart for n in self.notifiers)

    def deliver(self, alert: Alert, chart: ChartFactory | None = None) -> Delivery:
        """Send to all channels; the chart is rendered at most once, only if wanted."""
        image = _render(chart) if chart is not None and self.wants_chart else None
        sent: list[str] = []
        failed: dict[str, str] = {}
        warnings: dict[str, str] = {}
        uncertain: list[str] = []
        for notifier in self.notifiers:
            try:
                notifier.send(alert, chart=image if notifier.wants_chart else None)
            except PartialDeliveryError as e:
                sent.append(notifier.name)
                warnings[notifier.name] = str(e)
            except Exception as e:  # one channel must never stop the others
                if isinstance(e, UncertainDeliveryError):
                    uncertain.append(notifier.name)
                failed[notifier.name] = str(e) or type(e).__name__
                self._note_failure(
                    Undelivered(alert.dedup_key, notifier.name, failed[notifier.name])
                )
                log.warning("alert %s not sent via %s: %s", alert.dedup_key, notifier.name, e)
            else:
                sent.append(notifier.name)
        return Delivery(tuple(sent), failed, warnings, tuple(uncertain))

    def send(self, alert: Alert, *, chart: bytes | None = None) -> None:
        """Notifier protocol: deliver, raising only when no channel delivered it."""
        delivery = self.deliver(alert, (lambda: chart) if chart is not None else None)
        if not delivery.ok:
            reasons = "; ".join(f"{k}: {v}" for k, v in delivery.failed.items())
            raise NotifyError(f"alert not delivered by any channel ({reasons})")


def _render(chart: ChartFactory) -> bytes | None:
    try:
        return chart()
    except Exception as e:  # a chart is a nicety; the message goes out without it
        log.warning("index chart not rendered: %s", e)
        return None
