"""feeds.yaml sections `smart_money:` (13F funds, CUSIP table, EDGAR pacing) and `model_mix:`
(the Hugging Face Hub categories). Validated once at start-up with the rest of the config.

The defaults are the project's documented choices (docs/smart-money.md says why each
fund is there); a feeds.yaml may replace any of them.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator

from signals.model_mix import Category

Cusip = Annotated[str, Field(pattern=r"^[0-9A-Za-z]{8}[0-9]$")]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FundConfig(_Section):
    cik: int = Field(ge=1, le=9_999_999_999)
    name: str = Field(min_length=1, max_length=120)
    why: str = ""


def _fund(cik: int, name: str, why: str) -> FundConfig:
    return FundConfig(cik=cik, name=name, why=why)


DEFAULT_FUNDS = (
    _fund(
        1649339,
        "Scion Asset Management",
        "Michael Burry: puts on NVDA and PLTR in Q3 2025; "
        "deregistered in November 2025, so its history ends with the 2025-09-30 report",
    ),
    _fund(1536411, "Duquesne Family Office", "Stanley Druckenmiller: sold out of NVDA in 2024"),
    _fund(1167483, "Tiger Global Management", "a growth fund that rode and cut AI names"),
    _fund(1135730, "Coatue Management", "a technology fund, large AI positions and options"),
    _fund(
        1350694, "Bridgewater Associates", "a macro fund that reports index and single-name options"
    ),
)

# CUSIPs of the basket's US-listed names (check digits verified by the validator below).
DEFAULT_CUSIPS = {
    "67066G104": "NVDA",
    "594918104": "MSFT",
    "02079K305": "GOOGL",
    "02079K107": "GOOG",
    "30303M102": "META",
    "023135106": "AMZN",
    "68389X105": "ORCL",
    "007903107": "AMD",
    "11135F101": "AVGO",
    "874039100": "TSM",
    "595112103": "MU",
    "69608A108": "PLTR",
}


class SmartMoneyConfig(_Section):
    funds: tuple[FundConfig, ...] = DEFAULT_FUNDS
    cusips: dict[Cusip, str] = Field(default_factory=lambda: dict(DEFAULT_CUSIPS))
    sec_requests_per_second: float = Field(default=5.0, gt=0, le=10)
    sec_timeout_seconds: float = Field(default=30.0, gt=0, le=300)
    sec_max_retries: int = Field(default=3, ge=0, le=10)
    filings_per_fund: int = Field(default=12, ge=1, le=80)

    @field_validator("cusips")
    @classmethod
    def _check_digits(cls, table: dict[str, str]) -> dict[str, str]:
        bad = [c for c in table if not cusip_check_ok(c)]
        if bad:
            raise ValueError(f"CUSIP check digit wrong (a typo?): {', '.join(bad)}")
        return {c.upper(): t for c, t in table.items()}

    @field_validator("funds")
    @classmethod
    def _unique_ciks(cls, funds: tuple[FundConfig, ...]) -> tuple[FundConfig, ...]:
        ciks = [f.cik for f in funds]
        dupes = sorted({c for c in ciks if ciks.count(c) > 1})
        if dupes:
            raise ValueError(f"fund CIKs must be unique (repeated: {dupes})")
        return funds


class CategoryConfig(_Section):
    name: str = Field(min_length=1, max_length=40, pattern=r"^[a-z0-9_]+$")
    pipeline_tags: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()

    def category(self) -> Category:
        return Category(
            self.name, frozenset(self.pipeline_tags), frozenset(t.lower() for t in self.tags)
        )


def _category(name: str, pipeline_tags: str = "", tags: str = "") -> CategoryConfig:
    return CategoryConfig(
        name=name, pipeline_tags=tuple(pipeline_tags.split()), tags=tuple(tags.split())
    )


DEFAULT_CATEGORIES = (
    _category(
        "biology",
        tags="biology protein proteins genomics dna rna bioinformatics medical single-cell",
    ),
    _category("chemistry", tags="chemistry molecules molecule materials smiles drug-discovery"),
    _category("robotics", "robotics", tags="robotics lerobot"),
    _category("time_series", "time-series-forecasting", tags="time-series timeseries"),
    _category("llm", "text-generation text2text-generation image-text-to-text"),
    _category(
        "image_video",
        "text-to-image image-to-image text-to-video image-to-video "
        "unconditional-image-generation image-classification object-detection "
        "image-segmentation depth-estimation video-classification mask-generation",
    ),
    _category(
        "audio",
        "text-to-speech automatic-speech-recognition audio-classification "
        "text-to-audio audio-to-audio",
    ),
)


class ModelMixConfig(_Section):
    categories: tuple[CategoryConfig, ...] = DEFAULT_CATEGORIES
    max_models: int = Field(default=200_000, ge=10)  # a ceiling on one run's paging

    def as_categories(self) -> tuple[Category, ...]:
        return tuple(c.category() for c in self.categories)


def cusip_check_ok(cusip: str) -> bool:
    """The CUSIP check digit (modulus 10, double-add-double) matches the ninth character."""
    total = 0
    for i, char in enumerate(cusip[:8].upper()):
        if char.isdigit():
            value = int(char)
        elif char.isalpha():
            value = ord(char) - ord("A") + 10
        else:
            value = {"*": 36, "@": 37, "#": 38}.get(char, -100)
        if i % 2 == 1:
            value *= 2
        total += value // 10 + value % 10
    return len(cusip) == 9 and cusip[8].isdigit() and (10 - total % 10) % 10 == int(cusip[8])
