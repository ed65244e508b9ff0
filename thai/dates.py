"""Dates in Thai chat: absolute (Thai or numeric, BE or CE) and relative to today.

:func:`find_date_spans` returns every date-like span of a normalised message
(Arabic digits, lower-case Latin). Some spans are dates (their value may be
None when the date does not exist, ``31 เมษายน 2566``); others are only *date
parts* (a year, a month and year, a time of day): not a date, but their
digits are not quantities either. A time of day carries its ``"HH:MM"``.

Office dates count the fiscal year from 1 October ("สิ้นปีงบประมาณ" is
30 September, quarters are Oct–Dec, Jan–Mar, Apr–Jun, Jul–Sep) and office
days on the Thai holiday calendar (:mod:`thai.office_days`).
"""

from __future__ import annotations

import calendar as _calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from re import Match, Pattern

from thai.clock import find_time_spans
from thai.lexicon import (
    ABBR_MONTHS,
    DIGIT_WORDS,
    DURATION_UNITS,
    MONTH_BY_KEY,
    POWER_WORDS,
    RELATIVE_DAYS,
    WEEKDAYS,
)
from thai.numerals import read_number_words
from thai.office_days import add_office_days
from thai.patterns import starting_with

_THAI_LETTER: str = "\u0e01-\u0e4e"  # Thai letters, vowels and marks, not digits


# "ม.ค." written "ม.ค.", "ม.ค", "มค.", "ม. ค." or "มค" (bare only when no Thai
# letter follows, so "มค" inside a word is not January).
def _abbreviation(abbr: str) -> str:
    first, second = abbr.rstrip(".").split(".")
    return rf"{first}\.?\s?{second}(?:\.|(?![{_THAI_LETTER}]))"


_ABBR_PATTERNS: list[str] = [_abbreviation(abbr) for abbr in ABBR_MONTHS]
_THAI_MONTH_WORDS: list[str] = sorted(
    (k for k in MONTH_BY_KEY if k[0] >= "\u0e00" and len(k) > 3), key=len, reverse=True
)
_ENGLISH_MONTH_WORDS: list[str] = sorted(
    (k for k in MONTH_BY_KEY if k[0] < "\u0e00"), key=len, reverse=True
)
# Any month name: full, short spoken ("กรกฎา"), abbreviated, English.
MONTH: str = "(?:{}|{}|(?<![a-z])(?:{})(?![a-z]))".format(
    "|".join(_THAI_MONTH_WORDS), "|".join(_ABBR_PATTERNS), "|".join(_ENGLISH_MONTH_WORDS)
)
_MONTH_INITIALS: set[str] = {k[0] for k in MONTH_BY_KEY}
_WEEKDAY_INITIALS: set[str] = {w[0] for w in WEEKDAYS} | {"ว"}
_DIGITS: str = "0123456789"
# Era marker: พ.ศ. (Buddhist Era) or ค.ศ. (Common Era), dots optional.
ERA: str = r"(?:พ\.?\s?ศ\.?|ค\.?\s?ศ\.?)"
_WEEKDAY_NAMES: str = "|".join(
    sorted((w for w in WEEKDAYS if w != "อาทิตย์"), key=len, reverse=True)
)
# A weekday; Sunday needs "วัน" because bare "อาทิตย์" usually means "week".
WEEKDAY: str = f"(?:(?:วัน)?(?P<wd>{_WEEKDAY_NAMES})|วัน(?P<sun>อาทิตย์))"
_NUMBER_WORDS: str = "(?:{})++".format(
    "|".join(sorted((*DIGIT_WORDS, *POWER_WORDS), key=len, reverse=True))
)
# A two-digit "year" followed by a counting word is a count ("5 มิ.ย. 12 คน").
_NOT_A_COUNT: str = (
    r"(?!\s*+(?:%|คน|ราย|เรื่อง|ชิ้น|ครั้ง|ข้อ|ตัว|บาท|ฉบับ|หน่วย|โครงการ|ชั่วโมง|ชม|นาที|วัน))"
)

