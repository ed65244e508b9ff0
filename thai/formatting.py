"""The reverse direction, for the bot's own messages: dates in Thai with Buddhist Era years."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

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


def format_datetime(moment: dt.datetime, tz: dt.tzinfo = BANGKOK) -> str:
    """Format a moment in `tz` (Bangkok unless given): ``10 เม.ย. 2570 08:30 น.`` (naive means
    in `tz` already).

    >>> format_datetime(dt.datetime(2027, 4, 10, 1, 30, tzinfo=dt.timezone.utc))
    '10 เม.ย. 2570 08:30 น.'
    """
    if moment.tzinfo is not None:
        moment = moment.astimezone(tz)
    return f"{format_date(moment.date())} {moment:%H:%M} น."
