"""HiPPS (seed 000): the key project with its milestones, and the round report that the
mentor and the coach both certify before copies go to HR (10 April / 10 October).

The report's content is assembled when the officer submits it and frozen in `content` (JSON);
every resubmission is a new `version`, and a certification names the version it certified, so
a card for an older version is refused.
"""
from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, utcnow

HIPPS_FORM_TITLE = "แบบรายงานการปฏิบัติงานของข้าราชการผู้มีผลสัมฤทธิ์สูง"


class MilestoneStatus(StrEnum):
    PLANNED = "planned"
    DONE = "done"


class KeyProject(Base):
    """โครงการสำคัญ of a HiPPS officer in a round."""

    __tablename__ = "key_projects"

    id: Mapped[int] = mapped_column(primary_key=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"), index=True)
    title: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    milestones: Mapped[list[Milestone]] = relationship(order_by="Milestone.number",
                                                       cascade="all, delete-orphan")


class Milestone(Base):
    __tablename__ = "key_project_milestones"
    __table_args__ = (UniqueConstraint("project_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("key_projects.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(500))
    due_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default=MilestoneStatus.PLANNED)
    done_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")


class HippsStatus(StrEnum):
    SUBMITTED = "submitted"  # waiting for the mentor and the coach
    CERTIFIED = "certified"  # by both
    SENT_BACK = "sent_back"  # the mentor or the coach returned it with a comment


class HippsReport(Base):
    """แบบรายงานการปฏิบัติงานของข้าราชการผู้มีผลสัมฤทธิ์สูง, one per officer per round."""

    __tablename__ = "hipps_reports"
    __table_args__ = (UniqueConstraint("officer_id", "round_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    content: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(16), default=HippsStatus.SUBMITTED, index=True)
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    certified_at: Mapped[datetime | None]
    copies_sent_at: Mapped[datetime | None]  # the officer says the copies went to HR


class HippsCertification(Base):
    """The mentor's or the coach's รับรองผล of one version."""

    __tablename__ = "hipps_certifications"
    __table_args__ = (UniqueConstraint("report_id", "version", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("hipps_reports.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    role: Mapped[str] = mapped_column(String(32))
    certifier_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
