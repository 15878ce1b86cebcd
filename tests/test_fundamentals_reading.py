"""The reading's `fundamentals` part from a store of facts: the line, the groups, CAPE,
the channels' lines, and a backtest over dates that never sees a value before it was
filed (with a restatement)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from monitor.config.feeds_yaml import Config, load_config
from monitor.config.fundamentals import FundamentalsConfig
from monitor.present.smart_money_json import context_lines
from monitor.reading.fundamentals import fundamentals_view
from monitor.reading.fundamentals_json import fundamentals_lines
from monitor.store import Store
from monitor.store.fundamentals import Company, load_facts, save_company, save_facts
from signals.fundamentals.cape import cape_reading
from signals.fundamentals.facts import Fact
from signals.fundamentals.group import calendar_quarter

GROUP = ("MSFT", "GOOGL", "AMZN", "META", "ORCL")
FETCHED = datetime(2026, 1, 1, tzinfo=UTC)


def quarter_facts(
    cik: int, years: range, revenue: float, capex_by_year: dict[int, float]
) -> list[Fact]:
    """Calendar quarters: revenue and capex per quarter, filed 30 days after the end."""
    out = []
    for year in years:
        for q, (start, end) in enumerate(
            [("01-01", "03-31"), ("04-01", "06-30"), ("07-01", "09-30"), ("10-01", "12-31")]
        ):
            s, e = date.fromisoformat(f"{year}-{start}"), date.fromisoformat(f"{year}-{end}")
            filed, accn = e + timedelta(days=30), f"{cik}-{year}-{q}"
            capex = capex_by_year.get(year, 1e9)
            out += [
                Fact(cik, "revenue", "us-gaap:Revenues", s, e, revenue, accn, "10-Q", filed),
                Fact(
                    cik,
                    "capex",
                    "us-gaap:PaymentsToAcquirePropertyPlantAndEquipment",
                    s,
                    e,
                    capex,
                    accn,
                    "10-Q",
                    filed,
                ),
                Fact(
                    cik,
                    "operating_cash_flow",
                    "us-gaap:NetCashProvidedByUsedInOperatingActivities",
                    s,
                    e,
                    4e9,
                    accn,
                    "10-Q",
                    filed,
                ),
                Fact(
                    cik,
                    "long_term_debt",
                    "us-gaap:LongTermDebt",
                    None,
                    e,
                    10e9 + year,
                    accn,
                    "10-Q",
                    filed,
                ),
            ]
    return out


def fill(store: Store, facts_of: dict[str, list[Fact]]) -> None:
    for ticker, facts in facts_of.items():
        save_facts(store, facts, source="sec", fetched_at=FETCHED)
        save_company(store, Company(ticker, facts[0].cik, ticker, "sec"), fetched_at=FETCHED)


def group_store(store: Store) -> None:
    """Five companies: $10 B revenue a quarter; capex $1 B a quarter to 2023, then $2 B in
    2024 and $3 B in 2025. MSFT's 2025-Q4 capex is restated from $3 B to $5 B on 2026-04-15."""
    capex = {2024: 2e9, 2025: 3e9}
    facts = {t: quarter_facts(100 + i, range(2018, 2026), 10e9, capex) for i, t in enumerate(GROUP)}
    restated = Fact(
        100,
        "capex",
        "us-gaap:PaymentsToAcquirePropertyPlantAndEquipment",
        date(2025, 10, 1),
        date(2025, 12, 31),
        5e9,
        "100-restated",
        "10-K/A",
        date(2026, 4, 15),
    )
    facts["MSFT"].append(restated)
    fill(store, facts)


@pytest.fixture
def config() -> Config:
    return load_config(None)


def test_the_line_reads_capex_growth_share_and_baseline(store: Store, config: Config) -> None:
    group_store(store)
    doc = fundamentals_view(store, config, now=datetime(2026, 3, 1, tzinfo=UTC))
    assert doc is not None
    assert doc["line"] == (
        "hyperscaler capex $60.0B over twelve months, +50% a year, 30% of revenue, against 10% "
        "in 2019; free cash flow after capex $20.0B (MSFT, GOOGL, AMZN, META, ORCL, to 2025Q4)"
    )
    group = doc["hyperscalers"]
    assert group["capex_to_revenue"] == pytest.approx(0.3)
    assert group["baseline_capex_to_revenue"] == pytest.approx(0.1)
    assert group["price_to_sales"] is None  # no prices stored
    by_name = {c["name"]: c for c in group["components"]}
    assert by_name["capex_to_revenue"]["percentile"] == 100.0
    assert all(c["status"] == "unfitted" for c in group["components"])
    assert doc["simulated"] is False


