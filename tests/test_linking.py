"""Story tests: a new LINE user links their account with the code HR gave them."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from handlers import texts
from models import AuditEntry, LineUser, Staff
from models.linking import issue_code
from tests.builders import make_officer
from tests.chat import NOW, Chat, said

NEWCOMER = "U" + "f" * 32  # a LINE user not linked to anyone yet


def line_user(session: Session, user_id: str = NEWCOMER) -> LineUser:
    user = session.get(LineUser, user_id)
    assert user is not None
    return user


def new_person(session: Session, name: str = "นายสมชาย ตั้งใจ") -> tuple[Staff, str]:
    staff, _ = make_officer(session, name=name, linked=False)
    return staff, issue_code(session, staff, NOW)


def test_follow_code_confirm_linked(session: Session, chat: Chat) -> None:
    staff, code = new_person(session)
    assert texts.ASK_LINK_CODE in said(chat.follow(NEWCOMER))
    confirm = chat.say(NEWCOMER, code.lower()[:4] + "-" + code.lower()[4:])
    assert "นายสมชาย ตั้งใจ" in said(confirm) and "ใช่คุณหรือไม่" in said(confirm)
    labels = [i["action"]["label"] for i in confirm[-1]["quickReply"]["items"]]
    assert labels[:2] == ["ใช่ ยืนยัน", "ไม่ใช่"]
    done = chat.say(NEWCOMER, "ใช่ครับ")
    assert "เชื่อมบัญชีเรียบร้อย" in said(done) and "คุณสมชาย ตั้งใจ" in said(done)
    assert line_user(session).staff_id == staff.id
    assert "ตัวชี้วัดของฉัน" in [i["action"]["label"] for i in done[-1]["quickReply"]["items"]]
    # the code is spent
    other = "U" + "e" * 32
    assert "ไม่ถูกต้อง" in said(chat.say(other, code))


def test_a_code_works_without_following_first(session: Session, chat: Chat) -> None:
    staff, code = new_person(session)
    assert "ใช่คุณหรือไม่" in said(chat.say(NEWCOMER, code))
    chat.say(NEWCOMER, "โอเค")
    assert line_user(session).staff_id == staff.id


def test_saying_no_links_nothing(session: Session, chat: Chat) -> None:
    _staff, code = new_person(session)
    chat.follow(NEWCOMER)
    chat.say(NEWCOMER, code)
    assert texts.LINK_NOT_ME in said(chat.say(NEWCOMER, "ไม่ใช่"))
    assert line_user(session).staff_id is None


def test_an_unclear_answer_asks_again(session: Session, chat: Chat) -> None:
    _staff, code = new_person(session)
    chat.say(NEWCOMER, code)
    again = chat.say(NEWCOMER, "อะไรนะ")
    assert texts.PLEASE_ANSWER_YES_NO in said(again) and "ใช่คุณหรือไม่" in said(again)
    assert line_user(session).staff_id is None


def test_cancel_leaves_the_flow(session: Session, chat: Chat) -> None:
    _staff, code = new_person(session)
    chat.follow(NEWCOMER)
    assert texts.CANCELLED in said(chat.say(NEWCOMER, "ยกเลิก"))
    assert texts.NOT_LINKED in said(chat.say(NEWCOMER, "สวัสดี"))


def test_five_wrong_codes_lock_linking_for_15_minutes(session: Session, chat: Chat) -> None:
    _staff, code = new_person(session)
    chat.follow(NEWCOMER)
    for left in (4, 3, 2, 1):
        assert f"ลองได้อีก {left} ครั้ง" in said(chat.say(NEWCOMER, "WRONG234"))
    assert "พักการเชื่อมบัญชี" in said(chat.say(NEWCOMER, "WRONG234"))
    chat.now += timedelta(minutes=5)
    assert "พักการเชื่อมบัญชี" in said(chat.say(NEWCOMER, code))  # even the right code waits
    assert line_user(session).staff_id is None
    chat.now += timedelta(minutes=11)
    assert "ใช่คุณหรือไม่" in said(chat.say(NEWCOMER, code))
    locks = session.scalar(select(func.count()).select_from(AuditEntry)
                           .where(AuditEntry.action == "link.locked"))
    assert locks == 1


def test_an_expired_code_is_refused(session: Session, chat: Chat) -> None:
    _staff, code = new_person(session)
    chat.now += timedelta(days=15)
    assert "ไม่ถูกต้องหรือหมดอายุ" in said(chat.say(NEWCOMER, code))


def test_a_new_code_replaces_the_old_one(session: Session, chat: Chat) -> None:
    staff, old = new_person(session)
    new = issue_code(session, staff, NOW)
    assert "ไม่ถูกต้อง" in said(chat.say(NEWCOMER, old))
    assert "ใช่คุณหรือไม่" in said(chat.say(NEWCOMER, new))


def test_one_line_account_per_person(session: Session, chat: Chat) -> None:
    staff, code = new_person(session)
    chat.say(NEWCOMER, code)
    chat.say(NEWCOMER, "ใช่")
    second_code = issue_code(session, staff, NOW)
    second = "U" + "d" * 32
    chat.say(second, second_code)
    refused = chat.say(second, "ใช่")
    assert "เชื่อมกับบัญชี LINE อื่นอยู่แล้ว" in said(refused)
    assert line_user(session, second).staff_id is None


def test_unfollow_unlinks_but_keeps_the_records(session: Session, chat: Chat) -> None:
    staff, code = new_person(session)
    chat.say(NEWCOMER, code)
    chat.say(NEWCOMER, "ใช่")
    chat.unfollow(NEWCOMER)
    assert line_user(session).staff_id is None and line_user(session).following is False
    assert session.get(Staff, staff.id) is not None
    assert texts.NOT_LINKED in said(chat.say(NEWCOMER, "ตัวชี้วัดของฉัน"))


def test_an_idle_flow_expires_after_30_minutes(session: Session, chat: Chat) -> None:
    _staff, code = new_person(session)
    chat.say(NEWCOMER, code)
    chat.now += timedelta(minutes=31)
    assert texts.NOT_LINKED in said(chat.say(NEWCOMER, "ใช่"))
    assert line_user(session).staff_id is None


def test_a_linked_person_cannot_link_again(session: Session, chat: Chat) -> None:
    _staff, user_id = make_officer(session)
    assert "เชื่อมกับข้อมูลของคุณแล้ว" in said(chat.say(user_id, "เชื่อมบัญชี"))
