"""Office days: Monday–Friday less Thai public holidays, plus the days HR overrides.

Holidays come from the maintained `holidays` package (Thailand, categories public and government,
which include substitution and bridge days). HR adds what the cabinet announces late (or takes
back a day) in `CalendarOverride`, for their own agency only. All days are Bangkok dates.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from functools import lru_cache

import holidays
from sqlalchemy import Boolean, Date, ForeignKey, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.audit import audit
from models.base import Base, utcnow

HOLIDAY_CATEGORIES = ("public", "government")


class CalendarOverride(Base):
    """One day an agency's HR declared an office day (`office_day` True) or a day off (False)."""

    __tablename__ = "calendar_overrides"

    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    office_day: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str] = mapped_column(String(255), default="")
    by_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


@lru_cache(maxsize=64)
def _thai_holidays(year: int) -> dict[date, str]:
    # Thai names ("ชดเชยวันมาฆบูชา"), as HR reads them; the names are never stored
    return dict(holidays.country_holidays("TH", years=year, categories=HOLIDAY_CATEGORIES,
                                          language="th"))


def public_holiday(day: date) -> str | None:
    """The holiday's name, if `day` is a Thai public or government holiday."""
    return _thai_holidays(day.year).get(day)


class OfficeCalendar:
    """Office-day arithmetic with a fixed set of overrides (load once per job with `load`)."""

    def __init__(self, overrides: dict[date, bool] | None = None) -> None:
        self.overrides = dict(overrides or {})
        self._cache: dict[date, bool] = {}

    @classmethod
    def load(cls, session: Session, agency_id: int | None) -> OfficeCalendar:
        """The agency's calendar (None: Thai holidays only, no agency's overrides)."""
        rows = session.execute(select(CalendarOverride.day, CalendarOverride.office_day).where(
            CalendarOverride.agency_id == agency_id)).all() if agency_id is not None else []
        return cls({day: bool(office) for day, office in rows})

    @classmethod
    def load_all(cls, session: Session) -> dict[int, OfficeCalendar]:
        """Every agency's calendar, in one query (agencies without overrides are missing:
        use `cls()` for them)."""
        by_agency: dict[int, dict[date, bool]] = {}
        for agency_id, day, office in session.execute(select(
                CalendarOverride.agency_id, CalendarOverride.day, CalendarOverride.office_day)):
            by_agency.setdefault(agency_id, {})[day] = bool(office)
        return {agency_id: cls(days) for agency_id, days in by_agency.items()}

    def is_office_day(self, day: date) -> bool:
        known = self._cache.get(day)
        if known is not None:
            return known
        if day in self.overrides:
            result = self.overrides[day]
        else:
            result = day.weekday() < 5 and public_holiday(day) is None
        self._cache[day] = result
        return result

    def next_office_day(self, day: date) -> date:
        """The first office day strictly after `day`."""
        day += timedelta(days=1)
        while not self.is_office_day(day):
            day += timedelta(days=1)
        return day

    def previous_office_day(self, day: date) -> date:
        """The last office day strictly before `day`."""
        day -= timedelta(days=1)
        while not self.is_office_day(day):
            day -= timedelta(days=1)
        return day

    def on_or_before(self, day: date) -> date:
        return day if self.is_office_day(day) else self.previous_office_day(day)

    def add_office_days(self, day: date, count: int) -> date:
        """`count` office days after `day` (before it when negative)."""
        step = self.next_office_day if count >= 0 else self.previous_office_day
        for _ in range(abs(count)):
            day = step(day)
        return day

    def office_days_between(self, start: date, end: date) -> int:
        """Office days d with start < d <= end (negative when end is before start)."""
        if end < start:
            return -self.office_days_between(end, start)
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            count += self.is_office_day(day)
        return count

    def office_days(self, start: date, end: date) -> list[date]:
        """Every office day from `start` to `end`, both included."""
        days, day = [], start
        while day <= end:
            if self.is_office_day(day):
                days.append(day)
            day += timedelta(days=1)
        return days


# --- what HR (CLI now, web console later) calls ----------------------------------------------

def set_override(session: Session, day: date, office_day: bool, note: str = "", *,
                 agency_id: int, by_staff_id: int | None = None) -> CalendarOverride:
    """Declare `day` an office day or a day off for the agency (replacing any earlier
    override); audited."""
    row = session.get(CalendarOverride, (agency_id, day))
    before = None if row is None else row.office_day
    if row is None:
        row = CalendarOverride(agency_id=agency_id, day=day, office_day=office_day, note=note,
                               by_staff_id=by_staff_id)
        session.add(row)
    else:
        row.office_day, row.note, row.by_staff_id = office_day, note, by_staff_id
    session.flush()
    audit(session, "calendar.override", actor_staff_id=by_staff_id,
          subject=f"day:{day.isoformat()}", office_day=office_day, before=before, note=note,
          agency_id=agency_id)
    return row


def remove_override(session: Session, day: date, *, agency_id: int,
                    by_staff_id: int | None = None) -> bool:
    """Forget the agency's override of `day` (the holiday package decides again); False if
    none."""
    row = session.get(CalendarOverride, (agency_id, day))
    if row is None:
        return False
    audit(session, "calendar.override_removed", actor_staff_id=by_staff_id,
          subject=f"day:{day.isoformat()}", office_day=row.office_day, note=row.note,
          agency_id=agency_id)
    session.delete(row)
    session.flush()
    return True


def list_overrides(session: Session, agency_id: int) -> list[CalendarOverride]:
    return list(session.scalars(select(CalendarOverride).where(
        CalendarOverride.agency_id == agency_id).order_by(CalendarOverride.day)))


def describe_days(session: Session, start: date, end: date, *,
                  agency_id: int | None) -> Iterable[tuple[date, bool, str]]:
    """(day, office day?, why) for each day from `start` to `end`: for HR's calendar view."""
    calendar = OfficeCalendar.load(session, agency_id)
    notes = ({row.day: row.note for row in list_overrides(session, agency_id)}
             if agency_id is not None else {})
    day = start
    while day <= end:
        office = calendar.is_office_day(day)
        if day in calendar.overrides:
            why = "HR: " + (notes.get(day) or ("วันทำการ" if office else "วันหยุด"))
        elif public_holiday(day):
            why = str(public_holiday(day))
        elif day.weekday() >= 5:
            why = "เสาร์-อาทิตย์"
        else:
            why = ""
        yield day, office, why
        day += timedelta(days=1)
