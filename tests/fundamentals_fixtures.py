"""Hand-made companyfacts bodies, small, shaped like SEC's (facts -> taxonomy -> tag ->
units -> rows with start, end, val, accn, fy, fp, form, filed)."""

from __future__ import annotations

import json
from typing import Any


def row(
    end: str,
    val: float,
    filed: str | None,
    *,
    start: str | None = None,
    accn: str = "0000000001-25-000001",
    form: str = "10-Q",
) -> dict[str, Any]:
    out: dict[str, Any] = {"end": end, "val": val, "accn": accn, "form": form}
    if start is not None:
        out["start"] = start
    if filed is not None:
        out["filed"] = filed
    return out


def body(
    cik: int, tags: dict[str, dict[str, list[dict[str, Any]]]], name: str = "Test Co"
) -> bytes:
    """`tags` maps "us-gaap:Revenues" to {unit: rows}."""
    facts: dict[str, dict[str, Any]] = {}
    for tag, units in tags.items():
        taxonomy, concept = tag.split(":")
        facts.setdefault(taxonomy, {})[concept] = {"label": concept, "units": units}
    return json.dumps({"cik": cik, "entityName": name, "facts": facts}).encode()


def june_company(cik: int = 789019) -> bytes:
    """A June fiscal year (like Microsoft): revenue filed per quarter; capex and operating
    cash flow year-to-date in the 10-Qs and for the year in the 10-K (Q4 is derived)."""
    k, q = "10-K", "10-Q"
    revenue = [
        row("2024-09-30", 65e9, "2024-10-30", start="2024-07-01", form=q),
        row("2024-12-31", 70e9, "2025-01-29", start="2024-10-01", form=q),
        row("2025-03-31", 70e9, "2025-04-30", start="2025-01-01", form=q),
        row("2025-06-30", 280e9, "2025-07-30", start="2024-07-01", form=k),
    ]
    capex = [
        row("2024-09-30", 15e9, "2024-10-30", start="2024-07-01", form=q),
        row("2024-12-31", 31e9, "2025-01-29", start="2024-07-01", form=q),
        row("2025-03-31", 48e9, "2025-04-30", start="2024-07-01", form=q),
        row("2025-06-30", 65e9, "2025-07-30", start="2024-07-01", form=k),
    ]
    cash = [
        row("2024-09-30", 34e9, "2024-10-30", start="2024-07-01", form=q),
        row("2024-12-31", 56e9, "2025-01-29", start="2024-07-01", form=q),
        row("2025-03-31", 93e9, "2025-04-30", start="2024-07-01", form=q),
        row("2025-06-30", 136e9, "2025-07-30", start="2024-07-01", form=k),
    ]
    debt = [row("2025-06-30", 43e9, "2025-07-30", form=k)]
    return body(
        cik,
        {
            "us-gaap:RevenueFromContractWithCustomerExcludingAssessedTax": {"USD": revenue},
            "us-gaap:PaymentsToAcquirePropertyPlantAndEquipment": {"USD": capex},
            "us-gaap:NetCashProvidedByUsedInOperatingActivities": {"USD": cash},
            "us-gaap:LongTermDebt": {"USD": debt},
        },
        "June Co",
    )
