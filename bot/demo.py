"""The demo agency, and `make run`: migrate, seed, deliver, serve the simulator."""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Agency, LineUser, Role, RoleAssignment, Staff, Unit, utcnow

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
# (carer staff code, role, officer staff code): the mentor cares for every officer, and the
# director coaches the HiPPS officer and supervises the unit.
CARE = (
    [("D0003", Role.MENTOR, code) for code in ("D0004", "D0005", "D0006")]
    + [("D0002", Role.COACH, "D0006")]
    + [("D0002", Role.SUPERVISOR, code) for code in ("D0003", "D0004", "D0005", "D0006")]
)


def seed_demo(session: Session) -> Agency:
    """Create the demo agency if it is not there; running it again changes nothing."""
    agency = session.scalars(select(Agency).where(Agency.code == AGENCY[0])).first()
    if agency is not None:
        return agency
    agency = Agency(code=AGENCY[0], name_th=AGENCY[1])
    session.add(agency)
    session.flush()
    units = {code: Unit(agency_id=agency.id, code=code, name_th=name) for code, name in UNITS.items()}
    session.add_all(units.values())
    session.flush()
    staff: dict[str, Staff] = {}
    now = utcnow()
    for person in PEOPLE:
        member = Staff(agency_id=agency.id, unit_id=units[person.unit].id,
                       staff_code=person.staff_code, name_th=person.name_th,
                       position=person.position, is_hipps=person.is_hipps)
        session.add(member)
        staff[person.staff_code] = member
    session.flush()
    for person in PEOPLE:
        session.add(LineUser(user_id=person.line_user_id, staff_id=staff[person.staff_code].id,
                             following=True, first_seen_at=now, linked_at=now))
        if Role.HR_ADMIN in person.roles:
            session.add(RoleAssignment(staff_id=staff[person.staff_code].id, role=Role.HR_ADMIN))
    for carer, role, officer in CARE:
        session.add(RoleAssignment(staff_id=staff[carer].id, role=role,
                                   officer_id=staff[officer].id))
    session.flush()
    return agency


def main() -> None:
    """`make run`: the whole bot in one process, on SQLite, with its simulator."""
    from bot.app import create_app
    from bot.db import sessions
    from bot.delivery import drain_outbox
    from models.migrate import upgrade

    from bot.thai import warm_up

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
        fake = app.extensions["fake_line"]
        for person in PEOPLE:
            fake.profiles[person.line_user_id] = person.nickname

    def deliver_forever() -> None:
        # Local mode runs delivery in the same process (production: the `worker` process).
        with app.app_context():
            while True:
                try:
                    drain_outbox(sessions(), app.extensions["line.gateway"])
                except Exception:
                    log.exception("outbox delivery failed; trying again")
                time.sleep(1)

    threading.Thread(target=deliver_forever, name="delivery", daemon=True).start()
    url = f"http://127.0.0.1:{settings.port}"
    print(f"\n  Simulator: {url}/sim\n  Webhook:   {url}/callback\n", flush=True)
    app.run(host="127.0.0.1", port=settings.port, threaded=True, use_reloader=False)


if __name__ == "__main__":
    main()
