"""Numbers in Thai chat: Arabic digits with separators and multipliers, and spelled-out Thai.

Spelled-out numbers are cut out of the message first (by the caller, with a
regex and a word-boundary check) and only then read with PyThaiNLP's
``thaiword_to_num``; PyThaiNLP's ``text_to_num`` is not used because it drops a
number at the very end of a message (``ข้อสอง`` -> ``['ข้อ']``).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from re import Pattern

from pythainlp.util import thaiword_to_num

from thai.lexicon import DIGIT_WORDS, MULTIPLIERS, POWER_WORDS

Number = int | float

# Longer than this many digits is not a quantity anybody types (and int()
# refuses more than 4,300 digits).
MAX_DIGITS: int = 18
# A spelled-out run longer than this many words is cut (no real number is).
MAX_WORDS: int = 16

# One spelled-out number word (digit or power of ten), longest first.
_RE_NUMBER_WORD: Pattern[str] = re.compile(
    "|".join(sorted((*DIGIT_WORDS, *POWER_WORDS), key=len, reverse=True))
)
# Words allowed after "จุด" (decimal point): one digit each.
_DECIMAL_DIGITS: dict[str, str] = {
    w: str(v) for w, v in DIGIT_WORDS.items() if w not in ("เอ็ด", "ยี่")
}
_POINT: str = "จุด"
_MINUS: str = "ลบ"


def to_number(value: Decimal) -> Number:
    """Return an int when the value is integral, else a float.

    >>> to_number(Decimal("80.0")), to_number(Decimal("4.5"))
    (80, 4.5)
    """
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def parse_digits(raw: str, multiplier: str = "") -> Decimal | None:
    """Read Arabic digits with optional thousands separators, decimals and a Thai multiplier.

    >>> parse_digits("2,500.75"), parse_digits("1.5", "ล้าน")
    (Decimal('2500.75'), Decimal('1500000.0'))
    """
    plain = raw.replace(",", "")
    if len(plain.replace(".", "")) > MAX_DIGITS:
        return None
    try:
        value = Decimal(plain)
    except InvalidOperation:
        return None
    return value * MULTIPLIERS[multiplier] if multiplier else value


@lru_cache(maxsize=4096)
def _integer_words(words: tuple[str, ...]) -> int | None:
    try:
        return thaiword_to_num("".join(words))
    except ValueError:
        return None


@lru_cache(maxsize=4096)
def read_number_words(run: str) -> tuple[Decimal, int] | None:
    """Read the longest valid spelled-out number at the start of ``run``.

    Returns the value and how many characters it used, or None.

    >>> read_number_words("หนึ่งร้อยยี่สิบสี่จุดศูนย์สี่")
    (Decimal('124.04'), 29)
    >>> read_number_words("สองสาม")
    (Decimal('2'), 3)
    """
    integer_part, point, decimal_part = run.partition(_POINT)
    words = tuple(_RE_NUMBER_WORD.findall(integer_part))[:MAX_WORDS]
    for n in range(len(words), 0, -1):
        value = _integer_words(words[:n])
        if value is None:
            continue
        used = sum(map(len, words[:n]))
        if n == len(words) and used == len(integer_part) and point:
            digits = _decimal_digits(decimal_part)
            if digits:
                return Decimal(f"{value}.{digits}"), used + len(point) + len(decimal_part)
        return Decimal(value), used
    return None


def _decimal_digits(text: str) -> str:
    """Spell ``ศูนย์สี่`` as ``04``; empty when the text is not only digit words."""
    out: list[str] = []
    pos = 0
    while pos < len(text):
        for word, digit in _DECIMAL_DIGITS.items():
            if text.startswith(word, pos):
                out.append(digit)
                pos += len(word)
                break
        else:
            return ""
    return "".join(out[:MAX_DIGITS])


def thai_words_to_number(text: str) -> Number | None:
    """Read a whole string of spelled-out Thai number (``ลบ`` for minus), or None.

    >>> thai_words_to_number("สองล้านสามแสนหกร้อยสิบสอง")
    2300612
    >>> thai_words_to_number("ห้าพันสี่หมื่น") is None
    True
    """
    sign = 1
    if text.startswith(_MINUS):
        sign, text = -1, text[len(_MINUS):]
    read = read_number_words(text) if text else None
    if read is None or read[1] != len(text):
        return None
    return to_number(sign * read[0])
