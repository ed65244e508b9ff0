"""PyThaiNLP's own published test cases, run through thai.

Sources (PyThaiNLP/pythainlp on GitHub): ``tests/core/test_util.py``
(``test_number``, ``test_normalize``, ``test_remove_repeat_consonants``,
``test_thaiword_to_date``, ``test_thai_strptime``, ``test_convert_years``) and
``tests/core/test_util_date_strptime.py`` (the ``_GOLDEN`` table). Where
PyThaiNLP 5.4 raises (its ``%m`` and two-digit year gaps, the January bug
for months 10-12), the expected value here is the date a Thai reader means.
"""

from __future__ import annotations

from datetime import date

import pytest

from thai import normalize, parse, thai_digits_to_arabic
from thai.numerals import thai_words_to_number

TODAY = date(2026, 4, 1)


@pytest.mark.parametrize(
    ("words", "number"),
    [
        pytest.param("ศูนย์", 0, id="zero"),
        pytest.param("แปด", 8, id="eight"),
        pytest.param("ยี่สิบ", 20, id="twenty"),
        pytest.param("ร้อยสิบสอง", 112, id="hundred-twelve"),
        pytest.param("หกล้านหกแสนหกหมื่นหกพันหกร้อยหกสิบหก", 6666666, id="six-millions"),
        pytest.param("สองล้านสามแสนหกร้อยสิบสอง", 2300612, id="two-million-three"),
        pytest.param("หนึ่งร้อยสิบล้าน", 110000000, id="hundred-ten-million"),
        pytest.param("สิบห้าล้านล้านเจ็ดสิบสอง", 15000000000072, id="million-million"),
        pytest.param("หนึ่งล้านล้าน", 1000000000000, id="one-trillion"),
        pytest.param("สองแสนสี่หมื่นสามสิบล้านสี่พันล้าน", 240030004000000000, id="nested-millions"),
        pytest.param("ร้อยสิบล้านแปดแสนห้าพัน", 110805000, id="hundred-ten-million-805k"),
        pytest.param("ลบหนึ่ง", -1, id="minus-one"),
        pytest.param("ลบหนึ่งร้อยล้านสี่แสนห้าพันยี่สิบเอ็ด", -100405021, id="minus-roundtrip"),
        pytest.param("ลบแปด", -8, id="words-minus-eight"),
        pytest.param("ลบยี่สิบ", -20, id="words-minus-twenty"),
        pytest.param("ลบร้อยสิบสอง", -112, id="words-minus-112"),
        pytest.param("ศูนย์อะไรนะ", None, id="invalid-zero-what"),
        pytest.param("", None, id="invalid-empty"),
        pytest.param("ห้าพันสี่หมื่น", None, id="invalid-order"),
        pytest.param("ห้าสิบจุดเก้าห้า", 50.95, id="words-to-num-decimal"),
    ],
)
def test_thaiword_to_num_cases(words: str, number: int | float | None) -> None:
    assert thai_words_to_number(words) == number


@pytest.mark.parametrize(
    ("text", "value"),
    [
        pytest.param("แปด", 8, id="eight"),
        pytest.param("ยี่สิบ", 20, id="twenty"),
        pytest.param("ร้อยสิบสอง", 112, id="hundred-twelve"),
        pytest.param("หกล้านหกแสนหกหมื่นหกพันหกร้อยหกสิบหก", 6666666, id="six-millions"),
        pytest.param("สองล้านสามแสนหกร้อยสิบสอง", 2300612, id="two-million-three"),
        pytest.param("ร้อยสิบล้านแปดแสนห้าพัน", 110805000, id="hundred-ten-million-805k"),
        pytest.param("เก้าร้อยแปดสิบจุดเก้าห้าบาทนี่คือจำนวนทั้งหมด", 980.95, id="text-to-num-decimal"),
        pytest.param("สิบล้านสองหมื่นหนึ่งพันแปดร้อยแปดสิบเก้าบาท", 10021889, id="text-to-num-baht"),
        pytest.param("สิบล้านสองหมื่นหนึ่งพันแปดร้อยแปดสิบเก้า", 10021889, id="text-to-num-at-end"),
        pytest.param("เป็นจำนวน ๑๒๓,๔๐๐.๒๕ บาท", 123400.25, id="thai-digit-docstring"),
        pytest.param("ไทยแลนด์ 4.0", 4, id="arabic-digit-docstring"),
    ],
)
def test_number_cases_as_messages(text: str, value: int | float) -> None:
    assert parse(text, TODAY).value == value


