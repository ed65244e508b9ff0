"""Read one chat message into typed values: KPI, percent, value, target, date, status, answer, time.

The message is normalised (:func:`thai.cleaning.normalize`), then read
with regexes compiled once at import. Numbers are found once as tokens
(Arabic digits, or runs of spelled-out Thai number words); each field is a
token in a context (``ร้อยละ`` before it, ``%`` after it, ``ข้อ`` before it,
``จากเป้า`` before it, ...). Spelled-out candidates are confirmed with newmm
word boundaries (:mod:`thai.segment`), so ``ห้าม`` is never five.

A message may report on several KPIs ("kpi2 80% kpi3 เสร็จแล้ว", "ข้อ 1-3
เสร็จหมดแล้ว"): each KPI reference (or run of references joined by "กับ",
"และ", a comma or a range) starts a part of the message, and each part is
read on its own into one :class:`Item`; what comes before the first part,
or after "ทั้งคู่" / "ทั้งหมด", is said of every part.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from bisect import bisect_left
from dataclasses import dataclass, field
from decimal import Decimal
from re import Pattern
from typing import Literal

from thai.cleaning import normalize, prepare_repeat_table
from thai.dates import find_date_spans, starting_with
from thai.lexicon import (
    AFFIRMING_PARTICLES,
    DIGIT_WORDS,
    MULTIPLIERS,
    NEUTRAL_EMOJI,
    NO_WORDS,
    POWER_WORDS,
    SOFT_PARTICLES,
    YES_WORDS,
)
from thai.numerals import Number, parse_digits, read_number_words, to_number
from thai.office_days import warm_up as _warm_up_office_days
from thai.segment import WordBoundaries, dictionary

logger = logging.getLogger(__name__)

Status = Literal["done", "in_progress", "not_started", "delayed"]
Answer = Literal["yes", "no"]

# Only the first MAX_CHARS characters of the normalised text are searched for
# values (LINE allows 5,000): keeps the worst case well under 5 ms.
MAX_CHARS: int = 1000
# A confirmation is short; longer messages are never answers.
MAX_ANSWER_CHARS: int = 80
# KPI numbers people actually have (an agency sets five or so).
MAX_KPI: int = 99
# At most this many KPIs are read from one message (an agency sets five or so).
MAX_ITEMS: int = 10
# Longest KPI range read as a list ("ข้อ 1-3"); "ข้อ 1-50" is one KPI and a number.
MAX_RANGE: int = 20

_ASCII_LOWER: dict[int, int] = {c: c + 32 for c in range(ord("A"), ord("Z") + 1)}
_THAI_LETTER: str = "\u0e01-\u0e4e"
_NUMBER_WORD_ALT: str = "|".join(sorted((*DIGIT_WORDS, *POWER_WORDS), key=len, reverse=True))
_DECIMAL_WORD_ALT: str = "|".join(w for w in DIGIT_WORDS if w not in ("เอ็ด", "ยี่"))

# A number: Arabic digits (thousands separators, decimals, an optional Thai
# multiplier "2 พัน") or a run of spelled-out Thai number words (with "จุด"
# decimals). Possessive quantifiers: no backtracking on long runs.
_RE_NUMBER: Pattern[str] = re.compile(
    starting_with(
        {w[0] for w in (*DIGIT_WORDS, *POWER_WORDS)} | set("0123456789"),
        r"(?P<digits>(?<!\d)(?<!\d[.,])(?:\d{1,3}(?:,\d{3})++(?![\d,])|\d++)(?:\.\d++)?)"
        r"(?:\s*+(?P<mult>ล้าน|แสน|หมื่น|พัน(?!ธ)|ร้อย(?!ละ)))?"
        rf"|(?P<words>(?:{_NUMBER_WORD_ALT})++(?:จุด(?:{_DECIMAL_WORD_ALT})++)?)",
    )
)
# Words that contain number syllables but are not numbers: blanked before
# tokenising so newmm is not asked about them (the common ones only).
_RE_NOT_NUMBERS: Pattern[str] = re.compile(
    "เรียบร้อย|ร้อยละ|เต็มร้อย|ครึ่งหนึ่ง|กุมภาพันธ์|กุมภา|พันธ|สามารถ|ห้าม|ห้าง|เก้าอี้"
)
# Percent markers after a number: "80%", "80 เปอร์เซ็นต์", "80 เปอร์".
_RE_PERCENT_AFTER: Pattern[str] = re.compile(
    r"\s*+(?:%|เปอร์เซ็นต์|เปอร์เซ็นท์|เปอร์เซนต์|เปอร์เซ็น|เปอร์เซน|เปอร์|percent|pct)"
)
# Percent marker before a number: "ร้อยละ 80", "ร้อยละแปดสิบห้า".
_RE_PERCENT_BEFORE: Pattern[str] = re.compile(r"ร้อยละ\s*+")
# Percent as words: "ครึ่ง"/"ครึ่งหนึ่ง" = 50, "เต็มร้อย" = 100.
_RE_PERCENT_WORDS: Pattern[str] = re.compile(r"(?P<half>ครึ่ง(?:หนึ่ง|นึง)?)|(?P<full>เต็มร้อย)")
# "ครึ่ง" after a number or a unit of time is "and a half" (2 ชั่วโมงครึ่ง), not 50%.
_RE_HALF_OF_SOMETHING_BEFORE: Pattern[str] = re.compile(
    rf"(?:\d|{_NUMBER_WORD_ALT}|ชั่วโมง|ชม\.?|โมง|ทุ่ม|วัน|เดือน|ปี|นาที|สัปดาห์|อาทิตย์)\s*+$"
)
_RE_HALF_OF_SOMETHING_AFTER: Pattern[str] = re.compile(
    r"\s*+(?:ชั่วโมง|ชม|วัน|เดือน|ปี|นาที|สัปดาห์|อาทิตย์|โมง)"
)
# The end of a range after a first number: "ร้อยละ 90 - 100", "ข้อ 1-3".
_RE_RANGE_TAIL: Pattern[str] = re.compile(r"\s*+(?:-|–|ถึง)\s*+")
# The same between KPIs, which may repeat the marker: "ข้อ 1 ถึงข้อ 3", "kpi 2 - kpi 4".
_RE_KPI_RANGE_TAIL: Pattern[str] = re.compile(
    r"\s*+(?:-|–|ถึง)\s*+(?:(?:ข้อ|ตัวชี้วัด|ตัวที่|(?<![a-z])kpi|เคพีไอ)\s*+(?:ที่)?\s*+)?"
)
# KPI markers: "ตัวชี้วัดที่ 2", "ตัวชี้วัด 2", "ตชว.2", "KPI2", "kpi 2", "เคพีไอ 2",
# "ข้อ 2", "ข้อที่ 2", "ตัวที่ 2", "ลำดับที่ 2" ("หัวข้อ 2" is a heading, not a KPI).
_RE_KPI_MARKER: Pattern[str] = re.compile(
    r"(?:(?:ตัวชี้วัด|ตชว\.?)\s*+(?:ที่)?|(?:(?<![a-z])kpis?|เคพีไอ)\s*+(?:ที่|no\.?|#|-|:)?"
    r"|(?<!หัว)ข้อ\s*+(?:ที่)?|ตัวที่|ลำดับที่)\s*+"
)
# Between two KPI references of one group: "ข้อ 2 กับ ข้อ 4", "ข้อ 1, 3 และ 5", "ข้อ 1 ข้อ 2".
_RE_KPI_JOIN: Pattern[str] = re.compile(r"\s*+(?:,|และ|กับ|&|\+|/)?\s*+")
# The same, but a conjunction is needed before a bare number: "ข้อ 2 กับ 4".
_RE_KPI_JOIN_BARE: Pattern[str] = re.compile(r"\s*+(?:,|และ|กับ|&|\+)\s*+")
# After a bare number, what makes it a quantity rather than a KPI: "ข้อ 2 กับ 4 คน".
_RE_QUANTITY_AFTER: Pattern[str] = re.compile(
    r"\s*+(?:%|เปอร์|คน|ราย|เรื่อง|ครั้ง|ชั่วโมง|ชม|หน่วย|ฉบับ|บาท|โครงการ|ชิ้น|แห่ง|วัน|เดือน|ปี|ตัว|ข้อ)"
)
# Numbered items of a list of KPIs (two or more of them): "1) 30% 2) 55%", or "1." at a line start.
_RE_KPI_LIST_ITEM: Pattern[str] = re.compile(
    r"(?m)(?:^|(?<=\s))[ \t]*+\d{1,2}\)|^[ \t]*+\d{1,2}\.(?=\s)")
# Said of every KPI of the message: "ทั้งคู่", "ทั้งหมด", "ทุกข้อ" ("จากทั้งหมด 60" is a target).
_RE_ALL_OF_THEM: Pattern[str] = re.compile(
    r"(?<!จาก)(?:ทั้งคู่|ทั้งหมด|ทุกข้อ|ทุกตัว|ทั้งสอง(?:ข้อ|ตัว)?|ทั้งสาม(?:ข้อ|ตัว)?)"
)
# "ข้อแรก", "ตัวชี้วัดแรก": the first one.
_RE_FIRST: Pattern[str] = re.compile(r"แรก")
# A count, not a reference: "ตัวชี้วัด 5 ตัว".
_RE_COUNT_AFTER: Pattern[str] = re.compile(r"\s*+(?P<word>ตัว|ข้อ|ด้าน|รายการ)")
# Target markers: "จากเป้า 60", "เป้าหมาย 2,000", "คะแนนเต็ม 5".
_RE_TARGET_MARKER: Pattern[str] = re.compile(
    r"(?:จาก\s*+)?(?:ค่า)?เป้า(?:หมาย)?\s*+(?:คือ|=|:|อยู่ที่|ที่ตั้งไว้)?\s*+|(?:คะแนน)?เต็ม\s*+"
)
# "45 จาก 60", "45 คน จากทั้งหมด 60": "จาก" after a number.
_RE_FROM: Pattern[str] = re.compile(r"จาก(?:ทั้งหมด)?\s*+")
# What may stand between a number and "จาก": spaces and at most one word.
_RE_FROM_GAP: Pattern[str] = re.compile(rf"\s*+(?:[{_THAI_LETTER}]{{1,12}}\s*+)?")
# "12/20": the second number is the target (dates were taken out before).
_RE_SLASH: Pattern[str] = re.compile(r"\s*+/\s*+")
# "3 ใน 4", "สามในห้า", "3 คนใน 4 คน": a fraction, the second number is the target.
_RE_OF: Pattern[str] = re.compile(rf"\s*+(?:[{_THAI_LETTER}]{{1,8}}?\s*+)?ใน\s*+")
# "ใน 4 วัน": a span of time after "ใน" is no target.
_RE_DURATION_AFTER: Pattern[str] = re.compile(r"\s*+(?:วัน|สัปดาห์|อาทิตย์|เดือน|ปี|ชั่วโมง|ชม|นาที)")
# Ordinals are labels, not quantities: "รอบที่ 1", "ครั้งที่ 2", "รุ่น 01" ("อยู่ที่ 45" is a value).
_RE_ORDINAL: Pattern[str] = re.compile(r"(?<!อยู่)ที่\s*+|รุ่น(?:ที่)?\s*+")
# List numbering at the start of a line is a label: "1.", "3)", "2.1)", "1.1.1".
_RE_LIST_LABEL: Pattern[str] = re.compile(
    r"(?m)^[ \t]*(?:\d{1,2}(?:\.\d{1,2})*[.)]|\d{1,2}(?:\.\d{1,2}){2,})(?=\s)"
)
# Telephone numbers: "โทร.02 – 6182323 ต่อ 1304 – 5", "081-234-5678".
_RE_PHONE: Pattern[str] = re.compile(
    r"(?:โทร(?:ศัพท์|สาร)?\.?|tel\.?|fax|มือถือ)\s*+:?\s*+\d[\d \-–]*\d"
    r"(?:\s*+ต่อ\s*+\d+(?:\s*+[-–]\s*+\d+)?)?"
    r"|(?<![\d.,])0\d{1,2}[- ]?\d{3}[- ]?\d{3,4}(?!\d)"
)
# Thai laughter "555", "5555+" is never a number (a longer number with it, "2555", is one).
_RE_LAUGHTER: Pattern[str] = re.compile(r"(?<![\d.,])5{3,}+\+*+(?![\d]|[.,]\d)")
# A correction: the number right after "ไม่ได้" / "ไม่ใช่" is taken back when another follows
# ("ไม่ได้ 80% นะคะ ได้ 60%", "ไม่ใช่ข้อ 2 ค่ะ ข้อ 3").
_RE_TAKEN_BACK: Pattern[str] = re.compile(
    r"(?<!ยัง)(?<!ทำ)(?:ไม่ใช่|ไม่ได้|ม่ายช่าย|ไม่ช่าย)\s*+(?:ร้อยละ\s*+|"
    + _RE_KPI_MARKER.pattern
    + r")?"
)
# What follows a taken-back number and goes with it: "ไม่ใช่ 3 ใน 4", "ไม่ได้ 8/10".
_RE_TAKEN_BACK_TAIL: Pattern[str] = re.compile(r"\s*+(?:ใน|จาก|/|-|ถึง)\s*+")
_RE_THAI_LETTER_NEXT: Pattern[str] = re.compile(rf"\s*+[{_THAI_LETTER}]")

# Status phrases, negated and ongoing before plain completion, leftmost wins
# ("คาดว่าเสร็จ" expects, so it is not done yet; "ผ่านแล้ว" passed, done).
_RE_STATUS: Pattern[str] = re.compile(
    r"(?P<not_started>ยังไม่(?:ได้|ทัน(?:ได้)?)?(?:เริ่ม|ลงมือ|ทำ|ดำเนินการ))"
    r"|(?P<negated>(?:ยัง)?(?:ทำ)?ไม่(?:ได้)?(?:ค่อย)?\s*+(?:แล้วเสร็จ|เสร็จ|ครบ|เรียบร้อย|สำเร็จ|จบ|ผ่าน)"
    r"|ยังไม่(?:ได้)?ส่ง|(?:เกือบ|ใกล้)(?:จะ)?(?:เสร็จ|ครบ|เรียบร้อย|จบ|สำเร็จ)"
    r"|จะ(?:ทำ)?(?:ให้)?(?:เสร็จ|ครบ|เรียบร้อย)|(?:คาดว่า|น่า)(?:จะ)?(?:แล้ว)?เสร็จ)"
    r"|(?P<underway>กำลัง(?:จะ)?(?:ทำ|ดำเนินการ|จัดทำ|ดำเนิน|เร่ง|แก้ไข|ตรวจ|รวบรวม|เขียน)"
    r"|อยู่ระหว่าง|ดำเนินการอยู่|ทำอยู่)"
    r"|(?P<done>แล้วเสร็จ|เสร็จ|เรียบร้อย|ครบ(?!กำหนด|รอบ)|(?<!ความ)(?<!ผล)สำเร็จ|จบ|ส่งแล้ว"
    r"|ผ่าน(?:แล้ว|เกณฑ์|การประเมิน))"
)
# An explicit delay wins over a percentage and over "เสร็จ": "ล่าช้า", "ติดปัญหา",
# "ไม่ทันกำหนด", "ช้ากว่าแผน", "ช้าไป 3 วัน" (not after a negation: "ไม่ล่าช้า", "ไม่ได้ติดปัญหา").
_RE_DELAYED: Pattern[str] = re.compile(
    starting_with(
        "ลชตไเ",
        r"(?<!ไม่)(?<!ไม่ได้)(?<!ไม่มี)(?<!ไม่ค่อย)"
        r"(?:ล่าช้า|ล้าช้า|ช้ากว่า(?:แผน|กำหนด|เป้า|ที่กำหนด|ที่วางแผน)|ติดปัญหา|ติดขัด"
        r"|ไม่ทัน(?!ได้)(?:กำหนด|ตามกำหนด|เวลา)?|เลยกำหนด|เกินกำหนด|ช้า(?:ไป|มา)(?=\s*+\d))",
    )
)
# How late, before a span of time: "ล่าช้า 2 สัปดาห์", "ช้ากว่าแผนไป 3 วัน".
_RE_HOW_LATE: Pattern[str] = re.compile(
    r"(?:ล่าช้า|ช้า)(?:กว่า(?:แผน|กำหนด|เป้า|ที่กำหนด))?\s*+(?:มา|ไป|ประมาณ|ราว|แล้ว)*+\s*+"
)
# After a delay, the new expected date follows one of these: "คาดว่าเสร็จ 15 ม.ค.", "เลื่อนเป็น ...".
_RE_EXPECTED: Pattern[str] = re.compile(
    r"คาดว่า|น่าจะ|เลื่อน|กำหนด(?:การ)?ใหม่|ภายใน|จะ(?:ส่ง|เสร็จ)|ส่งได้"
)
_STATUS_OF_GROUP: dict[str, Status] = {
    "not_started": "not_started",
    "negated": "in_progress",
    "underway": "in_progress",
    "done": "done",
}


def _alternation(words: tuple[str, ...]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


# One piece of a confirmation message; repeated Latin letters allowed ("okkk").
_RE_ANSWER_PIECE: Pattern[str] = re.compile(
    r"(?P<yes>okay+|ok+|k+|yes+|yep|yeah|"
    + _alternation(YES_WORDS)
    + r")|(?P<no>no+pe|no+|"
    + _alternation(NO_WORDS)
    + r")|(?P<particle>"
    + _alternation(AFFIRMING_PARTICLES)
    + r")|(?P<filler>"
    + _alternation(SOFT_PARTICLES + NEUTRAL_EMOJI)
    + r"|[\s.!,~]+|[\U0001F3FB-\U0001F3FF])"
)


@dataclass(frozen=True, slots=True)
class Item:
    """What the message says of one KPI (the same meanings as :class:`ParsedMessage`)."""

    kpi: int
    percent: Number | None = None
    value: Number | None = None
    target: Number | None = None
    status: Status | None = None
    date: dt.date | None = None

    def to_dict(self) -> dict[str, object]:
        """JSON-ready dict: ``kpi``, ``percent``, ``value``, ``target``, ``status``, ``date``."""
        return {
            "kpi": self.kpi,
            "percent": self.percent,
            "value": self.value,
            "target": self.target,
            "status": self.status,
            "date": None if self.date is None else self.date.isoformat(),
        }


@dataclass(frozen=True, slots=True)
class ParsedMessage:
    """What one message says, as typed values (None when it does not say it).

    ``items`` has one :class:`Item` per KPI reported on, in the order written
    (empty when no KPI is named); the top-level fields are those of the first.
    ``time`` is a time of day, ``"HH:MM"``.
    """

    text: str
    normalized: str
    kpi: int | None = None
    percent: Number | None = None
    value: Number | None = None
    target: Number | None = None
    date: dt.date | None = None
    status: Status | None = None
    answer: Answer | None = None
    time: str | None = None
    items: tuple[Item, ...] = ()

    def to_dict(self) -> dict[str, object]:
        """JSON-ready dict, keys in the documented order, date as ISO ``YYYY-MM-DD``."""
        return {
            "text": self.text,
            "normalized": self.normalized,
            "kpi": self.kpi,
            "percent": self.percent,
            "value": self.value,
            "target": self.target,
            "date": None if self.date is None else self.date.isoformat(),
            "status": self.status,
            "answer": self.answer,
            "time": self.time,
            "items": [item.to_dict() for item in self.items],
        }


@dataclass(slots=True)
class _Group:
    """KPI references written together ("ข้อ 2 กับ ข้อ 4", "KPI 1-3"): where, and which KPIs."""

    start: int
    end: int
    kpis: list[int]


@dataclass(slots=True)
class _Token:
    """A number found in the text; ``used`` once a field has taken it."""

    start: int
    end: int
    digits: str | None
    mult: str | None
    words: str | None
    used: bool = False
    _read: tuple[Decimal, int] | None = field(default=None, repr=False)

    @property
    def number_end(self) -> int:
        """End of the number itself (without a multiplier word)."""
        if self.digits is not None:
            return self.start + len(self.digits)
        read = self.read_words()
        return self.start + (read[1] if read else 0)

    def read_words(self) -> tuple[Decimal, int] | None:
        if self._read is None and self.words is not None:
            self._read = read_number_words(self.words)
        return self._read


class _Reader:
    """State for reading one message: searched text, tokens, word boundaries.

    A reader may be restricted to a part of the message, ``s[lo:hi]``
    (:meth:`part`): it searches only there, with numbers fresh again.
    """

    def __init__(self, text: str, today: dt.date) -> None:
        self.s = text
        self.lo, self.hi = 0, len(text)
        self.boundaries = WordBoundaries(text)
        self.dates = find_date_spans(text, today)
        masked = _RE_NOT_NUMBERS.sub(_blank, text)
        if "555" in masked:
            masked = _RE_LAUGHTER.sub(_blank, masked)
        self.tokens = [
            _Token(m.start(), m.end(), m["digits"], m["mult"], m["words"])
            for m in _RE_NUMBER.finditer(masked)
        ]
        self.at: dict[int, _Token] = {t.start: t for t in self.tokens}
        spans = iter(self.dates)
        span = next(spans, None)
        for token in self.tokens:  # digits inside a date are not quantities
            while span is not None and span.end <= token.start:
                span = next(spans, None)
            if span is not None and span.start < token.end:
                token.used = True
        self._take_back_corrected()
        self._fresh: list[bool] = [token.used for token in self.tokens]
        self._starts: list[int] = [token.start for token in self.tokens]

    def part(self, lo: int, hi: int, *, taken: int | None = None) -> _Reader:
        """A reader of ``s[lo:hi]`` only, its numbers as they were before any field took them.

        Dates, word boundaries and numbers are those already found in the
        whole message (nothing is tokenised again); numbers before ``taken``
        are used already (the KPI references the part starts with).
        """
        part = object.__new__(_Reader)
        part.s, part.lo, part.hi, part.boundaries = self.s, lo, hi, self.boundaries
        first, last = bisect_left(self._starts, lo), bisect_left(self._starts, hi)
        taken = lo if taken is None else taken
        part.dates = [span for span in self.dates if lo <= span.start < hi]
        part.tokens = [
            _Token(t.start, t.end, t.digits, t.mult, t.words, used or t.start < taken, t._read)
            for t, used in zip(self.tokens[first:last], self._fresh[first:last], strict=True)
        ]
        part.at = {t.start: t for t in part.tokens}
        part._fresh = [t.used for t in part.tokens]
        part._starts = self._starts[first:last]
        return part

    def has(self, word: str) -> bool:
        """True when the text this reader reads holds ``word`` (rules without it are skipped)."""
        return self.s.find(word, self.lo, self.hi) >= 0

    @property
    def text(self) -> str:
        """The text this reader reads."""
        return self.s[self.lo : self.hi]

    def _take_back_corrected(self) -> None:
        """A number right after "ไม่ได้"/"ไม่ใช่" is taken back when another number follows."""
        if "ไม่" not in self.s and "ม่าย" not in self.s:
            return
        for m in _RE_TAKEN_BACK.finditer(self.s, self.lo, self.hi):
            token = self.token_after(m.end())
            if token is not None and any(
                not t.used for t in self.tokens if t.start > token.start
            ):
                token.used = True
                tail = _RE_TAKEN_BACK_TAIL.match(self.s, token.number_end)
                second = None if tail is None else self.token_after(tail.end())
                if second is not None:
                    second.used = True

    def in_span(self, pos: int) -> bool:
        """True when ``pos`` is inside a date, a date part or a time."""
        return any(span.start <= pos < span.end for span in self.dates)

    # -- numbers -------------------------------------------------------------

    def plain(self, token: _Token, *, check_start: bool, check_end: bool = True) -> Decimal | None:
        """The token's number without multiplier, if it is one (word boundaries checked)."""
        if token.digits is not None:
            return parse_digits(token.digits)
        read = token.read_words()
        if read is None:
            return None
        end = token.start + read[1]
        if not self.boundaries.is_words(
            token.start, end, check_start=check_start, check_end=check_end
        ):
            return None
        return read[0]

    def quantity(self, token: _Token, *, check_start: bool = True) -> Decimal | None:
        """The token's number as a quantity: multiplier applied, lone unit words refused."""
        if token.digits is not None:
            return parse_digits(token.digits, token.mult or "")
        read = token.read_words()
        if read is None:
            return None
        spelled = token.words[: read[1]] if token.words else ""
        if spelled in MULTIPLIERS or spelled in ("ยี่", "เอ็ด"):
            return None  # "แสน" alone is "very", "ร้อย" alone is "to thread"
        if spelled == "ศูนย์" and not self._zero_stands_alone(token.start, token.start + read[1]):
            return None  # "ศูนย์" is also "centre": "กอง/ศูนย์", "ศูนย์ราชการ"
        return self.plain(token, check_start=check_start)

    def _zero_stands_alone(self, start: int, end: int) -> bool:
        before = self.s[start - 1] if start else " "
        return before != "/" and not _RE_THAI_LETTER_NEXT.match(self.s, end)

    def token_after(self, pos: int) -> _Token | None:
        token = self.at.get(pos)
        return token if token is not None and not token.used else None

    def take_range_tail(self, end: int) -> None:
        """Mark the second number of a range ("90 - 100") as used."""
        m = _RE_RANGE_TAIL.match(self.s, end)
        if m:
            tail = self.token_after(m.end())
            if tail is not None:
                tail.used = True

    # -- fields --------------------------------------------------------------

    def date(self, *, expected: bool = False) -> dt.date | None:
        """The first date (None when it does not exist, 31 April).

        ``expected``: after a delay, the first date after "คาดว่า", "เลื่อน", ... if any.
        """
        m = _RE_EXPECTED.search(self.s, self.lo, self.hi) if expected else None
        if m is not None:
            for span in self.dates:
                if span.is_date and span.start >= m.end():
                    return span.value
        for span in self.dates:
            if span.is_date:
                return span.value
        return None

    def time(self) -> str | None:
        """The first time of day said, ``"HH:MM"``."""
        for span in self.dates:
            if span.time is not None:
                return span.time
        return None

    def percent(self) -> Decimal | None:
        """The first percentage; every percentage's number (and range end) is used up."""
        found: list[tuple[int, Decimal, int]] = []
        for m in _RE_PERCENT_BEFORE.finditer(self.s, self.lo, self.hi) if self.has("ร้อยละ") else ():
            token = self.token_after(m.end())
            value = None if token is None else self.plain(token, check_start=False)
            if token is not None and value is not None:
                token.used = True
                found.append((m.start(), value, token.number_end))
        for token in self.tokens:
            marker = None if token.used else _RE_PERCENT_AFTER.match(self.s, token.number_end)
            if marker is not None:
                value = self.plain(token, check_start=True, check_end=False)
                if value is not None:
                    token.used = True
                    found.append((token.start, value, marker.end()))
        words = self.has("ครึ่ง") or self.has("เต็มร้อย")
        for m in _RE_PERCENT_WORDS.finditer(self.s, self.lo, self.hi) if words else ():
            if self.in_span(m.start()):
                continue  # "สองทุ่มครึ่ง" is half past eight, not 50%
            if not (m["half"] and self._half_of_something(m.start(), m.end())):
                found.append((m.start(), Decimal(50 if m["half"] else 100), m.end()))
        for _, _, end in found:
            self.take_range_tail(end)
        return min(found, key=lambda f: f[0])[1] if found else None

    def _half_of_something(self, start: int, end: int) -> bool:
        before = self.s[max(0, start - 10) : start]
        return bool(
            _RE_HALF_OF_SOMETHING_BEFORE.search(before)
            or _RE_HALF_OF_SOMETHING_AFTER.match(self.s, end)
        )

    def kpi_groups(self) -> list[_Group]:
        """Every KPI reference, in order, joined into groups; their numbers are used up."""
        refs: list[_Group] = []
        for m in _RE_KPI_MARKER.finditer(self.s, self.lo, self.hi):
            if _RE_FIRST.match(self.s, m.end()):
                refs.append(_Group(m.start(), m.end() + len("แรก"), [1]))
                continue
            ref = self._reference(m.start(), m.end())
            if ref is not None:
                refs.append(ref)
        labels = [] if refs or ")" not in self.s and "\n" not in self.s else self._list_items()
        groups: list[_Group] = []
        for ref in sorted(refs or labels, key=lambda r: r.start):
            last = groups[-1] if groups else None
            join = None if last is None else _RE_KPI_JOIN.match(self.s, last.end)
            if last is not None and join is not None and join.end() >= ref.start:
                last.kpis.extend(k for k in ref.kpis if k not in last.kpis)
                last.end = ref.end
            else:
                groups.append(ref)
        return groups

    def _reference(self, start: int, number_at: int) -> _Group | None:
        """The KPI number at ``number_at`` with its range ("1-3") and bare partners ("กับ 4")."""
        token = self.token_after(number_at)
        if token is None or token.mult or self._count_after(token.number_end):
            return None
        first = self._kpi_number(token)
        if first is None:
            return None
        token.used = True
        kpis, end = [first], token.number_end
        tail_at = _RE_KPI_RANGE_TAIL.match(self.s, end)
        tail = None if tail_at is None else self.token_after(tail_at.end())
        if tail is not None:
            tail.used = True
            last = self._kpi_number(tail)
            if last is not None and first < last <= first + MAX_RANGE:
                kpis, end = list(range(first, last + 1)), tail.number_end
        while (join := _RE_KPI_JOIN_BARE.match(self.s, end)) is not None:
            partner = self.token_after(join.end())
            number = None if partner is None else self._kpi_number(partner)
            if partner is None or number is None or partner.mult or _RE_QUANTITY_AFTER.match(
                self.s, partner.number_end
            ):
                break
            partner.used = True
            if number not in kpis:
                kpis.append(number)
            end = partner.number_end
        return _Group(start, end, kpis)

    def _count_after(self, end: int) -> bool:
        """"5 ตัว", "3 ข้อ" count; "ข้อ 3 ข้อ 5" is two references."""
        count = _RE_COUNT_AFTER.match(self.s, end)
        if count is None:
            return False
        marker = _RE_KPI_MARKER.match(self.s, count.start("word"))
        return marker is None or self.token_after(marker.end()) is None

    def _kpi_number(self, token: _Token) -> int | None:
        value = self.plain(token, check_start=False)
        if value is None or not 1 <= value < MAX_KPI + 1:
            return None
        return int(value)

    def _list_items(self) -> list[_Group]:
        """Numbered items ("1) 30% 2) 55%") as KPI references, when there are two or more."""
        found: list[_Group] = []
        for m in _RE_KPI_LIST_ITEM.finditer(self.s, self.lo, self.hi):
            token = next((t for t in self.tokens if m.start() <= t.start < m.end()), None)
            if token is None or token.used or token.digits is None:
                continue
            number = self._kpi_number(token)
            if number is not None:
                found.append(_Group(token.start, m.end(), [number]))
        if len({g.kpis[0] for g in found}) < 2:
            return []
        for group in found:
            self.at[group.start].used = True
        return found

    def target(self) -> Decimal | None:
        """The quantity measured against: after "เป้า"/"เต็ม", after "N จาก", or "N/M"."""
        candidates: list[_Token] = []
        markers = self.has("เป้า") or self.has("เต็ม")
        for m in _RE_TARGET_MARKER.finditer(self.s, self.lo, self.hi) if markers else ():
            token = self.token_after(m.end())
            if token is not None:
                candidates.append(token)
                break
        for m in _RE_FROM.finditer(self.s, self.lo, self.hi) if self.has("จาก") else ():
            token = self.token_after(m.end())
            if token is not None and self._number_before(m.start()):
                candidates.append(token)
                break
        for token in self.tokens if self.has("ใน") else ():
            of = None if token.used else _RE_OF.match(self.s, token.number_end)
            second = None if of is None else self.token_after(of.end())
            if (
                second is not None
                and not _RE_DURATION_AFTER.match(self.s, second.number_end)
                and self.quantity(token) is not None
            ):
                candidates.append(second)
                break
        for token in self.tokens:
            if token.digits is None:
                continue
            slash = _RE_SLASH.match(self.s, token.end)
            second = self.token_after(slash.end()) if slash else None
            if second is not None and second.digits is not None and not token.used:
                candidates.append(second)
                break
        for token in sorted(candidates, key=lambda t: t.start):
            value = self.quantity(token, check_start=False)
            if value is not None:
                token.used = True
                return value
        return None

    def _number_before(self, pos: int) -> bool:
        """True when a number ends just before ``pos``, with at most one word between."""
        for token in reversed(self.tokens):
            if token.end <= pos:
                gap = _RE_FROM_GAP.match(self.s, token.end)
                return gap is not None and gap.end() >= pos
        return False

    def skip_labels(self) -> None:
        """Ordinals ("รอบที่ 1"), list numbering ("3) ..."), phone numbers and how late
        ("ล่าช้า 2 สัปดาห์") are not quantities."""
        for m in _RE_ORDINAL.finditer(self.s, self.lo, self.hi):
            token = self.token_after(m.end())
            if token is not None:
                token.used = True
        for m in _RE_HOW_LATE.finditer(self.s, self.lo, self.hi) if self.has("ช้า") else ():
            token = self.token_after(m.end())
            if token is not None and _RE_DURATION_AFTER.match(self.s, token.number_end):
                token.used = True
        lo, hi = self.lo, self.hi
        for m in (*_RE_LIST_LABEL.finditer(self.s, lo, hi), *_RE_PHONE.finditer(self.s, lo, hi)):
            for token in self.tokens:
                if token.start >= m.end():
                    break
                if token.end > m.start():
                    token.used = True

    def value(self) -> Decimal | None:
        """The first number no other field took, that is a quantity."""
        for token in self.tokens:
            if token.used or self._not_a_quantity(token):
                continue
            value = self.quantity(token)
            if value is not None:
                return value
        return None

    def _not_a_quantity(self, token: _Token) -> bool:
        if token.digits is None:
            return False
        s = self.s
        before = s[token.start - 1] if token.start else " "
        after = s[token.end] if token.end < len(s) else " "
        # "covid19", "a4", "5g": part of a name
        return (before.isascii() and before.isalpha()) or (after.isascii() and after.isalpha())


