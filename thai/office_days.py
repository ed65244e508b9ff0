"""Office days for "อีก N วันทำการ": Monday to Friday less Thai public and government holidays.

The same calendar as the app's (``holidays``, Thailand, categories public and
government, which include substitution and bridge days), read directly: this
package imports nothing from the app. Days HR adds or takes back by hand are
the app's business, not the reader's.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

HOLIDAY_CATEGORIES: tuple[str, ...] = ("public", "government")
# Years the holiday tables are asked about; outside them only weekends count
# (the reader is total on any date, 1 AD included).
FIRST_YEAR: int = 1941
LAST_YEAR: int = 2200
# "อีก N วันทำการ" beyond this many office days (about four years) is no date.
MAX_OFFICE_DAYS: int = 1000


@lru_cache(maxsize=32)
def _holidays(year: int) -> frozenset[date]:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return frozenset()
    import holidays  # ~0.1 s to import: only when office days are counted

    return frozenset(holidays.country_holidays("TH", years=year, categories=HOLIDAY_CATEGORIES))


def is_office_day(day: date) -> bool:
    """Monday to Friday and not a Thai public or government holiday.

    >>> is_office_day(date(2026, 4, 6)), is_office_day(date(2026, 4, 7))  # Chakri Day, a Tuesday
    (False, True)
    """
    return day.weekday() < 5 and day not in _holidays(day.year)


def add_office_days(today: date, n: int) -> date | None:
    """The ``n``-th office day after today (None past :data:`MAX_OFFICE_DAYS` or the calendar).

    >>> add_office_days(date(2026, 4, 1), 3)  # Thu 2, Fri 3, (Chakri Day Mon 6), Tue 7
    datetime.date(2026, 4, 7)
    """
    if not 0 <= n <= MAX_OFFICE_DAYS:
        return None
    day = today
    try:
        while n > 0:
            day += timedelta(days=1)
            if is_office_day(day):
                n -= 1
    except OverflowError:
        return None
    return day


def warm_up() -> None:
    """Read this year's and next year's holidays now (the first table costs ~0.1 s)."""
    this_year = date.today().year
    _holidays(this_year)
    _holidays(this_year + 1)
