"""Where SEC's XBRL companyfacts and ticker table live, and the ticker table parsed.

companyfacts: `{BUBBLE_MONITOR_SEC_DATA_URL}/api/xbrl/companyfacts/CIK##########.json`.
The ticker table `company_tickers.json` is served by www.sec.gov at `/files/...`, the host
of `BUBBLE_MONITOR_SEC_ARCHIVES_URL`, so one mirror or test server serves everything.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import urlsplit

from monitor.errors import ParseError
from monitor.sources.edgar.client import SecSettings


def companyfacts_url(settings: SecSettings, cik: int) -> str:
    return f"{settings.data_url}/api/xbrl/companyfacts/CIK{cik:010d}.json"


def tickers_url(settings: SecSettings) -> str:
    parts = urlsplit(settings.archives_url)
    return f"{parts.scheme}://{parts.netloc}/files/company_tickers.json"


@dataclass(frozen=True, slots=True)
class ListedCompany:
    ticker: str
    cik: int
    name: str


def parse_tickers(body: bytes, source: str) -> dict[str, ListedCompany]:
    """SEC's `{"0": {"cik_str", "ticker", "title"}, ...}` as ticker -> company (upper case;
    SEC writes share classes with a dash, BRK-B, as Yahoo does)."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as e:
        raise ParseError(f"{source}: not JSON ({e})") from e
    except RecursionError:
        raise ParseError(f"{source}: not JSON (nested too deeply)") from None
    if not isinstance(data, dict):
        raise ParseError(f"{source}: expected an object of companies")
    out: dict[str, ListedCompany] = {}
    for row in data.values():
        try:
            ticker = str(row["ticker"]).upper()
            out.setdefault(ticker, ListedCompany(ticker, int(row["cik_str"]), str(row["title"])))
        except (KeyError, TypeError, ValueError, OverflowError):  # a cik_str of 1e999
            continue  # one malformed row never hides the others
    if not out:
        raise ParseError(f"{source}: no company with a ticker and a CIK")
    return out
