"""The `segments:` section of feeds.yaml: named groups of tickers, each read on its own.

A segment has a name, a description, a benchmark (what its run-up is measured against),
its tickers (each with a one-line reason it is there, optionally its own benchmark and
listing currency) and how news is attributed to it (`news: aliases` with an alias table,
`all` headlines, or `none`). The older `basket:` list is read as one segment named `ai`.

Validated once at start-up with the rest of the config (monitor.config.feeds_yaml), so a typo names
its file, line and key.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated, Any, Final, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from signals.attribution import check_alias
from signals.currency import USD, fx_ticker, listing_currency

#: A ticker as Yahoo and the store write it, in capitals: a feeds.yaml `nvda` collected
#: bars under `nvda` while imported files store `NVDA`, so the two never met.
Ticker = Annotated[
    str,
    Field(min_length=1, max_length=20, pattern=r"^[A-Za-z0-9^.=\-]+$"),
    AfterValidator(str.upper),
]
LEGACY_SEGMENT: Final[str] = "ai"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SegmentTicker(_Section):
    """One member: why it is in the segment; its own benchmark and currency if they differ."""

    reason: str = Field(min_length=1, max_length=300)
    benchmark: Ticker | None = None
    currency: str | None = Field(default=None, pattern=r"^([A-Z]{3}|GBp|ZAc|ILA)$")


class SegmentConfig(_Section):
    name: str = Field(pattern=r"^[a-z][a-z0-9_]{0,39}$")
    description: str = Field(default="", max_length=500)
    benchmark: Ticker | None = None
    tickers: dict[Ticker, SegmentTicker] = Field(min_length=1)
    news: Literal["aliases", "all", "none"] = "aliases"
    aliases: tuple[str, ...] = ()
    in_index: bool = True

    @field_validator("tickers", mode="before")
    @classmethod
    def _reason_shorthand(cls, value: Any) -> Any:
        """`NVDA: GPUs for frontier training` is short for `NVDA: {reason: ...}`."""
        if isinstance(value, list):
            raise ValueError(
                "give each ticker a one-line reason, as a mapping: `NVDA: why it is here`"
            )
        if isinstance(value, dict):
            return {k: {"reason": v} if isinstance(v, str) else v for k, v in value.items()}
        return value

    @field_validator("aliases")
    @classmethod
    def _valid_aliases(cls, aliases: tuple[str, ...]) -> tuple[str, ...]:
        for alias in aliases:
            check_alias(alias)
        lowered = [a.lower() for a in aliases]
        dupes = sorted({a for a in lowered if lowered.count(a) > 1})
        if dupes:
            raise ValueError(f"aliases repeated: {', '.join(dupes)}")
        return aliases

    @model_validator(mode="after")
    def _aliases_when_needed(self) -> SegmentConfig:
        if self.news == "aliases" and not self.aliases:
            raise ValueError(
                f"segment {self.name}: news: aliases needs an alias table "
                "(aliases: [...]), or set news: all or news: none"
            )
        return self

    def currency_of(self, ticker: str) -> str:
        """The listing currency: as configured, else from the exchange suffix."""
        member = self.tickers[ticker]
        return member.currency or listing_currency(ticker)

    def benchmark_of(self, ticker: str) -> str | None:
        return self.tickers[ticker].benchmark or self.benchmark

    @property
    def symbols(self) -> tuple[str, ...]:
        return tuple(self.tickers)

    @property
    def benchmarks(self) -> tuple[str, ...]:
        """The segment's benchmark and its members' own, in order, without repeats."""
        found = [self.benchmark, *(m.benchmark for m in self.tickers.values())]
        return tuple(dict.fromkeys(b for b in found if b is not None))


def legacy_segment(basket: tuple[str, ...]) -> dict[str, Any]:
    """`basket: [...]` as the one segment `ai` (every headline counts for it)."""
    return {
        "name": LEGACY_SEGMENT,
        "description": "the AI basket of feeds.yaml (basket:)",
        "tickers": {t: {"reason": "listed in basket:"} for t in basket},
        "news": "all",
    }


def segments_from_raw(data: Any) -> Any:
    """Before validation: fill `segments` from `basket` or `basket` from `segments`.

    Without `segments:` a non-empty `basket:` becomes the segment `ai`. Without `basket:`
    the basket of the headline index is every ticker of the segments with `in_index`
    (true unless set). Malformed input is passed on untouched for validation to name.
    """
    if not isinstance(data, dict):
        return data
    basket, segments = data.get("basket"), data.get("segments")
    if not segments and isinstance(basket, list) and basket:
        return {**data, "segments": [legacy_segment(tuple(str(t) for t in basket))]}
    if basket is None and isinstance(segments, list):
        members = [str(t) for s in segments if _in_index(s) for t in s["tickers"] or ()]
        return {**data, "basket": list(dict.fromkeys(members))}
    return data


def _in_index(segment: Any) -> bool:
    return (
        isinstance(segment, dict)
        and bool(segment.get("in_index", True))
        and isinstance(segment.get("tickers"), dict | list)
    )


def check_segments(segments: tuple[SegmentConfig, ...]) -> None:
    """Names unique; raise ValueError naming the repeats."""
    names = [s.name for s in segments]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ValueError(f"segment names must be unique (repeated: {', '.join(dupes)})")


def currencies_of(segments: Sequence[SegmentConfig]) -> dict[str, str]:
    """Ticker -> listing currency, for every segment member (first segment wins)."""
    out: dict[str, str] = {}
    for segment in segments:
        for ticker in segment.symbols:
            out.setdefault(ticker, segment.currency_of(ticker))
    return out


def fx_tickers(currencies: Mapping[str, str]) -> tuple[str, ...]:
    """The FX series (`JPY=X`) the non-USD listings need, in order, without repeats."""
    symbols = (fx_ticker(c) for c in currencies.values() if c != USD)
    return tuple(dict.fromkeys(s for s in symbols if s is not None))
