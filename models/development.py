"""Individual development plans (IDP, แผนพัฒนารายบุคคล) and the development survey (seed 004).

An officer has at most one IDP per fiscal year; its items name what to develop, the method (the
lists of seeds 001 and 002), a target date and a status. Check-ins record progress from the
chat, optionally with a finished-training report (ProgressReport kind "development") as
evidence. A low performer's IDP is mandatory and linked to the case.
"""
from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from models.audit import audit
from models.base import Base, utcnow
from models.org import Staff
from models.progress import ProgressReport, ReportKind, ReportStatus
from models.rounds import round_dates, round_of

# Development methods: seed 001 (๒.๑–๒.๔ training, e-learning, hands-on assignment, mentor) and
# seed 002 (career-path tools). code → (Thai name, short label for a quick reply).
IDP_METHODS: dict[str, tuple[str, str]] = {
    "training": ("การฝึกอบรม/ประชุมสัมมนา", "ฝึกอบรม"),
    "elearning": ("การเรียนรู้ด้วยตนเองผ่านระบบคอมพิวเตอร์ (e-Learning)", "e-Learning"),
    "assignment": ("การมอบหมายงาน (Job Assignment)", "มอบหมายงาน"),
    "rotation": ("การสลับเปลี่ยนหมุนเวียนงาน (Job Rotation)", "หมุนเวียนงาน"),
    "redesign": ("การเปลี่ยนแปลงตำแหน่งหน้าที่ (Job Redesign)", "Job Redesign"),
    "discussion": ("การแลกเปลี่ยนความรู้ (Discussion Groups)", "แลกเปลี่ยนความรู้"),
    "acting": ("การรักษาการในตำแหน่ง (Acting Assignments)", "รักษาการในตำแหน่ง"),
    "committee": ("การเข้าร่วมปฏิบัติงานในคณะทำงานหรือคณะกรรมการต่าง ๆ "
                  "(Committee/Task Force Participation)", "คณะทำงาน"),
    "secondment": ("การส่งไปปฏิบัติงานในองค์กรอื่น ๆ (Professional Organization)",
                   "ไปปฏิบัติงานที่อื่น"),
    "self_study": ("การศึกษาหาความรู้ด้วยตนเองจากหนังสือ", "ศึกษาจากหนังสือ"),
    "mentoring": ("การจัดพี่เลี้ยงผู้ชำนาญการ (Coaching/Mentoring)", "มีพี่เลี้ยงสอนงาน"),
}


class ItemStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"


ITEM_STATUS_TH = {ItemStatus.PLANNED: "ยังไม่เริ่ม", ItemStatus.IN_PROGRESS: "กำลังดำเนินการ",
                  ItemStatus.DONE: "เสร็จแล้ว"}
ACTING = (ItemStatus.IN_PROGRESS, ItemStatus.DONE)


class Idp(Base):
    __tablename__ = "idps"
    __table_args__ = (UniqueConstraint("officer_id", "fiscal_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    fiscal_year: Mapped[int] = mapped_column(Integer)  # BE
    mandatory: Mapped[bool] = mapped_column(default=False)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("low_performer_cases.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    items: Mapped[list[IdpItem]] = relationship(order_by="IdpItem.id", back_populates="idp",
                                                cascade="all, delete-orphan")


class IdpItem(Base):
    __tablename__ = "idp_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    idp_id: Mapped[int] = mapped_column(ForeignKey("idps.id"), index=True)
    topic: Mapped[str] = mapped_column(String(255))  # the competency or skill to develop
    method: Mapped[str] = mapped_column(String(32))  # a key of IDP_METHODS
    target_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default=ItemStatus.PLANNED, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    idp: Mapped[Idp] = relationship(back_populates="items")
    checkins: Mapped[list[IdpCheckin]] = relationship(order_by="IdpCheckin.id",
                                                      cascade="all, delete-orphan")


class IdpCheckin(Base):
    """The officer's word on an item: its status now, a note, maybe a training report."""

    __tablename__ = "idp_checkins"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("idp_items.id"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    report_id: Mapped[int | None] = mapped_column(ForeignKey("progress_reports.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)


class SurveyResponse(Base):
    """Satisfaction with development (1–5), one per person per fiscal year.

    Who answered is kept only so nobody answers twice; aggregates never show it.
    """

    __tablename__ = "development_survey"
    __table_args__ = (UniqueConstraint("staff_id", "fiscal_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    fiscal_year: Mapped[int] = mapped_column(Integer)
    score: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(default=utcnow)


def fiscal_year(today: date) -> int:
    return round_of(today)[0]


def idp_of(session: Session, officer_id: int, year: int) -> Idp | None:
    return session.scalars(select(Idp).where(Idp.officer_id == officer_id,
                                             Idp.fiscal_year == year)).first()


def training_reports(session: Session, officer_id: int, year: int) -> list[ProgressReport]:
    """The officer's finished-training reports in the fiscal year: evidence for the IDP."""
    starts, _ = round_dates(year, 1)
    _, ends = round_dates(year, 2)
    return list(session.scalars(select(ProgressReport).where(
        ProgressReport.officer_id == officer_id, ProgressReport.kind == ReportKind.DEVELOPMENT,
        ProgressReport.status.in_([ReportStatus.PENDING, ReportStatus.CONFIRMED]),
        ProgressReport.reported_on >= starts, ProgressReport.reported_on <= ends)
        .order_by(ProgressReport.reported_on.desc(), ProgressReport.id.desc())))


def add_item(session: Session, officer: Staff, year: int, topic: str, method: str,
             target_date: date, now: datetime, actor_line_user_id: str | None = None) -> IdpItem:
    """A new item on the officer's IDP of the fiscal year (the IDP is made when missing)."""
    idp = idp_of(session, officer.id, year)
    if idp is None:
        idp = Idp(officer_id=officer.id, fiscal_year=year)
        session.add(idp)
    item = IdpItem(topic=topic, method=method, target_date=target_date, created_at=now,
                   updated_at=now)
    idp.items.append(item)
    session.flush()
    audit(session, "idp.item_added", actor_staff_id=officer.id,
          actor_line_user_id=actor_line_user_id, subject=f"idp:{idp.id}", item=item.id,
          topic=item.topic, method=item.method, target=target_date.isoformat())
    return item


def check_in(session: Session, item: IdpItem, status: str, note: str, report_id: int | None,
             now: datetime, actor_line_user_id: str | None = None) -> None:
    """Progress on an item (the caller checked it is the officer's own and locked it)."""
    before = item.status
    item.status, item.updated_at = status, now
    item.checkins.append(IdpCheckin(status=status, note=note, report_id=report_id, at=now))
    session.flush()
    audit(session, "idp.checkin", actor_staff_id=item.idp.officer_id,
          actor_line_user_id=actor_line_user_id, subject=f"idp_item:{item.id}",
          before=before, status=status, note=note, report=report_id)


def answer_survey(session: Session, staff: Staff, year: int, score: int, now: datetime,
                  actor_line_user_id: str | None = None) -> None:
    """The development survey's answer (1–5) for the fiscal year; answering again replaces it."""
    existing = session.scalars(select(SurveyResponse).where(
        SurveyResponse.staff_id == staff.id, SurveyResponse.fiscal_year == year)).first()
    if existing is None:
        session.add(SurveyResponse(staff_id=staff.id, agency_id=staff.agency_id,
                                   fiscal_year=year, score=score, at=now))
    else:
        existing.score, existing.at = score, now
    audit(session, "survey.answered", actor_staff_id=staff.id,
          actor_line_user_id=actor_line_user_id, subject=f"survey:{year}")
