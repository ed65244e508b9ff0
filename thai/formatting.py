"""The reverse direction, for what people read: dates in Thai with Buddhist Era years, numbers
(scores with two decimals), and the dates HR types (dd/mm/พ.ศ.). Status words: `thai.labels`.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from thai.cleaning import thai_digits_to_arabic
from thai.lexicon import ABBR_MONTHS, FULL_MONTHS

BANGKOK: ZoneInfo = ZoneInfo("Asia/Bangkok")
BE_OFFSET: int = 543  # พ.ศ. = ค.ศ. + 543


def format_date(d: dt.date, *, full: bool = False) -> str:
    """Format a date as Thai with a BE year: ``10 เม.ย. 2570`` (``10 เมษายน 2570`` if full).

    >>> format_date(dt.date(2027, 4, 10))
    '10 เม.ย. 2570'
    >>> format_date(dt.date(2027, 4, 10), full=True)
    '10 เมษายน 2570'
    """
    months = FULL_MONTHS if full else ABBR_MONTHS
    return f"{d.day} {months[d.month - 1]} {d.year + BE_OFFSET}"


WEEKDAYS_ABBR = ("จ.", "อ.", "พ.", "พฤ.", "ศ.", "ส.", "อา.")  # Monday first, as date.weekday()


def format_weekday(d: dt.date) -> str:
    """The day of the week, abbreviated as Thai calendars do: ``ศ.`` for a Friday."""
    return WEEKDAYS_ABBR[d.weekday()]


def format_datetime(moment: dt.datetime, tz: dt.tzinfo = BANGKOK) -> str:
    """Format a moment in `tz` (Bangkok unless given): ``10 เม.ย. 2570 08:30 น.`` (naive means
    in `tz` already).

    >>> format_datetime(dt.datetime(2027, 4, 10, 1, 30, tzinfo=dt.timezone.utc))
    '10 เม.ย. 2570 08:30 น.'
    """
    if moment.tzinfo is not None:
        moment = moment.astimezone(tz)
    return f"{format_date(moment.date())} {moment:%H:%M} น."


def local_date(moment: dt.datetime | dt.date, tz: dt.tzinfo = BANGKOK) -> dt.date:
    """The day `moment` falls on in `tz` (a stored UTC moment's Bangkok day; a date as it is)."""
    if isinstance(moment, dt.datetime):
        return moment.astimezone(tz).date() if moment.tzinfo is not None else moment.date()
    return moment


def local_datetime(moment: dt.datetime, tz: dt.tzinfo = BANGKOK) -> dt.datetime:
    """`moment` in `tz` without its zone (a spreadsheet cell's time; naive means in `tz`)."""
    return moment.astimezone(tz).replace(tzinfo=None) if moment.tzinfo is not None else moment


# --- numbers: Western digits (as every message and file of the project), thousands separated --

MISSING = "-"


def format_number(value: object, decimals: int = 0, *, missing: str = MISSING) -> str:
    """A number with thousands separators and `decimals` decimals (half up): ``1,234.50``.

    >>> format_number(1234.5, 2), format_number(20000), format_number(None)
    ('1,234.50', '20,000', '-')
    """
    if value is None or value == "":
        return missing
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    quantum = Decimal(1).scaleb(-decimals)
    return f"{number.quantize(quantum, ROUND_HALF_UP):,.{decimals}f}"


def format_score(value: object, *, missing: str = MISSING) -> str:
    """A score with two decimals, cut (never rounded up into the next band): ``79.99``.

    >>> format_score(Decimal("79.99999")), format_score(80), format_score(None)
    ('79.99', '80.00', '-')
    """
    if value is None or value == "":
        return missing
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    return f"{number.quantize(Decimal('0.01'), ROUND_DOWN):,.2f}"


def format_percent(value: object, decimals: int = 2, *, missing: str = MISSING) -> str:
    """A percentage: ``ร้อยละ`` numbers as ``37.50%``.

    >>> format_percent(37.5), format_percent(100, 0)
    ('37.50%', '100%')
    """
    if value is None or value == "":
        return missing
    return f"{format_number(value, decimals)}%"


# --- dates typed by people: dd/mm/yyyy in พ.ศ. (ISO kept for scripts) ------------------------

DATE_INPUT_HINT = "วว/ดด/พ.ศ. เช่น 15/01/2570"
DATETIME_INPUT_HINT = "วว/ดด/พ.ศ. ชช:นน เช่น 15/01/2570 09:00"
_TYPED_DATE = re.compile(r"^\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})"
                         r"(?:\s+(\d{1,2})[:.](\d{2})(?:\s*น\.?)?)?\s*$")
_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::\d{2})?)?\s*$")


