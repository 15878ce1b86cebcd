"""The archive reader (monitor.sources.archive) on hostile JSONL and CSV files written here:
every bad row is rejected with its reason, file and line; good rows come out clean."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from monitor.errors import InputError
from monitor.sources.archive.parse import RejectedRow, Where, parse_date, parse_record
from monitor.sources.archive.read import read_archive
from signals.models import Headline

LATEST = datetime(2026, 5, 1, tzinfo=UTC)
GOOD = {
    "date": "2023-03-14",
    "title": "OpenAI releases GPT-4",
    "source": "The Verge",
    "url": "https://www.theverge.com/gpt-4?utm_source=x",
    "collection": "ridehome",
    "provenance": "owner/repo@abc:file.md",
}


def _jsonl(tmp_path: Path, lines: list[bytes]) -> Path:
    path = tmp_path / "archive.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


def _read(path: Path) -> list[tuple[int, Headline | RejectedRow]]:
    return list(read_archive(path, latest=LATEST))


def _by_line(items: list[tuple[int, Headline | RejectedRow]]) -> dict[int, str]:
    """line -> "ok" or the rejection reason."""
    return {n: "ok" if isinstance(item, Headline) else item.reason for n, item in items}


def _row(**changes: object) -> bytes:
    record = {**GOOD, **changes}
    return json.dumps({k: v for k, v in record.items() if v is not ...}).encode()


def test_a_good_row_becomes_a_clean_headline(tmp_path: Path) -> None:
    path = _jsonl(tmp_path, [_row(title="  Nvidia &amp; OpenAI sign <b>$100bn</b>  deal ")])
    [(line, item)] = _read(path)
    assert line == 1 and isinstance(item, Headline)
    assert item.title == "Nvidia & OpenAI sign $100bn deal"
    assert item.url == "https://www.theverge.com/gpt-4"  # tracking parameter dropped
    assert item.source == "The Verge" and item.feed == "import:ridehome"
    assert item.published == datetime(2023, 3, 14, 12, tzinfo=UTC)
    assert not item.published_estimated


def test_every_kind_of_bad_row_is_rejected_by_line_and_reason(tmp_path: Path) -> None:
    lines = [
        _row(),  # 1 ok
        b'{"date": "2023-01-02", "title": "cut off',  # 2 broken JSON
        b"[1, 2, 3]",  # 3 an array
        _row(date=...),  # 4 no date
        _row(date="  "),  # 5 empty date
        _row(date="2023-13-45"),  # 6 impossible date
        _row(date="last Tuesday"),  # 7 not ISO
        _row(date=20230102),  # 8 a number
        _row(date="2031-01-01"),  # 9 the future
        _row(title=...),  # 10 no title
        _row(title="   "),  # 11 blank title
        _row(title="<br/>"),  # 12 only a tag
        _row(title=["a", "list"]),  # 13 not a string
        _row(url=...),  # 14 no url
        _row(url="htts://typo.example/a"),  # 15 not http(s)
        _row(url="javascript:alert(1)"),  # 16 script
        _row(source=42),  # 17 source not a string
        b"\xff\xfe not utf-8 \x80",  # 18 bytes that are not UTF-8
        b"",  # 19 blank: skipped, not a row
        b"   \t",  # 20 blank too
        b"[" * 100_000,  # 21 nested too deeply
        b"null",  # 22 JSON, not an object
        _row(title="Second good row", url="https://example.com/2"),  # 23 ok
    ]
    seen = _by_line(_read(_jsonl(tmp_path, lines)))
    assert seen == {
        1: "ok",
        2: "broken_json",
        3: "not_an_object",
        4: "no_date",
        5: "no_date",
        6: "bad_date",
        7: "bad_date",
        8: "bad_date",
        9: "bad_date",
        10: "no_title",
        11: "no_title",
        12: "no_title",
        13: "no_title",
        14: "bad_url",
        15: "bad_url",
        16: "bad_url",
        17: "bad_field",
        18: "not_utf8",
        21: "broken_json",
        22: "not_an_object",
        23: "ok",
    }


def test_a_rejection_names_the_file_line_and_field(tmp_path: Path) -> None:
    path = _jsonl(tmp_path, [_row(), _row(date="2023-02-30")])
    rejected = [item for _, item in _read(path) if isinstance(item, RejectedRow)]
    assert [str(r) for r in rejected] == [
        f"{path}:2: field date: '2023-02-30' is not an ISO date (YYYY-MM-DD[THH:MM])"
    ]


def test_bom_crlf_and_aliases_are_accepted(tmp_path: Path) -> None:
    path = tmp_path / "windows.jsonl"
    first = json.dumps(
        {"published": "2024-06-01T09:30:00+02:00", "text": "A", "url": "http://a.test/x"}
    )
    second = json.dumps({"date": "2024-06-02T10:00:00", "title": "B", "url": "https://b.test/"})
    path.write_bytes(b"\xef\xbb\xbf" + first.encode() + b"\r\n" + second.encode() + b"\r\n")
    items = _read(path)
    heads = [item for _, item in items if isinstance(item, Headline)]
    assert [h.published for h in heads] == [
        datetime(2024, 6, 1, 7, 30, tzinfo=UTC),  # converted to UTC
        datetime(2024, 6, 2, 10, 0, tzinfo=UTC),  # naive = UTC
    ]
    assert [h.source for h in heads] == ["unknown", "unknown"]
    assert [h.feed for h in heads] == ["import", "import"]


def test_parse_date_forms() -> None:
    assert parse_date("2022-01-03") == datetime(2022, 1, 3, 12, tzinfo=UTC)
    assert parse_date("2022-01-03T05:00:00Z") == datetime(2022, 1, 3, 5, tzinfo=UTC)
    assert parse_date("03/01/2022") is None
    assert parse_date("") is None


def test_parse_record_is_pure_and_keeps_the_first_problem() -> None:
    where = Where("mem", 7, LATEST)
    result = parse_record({"title": "", "url": "nope"}, where)
    assert isinstance(result, RejectedRow) and result.reason == "no_date" and result.line == 7


def _csv(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "archive.csv"
    path.write_bytes(data)
    return path


def test_csv_rows_are_named_by_their_first_line(tmp_path: Path) -> None:
    data = (
        b"Title,DATE,url,source,extra\n"  # any order, any case, extra columns ignored
        b'"Multi\nline title",2023-01-02,https://a.test/1,Outlet,x\n'  # lines 2-3
        b",2023-01-03,https://a.test/2,Outlet,x\n"  # 4 no title
        b"Fine,2023-01-04,https://a.test/3\n"  # 5 short row: ok
        b"\n"  # 6 blank
        b"Bad bytes \xff,2023-01-05,https://a.test/4,O,x\n"  # 7 not utf-8
        b"Late,not a date,https://a.test/5,O,x\n"  # 8 bad date
        b"Nul \x00 byte,2023-01-06,https://a.test/6,O,x\n"  # 9 NUL byte
        b"Last,2023-01-07,https://a.test/7,O,x\n"  # 10 ok
    )
    items = _read(_csv(tmp_path, data))
    assert _by_line(items) == {
        2: "ok",
        4: "no_title",
        5: "ok",
        7: "not_utf8",
        8: "bad_date",
        9: _nul_reason(),
        10: "ok",
    }
    first = items[0][1]
    assert isinstance(first, Headline) and first.title == "Multi line title"


def _nul_reason() -> str:
    """Python 3.11's csv refuses a NUL byte (a record error); 3.13 reads it as text."""
    import csv
    import io

    try:
        list(csv.reader(io.StringIO("a\x00b\n")))
    except csv.Error:
        return "bad_field"
    return "ok"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty CSV file"),
        (b"title,url\nA,https://a.test/\n", "CSV header has no date or published column"),
        (b"date,url\n2023-01-01,https://a.test/\n", "CSV header has no title or text column"),
        (b"date,title\n2023-01-01,A\n", "CSV header has no url column"),
    ],
)
def test_a_csv_without_the_needed_columns_is_refused_before_any_row(
    tmp_path: Path, data: bytes, message: str
) -> None:
    with pytest.raises(InputError, match=message):
        _read(_csv(tmp_path, data))


def test_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="file not found"):
        read_archive(tmp_path / "nope.jsonl", latest=LATEST)


def test_reading_is_lazy_one_line_at_a_time(tmp_path: Path) -> None:
    path = _jsonl(tmp_path, [_row(url=f"https://a.test/{i}", title=f"T{i}") for i in range(50)])
    stream = read_archive(path, latest=LATEST)
    assert next(stream)[0] == 1  # a generator: nothing is read ahead into a list
    assert sum(1 for _ in stream) == 49


def test_a_missing_url_is_said_as_missing_not_as_a_value() -> None:
    # Before: "field url: missing is not an http(s) URL", as if "missing" were the value.
    where = Where("h.csv", 5, datetime(2026, 12, 1, tzinfo=UTC))
    row = parse_record({"date": "2025-10-08", "title": "Meta sells bonds"}, where)
    assert isinstance(row, RejectedRow)
    assert row.message == "field url: missing or empty (an http(s) URL)"
    bad = parse_record({"date": "2025-10-08", "title": "T", "url": "ftp://x"}, where)
    assert isinstance(bad, RejectedRow) and "'ftp://x' is not an http(s) URL" in bad.message
