"""Cell text read into typed values; each reader raises `BadValue` with a Thai+English reason.

Cells arrive as text (XLSX numbers and dates are turned into text by `reading`). Thai digits,
thousands separators, a trailing % and stray spaces are accepted wherever a number is expected.
"""
from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import Decimal, InvalidOperation

from models import PositionType
from thai import thai_digits_to_arabic
from thai.dates import find_date_spans


class BadValue(ValueError):
    """A cell that cannot be read; `th` and `en` say why."""

    def __init__(self, th: str, en: str) -> None:
        super().__init__(f"{th} / {en}")
        self.th, self.en = th, en


_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SPACES = re.compile(r"\s+")
# 1,234,567.89 or 1234.5, optional sign; commas only as thousands groups.
_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[+-]?\.\d+")
_PERCENT_WORDS = re.compile(r"^(?:ร้อยละ)\s*|\s*(?:%|เปอร์เซ็นต์|percent)$", re.IGNORECASE)
_CODE_SEPARATORS = re.compile(r"[\s,;/]+")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?")
_HAS_YEAR = re.compile(r"\d{2,4}\s*$")
# Characters that make text lie about itself: control characters, and the bidirectional
# overrides and isolates that reorder what a name looks like (U+202A–E, U+2066–9, marks).
_HIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
CENT = Decimal("0.01")
MAX_AMOUNT = Decimal(10) ** 12  # Numeric(14, 2)


def quote(raw: str, limit: int = 40) -> str:
    """The cell as shown in a message: `"abc"`, shortened when long."""
    return f'"{raw if len(raw) <= limit else raw[:limit] + "…"}"'


def clean_text(raw: str) -> str:
    """Invisible characters out, runs of spaces (and line breaks) to one space, trimmed."""
    return _SPACES.sub(" ", _INVISIBLE.sub("", raw)).strip()


def text(raw: str, max_length: int, *, required: bool = False) -> str:
    value = clean_text(raw)
    if _HIDDEN.search(value):
        raise BadValue("มีอักขระควบคุมหรืออักขระกลับทิศทางข้อความที่มองไม่เห็น กรุณาพิมพ์ใหม่",
                       "contains an invisible control or text-direction character; retype it")
    if required and not value:
        raise BadValue("ช่องนี้ต้องกรอก", "this cell is required")
    if len(value) > max_length:
        raise BadValue(f"ยาวเกิน {max_length} ตัวอักษร", f"longer than {max_length} characters")
    return value


def code(raw: str, *, required: bool = False, max_length: int = 32) -> str:
    """A staff or unit code: Thai digits to Arabic, no spaces (`D 0001` → `D0001`)."""
    value = _SPACES.sub("", thai_digits_to_arabic(_INVISIBLE.sub("", raw)))
    if required and not value:
        raise BadValue("ช่องนี้ต้องกรอก", "this cell is required")
    if "/" in value or "\\" in value or ".." in value or _HIDDEN.search(value):
        raise BadValue(f"รหัสมี / .. หรืออักขระที่ใช้ไม่ได้ (ได้ {quote(raw.strip())})",
                       "a code cannot contain /, .. or control characters "
                       f"(got {quote(raw.strip())})")
    if len(value) > max_length:
        raise BadValue(f"รหัสยาวเกิน {max_length} ตัวอักษร",
                       f"code longer than {max_length} characters")
    return value


def codes(raw: str) -> list[str]:
    """Several codes in one cell, separated by commas, semicolons, slashes or spaces."""
    value = thai_digits_to_arabic(_INVISIBLE.sub("", raw))
    found = [part for part in _CODE_SEPARATORS.split(value) if part]
    for part in found:
        if len(part) > 32:
            raise BadValue("รหัสยาวเกิน 32 ตัวอักษร", "code longer than 32 characters")
    return list(dict.fromkeys(found))


