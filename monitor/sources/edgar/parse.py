"""Strict parsers for EDGAR's submissions JSON, filing index, 13F cover page and information table.

XML goes through defusedxml (no entity expansion, no external entities). The information
table is read on its published schema (namespace
http://www.sec.gov/edgar/document/thirteenf/informationtable): every required field
must be there and well-formed, or the whole filing is refused with the URL, the row and
the field, so a half-read table never reaches the store.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Final
from xml.etree.ElementTree import Element
from xml.etree.ElementTree import ParseError as XMLParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from monitor.errors import ParseError
from signals.thirteenf import Holding, PutCall

FORMS_13F: Final = ("13F-HR", "13F-HR/A")
INFO_TABLE_NS: Final = "http://www.sec.gov/edgar/document/thirteenf/informationtable"
#: Filings made from this day report values in dollars; earlier ones in thousands
#: (SEC Release 34-95148, compliance date 3 January 2023).
DOLLAR_VALUES_FROM: Final = date(2023, 1, 3)


@dataclass(frozen=True, slots=True)
class FilingRef:
    """One 13F filing as listed in a fund's submissions JSON."""

    accession: str
    form: str
    filed: date
    period: date | None


@dataclass(frozen=True, slots=True)
class Submissions:
    name: str
    filings: tuple[FilingRef, ...]


@dataclass(frozen=True, slots=True)
class CoverPage:
    period: date
    amendment_type: str | None


def value_multiplier(filed: date) -> int:
    """1000 for values in thousands (filed before 2023-01-03), 1 for values in dollars."""
    return 1 if filed >= DOLLAR_VALUES_FROM else 1000


def parse_submissions(body: bytes, url: str) -> Submissions:
    """The fund's name and its 13F-HR and 13F-HR/A filings, newest first."""
    data = _json(body, url)
    recent = data.get("filings", {}).get("recent") if isinstance(data, dict) else None
    if not isinstance(recent, dict):
        raise ParseError(f"{url}: no filings.recent object (not a submissions file?)")
    columns = {k: recent.get(k) for k in ("accessionNumber", "form", "filingDate", "reportDate")}
    bad = [k for k, v in columns.items() if not isinstance(v, list)]
    lengths = {len(v) for v in columns.values() if isinstance(v, list)}
    if bad or len(lengths) > 1:
        raise ParseError(f"{url}: filings.recent columns missing or uneven: {bad or lengths}")
    refs = []
    for row, (acc, form, filed, period) in enumerate(zip(*columns.values(), strict=True)):
        if form in FORMS_13F:
            where = f"{url}: filings.recent row {row}"
            refs.append(FilingRef(str(acc), form, _date(filed, where), _date_or_none(period)))
    refs.sort(key=lambda r: (r.filed, r.accession), reverse=True)
    return Submissions(str(data.get("name") or ""), tuple(refs))


def information_table_name(body: bytes, url: str) -> str:
    """The information-table XML among a filing's files (index.json of its folder)."""
    data = _json(body, url)
    items = data.get("directory", {}).get("item") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise ParseError(f"{url}: no directory.item list (not a filing index?)")
    names = [str(i.get("name", "")) for i in items if isinstance(i, dict)]
    xml = [n for n in names if n.lower().endswith(".xml") and n.lower() != "primary_doc.xml"]
    named = [n for n in xml if "info" in n.lower()]
    if len(named) == 1 or len(xml) == 1:
        return named[0] if len(named) == 1 else xml[0]
    raise ParseError(f"{url}: cannot tell the information table among {xml or names}")


def parse_cover_page(body: bytes, url: str) -> CoverPage:
    """The report period and the amendment type from primary_doc.xml."""
    root = _xml(body, url)
    period_text = _find_text(root, "reportCalendarOrQuarter") or _find_text(root, "periodOfReport")
    if period_text is None:
        raise ParseError(f"{url}: no reportCalendarOrQuarter or periodOfReport")
    period = _date(period_text, f"{url}: reportCalendarOrQuarter")
    amended = (_find_text(root, "isAmendment") or "").lower() in ("true", "y", "1")
    kind = _find_text(root, "amendmentType") if amended else None
    return CoverPage(period, kind.upper() if kind else ("RESTATEMENT" if amended else None))


