"""Builders that read like the domain: people, and signed webhooks as LINE sends them."""
from __future__ import annotations

import itertools
import json
import uuid
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from bot.sim import sign, webhook_body
from models import Agency, LineUser, Role, RoleAssignment, Staff, Unit, utcnow

_codes = itertools.count(1)


def make_agency(session: Session) -> tuple[Agency, Unit]:
    agency = Agency(code=f"AG{next(_codes)}", name_th="กรมทดสอบ")
    session.add(agency)
    session.flush()
    unit = Unit(agency_id=agency.id, code="U1", name_th="กองทดสอบ")
    session.add(unit)
    session.flush()
    return agency, unit


def make_officer(session: Session, *, name: str = "นายทดสอบ ระบบดี", linked: bool = True,
                 is_hipps: bool = False, roles: tuple[str, ...] = ()) -> tuple[Staff, str]:
    """A staff member with a LINE account; returns (staff, LINE user id)."""
    agency, unit = make_agency(session)
    staff = Staff(agency_id=agency.id, unit_id=unit.id, staff_code=f"S{next(_codes):05d}",
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
