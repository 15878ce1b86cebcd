"""The pure 13F logic: amendments in filing order, the quarterly aggregate, its component."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from monitor.config.smart_money import SmartMoneyConfig, cusip_check_ok
from signals.thirteenf import (
    MIN_QUARTERS,
    Filing,
    Holding,
    QuarterPositioning,
    effective_holdings,
    money,
    quarterly_positioning,
    smart_money_signal,
)

Q3 = date(2025, 9, 30)


def filing(acc: str, form: str, filed: date, kind: str | None = None, cik: int = 1) -> Filing:
    return Filing(cik, f"Fund {cik}", acc, form, Q3, filed, kind)


def holding(ticker: str, value: float, put_call: str | None = None) -> Holding:
    return Holding("X", ticker, "COM", 100, value, put_call, ticker)  # type: ignore[arg-type]


def test_new_holdings_amendment_adds_and_restatement_replaces() -> None:
    original = (filing("a", "13F-HR", date(2025, 11, 14)), [holding("NVDA", 10)])
    added = (
        filing("b", "13F-HR/A", date(2025, 11, 20), "NEW HOLDINGS"),
        [holding("PLTR", 5, "put")],
    )
    restated = (filing("c", "13F-HR/A", date(2025, 12, 1), "RESTATEMENT"), [holding("NVDA", 7)])
    (q,) = effective_holdings([restated, added, original])  # any input order
    assert [h.ticker for h in q.holdings] == ["NVDA"] and q.holdings[0].value_usd == 7
    (q,) = effective_holdings([added, original])
    assert [h.ticker for h in q.holdings] == ["NVDA", "PLTR"]


def test_quarterly_aggregate_sums_funds_in_the_segment_only() -> None:
    quarters = effective_holdings(
        [
            (
                filing("a", "13F-HR", date(2025, 11, 14), cik=1),
                [holding("NVDA", 100, "put"), holding("XOM", 50)],
            ),
            (
                filing("b", "13F-HR", date(2025, 11, 13), cik=2),
                [holding("NVDA", 300), holding("AVGO", 20, "call")],
            ),
        ]
    )
    (q,) = quarterly_positioning(quarters, ["NVDA", "AVGO"])
    assert (q.funds, q.long_value, q.put_notional, q.call_notional) == (2, 300, 100, 20)
    assert q.put_share == pytest.approx(0.25)


def test_the_aggregate_becomes_a_component_with_enough_quarters() -> None:
    def quarter(n: int, puts: float) -> QuarterPositioning:
        return QuarterPositioning(Q3 - timedelta(days=91 * n), 3, 100.0, puts, 0.0)

    few = [quarter(n, 10) for n in range(MIN_QUARTERS - 2, -1, -1)]
    assert smart_money_signal(few, segment="llm").value is None
    assert "context only" in smart_money_signal(few, segment="llm").detail
    history = [quarter(n, 10.0 + n) for n in range(MIN_QUARTERS, 0, -1)] + [quarter(0, 50)]
    signal = smart_money_signal(history, segment="llm")
    assert signal.value == pytest.approx(100 * (MIN_QUARTERS + 0.5) / (MIN_QUARTERS + 1))
    assert "puts $50 notional vs longs $100 at 2025-09-30 (33% puts" in signal.detail


def test_money_reads_at_a_glance() -> None:
    assert [money(v) for v in (186_580_000, 1.2e9, 950_000, 12)] == [
        "$186.6M",
        "$1.2B",
        "$950.0K",
        "$12",
    ]


def test_cusip_table_is_checked() -> None:
    assert all(cusip_check_ok(c) for c in SmartMoneyConfig().cusips)
    assert not cusip_check_ok("67066G105")
    with pytest.raises(ValueError, match="check digit wrong"):
        SmartMoneyConfig(cusips={"67066G105": "NVDA"})
    with pytest.raises(ValueError, match="CIKs must be unique"):
        SmartMoneyConfig(funds=({"cik": 1, "name": "A"}, {"cik": 1, "name": "B"}))  # type: ignore[arg-type]


def test_a_position_on_several_rows_is_told_once() -> None:
    from signals.thirteenf import FundQuarter, filing_events

    rows = (holding("NVDA", 100.0e6, "put"), holding("NVDA", 86.58e6, "put"), holding("NVDA", 5e6))
    quarter = FundQuarter(1, "Fund 1", Q3, (filing("a", "13F-HR", date(2025, 11, 14)),), rows)
    assert filing_events(quarter, ["NVDA"]) == [
        "Fund 1 reported puts on 200 NVDA shares, notional $186.6M, in its 13F for 2025-09-30",
        "Fund 1 reported 100 NVDA shares, worth $5.0M, in its 13F for 2025-09-30",
    ]