# Day, month name, optional year: "31 ส.ค.2553", "๖ เดือน พฤษภาคม พ.ศ. ๒๕๖๒",
# "15-ก.ค.-2565", "วันศุกร์ที่ 10 เม.ย. 70"; an optional weekday in front.
_RE_DAY_MONTH: Pattern[str] = re.compile(
    starting_with(
        _WEEKDAY_INITIALS | set("ท" + _DIGITS),
        rf"(?:(?:วัน)?(?:{_WEEKDAY_NAMES}|อาทิตย์)\s*+(?:ที่\s*+)?)?(?:วันที่\s*+|ที่\s*+)?"
        rf"(?<![\d.,/:])(?P<d>\d{{1,2}})(?!\d)\s*+[-/]?\s*+(?:เดือน\s*+)?(?P<mon>{MONTH})"
        rf"(?:\s*+[-/,]?\s*+(?P<era>{ERA})?\s*+(?P<y>\d{{4}}|\d{{2}}{_NOT_A_COUNT})(?!\d))?",
    )
)
# Day/month/year in digits, day first: "10/4/2570", "7-1-70".
_RE_NUMERIC: Pattern[str] = re.compile(
    starting_with(
        "วท" + _DIGITS,
        r"(?:วันที่\s*+|ที่\s*+)?(?<![\d.,/:])(?P<d>\d{1,2})\s*+(?P<sep>[/-])\s*+(?P<m>\d{1,2})"
        r"\s*+(?P=sep)\s*+(?P<y>\d{4}|\d{2})(?![\d/])",
    )
)
# Dots or spaces as separators only with a four-digit year: "10.4.2570", "15 07 2565".
_RE_NUMERIC_LOOSE: Pattern[str] = re.compile(
    starting_with(
        "วท" + _DIGITS,
        r"(?:วันที่\s*+|ที่\s*+)?(?<![\d.,/:])(?P<d>\d{1,2})(?P<sep>\.| )(?P<m>\d{1,2})"
        r"(?P=sep)(?P<y>\d{4})(?![\d.])",
    )
)
# "วันที่ 10" (and "วันที่ 10/4"): that day of this or a coming month.
_RE_DAY_ONLY: Pattern[str] = re.compile(
    r"วันที่\s*+(?P<d>\d{1,2})(?:\s*+/\s*+(?P<m>\d{1,2}))?(?!\d)(?![/:.]\d)"
)
# Relative day words: "วันนี้", "พรุ่งนี้", "มะรืนนี้", "เมื่อวาน".
_RE_RELATIVE: Pattern[str] = re.compile(
    "|".join(sorted(RELATIVE_DAYS, key=len, reverse=True))
)
# A weekday, optionally "นี้"/"ที่จะถึง" (coming), "หน้า" (next week), "ที่แล้ว" (last week).
_RE_WEEKDAY: Pattern[str] = re.compile(
    starting_with(_WEEKDAY_INITIALS, rf"{WEEKDAY}(?:\s*+(?P<mod>หน้า|นี้|ที่จะถึง|ที่แล้ว))?")
)
# End of month: "สิ้นเดือน(นี้)", "สิ้นเดือนหน้า", "สิ้นเดือนมีนาคม".
_RE_MONTH_END: Pattern[str] = re.compile(
    rf"สิ้นเดือน\s*+(?:(?P<next>หน้า)|นี้|(?P<mon>{MONTH}))?"
)
# "อีก N วัน/สัปดาห์/เดือน", "ภายใน N วัน": N digits or words; "N วันทำการ" are office days.
_RE_DURATION: Pattern[str] = re.compile(
    rf"(?:อีก|ภายใน(?:เวลา)?)\s*+(?P<n>\d{{1,4}}(?!\d)|{_NUMBER_WORDS})\s*+"
    rf"(?P<unit>{'|'.join(sorted(DURATION_UNITS, key=len, reverse=True))})"
)
# ISO dates: "2026-05-15" (a BE year too: "2569-05-15").
_RE_ISO: Pattern[str] = re.compile(
    r"(?<![\d/.-])(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?![\d/-])"
)
# The middle of a month is the 15th: "กลางเดือน(นี้)", "กลางเดือนหน้า", "กลางเดือนมีนาคม".
_RE_MID_MONTH: Pattern[str] = re.compile(
    rf"กลางเดือน\s*+(?:(?P<next>หน้า)|นี้|(?P<mon>{MONTH}))?"
)
# End of the fiscal year, 30 September: "สิ้นปีงบประมาณ(นี้)", "สิ้นปีงบฯ", "สิ้นปีงบประมาณ 2570".
_RE_FISCAL_YEAR_END: Pattern[str] = re.compile(
    r"(?:สิ้น|ปลาย)ปีงบ(?:ประมาณ|ฯ)?\s*+(?:(?P<next>หน้า)|นี้|(?:พ\.?\s?ศ\.?\s*+)?(?P<y>25\d{2}|\d{2})(?!\d))?"
)
# End of a fiscal quarter: "สิ้นไตรมาส(นี้)", "สิ้นไตรมาสหน้า", "สิ้นไตรมาสที่ 2" (of this fiscal year).
_RE_QUARTER_END: Pattern[str] = re.compile(
    r"(?:สิ้น|ปลาย)ไตรมาส\s*+(?:(?P<next>หน้า)|นี้|(?:ที่\s*+)?(?P<q>[1-4])(?!\d))?"
)
# End of the calendar year: "สิ้นปี(นี้)", "สิ้นปีหน้า" ("สิ้นปีงบ" is the fiscal year).
_RE_YEAR_END: Pattern[str] = re.compile(r"สิ้นปี(?!งบ)\s*+(?:(?P<next>หน้า)|นี้)?")
# A year alone or a range of years: "พ.ศ. ๒๕๕๑", "ปีงบประมาณ 2570", "ปี 2563 - 2565".
_RE_YEAR: Pattern[str] = re.compile(
    rf"(?:ปีงบประมาณ|ปีงบฯ?|ปีการศึกษา|ปี|{ERA}|fy)\s*+(?<!\d)(?:\d{{4}}|\d{{2}})(?!\d)"
    rf"(?:\s*+[-–]\s*+(?:{ERA}\s*+)?(?:\d{{4}}|\d{{2}})(?!\d))?"
)
# A month and year without a day: "มีนาคม 2567", "เม.ย. 70".
_RE_MONTH_YEAR: Pattern[str] = re.compile(
    starting_with(
        _MONTH_INITIALS | {"เ"},
        rf"(?:เดือน\s*+)?{MONTH}\s*+[-/,]?\s*+(?:{ERA}\s*+)?(?:\d{{4}}|\d{{2}}{_NOT_A_COUNT})(?!\d)",
    )
)
# Longest span "อีก N" may reach (ten years), so date arithmetic cannot overflow.
MAX_DAYS_AHEAD: int = 3660


