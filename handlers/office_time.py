"""When office hours next begin: what an announcement held outside them waits for, and the office
day offered instead of a day off."""
from __future__ import annotations

from datetime import date, datetime, tzinfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Agency
from models.calendar import OfficeCalendar
from models.reminders import Policy, load_policy


def agency_policy(session: Session, agency_id: int | None = None) -> Policy:
    """The agency's reminder policy (its office hours); the first agency's when not given."""
    if agency_id is None:
        agency_id = session.scalar(select(Agency.id).order_by(Agency.id).limit(1))
    return load_policy(session, agency_id) if agency_id is not None else Policy()


def office_start_after(session: Session, moment: datetime, tz: tzinfo,
                       agency_id: int | None = None) -> datetime:
    """`moment` itself when it is inside office hours on an office day, else when they next
    begin (08:30 by default on the next office day)."""
    local = moment.astimezone(tz)
    if agency_id is None:
        agency_id = session.scalar(select(Agency.id).order_by(Agency.id).limit(1))
    calendar = OfficeCalendar.load(session, agency_id)
    policy = agency_policy(session, agency_id)
    day = local.date()
    if calendar.is_office_day(day):
        if policy.in_office_hours(local):
            return moment
        if local.timetz().replace(tzinfo=None) < policy.office_start:
            return datetime.combine(day, policy.office_start, tz)
    return datetime.combine(calendar.next_office_day(day), policy.office_start, tz)


def is_office_day(session: Session, day: date, agency_id: int) -> bool:
    """Monday to Friday, except Thai public holidays and the agency's HR overrides."""
    return OfficeCalendar.load(session, agency_id).is_office_day(day)


def next_office_day(session: Session, day: date, agency_id: int) -> date:
    """The first office day after `day` on the agency's calendar."""
    return OfficeCalendar.load(session, agency_id).next_office_day(day)
