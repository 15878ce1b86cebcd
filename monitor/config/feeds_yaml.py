"""Configuration: feeds.yaml (all non-secret settings) validated once at start-up.

Every section is a pydantic model with unknown keys forbidden, so a typo stops start-up
with the file, the line, the key and what was expected, instead of being ignored.
Secrets (Slack) come only from the environment: see `monitor.config.secrets`.
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from monitor.config.cron import check_schedule_entry, check_timezone
from monitor.config.feeds import FeedConfig as FeedConfig  # where callers import it from
from monitor.config.fundamentals import FundamentalsConfig, check_fundamentals_segments
from monitor.config.segments import (
    SegmentConfig,
    Ticker,
    check_segments,
    currencies_of,
    fx_tickers,
    segments_from_raw,
)
from monitor.config.smart_money import ModelMixConfig, SmartMoneyConfig
from monitor.config.yaml_errors import describe_invalid, repeated_key, utf8_text, yaml_problem
from monitor.errors import ConfigError
from signals.index import MARKET_COMPONENTS, SMART_MONEY_COMPONENTS
from signals.labels import NEWS_COMPONENTS

FEEDS_ENV = "BUBBLE_MONITOR_FEEDS"
_PACKAGE_DIR = Path(__file__).resolve().parents[1]  # monitor/: the wheel puts feeds.yaml there

#: The components `index.weights` may name (index v1, docs/index-v1.md).
WEIGHTED_COMPONENTS = (*MARKET_COMPONENTS, *NEWS_COMPONENTS, *SMART_MONEY_COMPONENTS)


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PricesConfig(_Section):
    history_days: int = Field(default=3650, ge=60, le=20_000)
    overlap_days: int = Field(default=5, ge=0, le=60)
    stale_after_days: int = Field(default=4, ge=1, le=60)
    max_retries: int = Field(default=4, ge=0, le=10)


class NewsConfig(_Section):
    max_age_days: int = Field(default=30, ge=1, le=3650)
    story_similarity: float = Field(default=0.72, gt=0.0, le=1.0)
    story_window_hours: int = Field(default=72, ge=1, le=24 * 30)
    timeout_seconds: float = Field(default=20.0, gt=0, le=300)
    max_bytes: int = Field(default=5_000_000, ge=10_000, le=200_000_000)
    concurrency: int = Field(default=8, ge=1, le=64)
    #: Read circular deals by rules + the pair model (more deals found, more wrong ones;
    #: docs/circular-deals.md, round 4) instead of the rules alone.
    deal_pair_model: bool = False
    #: The classifier head every job and `report` label headlines with (a file written by
    #: `train --out`, with its encoder delta beside it if fine-tuned); None: the shipped one.
    classifier_head: Path | None = None


class IndexConfig(_Section):
    #: The crash model of every live reading: a shipped one by horizon, or `auto` (the one
    #: that passed its pre-committed hold-out; docs/index-v2.md).
    model: Literal["auto", "6m", "24m"] = "auto"
    weights: dict[str, float] = Field(
        default_factory=lambda: {
            "overextension": 1.5,
            "explosiveness": 1.5,
            "concentration": 1.0,
            "fragility": 1.0,
            "credit": 0.75,
            "layoffs": 0.75,
            "circular_deal": 1.0,
            "funding_round": 0.5,
            "capex_debt": 0.75,
            "bubble_warning": 1.0,
            "ai_demand": 0.75,
            # Smart money joins only once `collect positioning|filings` has stored data.
            "positioning": 0.5,
            "smart_money": 0.5,
        }
    )

    @field_validator("weights")
    @classmethod
    def _known_and_finite(cls, weights: dict[str, float]) -> dict[str, float]:
        # A misspelt name weighed nothing, silently; .nan moved the index and .inf made it
        # null on every day of a backtest.
        unknown = [name for name in weights if name not in WEIGHTED_COMPONENTS]
        if unknown:
            raise ValueError(
                f"unknown component {', '.join(unknown)} "
                f"(components: {', '.join(WEIGHTED_COMPONENTS)})"
            )
        bad = [name for name, w in weights.items() if not 0 <= w < math.inf]
        if bad:
            raise ValueError(f"weights must be finite numbers >= 0 (not: {', '.join(bad)})")
        return weights


class AlertsConfig(_Section):
    digest_time: str = Field(default="09:00", pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    jump_points: float = Field(default=10.0, gt=0, le=100)
    hysteresis: float = Field(default=3.0, ge=0, le=20)
    breaking_confidence: float = Field(default=0.8, gt=0, le=1)
    breaking_min_sources: int = Field(default=2, ge=1, le=50)
    breaking_cooldown_hours: float = Field(default=6.0, ge=0, le=24 * 14)


class JobSchedule(_Section):
    every: str | None = Field(default=None, pattern=r"^\d+(s|m|h|d)$")
    cron: str | None = None
    timezone: str | None = None
    jitter: int | None = Field(default=None, ge=0, le=3600)

    @model_validator(mode="after")
    def _one_trigger(self) -> JobSchedule:
        if (self.every is None) == (self.cron is None):
            raise ValueError("give exactly one of 'every' (like 15m) or 'cron' (m h dom mon dow)")
        # A bad cron or time zone stops start-up, naming its line.
        check_schedule_entry(self.every, self.cron, self.timezone)
        return self


class RetentionConfig(_Section):
    """How long the store keeps rows (null: forever); see monitor.store.retention."""

    # The news reads 120 days of headlines (30-day window + 90-day baseline).
    headlines_days: int | None = Field(default=400, ge=150, le=36_500)
    readings_full_days: int | None = Field(default=90, ge=7, le=36_500)


class ScheduleConfig(_Section):
    """One entry per service job; an entry set to null disables that job."""

    timezone: str = "America/New_York"
    misfire_grace_seconds: int = Field(default=600, ge=1, le=86_400)
    prices: JobSchedule | None = JobSchedule(cron="15 16 * * mon-fri")
    prices_intraday: JobSchedule | None = JobSchedule(cron="0 10-15 * * mon-fri")
    news: JobSchedule | None = JobSchedule(every="15m", jitter=60)
    index: JobSchedule | None = JobSchedule(every="1h")
    digest: JobSchedule | None = JobSchedule(cron="0 9 * * *")
    # Short interest settles twice a month and 13Fs arrive quarterly: daily checks are plenty.
    positioning: JobSchedule | None = JobSchedule(cron="30 18 * * mon-fri")
    filings: JobSchedule | None = JobSchedule(cron="0 7 * * *")
    # Companies file quarterly; companyfacts answers 304 until a new filing arrives.
    fundamentals: JobSchedule | None = JobSchedule(cron="30 7 * * *")
    models: JobSchedule | None = JobSchedule(cron="0 6 * * mon")
    retention: JobSchedule | None = JobSchedule(cron="30 3 * * *")

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, name: str) -> str:
        check_timezone(name)
        return name


class Config(_Section):
    basket: tuple[Ticker, ...] = Field(min_length=1)
    benchmarks: tuple[Ticker, ...] = ()
    segments: tuple[SegmentConfig, ...] = ()
    feeds: tuple[FeedConfig, ...] = ()
    prices: PricesConfig = PricesConfig()
    news: NewsConfig = NewsConfig()
    index: IndexConfig = IndexConfig()
    alerts: AlertsConfig = AlertsConfig()
    schedule: ScheduleConfig = ScheduleConfig()
    smart_money: SmartMoneyConfig = SmartMoneyConfig()
    model_mix: ModelMixConfig = ModelMixConfig()
    fundamentals: FundamentalsConfig = FundamentalsConfig()
    retention: RetentionConfig = RetentionConfig()
    source: Literal["file", "default"] = "default"

    @model_validator(mode="before")
    @classmethod
    def _segments_or_basket(cls, data: Any) -> Any:
        """`basket:` alone is the one segment `ai`; `segments:` alone make the basket."""
        return segments_from_raw(data)

    @model_validator(mode="after")
    def _unique_segment_names(self) -> Config:
        check_segments(self.segments)
        return self

    @field_validator("basket")
    @classmethod
    def _unique_tickers(cls, basket: tuple[str, ...]) -> tuple[str, ...]:
        # A repeated ticker counted twice in the basket's equal-weighted index.
        repeats = sorted({t for t in basket if basket.count(t) > 1})
        if repeats:
            raise ValueError(f"tickers must be unique (repeated: {', '.join(repeats)})")
        return basket

    @model_validator(mode="after")
    def _unique_feed_names(self) -> Config:
        names = [f.name for f in self.feeds]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"feed names must be unique (repeated: {', '.join(dupes)})")
        return self

    @property
    def tickers(self) -> tuple[str, ...]:
        """Every ticker to collect, without repeats: basket, benchmarks, then the
        segments' tickers, their benchmarks and the FX rates of non-USD listings."""
        extra = [t for s in self.segments for t in (*s.symbols, *s.benchmarks)]
        listed = (*self.basket, *self.benchmarks, *extra)
        return tuple(dict.fromkeys((*listed, *fx_tickers(self.currencies))))

    @property
    def currencies(self) -> dict[str, str]:
        """Listing currency of every segment ticker (USD ones included)."""
        return currencies_of(self.segments)

    def segment(self, name: str) -> SegmentConfig:
        """The segment called `name`; ConfigError naming the known ones otherwise."""
        for segment in self.segments:
            if segment.name == name:
                return segment
        known = ", ".join(s.name for s in self.segments) or "none"
        raise ConfigError(f"no segment named {name!r} in feeds.yaml (segments: {known})")