@dataclass(frozen=True, slots=True)
class DateSpan:
    """A date-like span of the message; ``is_date`` False for a year, a month-year or a time."""

    start: int
    end: int
    is_date: bool
    value: date | None = None
    time: str | None = None


def _shift(day: date, days: int) -> date | None:
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return None


def _month_of(name: str) -> int:
    return MONTH_BY_KEY.get(re.sub(r"[.\s]", "", name), 0)


def _full_year(raw: str | None, era: str | None) -> int | None:
    """CE year from a written year; 0 when there is none, None when it is no year at all.

    Four digits of 2400 or more are BE; 1900-2099 are CE; two digits are
    BE 25xx (CE 20xx after ``ค.ศ.``).
    """
    if raw is None:
        return 0
    n = int(raw)
    if len(raw) == 4:
        if n >= 2400:
            return n - 543
        return n if 1900 <= n <= 2099 else None
    if era and era.startswith("ค"):
        return 2000 + n
    return 2500 + n - 543


def _make_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def next_occurrence(day: int, month: int, today: date) -> date | None:
    """The first ``day``/``month`` on or after today (None if it never exists, 31 April).

    >>> next_occurrence(10, 4, date(2026, 4, 11))
    datetime.date(2027, 4, 10)
    """
    for year in range(today.year, min(today.year + 9, 10_000)):
        found = _make_date(year, month, day)
        if found is not None and found >= today:
            return found
    return None


