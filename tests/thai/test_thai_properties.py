"""Property tests: parse is total and its output is always JSON-ready.

No timing here (speed targets live in bench/thai.py); Hypothesis keeps its
own deadline as a guard against pathological slowness.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pythainlp.util import normalize as pythainlp_normalize

from thai import ParsedMessage, parse, warm_up
from thai.cleaning import LONG_TEXT, pythainlp_normalize_single_pass
from thai.extract import _read

DEADLINE = timedelta(milliseconds=200)


@pytest.fixture(autouse=True, scope="module")
def _tables_built() -> None:
    """Build the one-time tables first, so no example pays for them."""
    warm_up()


THAI = st.characters(min_codepoint=0x0E01, max_codepoint=0x0E5B)
LATIN = st.characters(min_codepoint=0x20, max_codepoint=0x7E)
EMOJI = st.sampled_from(["👍", "👍🏻", "🙏", "😀", "❌", "✅", "👨\u200d👩\u200d👧", "🇹🇭", "❤️"])
INVISIBLE = st.sampled_from(["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u200e"])
WORDS = st.sampled_from(
    [
        "ข้อ", "ตัวชี้วัดที่", "KPI", "ร้อยละ", "%", "เปอร์เซ็นต์", "จากเป้า", "จาก", "/", "-",
        "วันที่", "เม.ย.", "ส.ค.", "มกราคม", "พ.ศ.", "2570", "๒๕๖๙", "70", "สิ้นเดือน", "หน้า",
        "ศุกร์", "อีก", "วัน", "สัปดาห์", "พรุ่งนี้", "สี่สิบห้า", "ร้อย", "จุด", "ศูนย์", "ล้าน",
        "ครึ่ง", "เต็มร้อย", "เสร็จ", "ยังไม่", "กำลังทำ", "ใช่", "ไม่", "ครับ", "ค่ะ", "โอเค",
        "45", "2,000", "4.5", "12", "31", "29", "0", "555", " ", "\n", "เเ", "าาา", "บบบ",
        "กับ", "และ", "ทั้งคู่", "ทั้งหมด", "1)", "2)", "ถึง", "ใน", "ไม่ได้", "ไม่ใช่", "ล่าช้า",
        "คาดว่า", "บ่าย", "โมง", "เช้า", "เย็น", "ทุ่ม", "ครึ่ง", "เที่ยง", "ตี", "14:00", "8.30 น.",
        "วันทำการ", "กลางเดือน", "สิ้นปีงบประมาณ", "ไตรมาส", "2026-05-15", "5555+", "เคพีไอ",
    ]
)
MIXED = st.lists(st.one_of(THAI, LATIN, EMOJI, INVISIBLE, WORDS), max_size=60).map("".join)
TODAYS = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31))


def _assert_total(text: str, today: date) -> None:
    result = _read(text, today)  # the reader itself, without parse's safety net
    assert isinstance(result, ParsedMessage)
    assert result.text == text
    json.dumps(result.to_dict(), ensure_ascii=False, allow_nan=False)
    assert isinstance(parse(text, today), ParsedMessage)


@settings(deadline=DEADLINE)
@given(st.text(), TODAYS)
def test_any_text_any_day(text: str, today: date) -> None:
    _assert_total(text, today)


@settings(deadline=DEADLINE, max_examples=300)
@given(MIXED, TODAYS)
def test_mixed_thai_latin_emoji(text: str, today: date) -> None:
    _assert_total(text, today)


def _to_5000(text: str) -> str:
    """Repeat a non-empty text up to exactly 5,000 characters (LINE's longest message)."""
    return (text * (5000 // len(text) + 1))[:5000]


# Hypothesis cannot draw 5,000 random characters in one go (its entropy cap),
# so long inputs are random pieces repeated to length.
LONG_TEXT_5000 = st.lists(st.text(min_size=1, max_size=300), min_size=1, max_size=8).map(
    lambda parts: _to_5000("".join(parts))
)
LONG_MIXED_5000 = MIXED.filter(bool).map(_to_5000)


@settings(deadline=DEADLINE, max_examples=60)
@given(LONG_TEXT_5000, TODAYS)
def test_5000_character_text(text: str, today: date) -> None:
    assert len(text) == 5000
    _assert_total(text, today)


@settings(deadline=DEADLINE, max_examples=60)
@given(LONG_MIXED_5000, TODAYS)
def test_5000_character_mixed_message(text: str, today: date) -> None:
    assert len(text) == 5000
    _assert_total(text, today)


@settings(deadline=DEADLINE, max_examples=300)
@given(st.one_of(st.text(), MIXED, st.text(THAI)))
def test_single_pass_normalize_is_pythainlp_normalize(text: str) -> None:
    """The fast path used above LONG_TEXT characters gives PyThaiNLP's exact output."""
    assert pythainlp_normalize_single_pass(text) == pythainlp_normalize(text)


def test_long_text_really_takes_the_fast_path() -> None:
    text = "กาา ค่าาา เเละ " * (LONG_TEXT // 10)
    assert len(text) > LONG_TEXT
    assert pythainlp_normalize_single_pass(text) == pythainlp_normalize(text)
