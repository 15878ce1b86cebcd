"""feeds.yaml section `fundamentals:`: which companies' SEC filings to read, the
hyperscaler group, CIK overrides, companies SEC's XBRL API does not cover, and where the
market's CAPE series comes from. Validated once at start-up with the rest of the config.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import yaml
from pydantic import BaseModel, ConfigDict, Field

from monitor.config.segments import Ticker
from monitor.config.yaml_errors import located
from monitor.errors import ConfigError

DEFAULT_HYPERSCALERS = ("MSFT", "GOOGL", "AMZN", "META", "ORCL")
#: SEC's central index keys are at most ten digits; -5 was requested as `CIK-000000005`.
Cik = Annotated[int, Field(ge=1, le=9_999_999_999)]
#: Listed but not covered: foreign private issuers file IFRS 20-F/6-K (no us-gaap facts)
#: and a Tokyo listing is not an SEC filer at all.
DEFAULT_NOT_COVERED = {
    "TSM": "foreign private issuer (Form 20-F, IFRS in TWD): no US-GAAP companyfacts",
    "9984.T": "Tokyo listing, not an SEC filer",
}


class FundamentalsConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    #: The group the reading's `fundamentals` line sums (capex, revenue, free cash flow).
    hyperscalers: tuple[Ticker, ...] = Field(default=DEFAULT_HYPERSCALERS, min_length=1)
    #: Segments whose members are collected; the `market` segment (index funds) is read
    #: through CAPE instead.
    segments: tuple[str, ...] = ("llm", "applied_ai")
    #: ticker -> CIK, for tickers SEC's ticker table lacks or maps differently.
    ciks: dict[Ticker, Cik] = Field(default_factory=dict)
    not_covered: dict[str, str] = Field(default_factory=lambda: dict(DEFAULT_NOT_COVERED))
    #: A CSV with `date` (YYYY-MM) and `cape` columns, e.g. Shiller's ie_data sheet saved as
    #: CSV; relative paths are read from the working directory. None: CAPE is shown missing.
    cape_csv: Path | None = None
    #: The year the line compares capex/revenue with (before the AI build-out).
    baseline_year: int = Field(default=2019, ge=2009, le=2100)

    def tickers(self, segments: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
        """Every ticker to collect: the hyperscalers, then the configured segments' members."""
        listed = [*self.hyperscalers]
        for name in self.segments:
            listed.extend(segments.get(name, ()))
        return tuple(dict.fromkeys(listed))


def check_fundamentals_segments(
    config: FundamentalsConfig, known: Sequence[str], node: yaml.Node | None, path: Path
) -> None:
    """A misspelt name in `fundamentals.segments` ('lmm') collected nothing for that
    segment, without a word: ConfigError naming the file and line. The default (llm,
    applied_ai) is not checked: a config with `basket:` alone has neither, and wants no
    error for what it never wrote."""
    if "segments" not in config.model_fields_set:
        return
    unknown = [name for name in config.segments if name not in known]
    if unknown:
        raise ConfigError(
            located(node, path, ("fundamentals", "segments"))
            + f": fundamentals.segments: no segment named {', '.join(unknown)} "
            f"(segments: {', '.join(known) or 'none'})"
        )
