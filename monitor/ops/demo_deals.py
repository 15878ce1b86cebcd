"""The demo's SIMULATED circular deals: a loop among the demo's invented companies, so the
demo shows the `circular` line and the graph panel. Every deal's URL is under
https://demo.invalid/ (monitor.reading.circular.SIMULATED_PREFIX), which makes the line
say SIMULATED; the names are the demo headlines' invented ones, never real companies.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Final

from monitor.reading.circular import SIMULATED_PREFIX
from monitor.store import Store
from monitor.store.deals import DealCounts, Report, record_deals
from signals.deals.models import DealDraft, Kind

#: (days before the demo's end, payer, payee, amount in USD, kind)
DEALS: Final[tuple[tuple[int, str, str, float, Kind], ...]] = (
    (300, "Cobalt Cloud", "Northwind AI", 10e9, "equity"),
    (240, "Vantor Semiconductor", "Northwind AI", 40e9, "equity"),
    (200, "Northwind AI", "Cobalt Cloud", 120e9, "compute"),
    (150, "Cobalt Cloud", "Vantor Semiconductor", 30e9, "chips"),
    (90, "Northwind AI", "Vantor Semiconductor", 25e9, "chips"),
    (60, "Vantor Semiconductor", "Helix Neocloud", 5e9, "guarantee"),
    (30, "Northwind AI", "Helix Neocloud", 15e9, "compute"),
)


def seed_demo_deals(store: Store, now: datetime) -> DealCounts:
    found = []
    for days, payer, payee, amount, kind in DEALS:
        title = f"SIMULATED: {payer} and {payee} in a ${amount / 1e9:.0f} billion {kind} deal"
        slug = f"{payer}-{payee}-{kind}".lower().replace(" ", "-")
        report = Report((now - timedelta(days=days)).date(), title, SIMULATED_PREFIX + slug, "demo")
        found.append((DealDraft(payer, payee, amount, kind, 1.0), report))
    return record_deals(store, found, now=now, status="confirmed")