def test_a_backtest_never_sees_a_value_before_its_filing_date(
    store: Store, config: Config, tmp_path: Path
) -> None:
    """At each month end, the reading from the full store equals the reading from a store
    holding only the facts filed by then; and the restated capex appears on its date."""
    group_store(store)
    days = [date(2025, m, 28) for m in (1, 5, 11)] + [date(2026, 4, 14), date(2026, 4, 15)]
    for day in days:
        now = datetime.combine(day, datetime.min.time(), UTC)
        full = fundamentals_view(store, config, now=now)
        with Store(tmp_path / f"{day}.db") as past:
            for ticker, cik in [(t, 100 + i) for i, t in enumerate(GROUP)]:
                known = [f for f in load_facts(store, cik) if f.filed <= day]
                fill(past, {ticker: known})
            assert fundamentals_view(past, config, now=now) == full, day
    before = fundamentals_view(store, config, now=datetime(2026, 4, 14, tzinfo=UTC))
    after = fundamentals_view(store, config, now=datetime(2026, 4, 15, tzinfo=UTC))
    assert before and after
    assert after["hyperscalers"]["capex_ttm"] - before["hyperscalers"]["capex_ttm"] == 2e9


def test_no_company_stored_means_no_fundamentals(store: Store, config: Config) -> None:
    assert fundamentals_view(store, config, now=FETCHED) is None


def _with_cape(config: Config, path: Path | None) -> Config:
    settings = FundamentalsConfig(cape_csv=path)
    return config.model_copy(update={"fundamentals": settings})


def test_cape_from_a_configured_csv_is_the_market_context(
    store: Store, config: Config, tmp_path: Path
) -> None:
    group_store(store)
    csv = tmp_path / "cape.csv"
    rows = [
        "date,price,cape",
        "1880-12,5,",
        "1881-01,6,18.5",
        "1999-12,1400,44.2",
        "2025-12,6800,39.0",
    ]
    csv.write_text("\n".join(rows) + "\n")
    doc = fundamentals_view(store, _with_cape(config, csv), now=datetime(2026, 3, 1, tzinfo=UTC))
    assert doc is not None
    market = doc["segments"][-1]
    assert market == {
        "name": "market",
        "cape": 39.0,
        "month": "2025-12",
        "percentile": pytest.approx(200 / 3),
        "since": 1881,
        "months": 3,
        "status": "context",
    }
    lines = fundamentals_lines({"fundamentals": doc})
    assert lines[1] == "Market CAPE 39.0 (2025-12), percentile 67 since 1881"


def test_a_bad_cape_csv_is_named_and_the_rest_still_reads(
    store: Store, config: Config, tmp_path: Path
) -> None:
    group_store(store)
    csv = tmp_path / "cape.csv"
    csv.write_text("date,cape\n2025-11,38\n2025-12,abc\n")
    doc = fundamentals_view(store, _with_cape(config, csv), now=datetime(2026, 3, 1, tzinfo=UTC))
    assert doc is not None and doc["line"].startswith("hyperscaler capex $60.0B")
    market = doc["segments"][-1]
    assert market["status"] == "missing" and f"{csv}:3" in market["missing"]


def test_a_month_of_cape_counts_once_it_is_over() -> None:
    series = [(date(1881, 1, 1), 10.0), (date(2026, 7, 1), 40.0)]
    assert cape_reading(series, date(2026, 7, 31)).value == 10.0  # type: ignore[union-attr]
    assert cape_reading(series, date(2026, 8, 1)).value == 40.0  # type: ignore[union-attr]


def test_slack_and_console_lines_carry_the_fundamentals(store: Store, config: Config) -> None:
    group_store(store)
    doc = fundamentals_view(store, config, now=datetime(2026, 3, 1, tzinfo=UTC))
    context: dict[str, Any] = {"fundamentals": doc}
    (line,) = context_lines(context)
    assert line.startswith("Fundamentals: hyperscaler capex $60.0B") and line.endswith(
        "(unfitted, context)"
    )


def test_a_member_missing_from_the_latest_quarter_is_named(store: Store, config: Config) -> None:
    facts = {
        t: quarter_facts(100 + i, range(2018, 2026), 10e9, {}) for i, t in enumerate(GROUP[:4])
    }
    facts["ORCL"] = quarter_facts(104, range(2018, 2025), 10e9, {})
    fill(store, facts)
    doc = fundamentals_view(store, config, now=datetime(2026, 3, 1, tzinfo=UTC))
    assert doc is not None and doc["hyperscalers"]["missing"] == ["ORCL"]
    assert doc["line"].endswith("(MSFT, GOOGL, AMZN, META, to 2025Q4; missing ORCL)")


