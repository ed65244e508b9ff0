"""What people owe in the appraisal cycle (reports to superiors, HiPPS certification and
copies, IDP items), for the reminder planner (see handlers/due.py).

- `lp:<case id>:report`: the supervisor's report on a low performer, due 7 days after the
  result; overdue goes to the supervisor's own superior.
- `hipps:<report id>:copy`: copies of a certified HiPPS report to HR, due on the round's
  `hipps_copy` deadline (10 April / 10 October); overdue goes to the officer's supervisor.
- `hipps:<report id>:cert:<role>`: a submitted HiPPS report the mentor or coach has not
  certified yet, due on that same deadline; overdue goes to the officer's supervisor. Not on
  the office day it was submitted nor the next one: its card (held for the certifier's reply
  or day push, handlers/day_push.py) asks for the same thing then.
- `idp:<item id>`: an IDP item not done, due on its target date, once it is at most 30 days
  away; overdue goes to the officer's supervisor.
Done items stop being yielded.
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers.due import Due
from models import RoundDeadline, Staff
from models.appraisal import CaseStatus, LowPerformerCase
from models.calendar import OfficeCalendar
from models.development import Idp, IdpItem, ItemStatus
from models.hipps import HippsCertification, HippsReport, HippsStatus
from models.hipps_reports import certifier_roles

IDP_HORIZON = timedelta(days=30)


def due_items(session: Session, today: date) -> Iterator[Due]:
    for case, name in session.execute(
            select(LowPerformerCase, Staff.name_th)
            .join(Staff, Staff.id == LowPerformerCase.officer_id)
            .where(LowPerformerCase.status == CaseStatus.OPEN,
                   LowPerformerCase.supervisor_id.is_not(None),
                   LowPerformerCase.report_due.is_not(None))
            .order_by(LowPerformerCase.id)):
        assert case.supervisor_id is not None and case.report_due is not None
        yield Due(staff_id=case.supervisor_id, key=f"lp:{case.id}:report",
                  title=f"รายงานผลการดำเนินการผู้มีผลสัมฤทธิ์ต่ำ ({name})", due=case.report_due,
                  escalate_to=case.superior_id)
    rows = session.execute(
        select(HippsReport, Staff, RoundDeadline.due_on)
        .join(Staff, Staff.id == HippsReport.officer_id)
        .join(RoundDeadline, (RoundDeadline.round_id == HippsReport.round_id)
              & (RoundDeadline.code == "hipps_copy"))
        .where(HippsReport.copies_sent_at.is_(None)).order_by(HippsReport.id)).all()
    calendars = OfficeCalendar.load_all(session) if rows else {}
    for report, officer, due_on in rows:
        if report.status == HippsStatus.CERTIFIED:
            yield Due(staff_id=officer.id, key=f"hipps:{report.id}:copy",
                      title="ส่งสำเนาแบบรายงาน HiPPS ให้ HR", due=due_on,
                      escalate_to=officer.supervisor_id)
            continue
        if report.status == HippsStatus.SENT_BACK:  # the officer owes a corrected version
            yield Due(staff_id=officer.id, key=f"hipps:{report.id}:resubmit",
                      title="แก้ไขและส่งแบบรายงาน HiPPS ให้รับรองอีกครั้ง", due=due_on,
                      escalate_to=officer.supervisor_id)
            continue
        submitted = (report.submitted_at + timedelta(hours=7)).date()  # Bangkok day (UTC+7)
        calendar = calendars.get(officer.agency_id) or OfficeCalendar()
        if calendar.office_days_between(submitted, today) <= 1:
            continue  # the card asked today (or is being delivered with the next push)
        done = set(session.scalars(select(HippsCertification.role).where(
            HippsCertification.report_id == report.id,
            HippsCertification.version == report.version)))
        for staff_id, roles in certifier_roles(session, officer, report.round_id).items():
            role = next((r for r in roles if r not in done), None)
            if role is not None:
                yield Due(staff_id=staff_id, key=f"hipps:{report.id}:cert:{role}",
                          title=f"รับรองแบบรายงาน HiPPS ของ {officer.name_th}", due=due_on,
                          escalate_to=officer.supervisor_id)
    for item, officer in session.execute(
            select(IdpItem, Staff).join(Idp, Idp.id == IdpItem.idp_id)
            .join(Staff, Staff.id == Idp.officer_id)
            .where(IdpItem.status != ItemStatus.DONE, Staff.active.is_(True),
                   IdpItem.target_date <= today + IDP_HORIZON).order_by(IdpItem.id)):
        yield Due(staff_id=officer.id, key=f"idp:{item.id}",
                  title=f"แผนพัฒนารายบุคคล: {item.topic}", due=item.target_date,
                  escalate_to=officer.supervisor_id)
