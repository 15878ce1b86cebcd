"""`doctor`'s smart-money check: is short interest, 13F and model-mix data there and fresh?

Offline: it reads the store only. Warns, never fails: all three are optional sources.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Final

from monitor.store import Store
from monitor.store.filings import filings_overview
from monitor.store.model_mix import latest_week
from monitor.store.positioning import latest_published

#: Two settlement dates missed (they come twice a month, about two weeks late).
SHORT_INTEREST_STALE: Final = timedelta(days=35)
#: The weekly model count missed once.
MODEL_MIX_STALE: Final = timedelta(days=14)


def smart_money_check(store: Store, now: datetime) -> tuple[str, str]:
    """(status "ok" or "warn", detail) for the three smart-money sources."""
    today = now.date()
    problems, parts = [], []
    latest = latest_published(store)
    if latest is None:
        problems.append("no short interest yet (run `collect positioning`)")
    else:
        # Readings use a settlement only from the day it was public (signals.positioning).
        settled, public = latest
        parts.append(f"short interest settled {settled}, public {public}")
        if today - settled > SHORT_INTEREST_STALE:
            problems.append(f"short interest last settled {settled}: stale")
    filings, funds, filed = filings_overview(store)
    if filings == 0:
        problems.append("no 13F filings yet (run `collect filings`)")
    else:
        parts.append(f"{filings} 13F filings from {funds} funds, latest filed {filed}")
    week = latest_week(store)
    if week is None:
        problems.append("no model mix yet (run `collect models`)")
    else:
        parts.append(f"model mix to the week of {week}")
        if today - week > MODEL_MIX_STALE:
            problems.append(f"model mix last counted for the week of {week}: stale")
    return ("warn" if problems else "ok"), "; ".join([*problems, *parts])