def _blank(m: re.Match[str]) -> str:
    return "\0" * len(m.group())


def _status(text: str, percent: Decimal | None) -> Status | None:
    if _RE_DELAYED.search(text):
        return "delayed"
    if percent is not None:
        if percent <= 0:
            return "not_started"
        return "done" if percent >= 100 else "in_progress"
    m = _RE_STATUS.search(text)
    if m is None or m.lastgroup is None:
        return None
    return _STATUS_OF_GROUP[m.lastgroup]


def _answer(text: str) -> Answer | None:
    """"yes"/"no" when the whole message is a confirmation (polite particles aside)."""
    if not text or len(text) > MAX_ANSWER_CHARS:
        return None
    seen: set[str] = set()
    pos = 0
    while pos < len(text):
        m = _RE_ANSWER_PIECE.match(text, pos)
        if m is None:
            return None
        if m.lastgroup:
            seen.add(m.lastgroup)
        pos = m.end()
    if "yes" in seen and "no" in seen:
        return None
    if "no" in seen:
        return "no"
    if "yes" in seen or "particle" in seen:
        return "yes"
    return None


@dataclass(slots=True)
class _Fields:
    """What one part of a message says, before the numbers are made JSON-ready."""

    percent: Decimal | None = None
    value: Decimal | None = None
    target: Decimal | None = None
    status: Status | None = None
    date: dt.date | None = None

    def item(self, kpi: int) -> Item:
        return Item(
            kpi=kpi,
            percent=None if self.percent is None else to_number(self.percent),
            value=None if self.value is None else to_number(self.value),
            target=None if self.target is None else to_number(self.target),
            status=self.status,
            date=self.date,
        )

    def filled_from(self, later: _Fields) -> _Fields:
        """A copy with the fields this one lacks taken from ``later``."""
        return _Fields(
            percent=self.percent if self.percent is not None else later.percent,
            value=self.value if self.value is not None else later.value,
            target=self.target if self.target is not None else later.target,
            status=self.status if self.status is not None else later.status,
            date=self.date if self.date is not None else later.date,
        )

    def share(self, common: _Fields) -> None:
        """Take the status and date said of every KPI: a delay always, others when silent."""
        if common.status is not None and (self.status is None or common.status == "delayed"):
            self.status = common.status
        if common.date is not None and self.date is None:
            self.date = common.date


