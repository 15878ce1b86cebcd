"""`bubble-monitor deals list|confirm|reject|add|graph|seed`: circular deals as a graph.

JSON shapes (docs/circular-deals.md): `deals list --json` rows {id, date, from, to,
amount_usd, kind, title, url, status}; `deals graph --json` {nodes, edges, cycles,
circular_share, series}.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from monitor.cli.common import DbOption, JsonOption, console, open_store, print_json
from monitor.errors import InputError

if TYPE_CHECKING:
    from signals.deals.models import Deal, DealDraft

deals_app = typer.Typer(help="Circular deals: who pays whom, and how much goes round.")


def register(app: typer.Typer) -> None:
    app.add_typer(deals_app, name="deals")


@deals_app.command("list")
def list_deals(
    since: Annotated[
        str | None, typer.Option("--since", help="Only deals on or after this date (YYYY-MM-DD).")
    ] = None,
    status: Annotated[
        str | None,
        typer.Option(
            "--status", help="Only deals with this status: extracted, confirmed, rejected."
        ),
    ] = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Stored deals, oldest first (rejected ones only with --status rejected)."""
    from monitor.store.deals import load_deals

    chosen = _status(status) if status is not None else None
    with open_store(db, create=False) as store:
        deals = load_deals(store, since=_day(since, "--since"), status=chosen)
    if as_json:
        print_json([deal_row(d) for d in deals])
        return
    if not deals:
        console.print("no deals stored; run `bubble-monitor deals seed` or `collect news`")
        return
    from monitor.present.deals_console import print_deals

    print_deals(console, deals)


@deals_app.command("confirm")
def confirm(
    deal_id: Annotated[int, typer.Argument(help="The deal's id.")], db: DbOption = None
) -> None:
    """Mark a deal as confirmed (checked by a person)."""
    _set(deal_id, "confirmed", db)


@deals_app.command("reject")
def reject(
    deal_id: Annotated[int, typer.Argument(help="The deal's id.")], db: DbOption = None
) -> None:
    """Mark a deal as rejected: it leaves the graph, and new reports of it stay rejected."""
    _set(deal_id, "rejected", db)


@deals_app.command("add")
def add(
    payer: Annotated[str, typer.Argument(metavar="FROM", help="Who pays or invests.")],
    payee: Annotated[str, typer.Argument(metavar="TO", help="Who is paid or invested in.")],
    amount: Annotated[str, typer.Argument(help="US dollars: 1e9, 2500000000, $22.4bn.")],
    kind: Annotated[
        str,
        typer.Option(
            "--kind", help="equity, compute, chips, loan, guarantee, warrant or acquisition."
        ),
    ],
    day: Annotated[str, typer.Option("--date", help="The deal's date (YYYY-MM-DD).")],
    source: Annotated[str, typer.Option("--source", help="URL it was reported at.")],
    title: Annotated[str | None, typer.Option("--title", help="The report's title.")] = None,
    db: DbOption = None,
) -> None:
    """Add a deal by hand, as confirmed."""
    from monitor.store.deals import Report, record_deals
    from signals.deals.models import DealDraft

    draft = DealDraft(_name(payer, "FROM"), _name(payee, "TO"), parse_usd(amount), _kind(kind), 1.0)
    if draft.payer.casefold() == draft.payee.casefold():
        raise InputError("FROM and TO are the same party: a deal needs two")
    when = _day(day, "--date")
    assert when is not None
    if when > datetime.now(UTC).date() + timedelta(days=1):
        # The graph reads deals up to today: a future date would hide the deal for years.
        raise InputError(f"--date {day!r}: in the future; give the day it was reported")
    report = Report(
        when,
        _title(title) or f"{draft.payer} -> {draft.payee} ({kind}), added by hand",
        _source_url(source),
        "manual",
    )
    with open_store(db) as store:
        draft = _as_stored(store, draft)
        counts = record_deals(store, [(draft, report)], now=datetime.now(UTC), status="confirmed")
    console.print(f"deals: {counts.new} added, {counts.merged} joined a stored deal")


@deals_app.command("graph")
def graph(
    as_json: JsonOption = False,
    out: Annotated[
        Path | None, typer.Option("--out", help="Write the graph as SVG to this file.")
    ] = None,
    since: Annotated[
        str | None,
        typer.Option("--since", help="Series from this month, YYYY-MM or a day (default 2023-01)."),
    ] = None,
    status: Annotated[
        str | None,
        typer.Option("--status", help="Only deals with this status (default: all but rejected)."),
    ] = None,
    db: DbOption = None,
) -> None:
    """The deals graph: total commitments, money on loops, the largest loop, by month."""
    from monitor.present.deals_svg import graph_svg
    from monitor.reading.circular_json import circular_line, graph_dict, usd
    from monitor.store.deals import load_deals
    from signals.deals.graph import build_graph, firm_deals, monthly_series

    now = datetime.now(UTC)
    with open_store(db, create=False) as store:
        chosen = _status(status) if status is not None else None
        deals = load_deals(store, until=now.date(), status=chosen)
    built, firm = build_graph(deals), build_graph(firm_deals(deals))
    start = _month(since) if since is not None else date(2023, 1, 1)
    series = monthly_series(deals, start=start, end=now.date()) if deals else []
    doc = graph_dict(built, series, firm=firm)
    if out is not None:
        _write(out, graph_svg(doc))
    if as_json:
        print_json(doc)
        return
    priced = sum(1 for d in deals if d.amount_usd is not None)
    line = circular_line(built, deals=len(deals), simulated=False, firm=firm, priced=priced)
    console.print(line or "no deals stored; run `bubble-monitor deals seed` or `collect news`")
    # Largest first by what can go all the way round (the line's "largest loop"); each
    # showed only the money on it, so a $470B loop listed under a "largest" $142B one.
    if built.cycles:
        console.print("loops, largest first (by the money that can go all the way round):")
    for c in built.cycles[:5]:
        loop = " → ".join((*c.members, c.members[0]))
        console.print(f"  {loop}: {usd(c.returns_usd)} round, {usd(c.amount_usd)} on it")
    if out is not None:
        console.print(f"graph written to {out}")


