"""feeds.yaml section `fundamentals:`: which companies' SEC filings to read, the
hyperscaler group, CIK overrides, companies SEC's XBRL API does not cover, and where the
market's CAPE series comes from. Validated once at start-up with the rest of the config.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

DEFAULT_HYPERSCALERS = ("MSFT", "GOOGL", "AMZN", "META", "ORCL")
#: Listed but not covered: foreign private issuers file IFRS 20-F/6-K (no us-gaap facts)
#: and a Tokyo listing is not an SEC filer at all.
DEFAULT_NOT_COVERED = {
    "TSM": "foreign private issuer (Form 20-F, IFRS in TWD): no US-GAAP companyfacts",
    "9984.T": "Tokyo listing, not an SEC filer",
}


class FundamentalsConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    #: The group the reading's `fundamentals` line sums (capex, revenue, free cash flow).
    hyperscalers: tuple[str, ...] = Field(default=DEFAULT_HYPERSCALERS, min_length=1)
    #: Segments whose members are collected; the `market` segment (index funds) is read
    #: through CAPE instead.
    segments: tuple[str, ...] = ("llm", "applied_ai")
    #: ticker -> CIK, for tickers SEC's ticker table lacks or maps differently.
    ciks: dict[str, int] = Field(default_factory=dict)
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
