"""The HR console's tests share these: an HR administrator and an officer (committed), signing in
through the link pushed over LINE, and the CSRF token of a page."""
from __future__ import annotations

import io
import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from bot import db
from bot.fake_line import FakeLine
from models import Role
from tests.builders import deliver_outbox, make_agreement, make_officer, send, text_event
from tests.conftest import TEST_SECRET


def people(app: Flask) -> dict[str, Any]:
    with app.app_context(), db.sessions()() as session:
        hr, hr_user = make_officer(session, name="นางสาวพิมพ์ชนก ใจดี", roles=(Role.HR_ADMIN,))
        officer, officer_user = make_officer(session, name="นายสมชาย ตั้งใจ", unit=hr.unit)
        make_agreement(session, officer)
        make_agreement(session, hr)
        session.commit()
        return {"hr_id": hr.id, "hr_user": hr_user, "officer_id": officer.id,
                "officer_user": officer_user, "agency_id": hr.agency_id,
                "officer_code": officer.staff_code}


def sign_in_link(app: Flask, client: FlaskClient, fake: FakeLine, user_id: str) -> str | None:
    """Type เข้าสู่ระบบ in the chat; deliver the outbox; return the link LINE got (if any)."""
    send(client, fake, TEST_SECRET, user_id, text_event("เข้าสู่ระบบ"))
    with app.app_context():
        deliver_outbox(db.sessions(), app.extensions["line.gateway"])
    links = [re.search(r"https?://\S+/hr/login/[\w-]+", str(d.message))
             for d in fake.messages_for(user_id) if d.kind == "push"]
    found = [match.group(0) for match in links if match]
    return found[-1] if found else None


def signed_in(app: Flask, client: FlaskClient, fake: FakeLine, user_id: str) -> None:
    link = sign_in_link(app, client, fake, user_id)
    assert link is not None
    path = link.split("127.0.0.1:8000", 1)[1]
    assert "เข้าสู่ระบบ" in client.get(path).get_data(as_text=True)
    response = client.post(path)
    assert response.status_code == 302, response.get_data(as_text=True)


def csrf(client: FlaskClient, page: str = "/hr/announcements") -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get(page).get_data(as_text=True))
    assert match
    return match.group(1)


def post_file(client: FlaskClient, token: str, content: bytes, name: str) -> Any:
    """POST a file to /hr/import, the body encoded in memory (the test client would spool a
    large one to a temporary file it never closes)."""
    from werkzeug.datastructures import FileStorage
    from werkzeug.test import encode_multipart

    boundary, body = encode_multipart({"csrf_token": token, "kind": "staff",
                                       "file": FileStorage(io.BytesIO(content), name)})
    return client.post("/hr/import", data=body,
                       content_type=f"multipart/form-data; boundary={boundary}")


def seed_demo_round(engine: Any, today: Any, unreported: tuple[str, ...] = ()) -> None:
    """The demo agency and its round's results (`make run`'s data), committed; the officers in
    `unreported` have no progress report."""
    from sqlalchemy.orm import Session

    from bot.demo import seed_demo
    from bot.demo_appraisal import seed_appraisal_demo

    with Session(engine) as session:
        seed_demo(session, today=today)
        seed_appraisal_demo(session, today=today, unreported=unreported)
        session.commit()
