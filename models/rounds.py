"""Appraisal rounds on the fiscal calendar, and their named deadlines (data, not code)."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, Integer, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship, selectinload

from models.base import Base

BE_OFFSET = 543  # พ.ศ. = ค.ศ. + 543


class Anchor(StrEnum):
    """What a deadline rule counts from."""

    ROUND_START = "round_start"
    ROUND_END = "round_end"
    FIXED = "fixed"  # a day and month, its first occurrence on or after the round's start


class DeadlineRule(Base):
    """An agency setting: a named deadline in every round (or only round 1 or 2)."""

    __tablename__ = "deadline_rules"
    __table_args__ = (UniqueConstraint("agency_id", "code", "round_no"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    code: Mapped[str] = mapped_column(String(32))
    title_th: Mapped[str] = mapped_column(String(255))
    round_no: Mapped[int | None] = mapped_column(Integer)  # None: both rounds
    anchor: Mapped[str] = mapped_column(String(16), default=Anchor.ROUND_END)
    offset_days: Mapped[int] = mapped_column(Integer, default=0)
    month: Mapped[int | None] = mapped_column(Integer)
    day: Mapped[int | None] = mapped_column(Integer)

    def due_in(self, starts_on: date, ends_on: date) -> date:
        """The day this rule falls on in a round running from `starts_on` to `ends_on`."""
        if self.anchor == Anchor.FIXED:
            if self.month is None or self.day is None:
                raise ValueError(f"deadline {self.code}: a fixed deadline needs a day and month")
            due = date(starts_on.year, self.month, self.day)
            return due if due >= starts_on else date(starts_on.year + 1, self.month, self.day)
        base = starts_on if self.anchor == Anchor.ROUND_START else ends_on
        return base + timedelta(days=self.offset_days)


class Round(Base):
    """รอบการประเมิน: round 1 is 1 Oct – 31 Mar, round 2 is 1 Apr – 30 Sep; fiscal year in BE."""

    __tablename__ = "rounds"
    __table_args__ = (UniqueConstraint("agency_id", "fiscal_year", "round_no"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    fiscal_year: Mapped[int] = mapped_column(Integer)  # BE, e.g. 2570
    round_no: Mapped[int] = mapped_column(Integer)  # 1 or 2
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    closed_at: Mapped[datetime | None]

    deadlines: Mapped[list[RoundDeadline]] = relationship(
        back_populates="round", order_by="RoundDeadline.due_on", cascade="all, delete-orphan")

    @property
    def title_th(self) -> str:
        return f"รอบที่ {self.round_no}/{self.fiscal_year}"


class RoundDeadline(Base):
    """A deadline of one round, materialised from the agency's rules (HR may move it)."""

    __tablename__ = "round_deadlines"
    __table_args__ = (UniqueConstraint("round_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"), index=True)
    code: Mapped[str] = mapped_column(String(32))
    title_th: Mapped[str] = mapped_column(String(255))
    due_on: Mapped[date] = mapped_column(Date)

    round: Mapped[Round] = relationship(back_populates="deadlines")


def round_dates(fiscal_year_be: int, round_no: int) -> tuple[date, date]:
    """First and last day of a round: FY 2570 round 1 is 2026-10-01 – 2027-03-31."""
    if round_no not in (1, 2):
        raise ValueError(f"round must be 1 or 2, not {round_no}")
    year_ce = fiscal_year_be - BE_OFFSET
    if round_no == 1:
        return date(year_ce - 1, 10, 1), date(year_ce, 3, 31)
    return date(year_ce, 4, 1), date(year_ce, 9, 30)


def round_of(day: date) -> tuple[int, int]:
    """(fiscal year in BE, round number) that `day` falls in."""
    if day.month >= 10:
        return day.year + 1 + BE_OFFSET, 1
    return day.year + BE_OFFSET, 1 if day.month <= 3 else 2


DEFAULT_DEADLINES: tuple[dict[str, object], ...] = (
    {"code": "agreement", "title_th": "ลงนามข้อตกลงตัวชี้วัด", "anchor": Anchor.ROUND_START,
     "offset_days": 30},
    {"code": "progress", "title_th": "รายงานความก้าวหน้า", "anchor": Anchor.ROUND_END,
     "offset_days": -30},
    {"code": "confirmation", "title_th": "พี่เลี้ยง/ผู้สอนงานรับรองผล", "anchor": Anchor.ROUND_END,
     "offset_days": -15},
    # Seed 000: copies of the HiPPS report to HR by 10 April (round 1) and 10 October (round 2).
    {"code": "hipps_copy", "title_th": "ส่งสำเนาแบบรายงาน HiPPS ให้ HR", "round_no": 1,
     "anchor": Anchor.FIXED, "month": 4, "day": 10},
    {"code": "hipps_copy", "title_th": "ส่งสำเนาแบบรายงาน HiPPS ให้ HR", "round_no": 2,
     "anchor": Anchor.FIXED, "month": 10, "day": 10},
)


def add_default_deadline_rules(session: Session, agency_id: int) -> None:
    """Give a new agency the default deadlines (HR edits them afterwards)."""
    for rule in DEFAULT_DEADLINES:
        session.add(DeadlineRule(agency_id=agency_id, **rule))


def open_round(session: Session, agency_id: int, fiscal_year: int, round_no: int) -> Round:
    """The round, created with its deadlines from the agency's rules if it is not there yet."""
    existing = session.scalars(select(Round).where(
        Round.agency_id == agency_id, Round.fiscal_year == fiscal_year,
        Round.round_no == round_no)).first()
    if existing is not None:
        return existing
    starts_on, ends_on = round_dates(fiscal_year, round_no)
    round_ = Round(agency_id=agency_id, fiscal_year=fiscal_year, round_no=round_no,
                   starts_on=starts_on, ends_on=ends_on)
    rules = session.scalars(select(DeadlineRule).where(DeadlineRule.agency_id == agency_id)).all()
    for rule in rules:
        if rule.round_no in (None, round_no):
            round_.deadlines.append(RoundDeadline(code=rule.code, title_th=rule.title_th,
                                                  due_on=rule.due_in(starts_on, ends_on)))
    session.add(round_)
    session.flush()
    return round_


def current_round(session: Session, agency_id: int, today: date, *,
                  with_deadlines: bool = False) -> Round | None:
    """The agency's round that contains `today`, if it has been opened (one query)."""
    fiscal_year, round_no = round_of(today)
    query = select(Round).where(Round.agency_id == agency_id, Round.fiscal_year == fiscal_year,
                                Round.round_no == round_no)
    if with_deadlines:
        query = query.options(selectinload(Round.deadlines))
    return session.scalars(query).first()