@deals_app.command("seed")
def seed(db: DbOption = None) -> None:
    """Load the sourced starting graph (major 2023-2026 deals) as confirmed; idempotent."""
    from monitor.store.deals_seed import seed_deals

    with open_store(db) as store:
        counts = seed_deals(store, now=datetime.now(UTC))
    console.print(
        f"deals: {counts.new} added, {counts.merged} joined, {counts.unchanged} already stored"
    )


def deal_row(d: Deal) -> dict[str, Any]:
    """One `deals list --json` row."""
    return {
        "id": d.id, "date": d.day.isoformat(), "from": d.payer, "to": d.payee,
        "amount_usd": d.amount_usd, "kind": d.kind, "title": d.title, "url": d.url,
        "status": d.status,
    }  # fmt: skip


def parse_usd(text: str) -> float | None:
    """An amount as given on the command line: a number, or money words ("$22.4bn")."""
    from signals.deals.amounts import MAX_USD, find_amounts

    cleaned = text.strip().replace("_", "")
    if cleaned.lower() in ("", "-", "none", "unknown"):
        return None
    try:
        value = float(cleaned)
    except ValueError:
        found = find_amounts(cleaned if cleaned[:1] in "$€£" else f"${cleaned}")
        if len(found) != 1:
            raise InputError(f"AMOUNT {text!r}: give US dollars, e.g. 2.5e9 or $2.5bn") from None
        return found[0].usd
    if not (0 < value <= MAX_USD):
        raise InputError(f"AMOUNT {text!r}: must be above 0 and at most {MAX_USD:.0e} dollars")
    return value


def _set(deal_id: int, status: str, db: str | None) -> None:
    from monitor.store.deals import set_status

    with open_store(db, create=False) as store:
        set_status(store, deal_id, _status(status))
    console.print(f"deal {deal_id}: {status}")


def _status(text: str) -> Any:
    from signals.deals.models import STATUSES

    if text not in STATUSES:
        raise InputError(f"--status {text!r}: use one of {', '.join(STATUSES)}")
    return text


def _kind(text: str) -> Any:
    from signals.deals.models import KINDS

    if text not in KINDS:
        raise InputError(f"--kind {text!r}: use one of {', '.join(KINDS)}")
    return text


def _as_stored(store: Any, draft: DealDraft) -> DealDraft:
    """The parties spelt as the store already spells them: 'nvidia' -> 'OPENAI' made two
    new nodes beside Nvidia and OpenAI, so the deal joined no loop and no stored deal."""
    from dataclasses import replace

    from monitor.store.deals import load_deals

    known: dict[str, str] = {}
    for deal in load_deals(store, include_rejected=True):
        for name in (deal.payer, deal.payee):
            known.setdefault(name.casefold(), name)
    payer = known.get(draft.payer.casefold(), draft.payer)
    return replace(draft, payer=payer, payee=known.get(draft.payee.casefold(), draft.payee))


def _title(text: str | None) -> str:
    from signals.text import clean_text

    return clean_text(text or "")


def _write(path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as e:
        raise InputError(f"--out {path}: cannot write: {e.strerror or e}") from e


def _source_url(text: str) -> str:
    """The report's address as links are stored: an http(s) URL (the dashboard links it)."""
    from monitor.sources.news.normalise import canonical_url

    url = canonical_url(text, text)
    if url is None:
        raise InputError(f"--source {text[:80]!r}: give the http(s) URL it was reported at")
    return url


def _name(text: str, what: str) -> str:
    from signals.text import printable

    name = " ".join(printable(text).split())  # no ESC sequence reaches `deals list`
    if not name or len(name) > 60:
        raise InputError(f"{what} {text[:40]!r}: give a party's name (1-60 characters)")
    from monitor.cli.party_names import not_a_party

    why = not_a_party(name)
    if why is not None:
        raise InputError(f"{what} {name!r} {why}")
    return name


def _month(text: str) -> date:
    """`deals graph --since`: a month (YYYY-MM, its first day) or a day (YYYY-MM-DD)."""
    cleaned = text.strip()
    try:
        return date.fromisoformat(f"{cleaned}-01" if len(cleaned) == 7 else cleaned)
    except ValueError:
        raise InputError(f"--since {text!r}: use YYYY-MM or YYYY-MM-DD") from None


def _day(text: str | None, option: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(f"{option} {text!r}: use YYYY-MM-DD") from None
