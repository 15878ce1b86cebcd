"""The EDGAR parsers on hostile and edge-case documents: every refusal names the place."""

from __future__ import annotations

import json
from datetime import date

import pytest

from monitor.errors import ParseError
from monitor.sources.edgar.parse import (
    information_table_name,
    parse_cover_page,
    parse_information_table,
    parse_submissions,
    value_multiplier,
)
from tests.edgar_server import FOLDER

NS = "http://www.sec.gov/edgar/document/thirteenf/informationtable"
URL = "http://edgar.test/x.xml"
ROW = (
    "<infoTable><nameOfIssuer>NVIDIA CORPORATION</nameOfIssuer><titleOfClass>COM</titleOfClass>"
    "<cusip>67066g104</cusip><value>{value}</value><shrsOrPrnAmt><sshPrnamt>100</sshPrnamt>"
    "<sshPrnamtType>SH</sshPrnamtType></shrsOrPrnAmt>{extra}</infoTable>"
)


def table(*rows: str, ns: str = NS) -> bytes:
    inner = "".join(rows)
    head = f'<?xml version="1.0"?><informationTable xmlns="{ns}">'
    return (head + inner + "</informationTable>").encode()


def parse(body: bytes, multiplier: int = 1) -> list:  # type: ignore[type-arg]
    return parse_information_table(body, URL, multiplier=multiplier, cusips={"67066G104": "NVDA"})


def test_a_row_is_read_with_its_ticker_and_option() -> None:
    (h,) = parse(table(ROW.format(value="18658", extra="<putCall>PUT</putCall>")), 1000)
    assert (h.ticker, h.cusip, h.put_call, h.shares, h.value_usd) == (
        "NVDA",
        "67066G104",
        "put",
        100,
        18_658_000,
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (table(ROW.format(value="abc", extra="")), "infoTable #1: value: not a number: 'abc'"),
        (table(ROW.format(value="-5", extra="")), "value: must be a non-negative number"),
        (
            table(ROW.format(value="1", extra="<putCall>Straddle</putCall>")),
            "putCall must be Put or Call",
        ),
        (
            table(ROW.format(value="1", extra="").replace("<cusip>67066g104</cusip>", "")),
            "#1: cusip missing",
        ),
        (table(ROW.format(value="1", extra=""), ns="urn:other"), "not the 13F informationTable"),
        (b"<informationTable><infoTable>", "malformed XML"),
    ],
)
def test_malformed_tables_are_refused_naming_row_and_field(body: bytes, message: str) -> None:
    with pytest.raises(ParseError, match=message.replace("(", r"\(")) as info:
        parse(body)
    assert str(info.value).startswith(URL)


def test_entity_expansion_is_refused() -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE t [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
        b'<informationTable xmlns="' + NS.encode() + b'">&b;</informationTable>'
    )
    with pytest.raises(ParseError, match="refused XML"):
        parse(bomb)


def test_units_switch_on_the_filing_date() -> None:
    assert value_multiplier(date(2022, 11, 14)) == 1000
    assert value_multiplier(date(2023, 1, 2)) == 1000
    assert value_multiplier(date(2023, 1, 3)) == 1


def test_submissions_keep_only_13f_holdings_reports_newest_first() -> None:
    body = (FOLDER / "submissions" / "CIK0001536411.json").read_bytes()
    subs = parse_submissions(body, URL)
    assert subs.name == "Duquesne Family Office LLC"
    assert [(r.form, r.filed.isoformat()) for r in subs.filings] == [
        ("13F-HR/A", "2025-11-20"),
        ("13F-HR", "2025-11-14"),
        ("13F-HR", "2025-08-14"),
    ]


def test_uneven_submission_columns_are_refused() -> None:
    doc = {
        "filings": {
            "recent": {
                "accessionNumber": ["a", "b"],
                "form": ["13F-HR"],
                "filingDate": ["2025-01-01"],
                "reportDate": [""],
            }
        }
    }
    with pytest.raises(ParseError, match="columns missing or uneven"):
        parse_submissions(json.dumps(doc).encode(), URL)
    with pytest.raises(ParseError, match="not valid JSON"):
        parse_submissions(b"<html>", URL)


def test_the_information_table_is_found_whatever_its_name() -> None:
    folder = FOLDER / "archives" / "1649339" / "000164933925000007"
    assert information_table_name((folder / "index.json").read_bytes(), URL) == "46994.xml"
    two = {
        "directory": {"item": [{"name": "a.xml"}, {"name": "b.xml"}, {"name": "primary_doc.xml"}]}
    }
    with pytest.raises(ParseError, match="cannot tell the information table"):
        information_table_name(json.dumps(two).encode(), URL)


def test_cover_page_gives_period_and_amendment_type() -> None:
    folder = FOLDER / "archives" / "1536411"
    original = parse_cover_page(
        (folder / "000153641125000014" / "primary_doc.xml").read_bytes(), URL
    )
    amended = parse_cover_page(
        (folder / "000153641125000016" / "primary_doc.xml").read_bytes(), URL
    )
    assert (original.period, original.amendment_type) == (date(2025, 9, 30), None)
    assert (amended.period, amended.amendment_type) == (date(2025, 9, 30), "RESTATEMENT")
