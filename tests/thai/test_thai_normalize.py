"""The normalisation rules of the Thai-text issue, one row each."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from thai import normalize, parse
from thai.cleaning import (
    collapse_trailing_repeats,
    fix_double_sara_e,
    nfkc,
    pythainlp_normalize,
    remove_invisible,
)

INVISIBLE = {
    "zwsp": "\u200b",
    "zwnj": "\u200c",
    "zwj": "\u200d",
    "lrm": "\u200e",
    "rlm": "\u200f",
    "word-joiner": "\u2060",
    "bom": "\ufeff",
    "soft-hyphen": "\u00ad",
    "variation-selector": "\ufe0f",
}


@pytest.mark.parametrize("char", INVISIBLE.values(), ids=INVISIBLE.keys())
def test_invisible_characters_are_removed(char: str) -> None:
    assert normalize(f"ข้อ{char}2 เสร็จ{char}แล้ว{char}") == "ข้อ2 เสร็จแล้ว"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("ค่าาาา", "ค่า", id="repeated-vowel"),
        pytest.param("ครับบบบ", "ครับ", id="repeated-final-consonant"),
        pytest.param("โอเคคคค", "โอเค", id="repeated-okay"),
        pytest.param("เสร็จแล้วววว ครับบบ", "เสร็จแล้ว ครับ", id="repeats-in-two-words"),
        pytest.param("เเละ", "และ", id="double-sara-e"),
        pytest.param("เเผนงาน เเล้ว", "แผนงาน แล้ว", id="double-sara-e-twice"),
        pytest.param("๑๒๓", "123", id="thai-digits"),
        pytest.param("ร้อยละ ๘๐.๕", "ร้อยละ 80.5", id="thai-digits-decimal"),
        pytest.param("８０％", "80%", id="fullwidth-nfkc"),
        pytest.param("น้ำ ทำ ค่ำ", "น้ำ ทำ ค่ำ", id="sara-am-survives-nfkc"),
        pytest.param("ข้อ   2", "ข้อ 2", id="spaces"),
        pytest.param("  ครับ  ", "ครับ", id="strip"),
        pytest.param("KPI 2", "KPI 2", id="latin-case-kept"),
        pytest.param("", "", id="empty"),
    ],
)
def test_normalize(text: str, expected: str) -> None:
    assert normalize(text) == expected


def test_parse_keeps_text_and_gives_normalized() -> None:
    result = parse("ข้อ\u200b๒ เสร็จแล้วค่าาาา", date(2026, 4, 1))
    assert (result.text, result.normalized) == ("ข้อ\u200b๒ เสร็จแล้วค่าาาา", "ข้อ2 เสร็จแล้วค่า")


@pytest.mark.parametrize(
    ("step", "text", "expected"),
    [
        pytest.param(remove_invisible, "ก\u200dข\u2060ค\ufeff", "กขค", id="remove-invisible"),
        pytest.param(nfkc, "ｋｐｉ２", "kpi2", id="nfkc"),
        pytest.param(pythainlp_normalize, "นานาาา", "นานา", id="pythainlp"),
        pytest.param(collapse_trailing_repeats, "ครับบบ ค่ะ", "ครับ ค่ะ", id="trailing-repeats"),
        pytest.param(collapse_trailing_repeats, "ไม่มีซ้ำ", "ไม่มีซ้ำ", id="trailing-repeats-untouched"),
        pytest.param(fix_double_sara_e, "เเ", "แ", id="sara-e"),
    ],
)
def test_pipeline_steps(step: Callable[[str], str], text: str, expected: str) -> None:
    assert step(text) == expected