def _next_day_of_month(day: int, today: date) -> date | None:
    year, month = today.year, today.month
    for _ in range(13):
        found = _make_date(year, month, day)
        if found is not None and found >= today:
            return found
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        if year > 9999:
            return None
    return None


def _month_end(year: int, month: int) -> date | None:
    if not 1 <= year <= 9999:
        return None
    return date(year, month, _calendar.monthrange(year, month)[1])


def _add_months(today: date, months: int) -> date | None:
    index = today.year * 12 + today.month - 1 + months
    year, month = divmod(index, 12)
    end = _month_end(year, month + 1)
    return None if end is None else end.replace(day=min(today.day, end.day))


def _dated(y: str | None, era: str | None, month: int, day: int, today: date) -> date | None:
    year = _full_year(y, era)
    if year is None or month == 0:
        return None
    if year == 0:
        return next_occurrence(day, month, today)
    return _make_date(year, month, day)


def _day_month(m: Match[str], today: date) -> DateSpan:
    value = _dated(m["y"], m["era"], _month_of(m["mon"]), int(m["d"]), today)
    return DateSpan(m.start(), m.end(), True, value)


def _numeric(m: Match[str], today: date) -> DateSpan | None:
    day, month = int(m["d"]), int(m["m"])
    year = _full_year(m["y"], None)
    if not (1 <= day <= 31 and 1 <= month <= 12) or year is None:
        return None  # not a date at all: the digits stay quantities
    return DateSpan(m.start(), m.end(), True, _make_date(year, month, day))


def _day_only(m: Match[str], today: date) -> DateSpan:
    day = int(m["d"])
    value = next_occurrence(day, int(m["m"]), today) if m["m"] else _next_day_of_month(day, today)
    return DateSpan(m.start(), m.end(), True, value)


def _relative(m: Match[str], today: date) -> DateSpan:
    return DateSpan(m.start(), m.end(), True, _shift(today, RELATIVE_DAYS[m.group()]))


def _weekday(m: Match[str], today: date) -> DateSpan:
    wanted = WEEKDAYS[m["wd"] or m["sun"]]
    mod = m["mod"]
    current = today.weekday()
    if mod == "หน้า":
        days = 7 - current + wanted  # that day in the next Monday-started week
    elif mod == "ที่แล้ว":
        days = -7 - current + wanted  # that day in the previous week
    else:
        days = (wanted - current) % 7  # the coming one, today included
    return DateSpan(m.start(), m.end(), True, _shift(today, days))


def _month_end_span(m: Match[str], today: date) -> DateSpan:
    if m["mon"]:
        month = _month_of(m["mon"])
        year = today.year if month >= today.month else today.year + 1
        value = _month_end(year, month)
    elif m["next"]:
        value = _add_months(today.replace(day=1), 1)
        value = None if value is None else _month_end(value.year, value.month)
    else:
        value = _month_end(today.year, today.month)
    return DateSpan(m.start(), m.end(), True, value)


def _duration(m: Match[str], today: date) -> DateSpan:
    raw = m["n"]
    if raw[0].isdigit():
        n = int(raw)
    else:
        read = read_number_words(raw)
        n = int(read[0]) if read is not None else -1
    unit = DURATION_UNITS[m["unit"]]
    if unit == "office_day":
        return DateSpan(m.start(), m.end(), True, add_office_days(today, n))
    days = n * 7 if unit == "week" else n if unit == "day" else n * 31
    value: date | None = None
    if 0 <= days <= MAX_DAYS_AHEAD:
        value = _add_months(today, n) if unit == "month" else _shift(today, days)
    return DateSpan(m.start(), m.end(), True, value)


def _iso(m: Match[str], today: date) -> DateSpan | None:
    year = _full_year(m["y"], None)
    if year is None:
        return None
    return DateSpan(m.start(), m.end(), True, _make_date(year, int(m["m"]), int(m["d"])))