def feeds_path(explicit: Path | None) -> Path:
    """The feeds.yaml to use: --feeds, else BUBBLE_MONITOR_FEEDS, else the bundled default."""
    if explicit is not None:
        return explicit
    env = os.environ.get(FEEDS_ENV)
    return Path(env) if env else default_feeds_path()


def default_feeds_path() -> Path:
    """The bundled feeds.yaml: inside the wheel, or at the top of a source checkout."""
    bundled = _PACKAGE_DIR / "feeds.yaml"
    return bundled if bundled.exists() else _PACKAGE_DIR.parent / "feeds.yaml"


def load_config(path: Path | None = None) -> Config:
    """Read and validate feeds.yaml; raise ConfigError naming the file, line and key."""
    path = feeds_path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError as e:
        raise ConfigError(f"{path}: file not found; pass --feeds or set {FEEDS_ENV}") from e
    except OSError as e:
        raise ConfigError(f"{path}: cannot read: {e.strerror or e}") from e
    text = utf8_text(raw, path)
    return parse_config(text, path)


def parse_config(text: str, path: Path) -> Config:
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as e:
        raise ConfigError(yaml_problem(e, path)) from e
    except RecursionError:
        raise ConfigError(f"{path}: nested too deeply to be settings") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping of settings at the top level")
    # PyYAML keeps the last of two equal keys: a second `feeds:` section would replace
    # the first without a word.
    repeated = repeated_key(node, path)
    if repeated:
        raise ConfigError(repeated)
    data.setdefault("source", "file")
    try:
        config = Config.model_validate(data)
    except ValidationError as e:
        raise ConfigError(describe_invalid(e, node, path)) from e
    check_fundamentals_segments(config.fundamentals, [s.name for s in config.segments], node, path)
    return config
