"""Thai dates with Buddhist Era years for the bot's own messages."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from thai import format_date, format_datetime, parse


@pytest.mark.parametrize(
    ("day", "short", "full"),
    [
        pytest.param(date(2027, 4, 10), "10 เม.ย. 2570", "10 เมษายน 2570", id="april"),
        pytest.param(date(2027, 1, 1), "1 ม.ค. 2570", "1 มกราคม 2570", id="january"),
        pytest.param(date(2024, 2, 29), "29 ก.พ. 2567", "29 กุมภาพันธ์ 2567", id="leap-day"),
        pytest.param(date(2026, 10, 1), "1 ต.ค. 2569", "1 ตุลาคม 2569", id="fiscal-year-start"),
        pytest.param(date(2010, 8, 31), "31 ส.ค. 2553", "31 สิงหาคม 2553", id="seed-deadline"),
        pytest.param(date(2019, 5, 6), "6 พ.ค. 2562", "6 พฤษภาคม 2562", id="seed-announcement"),
        pytest.param(date(2026, 12, 31), "31 ธ.ค. 2569", "31 ธันวาคม 2569", id="december"),
    ],
)
def test_format_date(day: date, short: str, full: str) -> None:
    assert format_date(day) == short
    assert format_date(day, full=True) == full


@pytest.mark.parametrize("day", [date(2027, 4, 10), date(2024, 2, 29), date(2026, 11, 30)])
def test_format_date_reads_back(day: date) -> None:
    assert parse(format_date(day), date(2020, 1, 1)).date == day
    assert parse(format_date(day, full=True), date(2020, 1, 1)).date == day


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        pytest.param(datetime(2027, 4, 10, 8, 30), "10 เม.ย. 2570 08:30 น.", id="naive-is-bangkok"),
        pytest.param(
            datetime(2027, 4, 10, 8, 30, tzinfo=ZoneInfo("Asia/Bangkok")),
            "10 เม.ย. 2570 08:30 น.",
            id="bangkok",
        ),
        pytest.param(
            datetime(2027, 4, 9, 20, 5, tzinfo=UTC),
            "10 เม.ย. 2570 03:05 น.",
            id="utc-crosses-midnight",
        ),
        pytest.param(
            datetime(2027, 4, 10, 8, 30, tzinfo=timezone(timedelta(hours=9))),
            "10 เม.ย. 2570 06:30 น.",
            id="tokyo",
        ),
    ],
)
def test_format_datetime(moment: datetime, expected: str) -> None:
    assert format_datetime(moment) == expected