def parse_information_table(
    body: bytes, url: str, *, multiplier: int, cusips: Mapping[str, str]
) -> list[Holding]:
    """Every row of the table as a Holding, values converted to dollars."""
    root = _xml(body, url)
    if root.tag != f"{{{INFO_TABLE_NS}}}informationTable":
        raise ParseError(f"{url}: root is {root.tag}, not the 13F informationTable")
    rows = [child for child in root if child.tag == f"{{{INFO_TABLE_NS}}}infoTable"]
    return [
        _holding(row, f"{url}: infoTable #{n}", multiplier, cusips) for n, row in enumerate(rows, 1)
    ]


def _holding(row: Element, where: str, multiplier: int, cusips: Mapping[str, str]) -> Holding:
    cusip = _required(row, "cusip", where).upper()
    amount = row.find(f"{{{INFO_TABLE_NS}}}shrsOrPrnAmt")
    if amount is None:
        raise ParseError(f"{where}: shrsOrPrnAmt missing")
    return Holding(
        cusip=cusip,
        issuer=_required(row, "nameOfIssuer", where),
        title_of_class=_required(row, "titleOfClass", where),
        shares=int(_number(_required(amount, "sshPrnamt", where), f"{where}: sshPrnamt")),
        value_usd=_number(_required(row, "value", where), f"{where}: value") * multiplier,
        put_call=_put_call(_optional(row, "putCall"), where),
        ticker=cusips.get(cusip),
        share_type=_required(amount, "sshPrnamtType", where).upper(),
    )


def _put_call(text: str | None, where: str) -> PutCall | None:
    if text is None:
        return None
    lowered = text.lower()
    if lowered == "put":
        return "put"
    if lowered == "call":
        return "call"
    raise ParseError(f"{where}: putCall must be Put or Call, got {text!r}")


def _required(parent: Element, name: str, where: str) -> str:
    text = _optional(parent, name)
    if text is None:
        raise ParseError(f"{where}: {name} missing")
    return text


def _optional(parent: Element, name: str) -> str | None:
    child = parent.find(f"{{{INFO_TABLE_NS}}}{name}")
    text = None if child is None or child.text is None else child.text.strip()
    return text or None


def _number(text: str, where: str) -> float:
    try:
        value = float(text.replace(",", ""))
    except ValueError as e:
        raise ParseError(f"{where}: not a number: {text[:40]!r}") from e
    # `inf` (or 1e999) passed: stored as a holding's value, and int(inf) shares raised an
    # OverflowError that stopped the whole collect.
    if not 0 <= value < math.inf:
        raise ParseError(f"{where}: must be a non-negative number, got {text[:40]!r}")
    return value


def _find_text(root: Element, local: str) -> str | None:
    """The text of the first element named `local` in any namespace (cover pages vary)."""
    for element in root.iter():
        if element.tag.rsplit("}", 1)[-1] == local and element.text and element.text.strip():
            return element.text.strip()
    return None


def _xml(body: bytes, url: str) -> Element:
    try:
        root: Element = fromstring(body)
    except XMLParseError as e:
        raise ParseError(f"{url}: malformed XML: {e}") from e
    except DefusedXmlException as e:
        raise ParseError(f"{url}: refused XML ({type(e).__name__})") from e
    return root


def _json(body: bytes, url: str) -> Any:
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError) as e:
        raise ParseError(f"{url}: not valid JSON: {e}") from e
    except RecursionError:  # nested brackets: it stopped every other fund
        raise ParseError(f"{url}: not valid JSON: nested too deeply") from None


def _date(text: Any, where: str) -> date:
    value = _date_or_none(text)
    if value is None:
        raise ParseError(f"{where}: not a date: {str(text)[:40]!r}")
    return value


def _date_or_none(text: Any) -> date | None:
    for form in ("%Y-%m-%d", "%m-%d-%Y"):
        try:
            return datetime.strptime(str(text), form).date()
        except ValueError:
            continue
    return None
