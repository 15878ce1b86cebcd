"""`collect fundamentals`: each configured company's XBRL companyfacts from SEC EDGAR.

CIKs come from feeds.yaml (`fundamentals.ciks`), then from CIKs stored by an earlier run,
then from SEC's ticker table (fetched only when a ticker still lacks one). Then one
conditional GET per company: a 304 costs nothing, a 200 is parsed and its new facts
stored with the validators in one transaction, so a failed parse is retried next time.
Companies SEC does not cover (foreign filers, other listings) are named, never fetched.
One failing company never stops the others.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from monitor.config.fundamentals import FundamentalsConfig
from monitor.errors import CollectError
from monitor.sources.edgar.client import EdgarClient
from monitor.sources.edgar.companyfacts import (
    ListedCompany,
    companyfacts_url,
    parse_tickers,
    tickers_url,
)
from monitor.store import Store
from monitor.store.filings import get_validators, save_validators
from monitor.store.fundamentals import Company, companies, save_company, save_facts
from signals.fundamentals.facts import FactsError, parse_companyfacts

if TYPE_CHECKING:
    from monitor.config.feeds_yaml import Config

Status = Literal["new", "unchanged", "not_covered", "failed"]


@dataclass(frozen=True, slots=True)
class CompanyResult:
    ticker: str
    cik: int | None
    status: Status
    new_facts: int = 0
    reason: str = ""


@dataclass(frozen=True, slots=True)
class FundamentalsResult:
    companies: tuple[CompanyResult, ...]
    requests: int

    def count(self, status: Status) -> int:
        return sum(1 for c in self.companies if c.status == status)

    def total_failure(self) -> str | None:
        """Why the whole source failed (every company that SEC covers), or None; the
        runner records such a run as an error."""
        tried = [c for c in self.companies if c.status != "not_covered"]
        if not tried or any(c.status != "failed" for c in tried):
            return None
        first = tried[0]
        return f"fundamentals failed for every company (first: {first.ticker}: {first.reason})"

    def summary(self) -> dict[str, Any]:
        """For the job log: the `fundamentals` stage returns this result as is."""
        return {
            "companies": len(self.companies),
            "requests": self.requests,
            "new_facts": sum(r.new_facts for r in self.companies),
            "unchanged": self.count("unchanged"),
            "not_covered": self.count("not_covered"),
            "failed": self.count("failed"),
        }


def fundamentals_tickers(config: Config) -> tuple[str, ...]:
    """The companies `collect fundamentals` reads: the hyperscalers and the members of
    the segments named in `fundamentals.segments`."""
    return config.fundamentals.tickers({s.name: s.symbols for s in config.segments})


def collect_fundamentals(
    store: Store,
    config: FundamentalsConfig,
    tickers: tuple[str, ...],
    client: EdgarClient,
    *,
    now: datetime,
) -> FundamentalsResult:
    start = client.requests  # the client is the App's, kept across runs
    results: list[CompanyResult] = []
    covered = []
    for ticker in tickers:
        reason = _not_covered(config, ticker)
        if reason:
            results.append(CompanyResult(ticker, None, "not_covered", reason=reason))
        else:
            covered.append(ticker)
    known, table_error = _ciks(store, config, covered, client)
    for ticker in covered:
        if ticker not in known:
            reason = table_error or "not in SEC's ticker table (set fundamentals.ciks)"
            status: Status = "failed" if table_error else "not_covered"
            results.append(CompanyResult(ticker, None, status, reason=reason))
            continue
        results.append(_company(store, client, ticker, known[ticker], now))
    order = {t: i for i, t in enumerate(tickers)}
    results.sort(key=lambda r: order[r.ticker])
    return FundamentalsResult(tuple(results), client.requests - start)


def _not_covered(config: FundamentalsConfig, ticker: str) -> str:
    if ticker in config.not_covered:
        return config.not_covered[ticker]
    if ticker in config.ciks:
        return ""
    if any(mark in ticker for mark in (".", "^", "=")):
        return "not a US listing (SEC covers US filers)"
    return ""


def _ciks(
    store: Store, config: FundamentalsConfig, tickers: list[str], client: EdgarClient
) -> tuple[dict[str, ListedCompany], str]:
    """ticker -> company for every ticker that has a CIK, and why the table failed."""
    stored = companies(store)
    known: dict[str, ListedCompany] = {}
    for ticker in tickers:
        if ticker in config.ciks:
            name = stored[ticker].name if ticker in stored else ticker
            known[ticker] = ListedCompany(ticker, config.ciks[ticker], name)
        elif ticker in stored and stored[ticker].source == "sec":
            known[ticker] = ListedCompany(ticker, stored[ticker].cik, stored[ticker].name)
    if all(t in known for t in tickers):
        return known, ""
    url = tickers_url(client.settings)
    try:
        table = parse_tickers(client.get(url).body, url)
    except CollectError as e:
        return known, f"ticker table: {e}"
    for ticker in tickers:
        if ticker not in known and ticker in table:
            known[ticker] = table[ticker]
    return known, ""


def _company(
    store: Store, client: EdgarClient, ticker: str, listed: ListedCompany, now: datetime
) -> CompanyResult:
    url = companyfacts_url(client.settings, listed.cik)
    try:
        response = client.get(url, get_validators(store, url))
        if response.status == 304:
            return CompanyResult(ticker, listed.cik, "unchanged")
        parsed = parse_companyfacts(response.body, url)
    except (CollectError, FactsError) as e:
        return CompanyResult(ticker, listed.cik, "failed", reason=str(e))
    if parsed.cik != listed.cik:
        reason = f"{url}: answers for CIK {parsed.cik}, not {listed.cik}"
        return CompanyResult(ticker, listed.cik, "failed", reason=reason)
    with store.transaction():
        new = save_facts(store, parsed.facts, source="sec", fetched_at=now)
        name = parsed.name or listed.name
        save_company(store, Company(ticker, listed.cik, name, "sec"), fetched_at=now)
        save_validators(store, url, response.validators, now=now)
    if not any(f.concept == "revenue" for f in parsed.facts):
        # A foreign private issuer (IFRS) or a fund: nothing to measure. The validators are
        # kept, so the next run costs a 304 until the company files again.
        reason = "no US-GAAP revenue in its companyfacts (foreign filer or fund?)"
        return CompanyResult(ticker, listed.cik, "not_covered", reason=reason)
    note = "; ".join(parsed.problems[:3])
    return CompanyResult(ticker, listed.cik, "new" if new else "unchanged", new, note)
