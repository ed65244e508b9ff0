"""Times of day in Thai chat, as an office says them, read to ``"HH:MM"``.

Digits ("14:00", "8.30 น.", "13 นาฬิกา") and the Thai six-hour clock, in
digits or words: "10 โมงเช้า", "บ่ายสองโมง", "เที่ยง", "ห้าโมงเย็น",
"สองทุ่มครึ่ง", "ตีห้า". Each rule is one regex and one function giving
the hour from the number said. A time is a date part (:mod:`thai.dates`), so
its digits are never a value.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from re import Match, Pattern

from thai.lexicon import DIGIT_WORDS, POWER_WORDS
from thai.numerals import read_number_words
from thai.patterns import starting_with

# An hour in words: one to twelve ("นึง" is how "หนึ่ง" is said).
_HOUR_WORDS: str = "สิบเอ็ด|สิบสอง|สิบ|หนึ่ง|นึง|สอง|สาม|สี่|ห้า|หก|เจ็ด|แปด|เก้า"
_DIGITS: str = "0123456789"
_THAI_LETTER: str = "\u0e01-\u0e4e"
_HOUR_INITIALS: set[str] = set(_DIGITS) | {w[0] for w in _HOUR_WORDS.split("|")}
# An hour: one or two digits (not part of a longer number) or words.
HOUR: str = rf"(?:(?<![\d.,:])\d{{1,2}}(?![\d,]|\.\d)|{_HOUR_WORDS})"
_NUMBER_WORDS: str = "(?:{})++".format(
    "|".join(sorted((*DIGIT_WORDS, *POWER_WORDS), key=len, reverse=True))
)
# Minutes after an hour: "ครึ่ง" (half past) or "N นาที".
_MINUTES: str = rf"(?:\s*+(?:(?P<half>ครึ่ง)|(?P<mm>\d{{1,2}}|{_NUMBER_WORDS})\s*+นาที))?"

# "14:00", "9:05:30", "14:00 น." (an impossible "25:70" is still no quantity).
_RE_COLON: Pattern[str] = re.compile(
    starting_with(
        _DIGITS,
        r"(?<![\d.:])(?P<h>\d{1,2}):(?P<m>\d{2})(?::\d{1,2}(?:\.\d+)?)?(?!\d)(?:\s*+น\.)?",
    )
)
# "8.30 น.", "8.30น", "14.00 นาฬิกา": a dot needs the "น." to be a time, not a decimal.
_RE_DOT: Pattern[str] = re.compile(
    starting_with(
        _DIGITS,
        rf"(?<![\d.])(?P<h>\d{{1,2}})\.(?P<m>\d{{2}})\s*+(?:น(?:\.|(?![{_THAI_LETTER}]))|นาฬิกา)",
    )
)
# "เวลา 13.30", "ตอน 9.00": after "เวลา" or "ตอน" a dot is a time too.
_RE_DOT_AFTER_WORD: Pattern[str] = re.compile(
    r"(?:เวลา|ตอน)\s*+(?<![\d.])(?P<h>\d{1,2})\.(?P<m>\d{2})(?![\d.])"
)
# "13 นาฬิกา", "9 นาฬิกา 30 นาที": the 24-hour clock in words.
_RE_NALIKA: Pattern[str] = re.compile(
    starting_with(_HOUR_INITIALS, rf"(?P<h>{HOUR})\s*+นาฬิกา{_MINUTES}")
)
# "บ่ายโมง" (13:00), "บ่ายสองโมง", "บ่าย 3 โมงครึ่ง", "บ่าย 2": afternoon hours.
_RE_AFTERNOON: Pattern[str] = re.compile(rf"บ่าย\s*+(?:(?P<h>{HOUR})\s*+(?:โมง)?|โมง){_MINUTES}")
# "10 โมงเช้า", "ห้าโมงเย็น", "เก้าโมง", "8 โมงครึ่ง" ("ชั่วโมง" has no number before "โมง").
_RE_MONG: Pattern[str] = re.compile(
    starting_with(
        _HOUR_INITIALS, rf"(?P<h>{HOUR})\s*+โมง(?:\s*+(?P<part>เช้า|เย็น|ตรง))?{_MINUTES}"
    )
)
# "สองทุ่ม", "2 ทุ่มครึ่ง", "ทุ่มนึง", "ทุ่มครึ่ง": evening hours (not "ทุ่มเท", to devote,
# nor a bare "ทุ่ม", to pour: "ทุ่มงบ").
_RE_THUM: Pattern[str] = re.compile(
    starting_with(
        _HOUR_INITIALS | {"ท"},
        rf"(?:(?P<h>{HOUR})\s*+ทุ่ม|ทุ่ม(?:(?P<one>หนึ่ง|นึง)|(?=ครึ่ง)))(?!เท){_MINUTES}",
    )
)
# "ตีห้า", "ตี 4": small hours, one to five only ("ตีพิมพ์" has no number).
_RE_TI: Pattern[str] = re.compile(rf"ตี\s*+(?P<h>[1-5](?!\d)|หนึ่ง|นึง|สอง|สาม|สี่|ห้า(?!ม)){_MINUTES}")
# What may follow "วัน" as part of a date, so "เที่ยงวันนี้" is noon and "วันนี้".
_DAY_WORDS: str = "นี้|ที่|พรุ่ง|มะรืน|จันท|อังคาร|พุธ|พฤหัส|ศุกร์|เสาร์|อาทิตย์"
# "เที่ยง", "เที่ยงวัน", "เที่ยงครึ่ง", "เที่ยงคืน" (not "ความเที่ยงตรง", "เที่ยงธรรม").
_RE_NOON: Pattern[str] = re.compile(
    rf"(?<!ความ)เที่ยง(?:(?P<night>คืน)|วัน(?!{_DAY_WORDS})|ตรง(?!ต่อ))?(?!ธรรม|แท้){_MINUTES}"
)


@dataclass(frozen=True, slots=True)
class TimeSpan:
    """A time of day said in the message; ``value`` None when it is no real time (25:70)."""

    start: int
    end: int
    value: str | None


def _number(raw: str) -> int:
    if raw[0].isdigit():
        return int(raw)
    if raw == "นึง":
        return 1
    read = read_number_words(raw)
    return -1 if read is None or read[1] != len(raw) else int(read[0])


def _minutes(m: Match[str]) -> int:
    if m["half"]:
        return 30
    return _number(m["mm"]) if m["mm"] else 0


def _hhmm(hour: int, minute: int) -> str | None:
    if hour == 24 and minute == 0:
        hour = 0
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        return None
    return f"{hour:02d}:{minute:02d}"


def _digital(m: Match[str]) -> str | None:
    return _hhmm(int(m["h"]), int(m["m"]))


def _nalika(m: Match[str]) -> str | None:
    return _hhmm(_number(m["h"]), _minutes(m))


def _afternoon(m: Match[str]) -> str | None:
    hour = _number(m["h"]) if m["h"] else 1
    if not 1 <= hour <= 6:
        return None
    return _hhmm(hour + 12, _minutes(m))


def _mong(m: Match[str]) -> str | None:
    """Morning hours 6-11 ("เช้า" also 1-5, the old count: "สองโมงเช้า" 8:00); else 1-6 are p.m."""
    hour, part = _number(m["h"]), m["part"]
    if part == "เช้า":
        hour = hour + 6 if 1 <= hour <= 5 else hour
        if not 6 <= hour <= 12:
            return None
    elif part == "เย็น" or 1 <= hour <= 6:
        hour = hour + 12 if 1 <= hour <= 11 else hour
    return _hhmm(hour, _minutes(m))


def _thum(m: Match[str]) -> str | None:
    hour = _number(m["h"]) if m["h"] else 1
    if not 1 <= hour <= 6:
        return None
    return _hhmm(hour + 18, _minutes(m))


def _ti(m: Match[str]) -> str | None:
    return _hhmm(_number(m["h"]), _minutes(m))


def _noon(m: Match[str]) -> str | None:
    return _hhmm(0 if m["night"] else 12, _minutes(m))


# Each rule with a word it cannot match without: most messages skip most rules at once.
_RULES: tuple[tuple[str, Pattern[str], Callable[[Match[str]], str | None]], ...] = (
    (":", _RE_COLON, _digital),
    (".", _RE_DOT, _digital),
    (".", _RE_DOT_AFTER_WORD, _digital),
    ("นาฬิกา", _RE_NALIKA, _nalika),
    ("บ่าย", _RE_AFTERNOON, _afternoon),
    ("โมง", _RE_MONG, _mong),
    ("ทุ่ม", _RE_THUM, _thum),
    ("ตี", _RE_TI, _ti),
    ("เที่ยง", _RE_NOON, _noon),
)


def find_time_spans(text: str) -> list[TimeSpan]:
    """Every time of day in the text, left to right, leftmost-longest, none overlapping.

    >>> [s.value for s in find_time_spans("พรุ่งนี้บ่ายสองโมง หรือ 8.30 น.")]
    ['14:00', '08:30']
    >>> [s.value for s in find_time_spans("สองทุ่มครึ่ง เที่ยง ห้าโมงเย็น 10 โมงเช้า")]
    ['20:30', '12:00', '17:00', '10:00']
    """
    found: list[TimeSpan] = []
    for needle, pattern, read in _RULES:
        if needle not in text:
            continue
        for m in pattern.finditer(text):
            found.append(TimeSpan(m.start(), m.end(), read(m)))
    found.sort(key=lambda s: (s.start, s.start - s.end))
    chosen: list[TimeSpan] = []
    for span in found:
        if not chosen or span.start >= chosen[-1].end:
            chosen.append(span)
    return chosen
