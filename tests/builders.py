"""Builders that read like the domain: people, and signed webhooks as LINE sends them."""
from __future__ import annotations

import itertools
import json
import socket
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

from flask.testing import FlaskClient
from sqlalchemy import Engine, event
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.test import TestResponse

from bot.line_gateway import LineGateway
from bot.sim import sign, webhook_body
from models import Agency, LineUser, Role, RoleAssignment, Staff, Unit, utcnow

_codes = itertools.count(1)

# What the app's settings give the router and the jobs (the test settings' time zone and the
# demo's public address): `router.handle(..., tz=APP_TZ, public_base_url=BASE_URL)`.
APP_TZ = ZoneInfo("Asia/Bangkok")
BASE_URL = "http://127.0.0.1:8000"


def make_agency(session: Session) -> tuple[Agency, Unit]:
    agency = Agency(code=f"AG{next(_codes)}", name_th="กรมทดสอบ")
    session.add(agency)
    session.flush()
    unit = Unit(agency_id=agency.id, code="U1", name_th="กองทดสอบ")
    session.add(unit)
    session.flush()
    return agency, unit


def make_officer(session: Session, *, name: str = "นายทดสอบ ระบบดี", linked: bool = True,
                 is_hipps: bool = False, roles: tuple[str, ...] = (),
                 unit: Unit | None = None) -> tuple[Staff, str]:
    """A staff member with a LINE account (in `unit`'s agency, or a new one)."""
    if unit is None:
        _agency, unit = make_agency(session)
    staff = Staff(agency_id=unit.agency_id, unit_id=unit.id, staff_code=f"S{next(_codes):05d}",
                  name_th=name, position="นักวิเคราะห์นโยบายและแผน", is_hipps=is_hipps)
    session.add(staff)
    session.flush()
    user_id = "U" + uuid.uuid4().hex
    session.add(LineUser(user_id=user_id, staff_id=staff.id if linked else None,
                         linked_at=utcnow() if linked else None))
    for role in roles:
        session.add(RoleAssignment(staff_id=staff.id, role=Role(role)))
    session.flush()
    return staff, user_id


def text_event(text: str) -> dict[str, Any]:
    return {"type": "message", "message": {"type": "text", "id": "1", "text": text,
                                           "quoteToken": "q"}}


def postback_event(data: str) -> dict[str, Any]:
    return {"type": "postback", "postback": {"data": data}}


FOLLOW = {"type": "follow", "follow": {"isUnblocked": False}}


def post_webhook(client: FlaskClient, body: dict[str, Any] | bytes, secret: str,
                 signature: str | None = None) -> TestResponse:
    raw = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
    return client.post("/callback", data=raw, content_type="application/json",
                       headers={"X-Line-Signature": signature if signature is not None
                                else sign(raw, secret)})


def send(client: FlaskClient, fake: Any, secret: str, user_id: str,
         event: dict[str, Any]) -> list[dict[str, Any]]:
    """Post one signed event from `user_id`; return what the bot replied (through the fake)."""
    token = uuid.uuid4().hex
    fake.expect_reply(token, user_id)
    response = post_webhook(client, webhook_body(user_id, event, token), secret)
    assert response.status_code == 200, response.data
    return fake.replies_to(token)


def make_agreement(session: Session, officer: Staff, *, fiscal_year: int = 2570, round_no: int = 1,
                   weights: tuple[int, ...] = (30, 20, 20, 15, 15), signed: bool = True,
                   key_project: str | None = None) -> Any:
    """An agreement of len(weights) KPIs for the officer in that round (opened with defaults)."""
    from datetime import datetime
    from decimal import Decimal

    from models import Kpi, KpiAgreement
    from models.rounds import DeadlineRule, open_round

    if not session.query(DeadlineRule).filter_by(agency_id=officer.agency_id).first():
        from models.rounds import add_default_deadline_rules

        add_default_deadline_rules(session, officer.agency_id)
        session.flush()
    round_ = open_round(session, officer.agency_id, fiscal_year, round_no)
    agreement = KpiAgreement(officer_id=officer.id, round_id=round_.id, key_project=key_project)
    for number, weight in enumerate(weights, start=1):
        agreement.kpis.append(Kpi(
            number=number, name=f"ร้อยละของงานที่ {number} แล้วเสร็จตามกำหนด", unit="ร้อยละ",
            weight=Decimal(weight), target=Decimal(80), level1=Decimal(60), level2=Decimal(70),
            level3=Decimal(80), level4=Decimal(90), level5=Decimal(100)))
    session.add(agreement)
    session.flush()
    if signed:
        agreement.signed_at = datetime(2026, 10, 15, tzinfo=UTC)
    session.flush()
    return agreement


