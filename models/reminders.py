"""Reminders: the agency's policy, each reminder (unique per person, deadline, kind and day),
the one push per person per day that carries them, snoozes, items marked done, and the LINE
channel's delivery state (quota, pause)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, tzinfo
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.base import Base, utcnow
from models.calendar import OfficeCalendar
from models.org import Agency


class ReminderKind(StrEnum):
    BEFORE = "before"  # N office days ahead
    DUE_DAY = "due_day"  # the morning of the deadline (its last office day)
    OVERDUE = "overdue"  # every few office days after it, a few times
    DIGEST = "digest"  # the supervisor's list of who is still overdue
    SNOOZED = "snoozed"  # the reminder the person postponed to this office day
    CARD = "card"  # a report waiting for this confirmer, shown in the day's digest
    NOTICE = "notice"  # a held notice that went in the day's push


URGENT_KINDS = (ReminderKind.DUE_DAY, ReminderKind.OVERDUE, ReminderKind.DIGEST)


class ReminderPolicy(Base):
    """An agency's reminder settings (no row: the defaults below)."""

    __tablename__ = "reminder_policies"

    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), primary_key=True)
    before_days: Mapped[list[int]] = mapped_column(JSON, default=lambda: [7, 3, 1])
    on_the_day: Mapped[bool] = mapped_column(Boolean, default=True)
    overdue_every: Mapped[int] = mapped_column(Integer, default=2)  # office days
    overdue_times: Mapped[int] = mapped_column(Integer, default=3)
    digest_to_supervisor: Mapped[bool] = mapped_column(Boolean, default=True)
    waiting_days: Mapped[int] = mapped_column(Integer, default=3)  # reports waiting for carers
    office_start: Mapped[str] = mapped_column(String(5), default="08:30")
    office_end: Mapped[str] = mapped_column(String(5), default="18:00")
    low_quota_percent: Mapped[int] = mapped_column(Integer, default=10)


@dataclass(frozen=True)
class Policy:
    """The policy as the planner uses it (plain values)."""

    before_days: tuple[int, ...] = (7, 3, 1)
    on_the_day: bool = True
    overdue_every: int = 2
    overdue_times: int = 3
    digest_to_supervisor: bool = True
    waiting_days: int = 3
    office_start: time = time(8, 30)
    office_end: time = time(18, 0)
    low_quota_percent: int = 10

    @classmethod
    def of(cls, row: ReminderPolicy | None) -> Policy:
        if row is None:
            return cls()
        return cls(before_days=tuple(sorted({int(d) for d in row.before_days if int(d) > 0},
                                            reverse=True)),
                   on_the_day=row.on_the_day, overdue_every=max(1, row.overdue_every),
                   overdue_times=max(0, row.overdue_times),
                   digest_to_supervisor=row.digest_to_supervisor,
                   waiting_days=max(0, row.waiting_days),
                   office_start=time.fromisoformat(row.office_start),
                   office_end=time.fromisoformat(row.office_end),
                   low_quota_percent=row.low_quota_percent)

    def in_office_hours(self, moment: datetime) -> bool:
        return self.office_start <= moment.timetz().replace(tzinfo=None) < self.office_end


POLICY_FIELDS = ("before_days", "on_the_day", "overdue_every", "overdue_times",
                 "digest_to_supervisor", "waiting_days", "office_start", "office_end",
                 "low_quota_percent")


def load_policy(session: Session, agency_id: int) -> Policy:
    return Policy.of(session.get(ReminderPolicy, agency_id))