def test_text_to_num_trap_number_at_end() -> None:
    """PyThaiNLP 5.4's text_to_num("ข้อสอง") returns ['ข้อ']: the KPI is still read."""
    assert parse("ข้อสอง", TODAY).kpi == 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("๔๐๔ Not Found", "404 Not Found", id="thai-digits"),
        pytest.param(
            "เป็นจำนวน ๑๒๓,๔๐๐.๒๕ บาท", "เป็นจำนวน 123,400.25 บาท", id="thai-digits-docstring"
        ),
        pytest.param("", "", id="empty"),
    ],
)
def test_thai_digit_to_arabic_digit_cases(text: str, expected: str) -> None:
    assert thai_digits_to_arabic(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("เเปลก", "แปลก", id="sara-e-sara-e"),
        pytest.param("นํา", "นำ", id="nikhahit-sara-aa"),
        pytest.param("\u0e01\u0e4d\u0e32", "\u0e01\u0e33", id="consonant-nikhahit-sara-aa"),
        pytest.param("\u0e01\u0e48\u0e4d\u0e32", "\u0e01\u0e48\u0e33", id="tone-nikhahit-sara-aa"),
        pytest.param("\u0e01\u0e30\u0e48", "\u0e01\u0e48\u0e30", id="follow-vowel-tone"),
        pytest.param("\u0e01\u0e4d\u0e48\u0e32", "\u0e01\u0e48\u0e33", id="nikhahit-tone-sara-aa"),
        pytest.param("\u0e01\u0e32\u0e48", "\u0e01\u0e48\u0e32", id="sara-aa-tone"),
        pytest.param("นๅคา", "นาคา", id="lakkhangyao"),
        pytest.param("ฤๅษี", "ฤๅษี", id="lakkhangyao-kept-after-ru"),
        pytest.param("กาา", "กา", id="repeated-vowel"),
        pytest.param("กา า  า  า", "กา", id="repeated-vowel-spaces"),
        pytest.param("กา าาะา", "กาะา", id="repeated-vowel-mixed"),
        pytest.param("\u0e01\u0e48\u0e48", "\u0e01\u0e48", id="repeated-tone"),
        pytest.param("\u0e01\u0e48\u0e49", "\u0e01\u0e49", id="different-tones"),
        pytest.param("\u0e01\u0e48\u0e49\u0e48\u0e49", "\u0e01\u0e49", id="many-tones"),
        pytest.param("\u0e48\u0e01", "\u0e01", id="dangling-tone"),
        pytest.param("\u0e48\u0e48\u0e01", "\u0e01", id="dangling-tones"),
        pytest.param("  ab  c d  ", "ab c d", id="dup-spaces"),
        pytest.param("\nab  c   \n d \n", "ab c\nd", id="dup-newlines"),
        pytest.param("กา\u200b", "กา", id="zw-trailing"),
        pytest.param("ก\u200cา", "กา", id="zwnj"),
        pytest.param("\u200bกา", "กา", id="zw-leading"),
        pytest.param("กา\u200b\u200c\u200b", "กา", id="zw-several"),
        pytest.param("เริ่ดดดดดดดด", "เริ่ด", id="repeat-consonants"),
        pytest.param("อืมมมมมมมมมมมมมมม", "อืมมม", id="repeat-consonants-dictionary-word"),
        pytest.param(
            "อืมมมมมมมมมมมมม คุณมีบุคลิกที่เริ่ดดดดด ฉันจะให้เกรดดีกับคุณณณ\nนี่เป็นความลับบบบบ",
            "อืมมม คุณมีบุคลิกที่เริ่ด ฉันจะให้เกรดดีกับคุณ\nนี่เป็นความลับ",
            id="repeat-consonants-text",
        ),
    ],
)
def test_normalize_cases(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("15 ก.ค. 2565 09:00:01", "2022-07-15", id="golden-abbr-time"),
        pytest.param("15 กรกฎาคม 2565 9:5:7", "2022-07-15", id="golden-full-short-time"),
        pytest.param("1 มกราคม 2565 0:0:0", "2022-01-01", id="golden-new-year"),
        pytest.param("01 ธ.ค. 2565 23:59:59", "2022-12-01", id="golden-december"),
        pytest.param("15 07 2565 09:00:01", "2022-07-15", id="golden-numeric-month-padded"),
        pytest.param("15 7 2565 09:00:01", "2022-07-15", id="golden-numeric-month"),
        pytest.param("15 กรกฎา 2022 09:00:01", "2022-07-15", id="golden-ce-year-indexerror"),
        pytest.param("29 ก.พ. 2567", "2024-02-29", id="golden-leap-day"),
        pytest.param("29 ก.พ. 2566", None, id="golden-not-leap"),
        pytest.param("31 เมษายน 2566", None, id="golden-april-31"),
        pytest.param("9 มี.ค. 66", "2023-03-09", id="golden-two-digit-be"),
        pytest.param("9 มี.ค. 2566", "2023-03-09", id="golden-four-digit-be"),
        pytest.param("9 มี.ค. 2023", "2023-03-09", id="golden-ce"),
        pytest.param("9 มี.ค. 0000", None, id="golden-year-zero"),
        pytest.param("9 มี.ค. 00", "1957-03-09", id="golden-two-digit-be-2500"),
        pytest.param("15 ก.ค. 2565 09:00", "2022-07-15", id="golden-hour-minute"),
        pytest.param("15 ก.ค. 2565 09:00:01.123456", "2022-07-15", id="golden-microseconds"),
        pytest.param("15-ก.ค.-2565", "2022-07-15", id="golden-dashes"),
        pytest.param("15/07/2565", "2022-07-15", id="golden-percent-m-indexerror"),
        pytest.param("15/7/65", "2022-07-15", id="golden-percent-y-indexerror"),
        pytest.param("15 ก.ค. 65", "2022-07-15", id="golden-two-digit-year-indexerror"),
        pytest.param("15 ก.ค.", "2026-07-15", id="golden-no-year-keyerror"),
        pytest.param("ก.ค. 2565", None, id="golden-no-day-keyerror"),
        pytest.param("no match", None, id="golden-no-match"),
        pytest.param("", None, id="golden-empty"),
        pytest.param("05-7-65 09:00:01.10600", "2022-07-05", id="util-dash-be"),
        pytest.param("24-6-75 09:00:00", "2032-06-24", id="util-dash-two-digit-is-25xx"),
        pytest.param("05-7-22 09:00:01.10600", "1979-07-05", id="util-dash-22-is-be-2522"),
        pytest.param("1/10/2566", "2023-10-01", id="month-10-not-january"),
        pytest.param("15 11 2565", "2022-11-15", id="month-11-not-january"),
        pytest.param("31/12/2566", "2023-12-31", id="month-12-not-january"),
        pytest.param("1 ม.ค. 2566", "2023-01-01", id="convert-years-2566-is-2023"),
    ],
)
def test_thai_strptime_cases(text: str, expected: str | None) -> None:
    assert parse(text, TODAY).to_dict()["date"] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("วันนี้", "2026-04-01", id="today"),
        pytest.param("พรุ่งนี้", "2026-04-02", id="tomorrow"),
        pytest.param("มะรืนนี้", "2026-04-03", id="day-after-tomorrow"),
        pytest.param("เมื่อวาน", "2026-03-31", id="yesterday"),
        pytest.param("วานซืน", "2026-03-30", id="day-before-yesterday"),
        pytest.param("วันไหน", None, id="which-day"),
    ],
)
def test_thaiword_to_date_cases(text: str, expected: str | None) -> None:
    assert parse(text, TODAY).to_dict()["date"] == expected
