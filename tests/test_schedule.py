"""Schedule entries of feeds.yaml become the right APScheduler triggers, or stop start-up."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from monitor.config.cron import check_cron, parse_every, standard_day_of_week
from monitor.config.feeds_yaml import JobSchedule, ScheduleConfig, parse_config
from monitor.errors import ConfigError
from monitor.stages.jobs import JOB_NAMES
from monitor.stages.schedule import build_trigger, cron_trigger, plan_jobs

NY = ZoneInfo("America/New_York")


def _config(schedule_yaml: str) -> str:
    return f"basket: [NVDA]\nschedule:\n{schedule_yaml}"


def _first_fire(trigger: CronTrigger | IntervalTrigger, now: datetime) -> datetime:
    fire = trigger.get_next_fire_time(None, now)
    assert isinstance(fire, datetime)
    return fire


@pytest.mark.parametrize(
    ("text", "seconds"), [("30s", 30), ("15m", 900), ("1h", 3600), ("1d", 86400), ("90m", 5400)]
)
def test_every_parses_units(text: str, seconds: int) -> None:
    assert parse_every(text) == timedelta(seconds=seconds)


@pytest.mark.parametrize("text", ["0s", "15", "m15", "1.5h", "1w", ""])
def test_every_rejects_malformed_or_zero(text: str) -> None:
    with pytest.raises(ValueError, match="every"):
        parse_every(text)


def test_every_becomes_interval_trigger_with_jitter() -> None:
    plan = build_trigger("news", JobSchedule(every="15m", jitter=60), NY)
    assert isinstance(plan.trigger, IntervalTrigger)
    assert plan.trigger.interval == timedelta(minutes=15)
    assert plan.trigger.jitter == 60
    assert plan.description == "every 15m, jitter 60s"


def test_cron_day_of_week_follows_crontab_not_apscheduler() -> None:
    # APScheduler 3 alone reads 1-5 as Tuesday-Saturday; a crontab user means Monday-Friday.
    plan = build_trigger("prices", JobSchedule(cron="15 16 * * 1-5"), NY)
    saturday = datetime(2025, 3, 8, 12, 0, tzinfo=NY)
    fire = _first_fire(plan.trigger, saturday)
    assert fire.strftime("%a %H:%M") == "Mon 16:15"
    friday_evening = datetime(2025, 3, 7, 17, 0, tzinfo=NY)
    assert _first_fire(plan.trigger, friday_evening).strftime("%a %d") == "Mon 10"


@pytest.mark.parametrize(
    ("field", "names"),
    [
        ("0", "sun"),
        ("7", "sun"),
        ("1-5", "mon,tue,wed,thu,fri"),
        ("mon-fri", "mon,tue,wed,thu,fri"),
        ("5-7", "sun,fri,sat"),
        ("fri-sun", "sun,fri,sat"),
        ("*/2", "sun,tue,thu,sat"),
        ("1,3,sat", "mon,wed,sat"),
        ("*", "*"),
    ],
)
def test_standard_day_of_week(field: str, names: str) -> None:
    assert standard_day_of_week(field) == names


def test_cron_uses_its_own_time_zone_over_the_default() -> None:
    plan = build_trigger("digest", JobSchedule(cron="0 9 * * *", timezone="Europe/Paris"), NY)
    fire = _first_fire(plan.trigger, datetime(2025, 6, 1, 12, 0, tzinfo=UTC))
    assert fire.astimezone(ZoneInfo("Europe/Paris")).hour == 9
    assert fire.astimezone(UTC) == datetime(2025, 6, 2, 7, 0, tzinfo=UTC)


def test_defaults_plan_every_job_in_pipeline_order() -> None:
    plans = plan_jobs(ScheduleConfig())
    assert [p.name for p in plans] == list(JOB_NAMES)
    by_name = {p.name: p for p in plans}
    assert isinstance(by_name["news"].trigger, IntervalTrigger)
    assert by_name["news"].trigger.jitter == 60
    assert isinstance(by_name["digest"].trigger, CronTrigger)
    after_close = _first_fire(by_name["prices"].trigger, datetime(2025, 3, 7, 12, 0, tzinfo=NY))
    assert after_close.strftime("%a %H:%M") == "Fri 16:15"


def test_null_entry_disables_the_job(tmp_path: Path) -> None:
    text = _config("  prices: null\n  prices_intraday: null\n  news: {every: 1s}\n")
    config = parse_config(text, tmp_path / "feeds.yaml")
    assert [p.name for p in plan_jobs(config.schedule)] == [
        "news",
        "positioning",
        "filings",
        "fundamentals",
        "models",
        "index",
        "digest",
        "retention",
    ]


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ("  news: {cron: '0 9 * *'}\n", r"feeds\.yaml:3: schedule\.news: .*has 4 fields"),
        ("  news: {cron: '61 * * * *'}\n", r"feeds\.yaml:3: schedule\.news: .*61"),
        ("  news: {cron: '0 9 * * 9'}\n", r"schedule\.news: .*9 is not 0-7"),
        ("  index: {every: 0m}\n", r"feeds\.yaml:3: schedule\.index: .*longer than zero"),
        ("  index: {every: 15x}\n", r"schedule\.index\.every"),
        ("  digest: {cron: '0 9 * * *', timezone: Mars/Olympus}\n", r"schedule\.digest: .*Mars"),
        ("  digest: {every: 1h, cron: '0 9 * * *'}\n", r"schedule\.digest: .*exactly one"),
        ("  timezone: Not/AZone\n", r"feeds\.yaml:3: schedule\.timezone: .*Not/AZone"),
        ("  news: {every: 1h, jiter: 5}\n", r"schedule\.news\.jiter: unknown key"),
        ("  newz: {every: 1h}\n", r"schedule\.newz: unknown key"),
    ],
)
def test_bad_schedule_stops_start_up_naming_it(tmp_path: Path, entry: str, expected: str) -> None:
    with pytest.raises(ConfigError, match=expected):
        parse_config(_config(entry), tmp_path / "feeds.yaml")


def test_build_trigger_names_the_job_when_given_an_unvalidated_entry() -> None:
    entry = JobSchedule.model_construct(every=None, cron="0 9 * * * *", timezone=None, jitter=None)
    with pytest.raises(ConfigError, match=r"^schedule\.digest: cron: .*6 fields"):
        build_trigger("digest", entry, NY)


CRON_LINES = [
    "15 16 * * mon-fri",
    "0 10-15 * * 1-5",
    "*/15 * * * *",
    "0 9 1,15 * *",
    "0 9 last * *",
    "30 8 * jan-mar sun",
    "0 0 29 feb *",
    "5/10 0-23/2 * * 0,6",
    "61 * * * *",
    "0 24 * * *",
    "0 9 0 * *",
    "0 9 * 13 *",
    "0 9 * * 9",
    "x 9 * * *",
    "0 9-5 * * *",
    "0 9 * * * *",
    "*/0 * * * *",
]


@pytest.mark.parametrize("line", CRON_LINES)
def test_config_time_cron_check_agrees_with_apscheduler(line: str) -> None:
    """monitor.config.cron checks crontab lines without APScheduler (so loading the config stays
    light); it must accept exactly what the service's CronTrigger accepts."""

    def accepted(check: Callable[[], object]) -> bool:
        try:
            check()
        except ValueError:
            return False
        return True

    ours = accepted(lambda: check_cron(line))
    theirs = accepted(lambda: cron_trigger(line, NY))
    assert ours == theirs, f"{line!r}: monitor.config.cron says {ours}, APScheduler says {theirs}"
