"""The round deadlines as `Due` items (a `DueSource`, see handlers/due.py).

Who owes what, and when it is done (done items are simply not yielded):
- `agreement`: officers whose KPI agreement for the round is not signed yet;
- `progress`: officers with an agreement and no progress report (pending or confirmed) this round;
- `confirmation`: confirmers (mentors and coaches, or the supervisor standing in) with reports
  still waiting for their decision;
- `wait:<round>`: mentors and coaches with a report waiting more than the policy's office days
  (due the first day it is late; reminded on that day and then as overdue, never before);
- `hipps_copy`: HiPPS officers who have not started their round report, until HR marks the
  copy handed in (`DeadlineCompletion`); a started report has its own items (appraisal_due);
- any other deadline HR added to the round: every officer with an agreement, until HR marks it
  done for them.
Each item names the officer's supervisor for the overdue digest.
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import Session

from handlers.due import Due
from models import (
    Agency,
    Confirmation,
    KpiAgreement,
    ProgressReport,
    ReportKind,
    ReportStatus,
    Role,
    RoleAssignment,
    Round,
    RoundDeadline,
    Staff,
)
from models.calendar import OfficeCalendar
from models.hipps import HippsReport
from models.reminders import load_policy

# Deadlines matter from this many days before to this many days after (covers 7 office days
# ahead and the overdue reminders and digest, across Songkran and New Year).
LOOK_AHEAD = timedelta(days=40)
LOOK_BACK = timedelta(days=45)
WAIT_PREFIX = "wait:"


def round_key(round_id: int, code: str) -> str:
    return f"round:{round_id}:{code}"


def round_deadline_items(session: Session, today: date) -> Iterator[Due]:
    """Every open round-deadline item that matters on `today`."""
    rows = session.execute(
        select(RoundDeadline, Round.agency_id)
        .join(Round, Round.id == RoundDeadline.round_id)
        # A closed round owes nothing more, except the HiPPS copies (due after its end).
        .where(or_(Round.closed_at.is_(None), RoundDeadline.code == "hipps_copy"),
               RoundDeadline.due_on >= today - LOOK_BACK,
               RoundDeadline.due_on <= today + LOOK_AHEAD)
        .order_by(RoundDeadline.due_on, RoundDeadline.id)).all()
    for deadline, agency_id in rows:
        key, title, due = (round_key(deadline.round_id, deadline.code), deadline.title_th,
                           deadline.due_on)
        if deadline.code == "agreement":
            query = (select(Staff.id, Staff.supervisor_id)
                     .join(KpiAgreement, KpiAgreement.officer_id == Staff.id)
                     .where(KpiAgreement.round_id == deadline.round_id,
                            KpiAgreement.signed_at.is_(None), Staff.active.is_(True)))
        elif deadline.code == "progress":
            # NOT IN an uncorrelated subquery: computed once (a correlated NOT EXISTS made
            # SQLite walk the status index once per officer).
            reported = select(ProgressReport.officer_id).where(
                ProgressReport.round_id == deadline.round_id, ProgressReport.kind == ReportKind.KPI,
                ProgressReport.status.in_([ReportStatus.PENDING, ReportStatus.CONFIRMED]))
            query = (select(Staff.id, Staff.supervisor_id)
                     .join(KpiAgreement, KpiAgreement.officer_id == Staff.id)
                     .where(KpiAgreement.round_id == deadline.round_id, Staff.active.is_(True),
                            Staff.id.not_in(reported)))
        elif deadline.code == "confirmation":
            yield from _carers_due(session, deadline.round_id, key, title, due)
            continue
        elif deadline.code == "hipps_copy":
            # Officers who have started their HiPPS report this round are reminded by its own
            # items instead (handlers/appraisal_due.py: certify it, then send the copies).
            started = select(HippsReport.officer_id).where(
                HippsReport.round_id == deadline.round_id)
            query = select(Staff.id, Staff.supervisor_id).where(
                Staff.agency_id == agency_id, Staff.is_hipps.is_(True), Staff.active.is_(True),
                Staff.id.not_in(started))
        else:  # a deadline HR added: everyone with an agreement this round
            query = (select(Staff.id, Staff.supervisor_id)
                     .join(KpiAgreement, KpiAgreement.officer_id == Staff.id)
                     .where(KpiAgreement.round_id == deadline.round_id, Staff.active.is_(True)))
        for staff_id, supervisor_id in session.execute(query):
            yield Due(staff_id=staff_id, key=key, title=title, due=due, escalate_to=supervisor_id)
    yield from _waiting_reports(session, today)


def _waiting(round_id: int | None = None):
    """(carer id, carer's supervisor, report round, submitted_at) of every report waiting for a
    required confirmer who has not decided on its current version: the mentor or coach, or the
    supervisor standing in (`models.progress.confirmer_plan`, written here as SQL)."""
    officer = Staff.__table__.alias("officer")
    carer = Staff.__table__.alias("carer")
    everyone_by_supervisor = select(Agency.supervisor_confirms).where(
        Agency.id == officer.c.agency_id).scalar_subquery()

    def holds(role: str) -> Any:
        return exists().where(RoleAssignment.officer_id == ProgressReport.officer_id,
                              RoleAssignment.role == role,
                              or_(RoleAssignment.round_id.is_(None),
                                  RoleAssignment.round_id == ProgressReport.round_id))

    def undecided(confirmer: Any) -> Any:
        return ~exists().where(Confirmation.report_id == ProgressReport.id,
                               Confirmation.version == ProgressReport.version,
                               Confirmation.confirmer_id == confirmer)

    assigned = (select(RoleAssignment.staff_id, carer.c.supervisor_id, ProgressReport.round_id,
                       ProgressReport.submitted_at)
                .join(officer, officer.c.id == ProgressReport.officer_id)
                .join(RoleAssignment, RoleAssignment.officer_id == ProgressReport.officer_id)
                .join(carer, carer.c.id == RoleAssignment.staff_id)
                .where(ProgressReport.status == ReportStatus.PENDING, carer.c.active.is_(True),
                       everyone_by_supervisor.is_(False),
                       or_(RoleAssignment.role == Role.MENTOR,
                           and_(RoleAssignment.role == Role.COACH,
                                officer.c.is_hipps.is_(True))),
                       or_(RoleAssignment.round_id.is_(None),
                           RoleAssignment.round_id == ProgressReport.round_id),
                       undecided(RoleAssignment.staff_id)))
    standing_in = (select(carer.c.id, carer.c.supervisor_id, ProgressReport.round_id,
                          ProgressReport.submitted_at)
                   .join(officer, officer.c.id == ProgressReport.officer_id)
                   .join(carer, carer.c.id == officer.c.supervisor_id)
                   .where(ProgressReport.status == ReportStatus.PENDING,
                          carer.c.active.is_(True),
                          or_(everyone_by_supervisor.is_(True), ~holds(Role.MENTOR),
                              and_(officer.c.is_hipps.is_(True), ~holds(Role.COACH))),
                          undecided(carer.c.id)))
    if round_id is not None:
        assigned = assigned.where(ProgressReport.round_id == round_id)
        standing_in = standing_in.where(ProgressReport.round_id == round_id)
    return assigned.union_all(standing_in)


def _carers_due(session: Session, round_id: int, key: str, title: str, due: date) -> Iterator[Due]:
    carers: dict[int, int | None] = {}
    for carer_id, supervisor_id, _round, _at in session.execute(_waiting(round_id)):
        carers[carer_id] = supervisor_id
    for carer_id, supervisor_id in sorted(carers.items()):
        yield Due(staff_id=carer_id, key=key, title=title, due=due, escalate_to=supervisor_id)


def _waiting_reports(session: Session, today: date) -> Iterator[Due]:
    """Carers with a report waiting more than the policy's office days (per agency)."""
    oldest: dict[tuple[int, int | None], tuple[date, int | None, int]] = {}
    for carer_id, supervisor_id, round_id, submitted_at in session.execute(_waiting()):
        submitted = (submitted_at + timedelta(hours=7)).date()  # Bangkok day (UTC+7, no DST)
        key = (carer_id, round_id)
        if key not in oldest or submitted < oldest[key][0]:
            oldest[key] = (submitted, supervisor_id, carer_id)
    if not oldest:
        return
    calendars = OfficeCalendar.load_all(session)
    agencies = dict(session.execute(select(Staff.id, Staff.agency_id).where(
        Staff.id.in_({carer for carer, _ in oldest}))).all())
    policies = {agency: load_policy(session, agency) for agency in set(agencies.values())}
    for (carer_id, round_id), (submitted, supervisor_id, _) in sorted(oldest.items(),
                                                                       key=lambda kv: str(kv[0])):
        wait = policies[agencies[carer_id]].waiting_days
        calendar = calendars.get(agencies[carer_id]) or OfficeCalendar()
        late_from = calendar.add_office_days(submitted, wait + 1)  # waited more than `wait` days
        if late_from > today:
            continue
        yield Due(staff_id=carer_id, key=f"{WAIT_PREFIX}{round_id or 0}",
                  title=f"รับรองรายงานที่รอเกิน {wait} วันทำการ", due=late_from,
                  escalate_to=supervisor_id)
