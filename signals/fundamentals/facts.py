"""companyfacts JSON -> point-in-time facts: one `Fact` model whatever the XBRL tag.

SEC's companyfacts document lists every value a company reported for every tag, each with
the accession and the date it was filed. We keep the tags behind the standard measures
(`CONCEPTS`, in fallback order) and only in the unit they must have (USD for amounts,
shares for share counts). A value without a filing date cannot be placed in time and is
dropped and counted; so is one in a wrong unit or with an unreadable date or number.
Restatements and 10-K/A amendments stay separate facts, each from its own filing date.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Final, Literal

Kind = Literal["duration", "instant"]


@dataclass(frozen=True, slots=True)
class Concept:
    """A standard measure: the unit it must be in, duration or instant, and its tags in
    the order they are preferred when a company filed more than one for a period."""

    name: str
    unit: str
    kind: Kind
    tags: tuple[str, ...]


CONCEPTS: Final[tuple[Concept, ...]] = (
    Concept(
        "revenue",
        "USD",
        "duration",
        (
            "us-gaap:Revenues",
            "us-gaap:RevenueFromContractWithCustomerExcludingAssessedTax",
            "us-gaap:SalesRevenueNet",
            "us-gaap:RevenueFromContractWithCustomerIncludingAssessedTax",
        ),
    ),
    Concept(
        "capex",
        "USD",
        "duration",
        (
            "us-gaap:PaymentsToAcquirePropertyPlantAndEquipment",
            "us-gaap:PaymentsToAcquireProductiveAssets",
        ),
    ),
    Concept(
        "operating_cash_flow",
        "USD",
        "duration",
        (
            "us-gaap:NetCashProvidedByUsedInOperatingActivities",
            "us-gaap:NetCashProvidedByUsedInOperatingActivitiesContinuingOperations",
        ),
    ),
    Concept("long_term_debt", "USD", "instant", ("us-gaap:LongTermDebt",)),
    Concept("long_term_debt_noncurrent", "USD", "instant", ("us-gaap:LongTermDebtNoncurrent",)),
    Concept("long_term_debt_current", "USD", "instant", ("us-gaap:LongTermDebtCurrent",)),
    Concept("commercial_paper", "USD", "instant", ("us-gaap:CommercialPaper",)),
    Concept("short_term_borrowings", "USD", "instant", ("us-gaap:ShortTermBorrowings",)),
    Concept(
        "shares",
        "shares",
        "instant",
        ("dei:EntityCommonStockSharesOutstanding", "us-gaap:CommonStockSharesOutstanding"),
    ),
)
CONCEPT_BY_NAME: Final[Mapping[str, Concept]] = {c.name: c for c in CONCEPTS}
TAG_RANK: Final[Mapping[str, int]] = {t: i for c in CONCEPTS for i, t in enumerate(c.tags)}


@dataclass(frozen=True, slots=True)
class Fact:
    """One reported value: counts from `filed` on (never before it was public)."""

    cik: int
    concept: str
    tag: str  # taxonomy:name, e.g. us-gaap:Revenues
    start: date | None  # None for an instant (a balance, a share count)
    end: date
    value: float
    accession: str
    form: str
    filed: date

    @property
    def rank(self) -> int:
        """The tag's place in its concept's fallback order (0 = preferred)."""
        return TAG_RANK.get(self.tag, len(TAG_RANK))


@dataclass(frozen=True, slots=True)
class CompanyFacts:
    cik: int
    name: str
    facts: tuple[Fact, ...]
    problems: tuple[str, ...]  # what was dropped and why, counted per tag


class FactsError(ValueError):
    """The body is not a companyfacts document; the message names the source."""


def parse_companyfacts(body: bytes | str, source: str) -> CompanyFacts:
    """The facts behind the standard measures in one companyfacts body."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as e:
        raise FactsError(f"{source}: not JSON ({e})") from e
    except RecursionError:  # a body of nested brackets: it stopped every other company
        raise FactsError(f"{source}: not JSON (nested too deeply)") from None
    if not isinstance(data, dict) or not isinstance(data.get("facts"), dict):
        raise FactsError(f"{source}: not a companyfacts document (no 'facts' object)")
    try:
        cik = int(data.get("cik"))  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError) as e:  # 1e999 reads as inf
        raise FactsError(f"{source}: 'cik' is missing or not a number") from e
    facts: list[Fact] = []
    problems: list[str] = []
    for concept in CONCEPTS:
        for tag in concept.tags:
            rows = _rows(data["facts"], tag, concept, problems)
            kept, dropped = _facts(cik, concept, tag, rows)
            facts.extend(kept)
            if dropped:
                problems.append(f"{tag}: {dropped} value(s) without a usable filed/end/val")
    return CompanyFacts(cik, str(data.get("entityName") or ""), tuple(facts), tuple(problems))


def _rows(facts: Any, tag: str, concept: Concept, problems: list[str]) -> list[Any]:
    taxonomy, name = tag.split(":", 1)
    entry = (facts.get(taxonomy) or {}).get(name) if isinstance(facts, dict) else None
    if not isinstance(entry, dict) or not isinstance(entry.get("units"), dict):
        return []
    units = entry["units"]
    if concept.unit not in units:
        problems.append(f"{tag}: in {', '.join(sorted(units))}, not {concept.unit}: skipped")
        return []
    rows = units[concept.unit]
    return rows if isinstance(rows, list) else []


def _facts(cik: int, concept: Concept, tag: str, rows: list[Any]) -> tuple[list[Fact], int]:
    seen: set[tuple[date | None, date, str]] = set()
    kept: list[Fact] = []
    dropped = 0
    for row in rows:
        fact = _fact(cik, concept, tag, row)
        if fact is None:
            dropped += 1
            continue
        key = (fact.start, fact.end, fact.accession)
        if key not in seen:  # the same value can be listed once per frame it fills
            seen.add(key)
            kept.append(fact)
    return kept, dropped


def _fact(cik: int, concept: Concept, tag: str, row: Any) -> Fact | None:
    if not isinstance(row, dict):
        return None
    try:
        value = float(row["val"])
        end = date.fromisoformat(str(row["end"]))
        filed = date.fromisoformat(str(row["filed"]))
        start = date.fromisoformat(str(row["start"])) if concept.kind == "duration" else None
    except (KeyError, TypeError, ValueError):
        return None
    if (start is not None and start > end) or not math.isfinite(value):  # 1e999 reads as inf
        return None
    return Fact(
        cik,
        concept.name,
        tag,
        start,
        end,
        value,
        str(row.get("accn", "")),
        str(row.get("form", "")),
        filed,
    )


def known_by(facts: Iterator[Fact] | tuple[Fact, ...] | list[Fact], day: date) -> list[Fact]:
    """The facts public on `day`: filed on or before it."""
    return [f for f in facts if f.filed <= day]
