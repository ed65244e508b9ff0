"""Progress reports (and finished-training reports), their certification, and their evidence.

A report has a `version`: every edit makes a new version, and a confirmer's card carries
(report id, version), so a card for an older version is refused. A `Confirmation` row per
(report, version, confirmer) makes a double tap idempotent. A report is confirmed when every
required role has certified the current version: the mentor, and for a HiPPS officer the coach
as well (seed 000); either can send it back.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    BindParameter,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    and_,
    bindparam,
    exists,
    or_,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from models.audit import audit
from models.base import Base, utcnow
from models.kpi import Kpi
from models.org import Agency, Role, RoleAssignment, Staff


class ReportKind(StrEnum):
    KPI = "kpi"  # progress on one KPI
    DEVELOPMENT = "development"  # a finished training course with a learning summary (seed 003)


class ReportStatus(StrEnum):
    PENDING = "pending"  # waiting for the confirmers
    CONFIRMED = "confirmed"  # final
    SENT_BACK = "sent_back"  # returned to the officer with a reason
    WITHDRAWN = "withdrawn"  # by the officer, before it was confirmed
    SUPERSEDED = "superseded"  # a newer report on the same KPI replaced it


OPEN_STATUSES = (ReportStatus.PENDING, ReportStatus.SENT_BACK)
SHOWN_STATUSES = (ReportStatus.PENDING, ReportStatus.SENT_BACK, ReportStatus.CONFIRMED)


class WorkStatus(StrEnum):
    """What the officer says about the work itself (thai's `status`)."""

    DONE = "done"
    IN_PROGRESS = "in_progress"
    NOT_STARTED = "not_started"


class Decision(StrEnum):
    CERTIFIED = "certified"  # รับรอง
    SENT_BACK = "sent_back"  # ส่งกลับแก้ไข


class ProgressReport(Base):
    __tablename__ = "progress_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    round_id: Mapped[int | None] = mapped_column(ForeignKey("rounds.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16), default=ReportKind.KPI)
    kpi_id: Mapped[int | None] = mapped_column(ForeignKey("kpis.id"), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[str] = mapped_column(String(16), default=ReportStatus.PENDING, index=True)
    value: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    target: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    percent: Mapped[Decimal | None] = mapped_column(Numeric(7, 2))
    work_status: Mapped[str | None] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    title: Mapped[str] = mapped_column(String(500), default="")  # development: the course
    summary: Mapped[str] = mapped_column(Text, default="")  # development: what was learned
    batch: Mapped[str] = mapped_column(String(64), default="")  # development: the course's รุ่น
    tested_on: Mapped[date | None] = mapped_column(Date)  # development: the test's date
    reported_on: Mapped[date] = mapped_column(Date)  # the day the progress (or course end) is of
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)  # of the current version
    decided_at: Mapped[datetime | None]
    send_back_reason: Mapped[str] = mapped_column(Text, default="")
    # the work reported shows innovation or digital use (seed 004), as its officer or HR says
    innovation: Mapped[bool] = mapped_column(Boolean, default=False)
    # Several KPIs reported in one message: each is a report of its own (scored, shown and
    # exported per KPI), and they share the id of the first of them here (None: on its own).
    submission_id: Mapped[int | None] = mapped_column(Integer, index=True)

    officer: Mapped[Staff] = relationship(foreign_keys=[officer_id])
    kpi: Mapped[Kpi | None] = relationship()
    evidence: Mapped[list[Evidence]] = relationship(back_populates="report",
                                                    order_by="Evidence.id")

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class Confirmation(Base):
    """One confirmer's decision on one version of a report."""

    __tablename__ = "confirmations"
    __table_args__ = (UniqueConstraint("report_id", "version", "confirmer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("progress_reports.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    confirmer_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    role: Mapped[str] = mapped_column(String(32))
    decision: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(default=utcnow)


class EvidenceStatus(StrEnum):
    PENDING = "pending"  # the LINE message id is known; the bytes are not fetched yet
    STORED = "stored"
    FAILED = "failed"  # LINE no longer has it (or refused); the reason is kept


class Evidence(Base):
    """A photo or file sent during a report: fetched from LINE by the bot layer, then stored."""

    __tablename__ = "evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    report_id: Mapped[int | None] = mapped_column(ForeignKey("progress_reports.id"), index=True)
    line_message_id: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # image | video | audio | file
    status: Mapped[str] = mapped_column(String(16), default=EvidenceStatus.PENDING, index=True)
    path: Mapped[str] = mapped_column(String(500), default="")  # under the storage folder
    content_type: Mapped[str] = mapped_column(String(100), default="")
    size: Mapped[int] = mapped_column(Integer, default=0)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    stored_at: Mapped[datetime | None]

    report: Mapped[ProgressReport | None] = relationship(back_populates="evidence")


# --- who confirms -----------------------------------------------------------------------------
# The one rule: the officer's mentor, and for a HiPPS officer also the coach (seed 000); where
# nobody holds a required role, the supervisor (`supervisor_id`, the evaluator) stands in for it
# (seed 001: the supervisor follows every officer's progress). An agency may make the supervisor
# the confirmer for everyone (`Agency.supervisor_confirms`). One person holding several required
# roles certifies once, and it counts for each of them.

def required_roles(officer: Staff) -> tuple[str, ...]:
    """The roles that must certify: the mentor, and for a HiPPS officer the coach too."""
    return (Role.MENTOR, Role.COACH) if officer.is_hipps else (Role.MENTOR,)


@dataclass(frozen=True)
class ConfirmerPlan:
    """Who confirms one officer's reports in one round, and which required roles each covers."""

    required: tuple[str, ...]
    duties: dict[int, tuple[str, ...]]  # staff id → the required roles this person covers
    shown: dict[int, str]  # staff id → the role named to people (mentor, coach or supervisor)
    assigned: dict[int, tuple[str, ...]]  # staff id → the mentor/coach roles actually held

    @property
    def missing(self) -> list[str]:
        """Required roles nobody covers (not even the supervisor): HR must act."""
        covered = {role for roles in self.duties.values() for role in roles}
        return [role for role in self.required if role not in covered]

    def waiting(self, certifiers: set[int] | list[int]) -> tuple[str, ...]:
        """The required roles not yet covered by these people's certifications."""
        covered = {role for person in certifiers for role in self.duties.get(person, ())}
        return tuple(role for role in self.required if role not in covered)


def supervisor_ids(session: Session, officer: Staff, round_id: int | None) -> list[int]:
    """The officer's evaluator: `supervisor_id`, or else a supervisor role over them."""
    if officer.supervisor_id is not None and officer.supervisor_id != officer.id:
        return [officer.supervisor_id]
    return sorted(i for i in session.scalars(select(RoleAssignment.staff_id).where(
        RoleAssignment.officer_id == officer.id, RoleAssignment.role == Role.SUPERVISOR,
        or_(RoleAssignment.round_id.is_(None), RoleAssignment.round_id == round_id)))
        if i != officer.id)


def _plan_query() -> Any:
    round_: BindParameter[int | None] = bindparam("round", type_=Integer)
    mentors = and_(RoleAssignment.officer_id == bindparam("officer", type_=Integer),
                   RoleAssignment.role.in_((Role.MENTOR, Role.COACH)),
                   or_(RoleAssignment.round_id.is_(None), RoleAssignment.round_id == round_))
    return (select(Agency.supervisor_confirms, RoleAssignment.staff_id, RoleAssignment.role)
            .select_from(Agency).outerjoin(RoleAssignment, mentors)
            .where(Agency.id == bindparam("agency", type_=Integer))
            .order_by(RoleAssignment.role.desc(), RoleAssignment.staff_id))  # mentor first


_PLAN = _plan_query()  # built once


def confirmer_plan(session: Session, officer: Staff, round_id: int | None) -> ConfirmerPlan:
    """The confirmer rule applied to one officer in one round (one or two small queries)."""
    required = required_roles(officer)
    # The agency's rule with the officer's mentors and coaches (none: one row of NULLs).
    rows = session.execute(_PLAN, {"agency": officer.agency_id, "officer": officer.id,
                                   "round": round_id}).all()
    assigned: dict[int, tuple[str, ...]] = {}
    for _everyone, staff_id, role in rows:
        if staff_id is not None and staff_id != officer.id and role in required \
                and role not in assigned.get(staff_id, ()):
            assigned[staff_id] = (*assigned.get(staff_id, ()), role)
    everyone_by_supervisor = rows[0][0] if rows else None
    duties: dict[int, list[str]] = {}
    shown: dict[int, str] = {}
    supervisors: list[int] | None = None
    for role in required:
        holders = [] if everyone_by_supervisor else [
            person for person, roles in assigned.items() if role in roles]
        if holders:
            for person in holders:
                shown.setdefault(person, role)
        else:
            if supervisors is None:
                supervisors = supervisor_ids(session, officer, round_id)
            holders = supervisors
            for person in holders:
                shown[person] = Role.SUPERVISOR
        for person in holders:
            duties.setdefault(person, []).append(role)
    return ConfirmerPlan(required, {k: tuple(v) for k, v in duties.items()}, shown, assigned)


def confirmers(session: Session, officer: Staff, round_id: int | None) -> dict[int, str]:
    """Staff id → role of everyone who confirms this officer's reports in this round."""
    return confirmer_plan(session, officer, round_id).shown


def missing_roles(session: Session, officer: Staff, round_id: int | None) -> list[str]:
    """Required roles nobody covers for this officer (the report cannot be fully confirmed)."""
    return confirmer_plan(session, officer, round_id).missing


# --- state changes (each audited) -------------------------------------------------------------

def submit(session: Session, report: ProgressReport, at: datetime, actor_line_user_id: str) -> None:
    """Save a new report, pending; an older open report on the same KPI is superseded."""
    report.status, report.submitted_at, report.created_at = ReportStatus.PENDING, at, at
    session.add(report)
    session.flush()
    if report.kpi_id is not None:
        for old in session.scalars(select(ProgressReport).where(
                ProgressReport.officer_id == report.officer_id,
                ProgressReport.kpi_id == report.kpi_id, ProgressReport.id != report.id,
                ProgressReport.status.in_(OPEN_STATUSES))):
            _set_status(session, old, ReportStatus.SUPERSEDED, at, report.officer_id,
                        actor_line_user_id, by_report=report.id)
    audit(session, "report.created", actor_staff_id=report.officer_id,
          actor_line_user_id=actor_line_user_id, subject=f"report:{report.id}",
          version=report.version, kind=report.kind, at=at.isoformat())


def revise(session: Session, report: ProgressReport, at: datetime, actor_line_user_id: str,
           changes: dict[str, object]) -> None:
    """The officer's edit of an open report: a new version, pending again."""
    for field, value in changes.items():
        setattr(report, field, value)
    report.version += 1
    report.status, report.submitted_at, report.send_back_reason = ReportStatus.PENDING, at, ""
    audit(session, "report.edited", actor_staff_id=report.officer_id,
          actor_line_user_id=actor_line_user_id, subject=f"report:{report.id}",
          version=report.version, at=at.isoformat())


def withdraw(session: Session, report: ProgressReport, at: datetime,
             actor_line_user_id: str) -> None:
    _set_status(session, report, ReportStatus.WITHDRAWN, at, report.officer_id, actor_line_user_id)


@dataclass(frozen=True)
class Outcome:
    """What one confirmer's decision did: `recorded` False means it was there already."""

    recorded: bool
    confirmed: bool = False
    waiting_for: tuple[str, ...] = ()


def certify(session: Session, report: ProgressReport, confirmer_id: int, role: str, at: datetime,
            actor_line_user_id: str, *, undecided: bool = False,
            plan: ConfirmerPlan | None = None) -> Outcome:
    """Record a certification of the current version; confirm once every role has certified.

    The caller has locked the report row (FOR UPDATE on PostgreSQL; SQLite writes are serial),
    so two taps at once are decided one after the other and the second records nothing.
    `undecided`: the caller has just read, under that lock, that this confirmer has no decision
    on the current version. `plan`: the officer's confirmer plan the caller read in this
    transaction.
    """
    if not undecided and decision_of(session, report, confirmer_id) is not None:
        return Outcome(recorded=False, confirmed=report.status == ReportStatus.CONFIRMED)
    session.add(Confirmation(report_id=report.id, version=report.version,
                             confirmer_id=confirmer_id, role=role,
                             decision=Decision.CERTIFIED, at=at))
    session.flush()
    audit(session, "report.certified", actor_staff_id=confirmer_id,
          actor_line_user_id=actor_line_user_id, subject=f"report:{report.id}",
          version=report.version, role=role, at=at.isoformat())
    certifiers = set(session.scalars(select(Confirmation.confirmer_id).where(
        Confirmation.report_id == report.id, Confirmation.version == report.version,
        Confirmation.decision == Decision.CERTIFIED)))
    plan = plan or confirmer_plan(session, report.officer, report.round_id)
    waiting = plan.waiting(certifiers)
    if waiting:
        return Outcome(recorded=True, waiting_for=waiting)
    _set_status(session, report, ReportStatus.CONFIRMED, at, confirmer_id, actor_line_user_id)
    if report.kpi_id is not None:  # the new confirmed report replaces the older confirmed one
        for old in session.scalars(select(ProgressReport).where(
                ProgressReport.officer_id == report.officer_id,
                ProgressReport.kpi_id == report.kpi_id, ProgressReport.id != report.id,
                ProgressReport.status == ReportStatus.CONFIRMED)):
            _set_status(session, old, ReportStatus.SUPERSEDED, at, confirmer_id,
                        actor_line_user_id, by_report=report.id)
    return Outcome(recorded=True, confirmed=True)


def send_back(session: Session, report: ProgressReport, confirmer_id: int, role: str,
              reason: str, at: datetime, actor_line_user_id: str) -> bool:
    """Return the current version to the officer with a reason; False if already decided."""
    if decision_of(session, report, confirmer_id) is not None:
        return False
    session.add(Confirmation(report_id=report.id, version=report.version,
                             confirmer_id=confirmer_id, role=role, decision=Decision.SENT_BACK,
                             reason=reason, at=at))
    session.flush()
    report.send_back_reason = reason
    _set_status(session, report, ReportStatus.SENT_BACK, at, confirmer_id, actor_line_user_id,
                reason=reason)
    return True


def decision_of(session: Session, report: ProgressReport, confirmer_id: int) -> str | None:
    """This confirmer's decision on the report's current version, if any."""
    return session.scalar(select(Confirmation.decision).where(
        Confirmation.report_id == report.id, Confirmation.version == report.version,
        Confirmation.confirmer_id == confirmer_id))


def _set_status(session: Session, report: ProgressReport, status: str, at: datetime,
                actor_staff_id: int, actor_line_user_id: str, **details: object) -> None:
    before = report.status
    report.status = status
    if status in (ReportStatus.CONFIRMED, ReportStatus.SENT_BACK):
        report.decided_at = at
    audit(session, f"report.{status}", actor_staff_id=actor_staff_id,
          actor_line_user_id=actor_line_user_id, subject=f"report:{report.id}",
          version=report.version, before=before, at=at.isoformat(), **details)


def pending_for(session: Session, confirmer_id: int,
                officer_id: int | None = None) -> list[tuple[int, str]]:
    """(report id, role) of every pending report waiting for this confirmer, oldest first.

    Waiting means: the confirmer rule (`confirmer_plan`) names this person for the officer in
    the report's round, and they have not decided on the report's current version yet.
    """
    decided = exists().where(Confirmation.report_id == ProgressReport.id,
                             Confirmation.version == ProgressReport.version,
                             Confirmation.confirmer_id == confirmer_id)
    # Candidates: officers this person mentors, coaches or supervises; the rule decides.
    over = select(RoleAssignment.officer_id).where(
        RoleAssignment.staff_id == confirmer_id,
        RoleAssignment.role.in_((Role.MENTOR, Role.COACH, Role.SUPERVISOR)))
    query = (select(ProgressReport.id, ProgressReport.officer_id, ProgressReport.round_id)
             .join(Staff, Staff.id == ProgressReport.officer_id)
             .where(or_(Staff.supervisor_id == confirmer_id, Staff.id.in_(over)),
                    ProgressReport.status == ReportStatus.PENDING, ~decided)
             .order_by(ProgressReport.submitted_at, ProgressReport.id))
    if officer_id is not None:
        query = query.where(ProgressReport.officer_id == officer_id)
    rows = session.execute(query).all()
    officers = {o.id: o for o in session.scalars(
        select(Staff).where(Staff.id.in_({r.officer_id for r in rows})))} if rows else {}
    plans: dict[tuple[int, int | None], dict[int, str]] = {}
    found: list[tuple[int, str]] = []
    for report_id, officer, round_id in rows:
        key = (officer, round_id)
        if key not in plans:
            plans[key] = confirmer_plan(session, officers[officer], round_id).shown
        role = plans[key].get(confirmer_id)
        if role is not None:
            found.append((report_id, role))
    return found


# --- several KPIs reported together -----------------------------------------------------------

def submission_reports(session: Session, submission_id: int, *,
                       lock: bool = False) -> list[ProgressReport]:
    """The reports of one submission, by id (locked in that order, so two deciders at once
    take them one after the other)."""
    query = (select(ProgressReport).where(ProgressReport.submission_id == submission_id)
             .order_by(ProgressReport.id))
    if lock:
        query = query.with_for_update(of=ProgressReport)
    return list(session.scalars(query))


def submission_version(reports: list[ProgressReport]) -> int:
    """What a submission's card carries to be found stale: the sum of its reports' versions,
    which any edit of any line raises."""
    return sum(r.version for r in reports)
