"""The "no reading today" message: when no reading can be computed, the channel hears why.

A team that waits for its daily message must not get silence. When the index stage cannot
compute a reading (NoReadingError: no prices, news warming up, an empty store; ModelError:
the classifier files are unreadable), `report --slack` and the service's digest send one short
message naming the missing inputs and since when. It is claimed by a key of the local day
(`no_reading:YYYY-MM-DD`) like every alert, so it goes out at most once a day however many
runs fail; when no channel takes it, the claim is released and the next run tries again.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from monitor.config.feeds_yaml import Config
from monitor.errors import BubbleMonitorError, NoReadingError
from monitor.notify import Notifier, NotifierManager
from monitor.store import Store
from monitor.store.alerts import claim_alert, mark_sent, release_alert
from signals.models import Alert

log = logging.getLogger(__name__)
TITLE = "No AI bubble reading today"


def missing_of(error: BubbleMonitorError) -> tuple[str, ...]:
    """The missing inputs an error names (one line each)."""
    if isinstance(error, NoReadingError) and error.missing:
        return error.missing
    return (str(error),)


def no_reading_alert(config: Config, missing: Sequence[str], now: datetime) -> Alert:
    day = now.astimezone(ZoneInfo(config.schedule.timezone)).date().isoformat()
    text = "Missing: " + " · ".join(missing)
    return Alert("no_reading", f"no_reading:{day}", f"{TITLE} ({day})", text)


def send_no_reading(
    store: Store,
    config: Config,
    error: BubbleMonitorError,
    notifier: Notifier | NotifierManager,
    *,
    now: datetime,
) -> bool:
    """Send today's "no reading" message unless it went out already; True when sent now."""
    alert = no_reading_alert(config, missing_of(error), now)
    if not claim_alert(store, alert, now=now):
        return False
    manager = notifier if isinstance(notifier, NotifierManager) else NotifierManager([notifier])
    delivery = manager.deliver(alert, lambda: None)
    if delivery.ok:
        mark_sent(store, alert.dedup_key, channels=delivery.sent, sent_at=now)
        return True
    release_alert(store, alert.dedup_key)
    log.warning("no-reading message not delivered; will retry on the next run")
    return False