def set_policy(session: Session, agency_id: int, *, by_staff_id: int | None = None,
               **changes: Any) -> Policy:
    """Change an agency's reminder policy (checked, audited); returns the new policy.

    Raises ValueError with a Thai message for an unknown field or a value out of range.
    """
    from models.audit import audit

    unknown = set(changes) - set(POLICY_FIELDS)
    if unknown:
        raise ValueError("ไม่รู้จักค่า: " + ", ".join(sorted(unknown)))
    row = session.get(ReminderPolicy, agency_id)
    if row is None:
        defaults = Policy()
        row = ReminderPolicy(agency_id=agency_id, before_days=list(defaults.before_days),
                             on_the_day=True, overdue_every=2, overdue_times=3,
                             digest_to_supervisor=True, waiting_days=3, office_start="08:30",
                             office_end="18:00", low_quota_percent=10)
        session.add(row)
    before = {name: getattr(row, name) for name in POLICY_FIELDS}
    for name, value in changes.items():
        setattr(row, name, value)
    try:
        policy = Policy.of(row)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"ค่าการเตือนไม่ถูกต้อง: {exc}") from exc
    if not (policy.office_start < policy.office_end and 0 <= policy.low_quota_percent <= 100
            and all(0 < d <= 60 for d in policy.before_days) and row.overdue_every >= 1
            and 0 <= row.overdue_times <= 20):
        raise ValueError("ค่าการเตือนไม่ถูกต้อง: เวลาเริ่มต้องก่อนเวลาเลิก วันล่วงหน้า 1–60 วัน "
                         "เตือนซ้ำทุก 1 วันขึ้นไป ไม่เกิน 20 ครั้ง และโควตา 0–100%")
    session.flush()
    audit(session, "reminder_policy.changed", actor_staff_id=by_staff_id,
          subject=f"agency:{agency_id}", before={k: str(v) for k, v in before.items()},
          after={k: str(getattr(row, k)) for k in POLICY_FIELDS})
    return policy


class PushStatus(StrEnum):
    QUEUED = "queued"  # in the outbox
    REPLIED = "replied"  # rode on a reply instead of a push
    WITHDRAWN = "withdrawn"  # every item was done before it could be sent


class ReminderPush(Base):
    """The one reminder message a person gets on a day (several due items in one message)."""

    __tablename__ = "reminder_pushes"
    __table_args__ = (UniqueConstraint("staff_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    day: Mapped[date] = mapped_column(Date)
    user_id: Mapped[str] = mapped_column(String(64), index=True)
    outbox_id: Mapped[int | None] = mapped_column(ForeignKey("outbox_messages.id"), index=True)
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(16), default=PushStatus.QUEUED)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Reminder(Base):
    """One reminder of one deadline to one person on one day: the unique key makes a second
    clock, a restart or a replay a no-op."""

    __tablename__ = "reminders"
    __table_args__ = (UniqueConstraint("staff_id", "deadline_key", "kind", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    deadline_key: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(16))
    day: Mapped[date] = mapped_column(Date, index=True)
    title: Mapped[str] = mapped_column(String(500))
    due: Mapped[date] = mapped_column(Date)
    push_id: Mapped[int | None] = mapped_column(ForeignKey("reminder_pushes.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ReminderSnooze(Base):
    """"เตือนพรุ่งนี้": the person's reminder of this deadline moves to `until`."""

    __tablename__ = "reminder_snoozes"
    __table_args__ = (UniqueConstraint("staff_id", "deadline_key", "until"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    deadline_key: Mapped[str] = mapped_column(String(100))
    snoozed_on: Mapped[date] = mapped_column(Date)
    until: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class DeadlineCompletion(Base):
    """A deadline HR marked done for a person when the bot has no record of it (e.g. the HiPPS
    report copy handed in on paper): its reminders stop."""

    __tablename__ = "deadline_completions"
    __table_args__ = (UniqueConstraint("staff_id", "deadline_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    deadline_key: Mapped[str] = mapped_column(String(100))
    by_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    done_at: Mapped[datetime] = mapped_column(default=utcnow)


class ChannelState(Base):
    """The LINE channel as the delivery worker last saw it (one row, id 1)."""

    __tablename__ = "line_channel_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    quota_limit: Mapped[int | None] = mapped_column(Integer)  # None: unlimited
    quota_used: Mapped[int | None] = mapped_column(Integer)
    quota_checked_at: Mapped[datetime | None]
    low_quota: Mapped[bool] = mapped_column(Boolean, default=False)
    pushes_paused_until: Mapped[datetime | None]
    pause_reason: Mapped[str] = mapped_column(Text, default="")
    hr_alerted_on: Mapped[date | None] = mapped_column(Date)  # the day HR was last told


def channel_state(session: Session) -> ChannelState:
    state = session.get(ChannelState, 1)
    if state is None:
        state = ChannelState(id=1, low_quota=False, pause_reason="")
        session.add(state)
        session.flush()
    return state


def office_window(session: Session, now: datetime, tz: tzinfo) -> bool:
    """Whether `now` is inside office hours on an office day in `tz` (the first agency's
    policy and calendar)."""
    local = now.astimezone(tz)
    agency = session.scalar(select(Agency.id).order_by(Agency.id).limit(1))
    if not OfficeCalendar.load(session, agency).is_office_day(local.date()):
        return False
    policy = load_policy(session, agency) if agency is not None else Policy()
    return policy.in_office_hours(local)
