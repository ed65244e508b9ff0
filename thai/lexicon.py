"""Thai words the parser knows, as data: numbers, months, weekdays, status and answers."""

from __future__ import annotations

from pythainlp.util.date import thai_abbr_months, thai_full_months

# Spelled-out digits (PyThaiNLP's thaiword_to_num reads the same words).
DIGIT_WORDS: dict[str, int] = {
    "ศูนย์": 0,
    "หนึ่ง": 1,
    "เอ็ด": 1,
    "สอง": 2,
    "ยี่": 2,
    "สาม": 3,
    "สี่": 4,
    "ห้า": 5,
    "หก": 6,
    "เจ็ด": 7,
    "แปด": 8,
    "เก้า": 9,
}
POWER_WORDS: tuple[str, ...] = ("สิบ", "ร้อย", "พัน", "หมื่น", "แสน", "ล้าน")
# Multipliers that may follow Arabic digits ("2 พัน", "1.5 ล้าน").
MULTIPLIERS: dict[str, int] = {
    "ร้อย": 100,
    "พัน": 1_000,
    "หมื่น": 10_000,
    "แสน": 100_000,
    "ล้าน": 1_000_000,
}

# Month names: full (from PyThaiNLP), short spoken forms, abbreviations
# written without dots, a frequent misspelling, and English.
_SHORT_MONTHS: tuple[tuple[str, ...], ...] = (
    ("มกรา",),
    ("กุมภา",),
    ("มีนา",),
    ("เมษา",),
    ("พฤษภา",),
    ("มิถุนา",),
    ("กรกฎา", "กรกฏาคม", "กรกฏา"),
    ("สิงหา",),
    ("กันยา",),
    ("ตุลา",),
    ("พฤศจิกา",),
    ("ธันวา",),
)
_ENGLISH_MONTHS: tuple[tuple[str, ...], ...] = (
    ("january", "jan"),
    ("february", "feb"),
    ("march", "mar"),
    ("april", "apr"),
    ("may",),
    ("june", "jun"),
    ("july", "jul"),
    ("august", "aug"),
    ("september", "sept", "sep"),
    ("october", "oct"),
    ("november", "nov"),
    ("december", "dec"),
)
FULL_MONTHS: tuple[str, ...] = tuple(thai_full_months)
ABBR_MONTHS: tuple[str, ...] = tuple(thai_abbr_months)  # "ม.ค." ... "ธ.ค."


def _month_keys() -> dict[str, int]:
    keys: dict[str, int] = {}
    for i in range(12):
        for form in (FULL_MONTHS[i], ABBR_MONTHS[i].replace(".", ""), *_SHORT_MONTHS[i]):
            keys[form] = i + 1
        for form in _ENGLISH_MONTHS[i]:
            keys[form] = i + 1
    return keys


# Month name with dots and spaces removed -> month number.
MONTH_BY_KEY: dict[str, int] = _month_keys()

# Monday = 0, as datetime.date.weekday().
WEEKDAYS: dict[str, int] = {
    "จันทร์": 0,
    "จันท์": 0,
    "อังคาร": 1,
    "พุธ": 2,
    "พฤหัสบดี": 3,
    "พฤหัส": 3,
    "ศุกร์": 4,
    "เสาร์": 5,
    "อาทิตย์": 6,
}

# Relative day words -> days from today.
RELATIVE_DAYS: dict[str, int] = {
    "วันนี้": 0,
    "คืนนี้": 0,
    "วันพรุ่งนี้": 1,
    "พรุ่งนี้": 1,
    "พรุ้งนี้": 1,
    "พุ่งนี้": 1,
    "วันมะรืนนี้": 2,
    "มะรืนนี้": 2,
    "วันมะรืน": 2,
    "มะรืน": 2,
    "เมื่อวานซืน": -2,
    "วานซืน": -2,
    "เมื่อวานนี้": -1,
    "เมื่อวาน": -1,
    "วานนี้": -1,
}

# Units after "อีก N" / "ภายใน N" ("วันทำการ": office days, on the holiday calendar).
DURATION_UNITS: dict[str, str] = {
    "วันทำการ": "office_day",
    "วันราชการ": "office_day",
    "วัน": "day",
    "สัปดาห์": "week",
    "อาทิตย์": "week",
    "เดือน": "month",
}

# Words that, alone or together, make a message a confirmation.
YES_WORDS: tuple[str, ...] = (
    "ใช่แล้ว",
    "ใช่",
    "ช่าย",
    "ได้เลย",
    "ได้",
    "โอเค",
    "โอเคร",
    "โอเช",
    "ถูกต้องแล้ว",
    "ถูกต้อง",
    "ถูกแล้ว",
    "ถูก",
    "ยืนยัน",
    "ตกลง",
    "รับทราบ",
    "okay",
    "okie",
    "ok",
    "yes",
    "yep",
    "yeah",
    "y",
    "k",
    "👍",
    "👌",
    "✅",
    "✔",
    "🆗",
)
NO_WORDS: tuple[str, ...] = (
    "ไม่ใช่",
    "ม่ายช่าย",
    "ไม่ช่าย",
    "ม่ายใช่",
    "ม่าย",
    "ไม่ถูกต้อง",
    "ไม่ถูก",
    "ไม่ได้",
    "ไม่",
    "ผิด",
    "ยกเลิก",
    "cancel",
    "nope",
    "no",
    "👎",
    "❌",
    "✖",
)
# Polite particles: ignored around an answer; alone they say "yes".
AFFIRMING_PARTICLES: tuple[str, ...] = (
    "ครับผม",
    "ครับ",
    "คับ",
    "ครัช",
    "ค้าบ",
    "คร้าบ",
    "ฮับ",
    "ค่ะ",
    "ค่า",
    "จ้า",
    "จ้ะ",
    "จ๊ะ",
    "ฮะ",
)
# Particles that soften but do not confirm on their own ("คะ?" asks).
SOFT_PARTICLES: tuple[str, ...] = ("นะ", "คะ", "เลย")
# Emoji that carry no answer (a wai, a smile).
NEUTRAL_EMOJI: tuple[str, ...] = ("🙏", "😊", "🙂", "😀", "😄", "😁", "☺", "🥰", "😃")
