"""Amounts of money in a headline: "$100 billion", "$22.4bn", "€5bn", "$1.25B per month".

Rules (docs/circular-deals.md):
- a per-month amount counts 12 months, a per-year amount one year, unless the title gives
  the term ("$30B a year for five years" = $150B); "up to $N" counts N;
- a range ("$18B to $20B") counts its lower end;
- euros and pounds are converted at fixed rates (EUR 1.10, GBP 1.27 USD), close enough for
  amounts whose precision is "billions";
- an amount above MAX_USD ($2 trillion, above OpenAI's whole reported ~$1.4T of commitments)
  is not a deal amount ("$1e308", "a $3 trillion market") and is dropped.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Final

MAX_USD: Final[float] = 2e12
RATES: Final[dict[str, float]] = {"$": 1.0, "US$": 1.0, "€": 1.10, "£": 1.27}
_UNITS: Final[dict[str, float]] = {
    "t": 1e12, "tn": 1e12, "trillion": 1e12,
    "b": 1e9, "bn": 1e9, "bln": 1e9, "billion": 1e9,
    "m": 1e6, "mn": 1e6, "mln": 1e6, "million": 1e6,
    "k": 1e3, "thousand": 1e3,
}  # fmt: skip
_NUMBERS: Final[dict[str, int]] = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "twelve": 12, "fifteen": 15, "twenty": 20,
}  # fmt: skip
_AMOUNT: Final = re.compile(
    r"(?P<cur>US\$|\$|€|£)\s?(?P<num>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?![\d.,]*\d)"
    r"(?:\s?(?P<unit>trillion|billion|million|thousand|tn|bn|bln|mn|mln|[tbmk])\b)?"
    r"(?P<plus>\+)?",
    re.IGNORECASE,
)
_PERIOD: Final = re.compile(
    r"^\s*(?:a|per|each|every|/)\s*(?P<per>month|year|yr|mo)\b"
    r"(?:\s+(?:for|over)\s+(?P<n>\d+|[a-z]+)\s+(?:more\s+)?(?P<term>years?|months?))?",
    re.IGNORECASE,
)
_RANGE_TAIL: Final = re.compile(r"^\s*(?:to|-|–)\s*(?:US\$|\$|€|£)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Amount:
    usd: float
    start: int
    end: int
    #: True for "per month/year": converted to a total by the rule above.
    periodic: bool = False


def find_amounts(text: str) -> list[Amount]:
    """Every amount in `text`, in order, in US dollars; absurd or malformed ones left out.
    The second end of a range is left out (a range counts its lower end)."""
    found: list[Amount] = []
    skip_next = False
    for m in _AMOUNT.finditer(text):
        if skip_next:
            skip_next = False
            continue
        usd = _value(m)
        if usd is None:
            continue
        tail = text[m.end() :]
        periodic = _PERIOD.match(tail)
        end = m.end()
        if periodic is not None:
            usd *= _periods(periodic)
            end += periodic.end()
        if not (0 < usd <= MAX_USD):
            continue
        skip_next = _RANGE_TAIL.match(tail) is not None
        found.append(Amount(usd, m.start(), end, periodic is not None))
    return found


def _value(m: re.Match[str]) -> float | None:
    try:
        number = float(m["num"].replace(",", ""))
    except ValueError:
        return None
    unit = (m["unit"] or "").lower()
    if not math.isfinite(number) or (not unit and number < 1000):
        return None  # "$5" alone is a price, not a deal
    return number * _UNITS.get(unit, 1.0) * RATES[m["cur"].upper()]


def _periods(m: re.Match[str]) -> float:
    """How many of the period a per-period amount counts for (see the module docstring)."""
    per_month = m["per"].lower() in ("month", "mo")
    if m["n"] is None:
        return 12.0 if per_month else 1.0
    n = float(m["n"]) if m["n"].isdigit() else float(_NUMBERS.get(m["n"].lower(), 1))
    term_months = n if m["term"].lower().startswith("month") else 12 * n
    return term_months if per_month else term_months / 12