@pytest.mark.parametrize(
    ("end", "quarter"),
    [
        (date(2025, 1, 26), "2024Q4"),
        (date(2025, 6, 30), "2025Q2"),
        (date(2025, 9, 27), "2025Q3"),
        (date(2026, 5, 2), "2026Q1"),
    ],
)
def test_fiscal_quarters_land_in_the_calendar_quarter_of_their_middle(
    end: date, quarter: str
) -> None:
    assert calendar_quarter(end) == quarter


def test_price_to_sales_is_shares_times_price_over_trailing_revenue(
    store: Store, config: Config
) -> None:
    """Each company: 1 B shares; price $100 until 2025-06, $200 after; revenue $40 B a
    year. Market value $100-200 B over $40 B: price/sales 2.5, then 5.0 (the top)."""
    from monitor.store.prices import upsert_bars
    from signals.models import PriceBar

    group_store(store)
    shares = []
    bars = []
    for i, ticker in enumerate(GROUP):
        for year in range(2018, 2026):
            for month in (3, 6, 9, 12):
                end = date(year, month, 30 if month in (6, 9) else 31)
                shares.append(
                    Fact(
                        100 + i,
                        "shares",
                        "dei:EntityCommonStockSharesOutstanding",
                        None,
                        end,
                        1e9,
                        f"s{year}{month}",
                        "10-Q",
                        end + timedelta(days=30),
                    )
                )
                price = 200.0 if end >= date(2025, 6, 30) else 100.0
                bars.append(PriceBar(ticker, end, price))
        bars.append(PriceBar(ticker, date(2026, 2, 27), 200.0))
    save_facts(store, shares, source="sec", fetched_at=FETCHED)
    upsert_bars(store, bars, fetched_at=FETCHED)
    doc = fundamentals_view(store, config, now=datetime(2026, 3, 1, tzinfo=UTC))
    assert doc is not None
    group = doc["hyperscalers"]
    assert group["price_to_sales"] == pytest.approx(5.0)
    ps = next(c for c in group["components"] if c["name"] == "price_to_sales")
    assert ps["percentile"] == 100.0 and ps["history"] >= 20 and ps["status"] == "unfitted"


def test_a_bad_stored_row_fails_the_part_not_the_reading(
    store: Store, config: Config, caplog: pytest.LogCaptureFixture
) -> None:
    from monitor.reading.fundamentals import reading_part

    group_store(store)
    with store.writing() as conn:
        conn.execute("UPDATE fundamental_facts SET period_end = 'garbage' WHERE cik = 100")
    part = reading_part(store, config, now=datetime(2026, 3, 1, tzinfo=UTC))
    assert part is not None and part["status"] == "failed" and part["line"] is None
    assert "garbage" in part["error"]
    assert "fundamentals part failed" in caplog.text


@pytest.mark.parametrize(
    ("body", "named"),
    [
        (b"date,cape,note\n2020-01,30.1,caf\xe9\n", "cannot read"),  # Latin-1, not UTF-8
        (b"date,cape\n2025-11,38\n2025-12,inf\n", ":3: cape 'inf' is not a positive ratio"),
        (b"date,cape\n2025-11,1e999\n", ":2: cape '1e999' is not a positive ratio"),
        (b"date,cape\n2025-11,-5\n", ":2: cape '-5' is not a positive ratio"),
        # A quoted note over two lines: the bad row is on line 4 of the file, not row 3.
        (b'date,cape,note\n2025-10,38,"a\nb"\n2025-11,x,\n', ":4: could not convert"),
    ],
)
def test_a_hostile_cape_csv_costs_only_the_cape_line(
    store: Store, config: Config, tmp_path: Path, body: bytes, named: str
) -> None:
    """qainput's reproducer: a Latin-1 CAPE file raised past the loader and the whole
    fundamentals member read `failed`; inf, 1e999 and -5 were shown as CAPE values."""
    group_store(store)
    csv = tmp_path / "cape.csv"
    csv.write_bytes(body)
    doc = fundamentals_view(store, _with_cape(config, csv), now=datetime(2026, 3, 1, tzinfo=UTC))
    assert doc is not None and doc["line"].startswith("hyperscaler capex $60.0B")
    market = doc["segments"][-1]
    assert market["status"] == "missing" and named in market["missing"]
    assert str(csv) in market["missing"]


def test_a_folder_as_cape_csv_is_named(store: Store, config: Config, tmp_path: Path) -> None:
    group_store(store)
    doc = fundamentals_view(
        store, _with_cape(config, tmp_path), now=datetime(2026, 3, 1, tzinfo=UTC)
    )
    assert doc is not None and doc["line"].startswith("hyperscaler capex")
    assert "cannot read" in doc["segments"][-1]["missing"]
