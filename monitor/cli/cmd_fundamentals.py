"""`bubble-monitor fundamentals [TICKER ...] [--as-of DATE] [--json]`: the stored SEC
fundamentals per company, annual, quarterly and trailing twelve months, in USD.

Reads the store only (`collect fundamentals` fills it). `--as-of` shows what was filed by
that date: a restated value appears only from its own filing date.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

import typer

from monitor.cli.common import (
    DbOption,
    FeedsOption,
    JsonOption,
    config,
    console,
    err_console,
    new_table,
    open_store,
    print_json,
    styled,
)
from monitor.errors import InputError

if TYPE_CHECKING:
    from signals.fundamentals.measures import Figures, Fundamentals

ROW_KEYS = (
    "fiscal_year",
    "end",
    "filed",
    "revenue",
    "capex",
    "operating_cash_flow",
    "free_cash_flow",
    "debt",
)


def register(app: typer.Typer) -> None:
    app.command("fundamentals")(fundamentals)


def fundamentals(
    tickers: Annotated[
        list[str] | None, typer.Argument(help="Tickers (default: every configured one stored).")
    ] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Only values filed on or before this date.")
    ] = None,
    as_json: JsonOption = False,
    db: DbOption = None,
    feeds: FeedsOption = None,
) -> None:
    """Revenue, capex, operating and free cash flow, and debt from SEC filings."""
    from monitor.reading.fundamentals import stored_companies

    day = _day(as_of)
    wanted = tuple(t.upper() for t in tickers or ())
    with open_store(db, create=False) as store:
        if not wanted:
            from monitor.sources.edgar.fundamentals import fundamentals_tickers

            wanted = fundamentals_tickers(config(feeds))
        found, missing = stored_companies(store, wanted, day)
    if missing and tickers:
        err_console.print(
            styled(
                "not stored:",
                "yellow",
                f"{', '.join(missing)} (run `bubble-monitor collect fundamentals`)",
            )
        )
    doc = {t: company_json(f) for t, f in found.items()}
    if as_json:
        print_json(doc)
        return
    if not found and not tickers:  # silence read as "nothing to say", not "nothing stored"
        by = "" if day is None else f" filed by {day}"
        console.print(
            f"no fundamentals stored{by} for the configured tickers; run "
            "`bubble-monitor collect fundamentals` (needs BUBBLE_MONITOR_SEC_USER_AGENT)",
            highlight=False,
        )
    for ticker, company in found.items():
        _table(ticker, company)


def _day(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as e:
        raise InputError(f"--as-of {text!r}: expected a date like 2025-06-30") from e


def company_json(company: Fundamentals) -> dict[str, Any]:
    ttm = company.ttm
    return {
        "cik": company.cik,
        "annual": [row_json(r) for r in company.annual],
        "quarterly": [row_json(r) for r in company.quarterly],
        "ttm": None if ttm is None else row_json(ttm),
    }


def row_json(row: Figures) -> dict[str, Any]:
    out: dict[str, Any] = {k: getattr(row, k) for k in ROW_KEYS}
    out["end"], out["filed"] = row.end.isoformat(), row.filed.isoformat()
    return out


def _table(ticker: str, company: Fundamentals) -> None:
    table = new_table(title=f"{ticker} (CIK {company.cik}), USD millions")
    for column in ("period", "end", "filed", "revenue", "capex", "op. cash flow", "FCF", "debt"):
        table.add_column(column, justify="right")
    rows = [(f"FY{r.fiscal_year}", r) for r in company.annual[-6:]]
    if company.ttm is not None:
        rows.append(("TTM", company.ttm))
    for label, r in rows:
        values = (r.revenue, r.capex, r.operating_cash_flow, r.free_cash_flow, r.debt)
        table.add_row(label, str(r.end), str(r.filed), *(_m(v) for v in values))
    console.print(table)


def _m(value: float | None) -> str:
    return "" if value is None else f"{value / 1e6:,.0f}"