def _fields(reader: _Reader, percent: Decimal | None) -> _Fields:
    """The fields after the percentage and the KPI references (each step uses up its numbers)."""
    target = value = None
    if any(not token.used for token in reader.tokens):
        target = reader.target()
        reader.skip_labels()
        value = reader.value()
    status = _status(reader.text, percent)
    the_date = reader.date(expected=status == "delayed")
    return _Fields(percent, value, target, status, the_date)


def _part(reader: _Reader, lo: int, hi: int, *, taken: int | None = None) -> _Fields:
    """The fields of one part, which names no KPI (but those it starts with, ``taken``)."""
    part = reader.part(lo, hi, taken=taken)
    return _fields(part, part.percent())


def _items(reader: _Reader, groups: list[_Group]) -> list[Item]:
    """One item per KPI of several groups, each read from its part of the message."""
    groups = groups[:MAX_ITEMS]
    common = _Fields()
    if groups[0].start > 0:
        common = _part(reader, 0, groups[0].start)
    parts: list[tuple[_Group, _Fields]] = []
    for group, following in zip(groups, [*groups[1:], None], strict=True):
        end = reader.hi if following is None else following.start
        all_of_them = _RE_ALL_OF_THEM.search(reader.s, group.end, end)
        if all_of_them is not None:
            common.share(_part(reader, all_of_them.start(), end))
            end = all_of_them.start()
        parts.append((group, _part(reader, group.start, end, taken=group.end)))
    by_kpi: dict[int, _Fields] = {}
    for group, fields in parts:
        fields.share(common)
        for kpi in group.kpis:
            if kpi in by_kpi:  # said again later: what was not said the first time is added
                by_kpi[kpi] = by_kpi[kpi].filled_from(fields)
            else:
                by_kpi[kpi] = fields
    return [fields.item(kpi) for kpi, fields in by_kpi.items()]


