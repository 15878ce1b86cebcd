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
        title = _title(len(rows), limit)
        wide = screen.width >= NARROW
        screen.print(_table(rows, title) if wide else _narrow_table(rows, title, screen.width))


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


#: Below this width the six columns squeezed the title: two letters a line at 60 columns,
#: 17 at 80 (where the date and the outlet took twice its room).
NARROW: Final[int] = 120
#: The narrow table shows the confidence from this width (at 60 it cost the title a third).
CONF_WIDTH: Final[int] = 72


def _title(shown: int, limit: int) -> str:
    """ "4 headlines", or when --limit cut the list, that these are the newest and how to
    see more (it said "50 headlines" of 66,000 stored)."""
    if limit and shown >= limit:
        return f"the {shown} newest headlines (--limit N for more, 0 for all)"
    return f"{shown} headline{'' if shown == 1 else 's'}"


def _table(rows: list[StoredHeadline], title: str) -> Table:
    table = new_table(title=title, title_justify="left")
    table.add_column("published (UTC)", no_wrap=True)
    table.add_column("label", no_wrap=True)
    table.add_column("conf", justify="right")
    table.add_column("outlets", justify="right")  # how many told the story
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


def _narrow_table(rows: list[StoredHeadline], title: str, width: int) -> Table:
    """Below NARROW columns: the day, the label, its confidence (from CONF_WIDTH columns)
    and the title with its source after it."""
    conf_shown = width >= CONF_WIDTH
    table = new_table(title=title, title_justify="left")
    table.add_column("day (UTC)", no_wrap=True)
    table.add_column("label", no_wrap=True)
    if conf_shown:
        table.add_column("conf", justify="right")
    table.add_column("title (source)", overflow="fold")
    for row in rows:
        h = row.headline
        day = h.published.astimezone(UTC).strftime("%Y-%m-%d") + (
            "~" if h.published_estimated else ""
        )
        label = row.score.label if row.score else "-"
        conf = [f"{row.score.confidence:.2f}" if row.score else ""] if conf_shown else []
        table.add_row(day, label, *conf, f"{plain(h.title)} ({plain(h.source)})")
    return _with_estimate_caption(table, rows)


def _with_estimate_caption(table: Table, rows: list[StoredHeadline]) -> Table:
    if any(row.headline.published_estimated for row in rows):
        table.caption = "~ the feed gave no date: the time it was fetched"
    return table