class DateInputError(ValueError):
    """A typed date that cannot be read; its message is Thai, for the person who typed it."""


def input_date(day: dt.date | None) -> str:
    """A date as the console's date fields show it: ``15/01/2570``."""
    return "" if day is None else f"{day.day:02d}/{day.month:02d}/{day.year + BE_OFFSET}"


def input_datetime(moment: dt.datetime | None) -> str:
    """A local moment as the console's date-and-time fields show it: ``15/01/2570 09:00``."""
    return "" if moment is None else f"{input_date(moment.date())} {moment:%H:%M}"


def _typed(raw: str, *, with_time: bool) -> tuple[dt.date, dt.time | None]:
    text = thai_digits_to_arabic(raw or "").strip()
    if not text:
        raise DateInputError("กรุณากรอกวันที่")
    match = _TYPED_DATE.match(text)
    iso = None if match else _ISO_DATE.match(text)
    if match:
        day, month, year = (int(match.group(i)) for i in (1, 2, 3))
        if year < 2400:
            raise DateInputError(f"กรุณากรอกปีเป็น พ.ศ. ({DATE_INPUT_HINT})")
        year -= BE_OFFSET
        hour, minute = match.group(4), match.group(5)
    elif iso:  # scripts and tests may send ISO (ค.ศ.)
        year, month, day = (int(iso.group(i)) for i in (1, 2, 3))
        hour, minute = iso.group(4), iso.group(5)
    else:
        hint = DATETIME_INPUT_HINT if with_time else DATE_INPUT_HINT
        raise DateInputError(f"อ่านวันที่ “{raw.strip()[:40]}” ไม่ได้ กรุณากรอกแบบ {hint}")
    try:
        date = dt.date(year, month, day)
    except ValueError:
        raise DateInputError(f"ไม่มีวันที่ {day}/{month}/{year + BE_OFFSET} ในปฏิทิน") from None
    if hour is None:
        return date, None
    if not with_time:
        raise DateInputError(f"กรุณากรอกเฉพาะวันที่ ({DATE_INPUT_HINT})")
    if int(hour) > 23 or int(minute) > 59:
        raise DateInputError(f"เวลา {hour}:{minute} ไม่ถูกต้อง")
    return date, dt.time(int(hour), int(minute))


def parse_input_date(raw: str) -> dt.date:
    """A date typed as ``15/01/2570`` (พ.ศ.; Thai digits too) or ISO ``2027-01-15``.

    >>> parse_input_date("15/01/2570"), parse_input_date("2027-01-15")
    (datetime.date(2027, 1, 15), datetime.date(2027, 1, 15))
    """
    return _typed(raw, with_time=False)[0]


def parse_input_datetime(raw: str) -> dt.datetime:
    """A local moment typed as ``15/01/2570 09:00`` (no time: 00:00) or ISO; naive.

    >>> parse_input_datetime("15/01/2570 9:30")
    datetime.datetime(2027, 1, 15, 9, 30)
    """
    day, time = _typed(raw, with_time=True)
    return dt.datetime.combine(day, time or dt.time())
