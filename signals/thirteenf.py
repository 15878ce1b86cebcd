"""13F holdings of a list of funds: amendments applied, explained events, quarterly puts vs longs.

A 13F-HR lists a manager's US-listed long positions and its options at the end of a
quarter. For an option the reported value is the *notional* value of the underlying
shares at the quarter's end, not the premium paid, and everything here says so.
Amendments (13F-HR/A) either restate the whole report (RESTATEMENT) or add holdings to it
(NEW HOLDINGS); `effective_holdings` applies them in filing order.

Pure: data in, numbers and sentences out; no clock, no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Final, Literal

from signals.models import Signal

PutCall = Literal["put", "call"]
#: Quarters of history the quarterly aggregate needs before it is a component (two years).
MIN_QUARTERS: Final[int] = 8


@dataclass(frozen=True, slots=True)
class Holding:
    """One row of a 13F information table; `value_usd` is already in dollars."""

    cusip: str
    issuer: str
    title_of_class: str
    shares: int
    value_usd: float
    put_call: PutCall | None = None
    ticker: str | None = None
    share_type: str = "SH"  # SH (shares) or PRN (principal amount of a bond)


@dataclass(frozen=True, slots=True)
class Filing:
    """One 13F-HR or 13F-HR/A of one fund."""

    cik: int
    fund: str
    accession: str
    form: str
    period: date
    filed: date
    amendment_type: str | None = None  # RESTATEMENT or NEW HOLDINGS for a 13F-HR/A

    @property
    def is_amendment(self) -> bool:
        return self.form.endswith("/A")


@dataclass(frozen=True, slots=True)
class FundQuarter:
    """A fund's holdings for one period after its amendments."""

    cik: int
    fund: str
    period: date
    filings: tuple[Filing, ...]
    holdings: tuple[Holding, ...]


@dataclass(frozen=True, slots=True)
class QuarterPositioning:
    """The listed funds' positions in one segment's names at the end of one quarter."""

    period: date
    funds: int
    long_value: float
    put_notional: float
    call_notional: float

    @property
    def put_share(self) -> float | None:
        """Puts over puts plus longs: 0 when nobody bets on a fall, 1 when only puts."""
        total = self.put_notional + self.long_value
        return self.put_notional / total if total > 0 else None


def effective_holdings(filings: Sequence[tuple[Filing, Sequence[Holding]]]) -> list[FundQuarter]:
    """Apply each fund's amendments in filing order, one FundQuarter per fund and period."""
    groups: dict[tuple[int, date], list[tuple[Filing, Sequence[Holding]]]] = {}
    for filing, holdings in filings:
        groups.setdefault((filing.cik, filing.period), []).append((filing, holdings))
    out = []
    for (cik, period), items in sorted(groups.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        items.sort(key=lambda fh: (fh[0].filed, fh[0].accession))
        current: list[Holding] = []
        for filing, holdings in items:
            if filing.is_amendment and (filing.amendment_type or "").upper() == "NEW HOLDINGS":
                current.extend(holdings)
            else:  # an original, or a restatement that replaces everything before it
                current = list(holdings)
        fund = items[-1][0].fund
        out.append(FundQuarter(cik, fund, period, tuple(f for f, _ in items), tuple(current)))
    return out


def quarterly_positioning(
    quarters: Iterable[FundQuarter], tickers: Iterable[str]
) -> list[QuarterPositioning]:
    """Puts, calls and longs of the funds in `tickers`, summed per period, oldest first."""
    names = set(tickers)
    totals: dict[date, list[float]] = {}
    funds: dict[date, set[int]] = {}
    for quarter in quarters:
        funds.setdefault(quarter.period, set()).add(quarter.cik)
        row = totals.setdefault(quarter.period, [0.0, 0.0, 0.0])
        for h in quarter.holdings:
            if h.ticker in names and h.share_type == "SH":
                slot = {None: 0, "put": 1, "call": 2}[h.put_call]
                row[slot] += h.value_usd
    return [
        QuarterPositioning(period, len(funds[period]), *totals[period]) for period in sorted(totals)
    ]


def smart_money_signal(history: Sequence[QuarterPositioning], *, segment: str) -> Signal:
    """The quarterly aggregate as a component once MIN_QUARTERS of history exist, else context.

    Value: the percentile of the latest quarter's put share among all stored quarters.
    """
    shares = [(q, s) for q in history if (s := q.put_share) is not None]
    if not shares:
        return Signal("smart_money", "market", None, f"{segment}: no 13F positions in its names")
    latest, today = shares[-1]
    described = (
        f"{segment}: listed funds' puts {money(latest.put_notional)} notional vs longs "
        f"{money(latest.long_value)} at {latest.period.isoformat()} "
        f"({100 * today:.0f}% puts, {latest.funds} funds reporting)"
    )
    if len(shares) < MIN_QUARTERS:
        return Signal(
            "smart_money",
            "market",
            None,
            f"{described}; {len(shares)} of {MIN_QUARTERS} quarters of history (context only)",
        )
    below = sum(1 for _, s in shares if s < today) + 0.5 * sum(1 for _, s in shares if s == today)
    return Signal("smart_money", "market", 100.0 * below / len(shares), described)


def filing_events(quarter: FundQuarter, tickers: Iterable[str]) -> list[str]:
    """One sentence per position of `quarter` in `tickers`, biggest first. A table often
    lists one position on several rows (one per sub-manager or discretion): they are
    summed per ticker and kind (shares, puts, calls), so each is told once."""
    names = set(tickers)
    amended = " (as amended)" if any(f.is_amendment for f in quarter.filings) else ""
    merged: dict[tuple[str, PutCall | None], Holding] = {}
    for h in quarter.holdings:
        if h.ticker in names and h.share_type == "SH":
            key = (h.ticker, h.put_call)
            seen = merged.get(key)
            merged[key] = (
                h
                if seen is None
                else replace(
                    seen, shares=seen.shares + h.shares, value_usd=seen.value_usd + h.value_usd
                )
            )
    rows = sorted(merged.values(), key=lambda h: -h.value_usd)
    return [_event(quarter, h, amended) for h in rows]


def _event(quarter: FundQuarter, h: Holding, amended: str) -> str:
    period = quarter.period.isoformat()
    if h.put_call is None:
        return (
            f"{quarter.fund} reported {h.shares:,} {h.ticker} shares, worth "
            f"{money(h.value_usd)}, in its 13F for {period}{amended}"
        )
    return (
        f"{quarter.fund} reported {h.put_call}s on {h.shares:,} {h.ticker} shares, notional "
        f"{money(h.value_usd)}, in its 13F for {period}{amended}"
    )


def money(dollars: float) -> str:
    """$186.6M, $1.2B, $950K: the scale a reader takes in at a glance."""
    for scale, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if abs(dollars) >= scale:
            return f"${dollars / scale:.1f}{suffix}"
    return f"${dollars:,.0f}"