def _read(text: str, today: dt.date) -> ParsedMessage:
    normalized = normalize(text)
    searched = normalized[:MAX_CHARS].translate(_ASCII_LOWER)
    reader = _Reader(searched, today)
    percent = reader.percent()
    groups = reader.kpi_groups()
    if len(groups) > 1:  # several parts: the top-level fields are the first item's
        items = _items(reader, groups)
        top = items[0]
    else:  # the whole message is one part; a group of KPIs ("ข้อ 1-3") shares it
        whole = _fields(reader, percent)
        items = [whole.item(kpi) for kpi in groups[0].kpis] if groups else []
        top = whole.item(kpi=0)
    return ParsedMessage(
        text=text,
        normalized=normalized,
        kpi=items[0].kpi if items else None,
        percent=top.percent,
        value=top.value,
        target=top.target,
        date=top.date,
        status=top.status,
        answer=_answer(searched),
        time=reader.time(),
        items=tuple(items),
    )


def parse(text: str, today: dt.date) -> ParsedMessage:
    """Read one chat message; relative dates count from ``today`` (Asia/Bangkok).

    Total on any ``str``: values are searched in the first :data:`MAX_CHARS`
    characters of the normalised text only (``normalized`` is always whole),
    and an unexpected internal error is logged and yields a message with only
    ``text`` and ``normalized`` set, never an exception.

    >>> parse("ข้อ 2 ได้ 45 จากเป้า 60 เสร็จแล้วค่ะ", dt.date(2026, 4, 1)).to_dict()["value"]
    45
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be str, not {type(text).__name__}")
    try:
        return _read(text, _as_date(today))
    except Exception:  # noqa: BLE001 - the bot must answer, whatever was typed
        # The text itself is not logged: it may hold personal data (PDPA).
        logger.exception("thai.parse failed on a %d-character message", len(text))
        try:
            normalized = normalize(text)
        except Exception:  # noqa: BLE001
            normalized = text
        return ParsedMessage(text=text, normalized=normalized)


def warm_up() -> None:
    """Build the lazy tables (newmm dictionary, repeat table, holidays; ~0.5 s) now, not on
    first use."""
    dictionary()
    prepare_repeat_table()
    _warm_up_office_days()


def _as_date(today: dt.date) -> dt.date:
    """Accept a datetime too (its calendar day)."""
    return today.date() if isinstance(today, dt.datetime) else today
