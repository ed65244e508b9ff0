"""The demo agency: its people, units and KPIs, seeded through the importers (`flask demo seed`;
`make run` seeds it too, see scheduler/demo.py)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers.importers import ImportReport, import_kpis, import_staff
from models import Agency, KpiAgreement, LineUser, Role, RoleAssignment, Staff, utcnow
from models.kpi import sign_agreement
from models.rounds import open_round, round_of


@dataclass(frozen=True)
class DemoPerson:
    staff_code: str
    name_th: str
    position: str
    unit: str
    line_user_id: str
    nickname: str  # the LINE display name
    roles: tuple[str, ...] = ()
    is_hipps: bool = False


# The demo's data, in the files HR would have: loaded by `seed_demo` through the importers.
DEMO_DATA = Path(__file__).resolve().parent / "demo_data"
STAFF_FILE = DEMO_DATA / "staff.csv"  # UTF-8 with BOM, Thai headers, as Excel saves it
KPI_FILE = DEMO_DATA / "kpis.xlsx"  # the current round's KPIs (no year/round columns)

AGENCY = ("DEMO", "กรมส่งเสริมการปฏิบัติราชการ (ตัวอย่าง)")
UNITS = {
    "HR": "กลุ่มบริหารทรัพยากรบุคคล",
    "PLAN": "กองยุทธศาสตร์และแผนงาน",
}
PEOPLE = (
    DemoPerson("D0001", "นางสาวพิมพ์ชนก ใจดี", "นักทรัพยากรบุคคลชำนาญการ", "HR",
               "Ude000000000000000000000000000001", "พิมพ์", (Role.HR_ADMIN,)),
    DemoPerson("D0002", "นายวิชัย ศรีสุข", "ผู้อำนวยการกองยุทธศาสตร์และแผนงาน", "PLAN",
               "Ude000000000000000000000000000002", "วิชัย", (Role.SUPERVISOR,)),
    DemoPerson("D0003", "นางมาลี รักงาน", "นักวิเคราะห์นโยบายและแผนชำนาญการพิเศษ", "PLAN",
               "Ude000000000000000000000000000003", "มาลี", (Role.MENTOR, Role.COACH)),
    DemoPerson("D0004", "นายสมชาย ตั้งใจ", "นักวิเคราะห์นโยบายและแผนปฏิบัติการ", "PLAN",
               "Ude000000000000000000000000000004", "ชาย"),
    DemoPerson("D0005", "นางสาวกมลวรรณ พากเพียร", "นักวิเคราะห์นโยบายและแผนปฏิบัติการ", "PLAN",
               "Ude000000000000000000000000000005", "กมล"),
    DemoPerson("D0006", "นายธนากร มุ่งมั่น", "นักวิเคราะห์นโยบายและแผนชำนาญการ", "PLAN",
               "Ude000000000000000000000000000006", "ธนา", is_hipps=True),
)
# Someone in the files with no LINE account yet: the simulator's new user links as her.
NEWCOMER = ("D0007", "นางสาวศิริพร ใหม่ใจ")
# (carer staff code, role, officer staff code): the mentor cares for most officers and is also
# the HiPPS officer's coach (seed 000 allows one person in both roles: she certifies once);
# D0004 has no mentor, so the director, who supervises the unit, confirms his reports.
# staff.csv says the same: mentor and coach as standing role assignments, the supervisor as
# each officer's `supervisor_id`.
CARE = (
    [("D0003", Role.MENTOR, code) for code in ("D0005", "D0006", NEWCOMER[0])]
    + [("D0003", Role.COACH, "D0006")]
    + [("D0002", Role.SUPERVISOR, code)
       for code in ("D0003", "D0004", "D0005", "D0006", NEWCOMER[0])]
)


def seed_demo(session: Session, *, today: date) -> Agency:
    """The demo agency, loaded from `bot/demo_data` through the importers; never commits.

    People, units, supervisors, mentors and coaches come from `staff.csv`; the KPIs of the
    round `today` (the app's today) falls in from `kpis.xlsx`, and each agreement is
    then signed by the officer's supervisor. The HR admin role and the demo LINE accounts are
    added here. Running it again changes nothing.
    """
    fiscal_year, round_no = round_of(today)
    _imported(import_staff(session, STAFF_FILE, agency_code=AGENCY[0], agency_name=AGENCY[1]))
    _imported(import_kpis(session, KPI_FILE, agency_code=AGENCY[0], fiscal_year=fiscal_year,
                          round_no=round_no))
    agency = session.scalars(select(Agency).where(Agency.code == AGENCY[0])).one()
    staff = {member.staff_code: member
             for member in session.scalars(select(Staff).where(Staff.agency_id == agency.id))}
    supervisors = {member.id: member.supervisor_id for member in staff.values()}
    round_ = open_round(session, agency.id, fiscal_year, round_no)
    now = utcnow()
    for agreement in session.scalars(select(KpiAgreement).where(
            KpiAgreement.round_id == round_.id, KpiAgreement.signed_at.is_(None))
            .order_by(KpiAgreement.id)):
        sign_agreement(session, agreement, supervisors.get(agreement.officer_id), now)
    linked = set(session.scalars(select(LineUser.staff_id).where(
        LineUser.staff_id.in_([member.id for member in staff.values()]))))
    for person in PEOPLE:
        member = staff[person.staff_code]
        if session.get(LineUser, person.line_user_id) is None and member.id not in linked:
            session.add(LineUser(user_id=person.line_user_id, staff_id=member.id,
                                 following=True, first_seen_at=now, linked_at=now))
        if Role.HR_ADMIN in person.roles and session.scalars(select(RoleAssignment.id).where(
                RoleAssignment.staff_id == member.id, RoleAssignment.role == Role.HR_ADMIN,
                RoleAssignment.officer_id.is_(None),
                RoleAssignment.round_id.is_(None))).first() is None:
            session.add(RoleAssignment(staff_id=member.id, role=Role.HR_ADMIN))
    session.flush()
    return agency


def _imported(report: ImportReport) -> None:
    """The demo files are part of the code: a problem in them is a bug."""
    if not report.ok or report.problems:
        raise RuntimeError("demo data cannot be imported:\n" + "\n".join(report.lines()))
