"""The deals graph and its measures: total commitments, the money on directed cycles
(edges whose payee can pay back to their payer through other deals) and its share, the
largest cycle, and all of it month by month.

A deal without an amount is an edge of the graph (it can close a loop) but adds no money;
`firm_deals` keeps the deals a loop can rest on (an amount, or confirmed), for the same
measures on them alone.
Several deals between the same two parties in the same direction are one edge whose
amount is their sum.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Final

from signals.deals.models import Deal

#: Cycle search bounds: loops of the AI web are short (2-5 parties); the bounds keep a
#: dense hostile graph from taking exponential time.
MAX_CYCLE_LENGTH: Final = 6
MAX_CYCLES: Final = 2000


@dataclass(frozen=True, slots=True)
class Edge:
    payer: str
    payee: str
    amount_usd: float
    deals: int
    kinds: tuple[str, ...]
    on_cycle: bool


@dataclass(frozen=True, slots=True)
class Cycle:
    members: tuple[str, ...]  # in payment order; the last pays the first
    amount_usd: float  # the money on its edges
    returns_usd: float  # its smallest edge: what can go all the way round


@dataclass(frozen=True, slots=True)
class Month:
    month: str  # YYYY-MM
    total_usd: float
    circular_usd: float
    share: float | None
    largest_cycle_usd: float


@dataclass(frozen=True, slots=True)
class DealGraph:
    nodes: tuple[str, ...]
    edges: tuple[Edge, ...]
    cycles: tuple[Cycle, ...]  # largest first (see _cycles)

    @property
    def total_usd(self) -> float:
        return sum((e.amount_usd for e in self.edges), 0.0)

    @property
    def circular_usd(self) -> float:
        return sum((e.amount_usd for e in self.edges if e.on_cycle), 0.0)

    @property
    def share(self) -> float | None:
        total = self.total_usd
        return self.circular_usd / total if total > 0 else None

    @property
    def largest(self) -> Cycle | None:
        return self.cycles[0] if self.cycles else None


def build_graph(deals: Iterable[Deal]) -> DealGraph:
    """The graph of the deals given (the caller leaves out rejected ones)."""
    amounts: dict[tuple[str, str], float] = defaultdict(float)
    counts: dict[tuple[str, str], int] = defaultdict(int)
    kinds: dict[tuple[str, str], set[str]] = defaultdict(set)
    for d in deals:
        if d.payer == d.payee:
            continue
        pair = (d.payer, d.payee)
        amounts[pair] += d.amount_usd or 0.0
        counts[pair] += 1
        kinds[pair].add(d.kind)
    component = _components(list(amounts))
    edges = tuple(
        Edge(a, b, amounts[a, b], counts[a, b], tuple(sorted(kinds[a, b])),
             component[a] == component[b])
        for a, b in sorted(amounts)
    )  # fmt: skip
    nodes = tuple(sorted({n for pair in amounts for n in pair}))
    cycles = _cycles(edges)
    return DealGraph(nodes, edges, cycles)


def firm_deals(deals: Iterable[Deal]) -> list[Deal]:
    """The deals a loop can rest on: those with an amount or confirmed by hand. The rules
    read pairs at 0.85-0.90 precision in titles that name an amount and at 0.56-0.71 in
    titles that do not (docs/circular-deals.md, test2-test4), and one wrong amount-less
    edge can close a loop by itself, putting every edge it closes on a cycle."""
    return [d for d in deals if d.amount_usd is not None or d.status == "confirmed"]


def monthly_series(deals: Sequence[Deal], *, start: date, end: date) -> list[Month]:
    """The measures of the graph of every deal dated up to each month's end, from `start`'s
    month to `end`'s."""
    ordered = sorted(deals, key=lambda d: d.day)
    out = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        label = f"{year:04d}-{month:02d}"
        graph = build_graph(d for d in ordered if d.day.strftime("%Y-%m") <= label)
        largest = graph.largest
        out.append(
            Month(
                label,
                graph.total_usd,
                graph.circular_usd,
                graph.share,
                largest.amount_usd if largest is not None else 0.0,
            )
        )
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def _components(pairs: list[tuple[str, str]]) -> dict[str, int]:
    """Strongly connected component of every node (Tarjan, iterative): an edge lies on a
    directed cycle exactly when both its ends are in one component."""
    succ: dict[str, list[str]] = defaultdict(list)
    for a, b in pairs:
        succ[a].append(b)
    nodes = sorted({n for pair in pairs for n in pair})
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    comp: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    for root in nodes:
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
                on_stack.add(node)
            nexts = succ[node]
            if i < len(nexts):
                work.append((node, i + 1))
                nxt = nexts[i]
                if nxt not in index:
                    work.append((nxt, 0))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            if low[node] == index[node]:
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    comp[member] = index[node]
                    if member == node:
                        break
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return comp


def _cycles(edges: Sequence[Edge]) -> tuple[Cycle, ...]:
    """Simple cycles among the edges on cycles (each once, starting at its smallest name),
    up to MAX_CYCLE_LENGTH parties and MAX_CYCLES cycles."""
    amount = {(e.payer, e.payee): e.amount_usd for e in edges if e.on_cycle}
    succ: dict[str, list[str]] = defaultdict(list)
    for a, b in sorted(amount):
        succ[a].append(b)
    found: list[Cycle] = []
    for start in sorted(succ):
        path = [start]
        work = [iter(succ[start])]
        while work and len(found) < MAX_CYCLES:
            nxt = next(work[-1], None)
            if nxt is None:
                work.pop()
                path.pop()
            elif nxt == start:
                found.append(_cycle(tuple(path), amount))
            elif nxt > start and nxt not in path and len(path) < MAX_CYCLE_LENGTH:
                path.append(nxt)
                work.append(iter(succ[nxt]))
    # Largest = most money able to go all the way round, then most money on its edges.
    return tuple(sorted(found, key=lambda c: (-c.returns_usd, -c.amount_usd, c.members)))


def _cycle(members: tuple[str, ...], amount: dict[tuple[str, str], float]) -> Cycle:
    legs = [amount[a, b] for a, b in zip(members, (*members[1:], members[0]), strict=True)]
    return Cycle(members, sum(legs), min(legs))
