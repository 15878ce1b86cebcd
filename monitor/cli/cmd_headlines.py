"""`bubble-monitor headlines`: stored headlines with their labels and story sizes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, Any, Final

import typer

from monitor.cli.common import (
    DbOption,
    JsonOption,
    new_console,
    new_table,
    open_store,
    plain,
    print_json,
)
from monitor.errors import InputError
from signals.labels import LABELS

DEFAULT_LIMIT = 50

if TYPE_CHECKING:
    from rich.table import Table

if TYPE_CHECKING:
    from signals.models import StoredHeadline


def register(app: typer.Typer) -> None:
    app.command("headlines")(headlines)


def headlines(
    since: Annotated[
        str | None,
        typer.Option("--since", help="Only headlines published on or after this date (UTC)."),
    ] = None,
    label: Annotated[
        str | None, typer.Option("--label", help=f"Only this label: {', '.join(LABELS)}.")
    ] = None,
    limit: Annotated[
        int, typer.Option("--limit", help="At most this many, newest first (0: all).", min=0)
    ] = DEFAULT_LIMIT,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Show stored headlines, newest first, with label, confidence and story sources."""
    start = parse_since(since) if since is not None else None
    if label is not None and label not in LABELS:
        raise InputError(f"--label: unknown label {label!r}; expected one of {', '.join(LABELS)}")
    from monitor.store.headlines import list_headlines

    with open_store(db, create=False) as store:
        rows = list_headlines(store, since=start, label=label, limit=limit or None)
    if as_json:
        print_json([headline_json(row) for row in rows])
    elif not rows:  # an empty table's header said neither why nor what to do
        asked = since is not None or label is not None
        print(
            "no stored headlines match --since/--label"
            if asked
            else "no stored headlines yet; run `bubble-monitor collect news` "
            "(or `bubble-monitor import-headlines FILE`)"
        )
    else:
        screen = new_console()  # made now: this terminal's width (COLUMNS too)
        screen.print(_table(rows) if screen.width >= NARROW else _narrow_table(rows))


def parse_since(text: str) -> datetime:
    """A date (YYYY-MM-DD) or ISO date-time; one without a zone is taken as UTC."""
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError as e:
        raise InputError(
            f"--since: {text!r} is not a date; use YYYY-MM-DD or an ISO date-time"
        ) from e
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def headline_json(row: StoredHeadline) -> dict[str, Any]:
    h = row.headline
    return {
        "id": row.id,
        "title": h.title,
        "url": h.url,
        "source": h.source,
        "feed": h.feed,
        "published": h.published.isoformat(),
        "published_estimated": h.published_estimated,
        "label": row.score.label if row.score else None,
        "confidence": round(row.score.confidence, 4) if row.score else None,
        "story_id": row.story_id,
        "sources": row.sources,
    }


#: Below this width the six columns squeezed the title to two letters a line (60 columns).
NARROW: Final[int] = 80


def _table(rows: list[StoredHeadline]) -> Table:
    table = new_table(title=f"{len(rows)} headlines", title_justify="left")
    table.add_column("published (UTC)", no_wrap=True)
    table.add_column("label", no_wrap=True)
    table.add_column("conf", justify="right")
    table.add_column("src", justify="right")
    table.add_column("source", max_width=20)
    table.add_column("title", overflow="fold")  # a long word folds, never cut with "…"
    for row in rows:
        h = row.headline
        when = h.published.astimezone(UTC).strftime("%Y-%m-%d %H:%M") + (
            "~" if h.published_estimated else ""
        )
        table.add_row(
            when,
            row.score.label if row.score else "-",
            f"{row.score.confidence:.2f}" if row.score else "",
            str(row.sources),
            plain(h.source),
            plain(h.title),
        )
    return _with_estimate_caption(table, rows)


def _narrow_table(rows: list[StoredHeadline]) -> Table:
    """Below NARROW columns: the day, the label and the title with its source after it."""
    table = new_table(title=f"{len(rows)} headlines", title_justify="left")
    table.add_column("day (UTC)", no_wrap=True)
    table.add_column("label", no_wrap=True)
    table.add_column("title (source)", overflow="fold")
    for row in rows:
        h = row.headline
        day = h.published.astimezone(UTC).strftime("%Y-%m-%d") + (
            "~" if h.published_estimated else ""
        )
        label = row.score.label if row.score else "-"
        table.add_row(day, label, f"{plain(h.title)} ({plain(h.source)})")
    return _with_estimate_caption(table, rows)


def _with_estimate_caption(table: Table, rows: list[StoredHeadline]) -> Table:
    if any(row.headline.published_estimated for row in rows):
        table.caption = "~ the feed gave no date: the time it was fetched"
    return table
