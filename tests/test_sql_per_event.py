"""SQL statements per webhook event, by kind: the whole way (claim, person, answer, ride-along,
stored answer, its clearing), counted on the app's engine.

Each count is exact: a change that adds a statement to an event fails here until the expected
count is updated on purpose (and the benchmark, bench/webhook.py, says what it costs).
"""
from __future__ import annotations

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from handlers.postbacks import ShowHelp, encode
from models import Role, RoleAssignment
from tests.builders import counting_statements, make_agreement, make_officer
from tests.chat import Line

# kind: (what the officer sends, statements); the officer is linked, with a signed agreement in
# the open round, and has a mentor.
EVENTS: dict[str, tuple[str, int]] = {
    # Every event: the claim, the person (with their staff row and their flow row; on
    # PostgreSQL a text's flow row is read apart, after the person's row lock: +1), the roles
    # with their supervised low-performer cases (one query), whether a day push or held notices
    # wait to ride along (one query), the stored answer and its clearing: 6. Then what the answer
    # itself reads or writes:
    "help": ("ช่วยเหลือ", 6),
    "menu": ("เมนู", 6),
    "my KPIs": ("ตัวชี้วัดของฉัน", 10),  # + round, its deadlines, agreement, KPIs with reports
    "unknown text": ("สวัสดีครับ", 6),
    "free-form report": ("ตัวชี้วัดที่ 1 ได้ 45 ราย จากเป้า 60", 8),  # + KPIs in the round, new state
    "postback tap": ("tap", 6),  # the help tap
    "follow": ("follow", 7),  # + the audit row
}




@pytest.mark.parametrize("kind", list(EVENTS))
def test_statements_per_event(engine: Engine, line: Line, kind: str) -> None:
    with Session(engine) as session:
        officer, user_id = make_officer(session)
        mentor, _mentor_user = make_officer(session, unit=officer.unit, name="นางพี่เลี้ยง ใจดี")
        session.add(RoleAssignment(staff_id=mentor.id, role=Role.MENTOR, officer_id=officer.id))
        make_agreement(session, officer, weights=(20,) * 5)
        session.commit()
    line.say(user_id, "ช่วยเหลือ")  # the first event of a process warms what it keeps
    sent, expected = EVENTS[kind]
    with counting_statements(engine) as statements:
        if sent == "tap":
            replies = line.tap(user_id, encode(ShowHelp()))
        elif sent == "follow":
            replies = line.follow(user_id)
        else:
            replies = line.say(user_id, sent)
    assert replies
    if engine.dialect.name == "postgresql" and sent not in ("tap", "follow"):
        expected += 1
    assert len(statements) == expected, "\n".join(statements)
