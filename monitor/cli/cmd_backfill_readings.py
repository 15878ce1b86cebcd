"""`bubble-monitor backfill-readings`: readings for past days from the store's history.

A thin shell over monitor.stages.backfill_readings: after import-headlines and
import-prices, the dashboard history and `history` show the index and every component
(news ones included) over the imported years.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Final

import typer

from monitor.cli.common import (
    DbOption,
    FeedsOption,
    JsonOption,
    config,
    console,
    err_console,
    open_store,
    print_json,
)

#: No price or headline the monitor reads is older than this.
EARLIEST: Final[date] = date(1800, 1, 1)


def register(app: typer.Typer) -> None:
    app.command("backfill-readings")(backfill_readings_command)


def backfill_readings_command(
    start: Annotated[str, typer.Option("--start", metavar="YYYY-MM-DD", help="First day.")],
    end: Annotated[
        str | None,
        typer.Option(
            "--end",
            metavar="YYYY-MM-DD",
            help="Last day (default: the newest stored close or headline, at most today).",
        ),
    ] = None,
    every: Annotated[
        str, typer.Option("--every", help="month (last business day) or week (Fridays).")
    ] = "month",
    as_json: JsonOption = False,
    db: DbOption = None,
    feeds: FeedsOption = None,
) -> None:
    """Store a reading for each past month-end (or Friday) that has none, oldest first."""
    from monitor.errors import InputError
    from monitor.stages.backfill_readings import (
        backfill_readings,
        newest_data_day,
        reading_days,
    )

    if every not in ("month", "week"):
        raise InputError(f"--every {every!r}: expected month or week")
    today = datetime.now(UTC).date()
    first = _date(start, "--start")
    last = _date(end, "--end") if end is not None else None
    if last is not None:  # checked before the store is opened (or created)
        _check_range(first, last, today, end_given=True)
    cfg = config(feeds)
    with open_store(db, create=False) as store:  # it reads closes: a typo is no new file
        if last is None:
            # Days after the newest data would each be refused (a reading there would
            # repeat that day's data), so without --end the range stops at the newest data.
            newest = newest_data_day(store)
            if newest is None:
                raise InputError(
                    f"{store.location}: no stored close or headline to read; run "
                    "`bubble-monitor import-prices FILE.csv` or `bubble-monitor collect` first"
                )
            last = min(newest, today)
            _check_range(first, last, today, end_given=False)
        days = reading_days(first, last, "month" if every == "month" else "week")
        _say_days(days)
        result = backfill_readings(store, cfg, days)
    if as_json:
        print_json(result.summary())
        return
    s = result.summary()
    span = f" ({s['first']} .. {s['last']})" if s["stored"] else ""
    console.print(
        f"{s['stored']} readings stored{span}, {s['skipped']} already stored, "
        f"{len(s['failed'])} failed",
        highlight=False,
    )
    for line in s["failed"]:
        console.print(f"  {line}", highlight=False, markup=False)


def _say_days(days: list[datetime]) -> None:
    """On stderr, before minutes of silence (a week each since 2023: about 180 readings)."""
    if days:
        err_console.print(
            f"reading {len(days)} days ({days[0]:%Y-%m-%d} .. {days[-1]:%Y-%m-%d}), "
            "skipping those already stored; this can take minutes...",
            highlight=False,
        )


def _check_range(first: date, last: date, today: date, *, end_given: bool) -> None:
    from monitor.errors import InputError

    if first > last:
        what = "--end" if end_given else "the newest stored data (the default --end)"
        raise InputError(f"--start {first} is after {what} {last}")
    if last > today:
        # A reading dated in the future would be the latest one (history, dashboard,
        # alerts) until that day came, computed from today's data.
        raise InputError(f"--end {last} is in the future; past readings only (today: {today})")
    if first < EARLIEST:  # a typo such as 0001: the baselines before it overflowed
        raise InputError(f"--start {first} is before {EARLIEST} (a typo?)")


def _date(text: str, option: str) -> date:
    from monitor.errors import InputError

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(f"{option}: {text!r} is not a date (expected YYYY-MM-DD)") from None
