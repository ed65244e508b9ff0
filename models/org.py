"""The agency, its units and its staff, and who holds which role."""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, utcnow


class Role(StrEnum):
    """What a staff member does in the bot, besides being an officer."""

    HR_ADMIN = "hr_admin"
    MENTOR = "mentor"  # พี่เลี้ยง
    COACH = "coach"  # ผู้สอนงาน
    SUPERVISOR = "supervisor"  # ผู้บังคับบัญชา / ผู้ประเมิน


ROLE_NAMES_TH: dict[str, str] = {
    "officer": "ข้าราชการ",
    Role.HR_ADMIN: "เจ้าหน้าที่ HR",
    Role.MENTOR: "พี่เลี้ยง",
    Role.COACH: "ผู้สอนงาน",
    Role.SUPERVISOR: "ผู้บังคับบัญชา",
}


class Agency(Base):
    __tablename__ = "agencies"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name_th: Mapped[str] = mapped_column(String(255))

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
    is_hipps: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    unit: Mapped[Unit | None] = relationship()
    roles: Mapped[list[RoleAssignment]] = relationship(
        back_populates="staff", foreign_keys="RoleAssignment.staff_id")


class RoleAssignment(Base):
    """A role held by a staff member; for mentor/coach/supervisor, over one officer."""

    __tablename__ = "role_assignments"
    __table_args__ = (UniqueConstraint("staff_id", "role", "officer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    role: Mapped[str] = mapped_column(String(32))
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)

    staff: Mapped[Staff] = relationship(back_populates="roles", foreign_keys=[staff_id])
    officer: Mapped[Staff | None] = relationship(foreign_keys=[officer_id])
