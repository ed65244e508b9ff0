"""The agency, its units and its staff, and who holds which role."""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
    or_,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from models.base import Base, utcnow


class Role(StrEnum):
    """What a staff member does in the bot, besides being an officer."""

    HR_ADMIN = "hr_admin"
    MENTOR = "mentor"  # พี่เลี้ยง
    COACH = "coach"  # ผู้สอนงาน
    SUPERVISOR = "supervisor"  # ผู้บังคับบัญชา / ผู้ประเมิน


class PositionType(StrEnum):
    """ประเภทตำแหน่ง: decides whether the managerial competencies apply."""

    GENERAL = "ทั่วไป"
    ACADEMIC = "วิชาการ"
    DIRECTOR = "อำนวยการ"
    EXECUTIVE = "บริหาร"


ROLE_NAMES_TH: dict[str, str] = {
    "officer": "ข้าราชการ",
    Role.HR_ADMIN: "เจ้าหน้าที่ HR",
    Role.MENTOR: "พี่เลี้ยง",
    Role.COACH: "ผู้สอนงาน",
    Role.SUPERVISOR: "ผู้บังคับบัญชา",
}


class Agency(Base):
    """The agency and its settings (deadlines live in `DeadlineRule`, as data)."""

    __tablename__ = "agencies"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name_th: Mapped[str] = mapped_column(String(255))
    # The overall score mixes achievement and competencies (OCSC norm: at least 70 / at most 30).
    achievement_weight: Mapped[int] = mapped_column(Integer, default=70)
    competency_weight: Mapped[int] = mapped_column(Integer, default=30)
    officers_see_scores: Mapped[bool] = mapped_column(Boolean, default=True)
    # The supervisor (evaluator) confirms everyone's reports, mentors and coaches or not.
    supervisor_confirms: Mapped[bool] = mapped_column(Boolean, default=False)

    units: Mapped[list[Unit]] = relationship(back_populates="agency")


class Unit(Base):
    """กอง / ศูนย์ / กลุ่ม: a tree under the agency."""

    __tablename__ = "units"
    __table_args__ = (UniqueConstraint("agency_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    code: Mapped[str] = mapped_column(String(32))
    name_th: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(16), default="กอง")  # กอง / ศูนย์ / กลุ่ม

    agency: Mapped[Agency] = relationship(back_populates="units")


class Staff(Base):
    __tablename__ = "staff"
    __table_args__ = (UniqueConstraint("agency_id", "staff_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    staff_code: Mapped[str] = mapped_column(String(32))
    name_th: Mapped[str] = mapped_column(String(255))
    position: Mapped[str] = mapped_column(String(255), default="")
    level: Mapped[str] = mapped_column(String(64), default="")  # ระดับ: ปฏิบัติการ, ชำนาญการ, …
    position_type: Mapped[str] = mapped_column(String(16), default=PositionType.GENERAL)
    supervisor_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    is_hipps: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)  # False: has left the agency
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    unit: Mapped[Unit | None] = relationship()
    supervisor: Mapped[Staff | None] = relationship(remote_side=[id])
    roles: Mapped[list[RoleAssignment]] = relationship(
        back_populates="staff", foreign_keys="RoleAssignment.staff_id")


class RoleAssignment(Base):
    """A role held by a staff member: HR admin for the agency, or mentor/coach/supervisor of
    one officer, for one round (`round_id`) or for every round (None)."""

    __tablename__ = "role_assignments"
    __table_args__ = (UniqueConstraint("staff_id", "role", "officer_id", "round_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    role: Mapped[str] = mapped_column(String(32))
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    round_id: Mapped[int | None] = mapped_column(ForeignKey("rounds.id"), index=True)

    staff: Mapped[Staff] = relationship(back_populates="roles", foreign_keys=[staff_id])
    officer: Mapped[Staff | None] = relationship(foreign_keys=[officer_id])


def carer_ids(session: Session, officer_id: int, role: str, round_id: int | None) -> set[int]:
    """Staff ids holding `role` over the officer for this round (or for every round).

    For the supervisor role the officer's own `supervisor_id` counts too.
    """
    ids = set(session.scalars(select(RoleAssignment.staff_id).where(
        RoleAssignment.officer_id == officer_id, RoleAssignment.role == role,
        or_(RoleAssignment.round_id.is_(None), RoleAssignment.round_id == round_id))))
    if role == Role.SUPERVISOR:
        supervisor = session.scalar(select(Staff.supervisor_id).where(Staff.id == officer_id))
        if supervisor is not None:
            ids.add(supervisor)
    return ids


def officers_in_care(session: Session, carer_id: int,
                     round_id: int | None) -> list[tuple[str, Staff]]:
    """(role, officer) for everyone this mentor/coach/supervisor looks after, by name.

    Supervision comes from role assignments and from the officers' own `supervisor_id`.
    """
    rows = session.execute(
        select(RoleAssignment.role, Staff)
        .join(Staff, Staff.id == RoleAssignment.officer_id)
        .where(RoleAssignment.staff_id == carer_id,
               RoleAssignment.role.in_([Role.MENTOR, Role.COACH, Role.SUPERVISOR]),
               or_(RoleAssignment.round_id.is_(None), RoleAssignment.round_id == round_id),
               Staff.active.is_(True))).all()
    pairs = {(str(role), staff.id): staff for role, staff in rows}
    for staff in session.scalars(select(Staff).where(Staff.supervisor_id == carer_id,
                                                     Staff.active.is_(True))):
        pairs.setdefault((str(Role.SUPERVISOR), staff.id), staff)
    return sorted(((role, staff) for (role, _), staff in pairs.items()),
                  key=lambda pair: (pair[1].name_th, pair[0]))


def hr_admin_ids(session: Session, agency_id: int) -> list[int]:
    """The agency's active HR administrators (the agency-wide role, as `announcing.is_hr`)."""
    return list(session.scalars(select(RoleAssignment.staff_id).join(
        Staff, Staff.id == RoleAssignment.staff_id).where(
        RoleAssignment.role == Role.HR_ADMIN, RoleAssignment.officer_id.is_(None),
        Staff.agency_id == agency_id, Staff.active.is_(True))))


def is_hr(session: Session, staff: Staff | None) -> bool:
    """Whether the person holds the agency-wide HR admin role (checked in the database)."""
    if staff is None or not staff.active:
        return False
    return session.scalars(select(RoleAssignment.id).where(
        RoleAssignment.staff_id == staff.id, RoleAssignment.role == Role.HR_ADMIN,
        RoleAssignment.officer_id.is_(None))).first() is not None
