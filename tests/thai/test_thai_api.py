"""The Python API the rest of the app calls: names, types, totality."""

from __future__ import annotations

import dataclasses
import logging
import os
from datetime import date, datetime

import pytest

import thai
from thai import ParsedMessage, extract, parse

TODAY = date(2026, 4, 1)


def test_public_names() -> None:
    for name in ("parse", "ParsedMessage", "normalize", "format_date", "format_datetime",
                 "thai_digits_to_arabic", "warm_up"):
        assert name in thai.__all__
        assert hasattr(thai, name)


def test_pythainlp_is_kept_offline_and_read_only() -> None:
    assert os.environ["PYTHAINLP_OFFLINE"] == "1"
    assert os.environ.get("PYTHAINLP_READ_ONLY") == "1" or "PYTHAINLP_READ_MODE" in os.environ


def test_parsed_message_is_frozen_with_typed_fields() -> None:
    result = parse("ข้อ 2 ได้ 4.5 จาก 5 ส่ง 10 เม.ย. 70 เสร็จแล้ว", TODAY)
    assert isinstance(result, ParsedMessage)
    assert result.date == date(2027, 4, 10)
    assert (result.kpi, result.value, result.target, result.status) == (2, 4.5, 5, "done")
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.kpi = 3  # type: ignore[misc]  # frozen: the point of the test
    assert list(result.to_dict()) == [
        "text", "normalized", "kpi", "percent", "value", "target", "date", "status", "answer",
        "time", "items",
    ]
    assert result.to_dict()["date"] == "2027-04-10"


def test_today_may_be_a_datetime() -> None:
    assert parse("พรุ่งนี้", datetime(2026, 4, 1, 23, 59)).date == date(2026, 4, 2)


def test_non_text_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        parse(None, TODAY)  # type: ignore[arg-type]  # wrong on purpose


def test_internal_error_gives_an_empty_reading_not_an_exception(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*args: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(extract, "_Reader", broken)
    with caplog.at_level(logging.ERROR, logger="thai.extract"):
        result = parse("ข้อ 2 ได้ 45 ชื่อ สมชาย", TODAY)
    assert result == ParsedMessage(text="ข้อ 2 ได้ 45 ชื่อ สมชาย", normalized="ข้อ 2 ได้ 45 ชื่อ สมชาย")
    assert "boom" in caplog.text
    assert "สมชาย" not in caplog.text  # the message is not logged (PDPA)
