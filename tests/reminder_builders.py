"""A small agency in round 1/2570 for the reminder tests: officers, a mentor, a supervisor, HR."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from models import LineUser, Role, RoleAssignment, Staff, Unit, utcnow
from models.rounds import Round, add_default_deadline_rules, open_round
from tests.builders import make_agency, make_agreement

BANGKOK = ZoneInfo("Asia/Bangkok")


def at(text: str) -> datetime:
    """A Bangkok moment from 'YYYY-MM-DD HH:MM'."""
    return datetime.fromisoformat(text).replace(tzinfo=BANGKOK)


@dataclass
class Office:
    round: Round
    supervisor: Staff
    mentor: Staff
    hr: Staff
    behind: Staff  # never reports
    diligent: Staff  # reports (tests decide when)
    users: dict[int, str]  # staff id → LINE user id


def person(session: Session, unit: Unit, name: str, code: str,
           supervisor: Staff | None = None,
           hipps: bool = False) -> tuple[Staff, str]:
    staff = Staff(agency_id=unit.agency_id, unit_id=unit.id, staff_code=code, name_th=name,
                  supervisor_id=supervisor.id if supervisor else None, is_hipps=hipps)
    session.add(staff)
    session.flush()
    user_id = f"U{staff.id:032d}"
    session.add(LineUser(user_id=user_id, staff_id=staff.id, following=True, linked_at=utcnow()))
    return staff, user_id


def build_office(session: Session, *, agreements_signed: bool = True) -> Office:
    agency, unit = make_agency(session)
    add_default_deadline_rules(session, agency.id)
    session.flush()
    users: dict[int, str] = {}
    supervisor, users_sup = person(session, unit, "นายหัวหน้า ใจดี", "P001")
    mentor, users_men = person(session, unit, "นางพี่เลี้ยง ช่วยงาน", "P002", supervisor)
    hr, users_hr = person(session, unit, "นางสาวเอชอาร์ ขยัน", "P003", supervisor)
    behind, users_beh = person(session, unit, "นายช้า ไม่ส่ง", "P004", supervisor)
    diligent, users_dil = person(session, unit, "นางสาวตรง เวลา", "P005", supervisor)
    for staff, user in ((supervisor, users_sup), (mentor, users_men), (hr, users_hr),
                        (behind, users_beh), (diligent, users_dil)):
        users[staff.id] = user
    session.add(RoleAssignment(staff_id=hr.id, role=Role.HR_ADMIN))
    for officer in (behind, diligent):
        session.add(RoleAssignment(staff_id=mentor.id, role=Role.MENTOR, officer_id=officer.id))
        make_agreement(session, officer, signed=agreements_signed)
    round_ = open_round(session, agency.id, 2570, 1)
    session.flush()
    return Office(round_, supervisor, mentor, hr, behind, diligent, users)


def submit_report(session: Session, officer: Staff, round_: Round, when: datetime, *,
                  shown: bool = True) -> None:
    """A pending report; `shown`: its card already reached the confirmers (on its day), as
    the digest or a reply would have done, so only deadline reminders are left to plan."""
    from datetime import date
    from decimal import Decimal

    from handlers.day_push import card_key, record_cards_shown
    from models import Kpi, KpiAgreement, ProgressReport
    from models.progress import confirmers, submit

    kpi = session.query(Kpi).join(KpiAgreement).filter(
        KpiAgreement.officer_id == officer.id, KpiAgreement.round_id == round_.id).first()
    report = ProgressReport(officer_id=officer.id, round_id=round_.id, kpi_id=kpi.id,
                            value=Decimal(50), reported_on=date(2027, 1, 1), note="")
    submit(session, report, when.astimezone(UTC), "Utest")
    session.flush()
    if shown:
        for staff_id in confirmers(session, officer, round_.id):
            record_cards_shown(session, staff_id, [card_key(report.id, report.version)],
                               when.date(), when)
        session.flush()


def utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC) + timedelta(0)
