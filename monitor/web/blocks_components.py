"""The component cards: value, weight, contribution bar, reason, sparkline and the
headlines behind each news component."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final

from markupsafe import Markup

from monitor.store.db import Store
from monitor.store.overview import Payload, labelled_headlines
from monitor.web import fmt, svg
from signals.labels import LABELS

#: News behind a card: headlines published this long before the reading.
HEADLINE_WINDOW: Final[timedelta] = timedelta(days=30)
HEADLINES_PER_CARD: Final[int] = 8


@dataclass(frozen=True, slots=True)
class HeadlineLink:
    title: str
    url: str
    source: str
    published: str
    confidence: str
    cited: bool  # named by the reading as one that moved it


@dataclass(frozen=True, slots=True)
class ComponentCard:
    name: str
    title: str
    kind: str
    value: str
    missing: bool
    unfitted: bool
    weight: str
    effect: str
    bar: Markup
    detail: str
    sparkline: Markup
    headlines: list[HeadlineLink]
    has_news: bool


def component_cards(store: Store, latest: Payload, history: list[Payload]) -> list[ComponentCard]:
    comps = [c for c in latest.get("components") or [] if isinstance(c, dict)]
    total = sum(abs(fmt.number(c.get("contribution")) or 0.0) for c in comps) or 1.0
    news = _headlines_by_label(store, latest)
    return [_card(c, total, history, news) for c in comps]


def _card(
    comp: dict[str, Any],
    total: float,
    history: list[Payload],
    news: dict[str, list[HeadlineLink]],
) -> ComponentCard:
    name = str(comp.get("name") or "unnamed")
    value = fmt.number(comp.get("value"))
    contribution = fmt.number(comp.get("contribution")) or 0.0
    unfitted = bool(comp.get("unfitted")) or comp.get("status") == "unfitted"
    return ComponentCard(
        name=name,
        title=fmt.title(name),
        kind=str(comp.get("kind") or "unknown"),
        value=fmt.value(value),
        missing=value is None,
        unfitted=unfitted,
        weight=_weight(comp.get("weight"), unfitted),
        effect=_effect(contribution),
        bar=svg.bar(contribution / total, f"{fmt.words(name)}: {contribution:.1f} points"),
        detail=str(comp.get("detail") or ""),
        sparkline=svg.sparkline(_values(history, name), f"{fmt.words(name)}, recent readings"),
        headlines=news.get(name, []),
        has_news=name in LABELS,
    )


def _weight(weight: Any, unfitted: bool) -> str:
    # An unfitted component's weight is index points per point from neutral, not a share.
    return f"weight {fmt.fixed(weight, 2)}" if unfitted else f"weight {fmt.percent(weight, 0)}"


def _effect(contribution: float) -> str:
    if abs(contribution) < 0.005:
        return "adds nothing"
    verb = "adds" if contribution > 0 else "takes away"
    return f"{verb} {abs(contribution):.2f} points"


def _values(history: list[Payload], name: str) -> list[float | None]:
    out: list[float | None] = []
    for payload in history:
        comp = next(
            (
                c
                for c in payload.get("components") or []
                if isinstance(c, dict) and c.get("name") == name
            ),
            None,
        )
        out.append(None if comp is None else fmt.number(comp.get("value")))
    return out


def _headlines_by_label(store: Store, latest: Payload) -> dict[str, list[HeadlineLink]]:
    """Per label: the reading's cited headlines first, then the newest stored ones."""
    out: dict[str, list[HeadlineLink]] = {}
    for ref in latest.get("top_headlines") or []:
        if isinstance(ref, dict) and ref.get("label"):
            out.setdefault(str(ref["label"]), []).append(_cited(ref))
    as_of = fmt.parse_time(latest.get("as_of"))
    if as_of is None:
        return out
    for h in labelled_headlines(store, as_of - HEADLINE_WINDOW, as_of):
        links = out.setdefault(h.label, [])
        if len(links) < HEADLINES_PER_CARD and all(link.url != h.url for link in links):
            links.append(_stored(h.title, h.url, h.source, h.published, h.confidence))
    return out


def _cited(ref: dict[str, Any]) -> HeadlineLink:
    return HeadlineLink(
        title=str(ref.get("title") or ""),
        url=str(ref.get("url") or ""),
        source=str(ref.get("source") or ""),
        published=fmt.stamp(fmt.parse_time(ref.get("published"))),
        confidence=fmt.percent(ref.get("confidence"), 0),
        cited=True,
    )


def _stored(
    title: str, url: str, source: str, published: datetime, confidence: float
) -> HeadlineLink:
    return HeadlineLink(
        title=title,
        url=url,
        source=source,
        published=fmt.stamp(published),
        confidence=fmt.percent(confidence, 0),
        cited=False,
    )