def decimal(raw: str, *, required: bool = True, max_abs: Decimal = MAX_AMOUNT) -> Decimal | None:
    """A number with at most 2 decimals: `1,234.5`, `๘๐`, `25%`, `ร้อยละ 80`."""
    value = clean_text(thai_digits_to_arabic(raw)).replace("\u2212", "-")
    value = _PERCENT_WORDS.sub("", value).replace(" ", "")
    if not value:
        if required:
            raise BadValue("ช่องนี้ต้องกรอกตัวเลข", "this cell needs a number")
        return None
    if not _NUMBER.fullmatch(value):
        raise BadValue(f"ต้องเป็นตัวเลข (ได้ {quote(raw.strip())})",
                       f"must be a number (got {quote(raw.strip())})")
    try:
        number = Decimal(value.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern above admits only numbers
        raise BadValue(f"ต้องเป็นตัวเลข (ได้ {quote(raw.strip())})",
                       f"must be a number (got {quote(raw.strip())})") from None
    if number != number.quantize(CENT):
        raise BadValue(f"ทศนิยมได้ไม่เกิน 2 ตำแหน่ง (ได้ {quote(raw.strip())})",
                       f"at most 2 decimal places (got {quote(raw.strip())})")
    if abs(number) >= max_abs:
        raise BadValue(f"ตัวเลขใหญ่เกินไป (ได้ {quote(raw.strip())})",
                       f"number too large (got {quote(raw.strip())})")
    return number.quantize(CENT)


def integer(raw: str, *, required: bool = True, prefix: str = "") -> int | None:
    """A whole number; `prefix` (e.g. `รอบที่`) may be written before it."""
    value = clean_text(thai_digits_to_arabic(raw))
    if prefix and value.startswith(prefix):
        value = value[len(prefix):].strip()
    if not value:
        if required:
            raise BadValue("ช่องนี้ต้องกรอกตัวเลข", "this cell needs a number")
        return None
    if re.fullmatch(r"[+-]?\d+(?:\.0+)?", value):
        return int(Decimal(value))
    raise BadValue(f"ต้องเป็นจำนวนเต็ม (ได้ {quote(raw.strip())})",
                   f"must be a whole number (got {quote(raw.strip())})")


YES = frozenset({"ใช่", "เป็น", "มี", "y", "yes", "true", "t", "1", "✓", "✔", "☑", "x", "/"})
NO = frozenset({"", "ไม่ใช่", "ไม่", "ไม่เป็น", "ไม่มี", "n", "no", "false", "f", "0", "-", "✗", "✘"})


def yes_no(raw: str) -> bool:
    """ใช่/ไม่ใช่, yes/no, 1/0, Y/N, ✓; blank is no."""
    value = clean_text(thai_digits_to_arabic(raw)).casefold()
    if value in YES:
        return True
    if value in NO:
        return False
    raise BadValue(f"ต้องเป็น ใช่ หรือ ไม่ใช่ (ได้ {quote(raw.strip())})",
                   f"must be yes or no (got {quote(raw.strip())})")


ACTIVE = frozenset({"", "ปฏิบัติงาน", "ปฏิบัติราชการ", "ปกติ", "ทำงาน", "active", "working"})
INACTIVE = frozenset({"ลาออก", "ย้าย", "โอนย้าย", "โอน", "เกษียณ", "เกษียณอายุราชการ",
                      "พ้นจากราชการ", "left", "inactive", "resigned", "transferred", "retired"})


def active(raw: str) -> bool:
    """สถานะ: ปฏิบัติงาน/active (or blank) → True; ลาออก/ย้าย/left/inactive → False."""
    value = clean_text(raw).casefold()
    if value in ACTIVE:
        return True
    if value in INACTIVE:
        return False
    raise BadValue(f"สถานะต้องเป็น ปฏิบัติงาน ลาออก หรือ ย้าย (ได้ {quote(raw.strip())})",
                   f"status must be active, left or inactive (got {quote(raw.strip())})")


POSITION_TYPES = {
    **{t.value: t.value for t in PositionType},
    "general": PositionType.GENERAL.value, "academic": PositionType.ACADEMIC.value,
    "director": PositionType.DIRECTOR.value, "managerial": PositionType.DIRECTOR.value,
    "executive": PositionType.EXECUTIVE.value,
}


def position_type(raw: str) -> str:
    """ประเภทตำแหน่ง: ทั่วไป วิชาการ อำนวยการ บริหาร (or English); blank is ทั่วไป."""
    value = clean_text(unicodedata.normalize("NFC", raw)).casefold()
    value = value.removeprefix("ประเภท").strip()
    if not value:
        return PositionType.GENERAL.value
    if value in POSITION_TYPES:
        return POSITION_TYPES[value]
    raise BadValue(f"ประเภทตำแหน่งต้องเป็น ทั่วไป วิชาการ อำนวยการ หรือ บริหาร (ได้ {quote(raw.strip())})",
                   "position type must be general, academic, director or executive "
                   f"(got {quote(raw.strip())})")


UNIT_KINDS = {"กอง": "กอง", "ศูนย์": "ศูนย์", "กลุ่ม": "กลุ่ม", "division": "กอง",
              "center": "ศูนย์", "centre": "ศูนย์", "group": "กลุ่ม"}


def unit_kind(raw: str) -> str | None:
    """ประเภทหน่วยงาน: กอง ศูนย์ กลุ่ม (division, center, group); blank is None (not given)."""
    value = clean_text(raw).casefold()
    if not value:
        return None
    if value in UNIT_KINDS:
        return UNIT_KINDS[value]
    raise BadValue(f"ประเภทหน่วยงานต้องเป็น กอง ศูนย์ หรือ กลุ่ม (ได้ {quote(raw.strip())})",
                   f"unit kind must be division, center or group (got {quote(raw.strip())})")


def day(raw: str) -> date | None:
    """A date: `2026-10-15`, `15/10/2569`, `15 ต.ค. 2569`, `๑๕ ตุลาคม ๒๕๖๙`; blank is None."""
    value = clean_text(thai_digits_to_arabic(raw))
    if not value:
        return None
    iso = _ISO_DATE.fullmatch(value)
    try:
        if iso:
            year = int(iso.group(1))
            return date(year - 543 if year > 2400 else year, int(iso.group(2)), int(iso.group(3)))
    except ValueError:
        pass
    else:
        if _HAS_YEAR.search(value):
            # The Thai-text reader understands every written form; a fixed `today` only
            # matters for dates without a year, which are refused above.
            spans = find_date_spans(value, date(2000, 1, 1))
            if len(spans) == 1 and spans[0].is_date and spans[0].value is not None \
                    and spans[0].end - spans[0].start >= len(value.rstrip(". ")) - 1:
                return spans[0].value
    raise BadValue(f"อ่านวันที่ไม่ได้ (ได้ {quote(raw.strip())}) ตัวอย่าง 15/10/2569",
                   f"not a date (got {quote(raw.strip())}); e.g. 2026-10-15")
