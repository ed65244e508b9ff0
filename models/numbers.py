"""Integers from outside (postback data, query strings, form fields, URL paths), read one way.

`str.isdigit()` alone is not enough: it accepts "²" and "๓" (int() then fails or reads Thai
digits), and "99999999999999999999" overflows a database integer. These accept ASCII digits
only, within the bounds given (by default what a PostgreSQL integer column holds).

>>> parse_int("42"), parse_int("²"), parse_int("99999999999999999999"), parse_int("-1")
(42, None, None, None)
>>> is_id("17"), is_id(" 17"), is_id("")
(True, False, False)
"""
from __future__ import annotations

MAX_INT = 2_147_483_647  # PostgreSQL `integer`
_MAX_DIGITS = len(str(MAX_INT))


def parse_int(raw: object, low: int = 0, high: int = MAX_INT) -> int | None:
    """`raw` as an int when it is ASCII digits (no sign, no spaces) within [low, high]."""
    if not isinstance(raw, str) or not 0 < len(raw) <= _MAX_DIGITS:
        return None
    if not (raw.isascii() and raw.isdigit()):
        return None
    value = int(raw)
    return value if low <= value <= high else None


def is_id(raw: object) -> bool:
    """Whether `raw` is a non-negative integer a database integer column can hold."""
    return parse_int(raw) is not None
