"""The `collect filings` stage: each listed fund's new 13F filings from EDGAR into the store.

Per fund: the submissions JSON (conditional GET), then for each 13F-HR or 13F-HR/A not
yet stored its folder index, cover page and information table. A filing is stored whole
or not at all; a malformed one is named and skipped, and the fund's validators are only
saved when every new filing was read, so the next run tries the failed one again. One
failing fund never stops the others. Idempotent: known accessions are never re-fetched.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from monitor.config.smart_money import FundConfig, SmartMoneyConfig
from monitor.errors import CollectError
from monitor.sources.edgar.client import EdgarClient
from monitor.sources.edgar.parse import (
    FilingRef,
    information_table_name,
    parse_cover_page,
    parse_information_table,
    parse_submissions,
    value_multiplier,
)
from monitor.store import Store
from monitor.store.filings import get_validators, known_accessions, save_filing, save_validators
from signals.thirteenf import Filing, FundQuarter, filing_events

Status = Literal["new", "unchanged", "partial", "failed"]


@dataclass(frozen=True, slots=True)
class FundResult:
    fund: str
    cik: int
    status: Status
    new_filings: tuple[str, ...] = ()
    errors: tuple[str, ...] = ()
    warning: str = ""
    events: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class FilingsResult:
    funds: tuple[FundResult, ...]
    requests: int = 0

    def count(self, status: Status) -> int:
        return sum(1 for f in self.funds if f.status == status)

    def total_failure(self) -> str | None:
        """Why the whole source failed (every fund), or None; the runner records such a
        run as an error."""
        if not self.funds or self.count("failed") < len(self.funds):
            return None
        first = self.funds[0]
        reason = first.errors[0] if first.errors else "unknown"
        return f"13F filings failed for every fund (first: {first.fund}: {reason})"

    def summary(self) -> dict[str, Any]:
        """For the job log: the `filings` stage returns this result as is."""
        return {
            "funds": len(self.funds),
            "requests": self.requests,
            "new_filings": sum(len(f.new_filings) for f in self.funds),
            "unchanged": self.count("unchanged"),
            "partial": self.count("partial"),
            "failed": self.count("failed"),
        }


@dataclass
class _Run:
    store: Store
    config: SmartMoneyConfig
    client: EdgarClient
    now: datetime
    tickers: frozenset[str]
    errors: list[str] = field(default_factory=list)
    events: list[list[str]] = field(default_factory=list)  # per filing, oldest first


def collect_filings(
    store: Store,
    config: SmartMoneyConfig,
    client: EdgarClient,
    *,
    now: datetime,
    tickers: frozenset[str] = frozenset(),
) -> FilingsResult:
    """Read every configured fund; `tickers` (the segments' names) select the events told."""
    start = client.requests  # the client is the App's, kept across runs
    results = []
    for fund in config.funds:
        run = _Run(store, config, client, now, tickers)
        try:
            results.append(_fund(run, fund))
        except CollectError as e:
            results.append(FundResult(fund.name, fund.cik, "failed", errors=(str(e),)))
    return FilingsResult(tuple(results), client.requests - start)


def _fund(run: _Run, fund: FundConfig) -> FundResult:
    url = run.client.settings.submissions_url(fund.cik)
    response = run.client.get(url, get_validators(run.store, url))
    if response.status == 304:
        return FundResult(fund.name, fund.cik, "unchanged")
    submissions = parse_submissions(response.body, url)
    known = known_accessions(run.store, fund.cik)
    wanted = [
        r for r in submissions.filings[: run.config.filings_per_fund] if r.accession not in known
    ]
    stored = [r.accession for r in reversed(wanted) if _filing(run, fund, r)]
    if not run.errors:
        save_validators(run.store, url, response.validators, now=run.now)
    status: Status = "partial" if run.errors else ("new" if stored else "unchanged")
    return FundResult(
        fund.name,
        fund.cik,
        status,
        tuple(stored),
        tuple(run.errors),
        _name_warning(fund, submissions.name),
        tuple(e for events in reversed(run.events) for e in events),  # newest filing first
    )


def _filing(run: _Run, fund: FundConfig, ref: FilingRef) -> bool:
    """Fetch, parse and store one filing; False with the error noted when it fails."""
    settings = run.client.settings
    try:
        index_url = settings.filing_url(fund.cik, ref.accession)
        table = information_table_name(run.client.get(index_url).body, index_url)
        cover_url = settings.filing_url(fund.cik, ref.accession, "primary_doc.xml")
        cover = parse_cover_page(run.client.get(cover_url).body, cover_url)
        table_url = settings.filing_url(fund.cik, ref.accession, table)
        multiplier = value_multiplier(ref.filed)
        holdings = parse_information_table(
            run.client.get(table_url).body,
            table_url,
            multiplier=multiplier,
            cusips=run.config.cusips,
        )
    except CollectError as e:
        run.errors.append(f"{ref.form} {ref.accession}: {e}")
        return False
    filing = Filing(
        fund.cik, fund.name, ref.accession, ref.form, cover.period, ref.filed, cover.amendment_type
    )
    save_filing(run.store, filing, holdings, value_multiplier=multiplier, fetched_at=run.now)
    quarter = FundQuarter(fund.cik, fund.name, cover.period, (filing,), tuple(holdings))
    run.events.append(filing_events(quarter, run.tickers))
    return True


def _name_warning(fund: FundConfig, edgar_name: str) -> str:
    """A mismatch between the configured and EDGAR's name usually means a wrong CIK."""
    if not edgar_name:
        return ""
    first = fund.name.split()[0].lower()
    if first in edgar_name.lower():
        return ""
    return f"CIK {fund.cik} is {edgar_name!r} at EDGAR, configured as {fund.name!r}: check the CIK"