# A Wednesday morning in office hours: what `deliver_outbox` judges office hours by, so that
# reminders and announcements held for office hours go out whatever day the tests run on.
OFFICE_MOMENT = datetime(2027, 2, 24, 10, 0, tzinfo=timezone(timedelta(hours=7)))


def deliver_outbox(sessions: sessionmaker[Session], gateway: LineGateway,
                   at: datetime = OFFICE_MOMENT) -> int:
    """One pass of the real delivery worker (scheduler/delivery.py); how many LINE accepted."""
    from scheduler.delivery import DeliveryWorker

    worker = DeliveryWorker(sessions, gateway, tz=APP_TZ)
    try:
        return worker.run_once(at).sent
    finally:
        worker.close()


# --- story settings shared by several test modules ---------------------------------------

def office(session: Session, *, hipps: bool = False, mentor: bool = True,
           coach: bool = True) -> dict[str, Any]:
    """An officer with a signed 5-KPI agreement, their mentor and (for HiPPS) their coach."""
    officer, officer_user = make_officer(session, name="นายสมชาย ตั้งใจ", is_hipps=hipps)
    people: dict[str, Any] = {"officer": officer, "officer_user": officer_user}
    if mentor:
        people["mentor"], people["mentor_user"] = make_officer(
            session, name="นางมาลี รักงาน", unit=officer.unit)
        session.add(RoleAssignment(staff_id=people["mentor"].id, role=Role.MENTOR,
                                   officer_id=officer.id))
    if hipps and coach:
        people["coach"], people["coach_user"] = make_officer(
            session, name="นายวิชัย ศรีสุข", unit=officer.unit)
        session.add(RoleAssignment(staff_id=people["coach"].id, role=Role.COACH,
                                   officer_id=officer.id))
    people["agreement"] = make_agreement(session, officer)
    session.flush()
    return people


def agency(session: Session) -> dict[str, Any]:
    """HR in one unit; a planning unit with a sub-unit; three officers, one on no LINE."""
    hr, hr_user = make_officer(session, name="นางสาวพิมพ์ชนก ใจดี", roles=(Role.HR_ADMIN,))
    plan = Unit(agency_id=hr.agency_id, code="PLAN", name_th="กองยุทธศาสตร์และแผนงาน")
    session.add(plan)
    session.flush()
    sub = Unit(agency_id=hr.agency_id, code="PLAN1", name_th="กลุ่มแผนงาน", parent_id=plan.id)
    session.add(sub)
    session.flush()
    a, a_user = make_officer(session, name="นายสมชาย ตั้งใจ", unit=plan)
    b, b_user = make_officer(session, name="นางสาวกมลวรรณ พากเพียร", unit=sub)
    c, _ = make_officer(session, name="นายธนากร มุ่งมั่น", unit=plan, linked=False)
    session.add(RoleAssignment(staff_id=b.id, role=Role.MENTOR, officer_id=a.id))
    for officer in (a, b, c):
        make_agreement(session, officer)
    session.flush()
    return {"hr": hr, "hr_user": hr_user, "plan": plan, "sub": sub, "a": a, "a_user": a_user,
            "b": b, "b_user": b_user, "c": c}


@contextmanager
def silent_listener() -> Iterator[int]:
    """A loopback port that accepts every connection and never answers (a hung server)."""
    listener = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])  # kept open, never read, never written
            except TimeoutError:
                continue
            except OSError:
                return

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join()
        listener.close()
        for connection in held:
            connection.close()


@contextmanager
def counting_statements(engine: Engine) -> Iterator[list[str]]:
    """The SQL statements `engine` runs inside the block (not the test's savepoints)."""
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)
