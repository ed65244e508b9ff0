"""The demo agency, and `make run`: migrate, seed, deliver, serve the simulator."""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers.importers import ImportReport, import_kpis, import_staff
from models import Agency, KpiAgreement, LineUser, Role, RoleAssignment, Staff, utcnow
from models.kpi import sign_agreement
from models.rounds import open_round, round_of

log = logging.getLogger(__name__)


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


BANGKOK = ZoneInfo("Asia/Bangkok")
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
               "Ude000000000000000000000000000002", "วิชัย", (Role.COACH, Role.SUPERVISOR)),
    DemoPerson("D0003", "นางมาลี รักงาน", "นักวิเคราะห์นโยบายและแผนชำนาญการพิเศษ", "PLAN",
               "Ude000000000000000000000000000003", "มาลี", (Role.MENTOR,)),
    DemoPerson("D0004", "นายสมชาย ตั้งใจ", "นักวิเคราะห์นโยบายและแผนปฏิบัติการ", "PLAN",
               "Ude000000000000000000000000000004", "ชาย"),
    DemoPerson("D0005", "นางสาวกมลวรรณ พากเพียร", "นักวิเคราะห์นโยบายและแผนปฏิบัติการ", "PLAN",
               "Ude000000000000000000000000000005", "กมล"),
    DemoPerson("D0006", "นายธนากร มุ่งมั่น", "นักวิเคราะห์นโยบายและแผนชำนาญการ", "PLAN",
               "Ude000000000000000000000000000006", "ธนา", is_hipps=True),
)
# Someone in the files with no LINE account yet: the simulator's new user links as her.
NEWCOMER = ("D0007", "นางสาวศิริพร ใหม่ใจ")
# (carer staff code, role, officer staff code): the mentor cares for every officer, and the
# director coaches the HiPPS officer and supervises the unit. staff.csv says the same: mentor
# and coach as standing role assignments, the supervisor as each officer's `supervisor_id`.
CARE = (
    [("D0003", Role.MENTOR, code) for code in ("D0004", "D0005", "D0006", NEWCOMER[0])]
    + [("D0002", Role.COACH, "D0006")]
    + [("D0002", Role.SUPERVISOR, code)
       for code in ("D0003", "D0004", "D0005", "D0006", NEWCOMER[0])]
)


def seed_demo(session: Session, *, today: date | None = None) -> Agency:
    """The demo agency, loaded from `bot/demo_data` through the importers; never commits.

    People, units, supervisors, mentors and coaches come from `staff.csv`; the KPIs of the
    round `today` falls in (default: today in Bangkok) from `kpis.xlsx`, and each agreement is
    then signed by the officer's supervisor. The HR admin role and the demo LINE accounts are
    added here. Running it again changes nothing.
    """
    today = today or datetime.now(BANGKOK).date()
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
                RoleAssignment.officer_id.is_(None), RoleAssignment.round_id.is_(None))).first() is None:
            session.add(RoleAssignment(staff_id=member.id, role=Role.HR_ADMIN))
    session.flush()
    return agency


def _imported(report: ImportReport) -> None:
    """The demo files are part of the code: a problem in them is a bug."""
    if not report.ok or report.problems:
        raise RuntimeError("demo data cannot be imported:\n" + "\n".join(report.lines()))


def main() -> None:
    """`make run`: the whole bot in one process, on SQLite, with its simulator."""
    from bot.app import create_app
    from bot.db import sessions
    from bot.evidence import fetch_pending_evidence
    from models.migrate import upgrade
    from thai import warm_up

    app = create_app()
    warm_up()
    settings = app.config["SETTINGS"]
    if not settings.is_demo:
        raise SystemExit("make run is the demo mode; unset the LINE keys or use the Procfile")
    with app.app_context():
        upgrade(app.extensions["db.engine"])
        with sessions()() as session:
            seed_demo(session)
            session.commit()
        from bot.demo_appraisal import seed_appraisal_demo  # issue 8: a round ready to close

        with sessions()() as session:
            seed_appraisal_demo(session)
            session.commit()
        fake = app.extensions["fake_line"]
        for person in PEOPLE:
            fake.profiles[person.line_user_id] = person.nickname

    # Local mode runs the clock and the delivery worker in this process (production: the
    # `clock` and `worker` processes of the Procfile).
    from apscheduler.schedulers.background import BackgroundScheduler

    from scheduler.__main__ import add_jobs
    from scheduler.delivery import DeliveryWorker

    worker = DeliveryWorker(app.extensions["db.sessions"], app.extensions["line.gateway"])
    app.extensions["delivery.worker"] = worker  # the simulator's tick control uses it too

    def deliver_forever() -> None:
        with app.app_context():
            while True:
                try:
                    worker.run_once()
                    fetch_pending_evidence(sessions(), app.extensions["line.gateway"],
                                           settings.storage_dir)
                except Exception:
                    log.exception("outbox delivery failed; trying again")
                time.sleep(1)

    threading.Thread(target=deliver_forever, name="delivery", daemon=True).start()
    clock = BackgroundScheduler(timezone=BANGKOK)
    add_jobs(clock, app.extensions["db.sessions"], settings.timezone)
    clock.start()
    url = f"http://127.0.0.1:{settings.port}"
    print(f"\n  Demo mode (no LINE keys): listening on the loopback address 127.0.0.1 only,"
          "\n  not reachable from other machines; set the LINE keys for production.\n"
          f"\n  Simulator: {url}/sim\n  Webhook:   {url}/callback\n"
          "  The simulator's new user can link with a code from its button (ขอรหัสเชื่อมบัญชีทดลอง)"
          "\n  or from `flask staff link-codes`."
          "\n  Reminders: the simulator's นาฬิกาจำลอง runs `tick` at a chosen date and time.\n",
          flush=True)
    app.run(host="127.0.0.1", port=settings.port, threaded=True, use_reloader=False)


if __name__ == "__main__":
    main()