def _month_named_or_relative(m: Match[str], today: date) -> tuple[int, int] | None:
    """(year, month) of "นี้" / "หน้า" / a named month (the coming one)."""
    if m["mon"]:
        month = _month_of(m["mon"])
        return (today.year if month >= today.month else today.year + 1), month
    if m["next"]:
        return (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
    return today.year, today.month


def _mid_month(m: Match[str], today: date) -> DateSpan:
    found = _month_named_or_relative(m, today)
    value = None if found is None else _make_date(found[0], found[1], 15)
    return DateSpan(m.start(), m.end(), True, value)


def fiscal_year(today: date) -> int:
    """The (CE) year the current fiscal year ends in: it runs 1 October to 30 September.

    >>> fiscal_year(date(2026, 9, 30)), fiscal_year(date(2026, 10, 1))
    (2026, 2027)
    """
    return today.year + 1 if today.month >= 10 else today.year


def _fiscal_year_end(m: Match[str], today: date) -> DateSpan:
    if m["y"]:
        year = _full_year(m["y"], None)
    else:
        year = fiscal_year(today) + (1 if m["next"] else 0)
    value = None if year is None else _make_date(year, 9, 30)
    return DateSpan(m.start(), m.end(), True, value)


def _quarter_end(m: Match[str], today: date) -> DateSpan:
    """Fiscal quarters: 1 Oct–Dec, 2 Jan–Mar, 3 Apr–Jun, 4 Jul–Sep."""
    if m["q"]:
        quarter_index = fiscal_year(today) * 4 - 4 + int(m["q"]) - 1
    else:
        quarter_index = fiscal_year(today) * 4 - 4 + (today.month - 10) % 12 // 3
        quarter_index += 1 if m["next"] else 0
    year, quarter = divmod(quarter_index, 4)  # quarter 0 ends in December of ``year``
    month = (12, 3, 6, 9)[quarter]
    value = _month_end(year if quarter == 0 else year + 1, month)
    return DateSpan(m.start(), m.end(), True, value)


def _year_end(m: Match[str], today: date) -> DateSpan:
    return DateSpan(m.start(), m.end(), True,
                    _make_date(today.year + (1 if m["next"] else 0), 12, 31))


def _part(m: Match[str], today: date) -> DateSpan:
    return DateSpan(m.start(), m.end(), False)


# Each rule with a word it cannot match without ("" for every message).
_RULES: tuple[tuple[str, Pattern[str], Callable[[Match[str], date], DateSpan | None]], ...] = (
    ("", _RE_DAY_MONTH, _day_month),
    ("", _RE_NUMERIC, _numeric),
    ("", _RE_NUMERIC_LOOSE, _numeric),
    ("วันที่", _RE_DAY_ONLY, _day_only),
    ("", _RE_RELATIVE, _relative),
    ("", _RE_WEEKDAY, _weekday),
    ("สิ้นเดือน", _RE_MONTH_END, _month_end_span),
    ("", _RE_DURATION, _duration),
    ("-", _RE_ISO, _iso),
    ("กลางเดือน", _RE_MID_MONTH, _mid_month),
    ("ปีงบ", _RE_FISCAL_YEAR_END, _fiscal_year_end),
    ("ไตรมาส", _RE_QUARTER_END, _quarter_end),
    ("สิ้นปี", _RE_YEAR_END, _year_end),
    ("", _RE_YEAR, _part),
    ("", _RE_MONTH_YEAR, _part),
)


def find_date_spans(text: str, today: date) -> list[DateSpan]:
    """All date-like spans, left to right, leftmost-longest, none overlapping.

    >>> [s.value for s in find_date_spans("ส่ง 31 ส.ค.2553 หรือพรุ่งนี้", date(2026, 4, 1))]
    [datetime.date(2010, 8, 31), datetime.date(2026, 4, 2)]
    """
    found: list[DateSpan] = []
    for needle, pattern, build in _RULES:
        if needle not in text:
            continue
        for m in pattern.finditer(text):
            span = build(m, today)
            if span is not None:
                found.append(span)
    found.extend(DateSpan(t.start, t.end, False, None, t.value) for t in find_time_spans(text))
    found.sort(key=lambda s: (s.start, s.start - s.end))
    chosen: list[DateSpan] = []
    reached = 0
    for span in found:
        if span.start >= reached:
            chosen.append(span)
            reached = span.end
    return chosen
