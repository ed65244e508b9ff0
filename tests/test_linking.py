"""Story tests: a new LINE user links their account with the code HR gave them."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from handlers import router, texts
from handlers.events import Followed, TextReceived, Unfollowed
from models import AuditEntry, LineUser, Staff
from models.linking import issue_code
from tests.builders import APP_TZ, BASE_URL, make_officer

BKK = timezone(timedelta(hours=7))
NOW = datetime(2026, 11, 21, 9, 0, tzinfo=BKK)


class Chat:
    """One LINE user talking to the router, with the clock in the test's hand."""

    def __init__(self, session: Session, user_id: str = "U" + "f" * 32) -> None:
        self.session, self.user_id, self.now = session, user_id, NOW

    def follow(self) -> list[dict[str, Any]]:
        return self._handle(Followed(user_id=self.user_id, at=self.now))

    def say(self, text: str) -> list[dict[str, Any]]:
        return self._handle(TextReceived(user_id=self.user_id, at=self.now, text=text))

    def _handle(self, event: Any) -> list[dict[str, Any]]:
        replies = router.handle(self.session, event, self.now, tz=APP_TZ,
                                public_base_url=BASE_URL)
        self.session.flush()
        return replies

    @property
    def line_user(self) -> LineUser:
        return self.session.get(LineUser, self.user_id)


def said(replies: list[dict[str, Any]]) -> str:
    return "\n".join(r.get("text", r.get("altText", "")) for r in replies)


def new_person(session: Session, name: str = "นายสมชาย ตั้งใจ") -> tuple[Staff, str]:
    staff, _ = make_officer(session, name=name, linked=False)
    return staff, issue_code(session, staff, NOW)


def test_follow_code_confirm_linked(session: Session) -> None:
    staff, code = new_person(session)
    chat = Chat(session)
    assert texts.ASK_LINK_CODE in said(chat.follow())
    confirm = chat.say(code.lower()[:4] + "-" + code.lower()[4:])
    assert "นายสมชาย ตั้งใจ" in said(confirm) and "ใช่คุณหรือไม่" in said(confirm)
    labels = [i["action"]["label"] for i in confirm[-1]["quickReply"]["items"]]
    assert labels[:2] == ["ใช่ ยืนยัน", "ไม่ใช่"]
    done = chat.say("ใช่ครับ")
    assert "เชื่อมบัญชีเรียบร้อย" in said(done) and "คุณสมชาย ตั้งใจ" in said(done)
    assert chat.line_user.staff_id == staff.id
    assert "ตัวชี้วัดของฉัน" in [i["action"]["label"] for i in done[-1]["quickReply"]["items"]]
    # the code is spent
    other = Chat(session, "U" + "e" * 32)
    assert "ไม่ถูกต้อง" in said(other.say(code))


def test_a_code_works_without_following_first(session: Session) -> None:
    staff, code = new_person(session)
    chat = Chat(session)
    assert "ใช่คุณหรือไม่" in said(chat.say(code))
    chat.say("โอเค")
    assert chat.line_user.staff_id == staff.id


def test_saying_no_links_nothing(session: Session) -> None:
    _staff, code = new_person(session)
    chat = Chat(session)
    chat.follow()
    chat.say(code)
    assert texts.LINK_NOT_ME in said(chat.say("ไม่ใช่"))
    assert chat.line_user.staff_id is None


def test_an_unclear_answer_asks_again(session: Session) -> None:
    _staff, code = new_person(session)
    chat = Chat(session)
    chat.say(code)
    again = chat.say("อะไรนะ")
    assert texts.PLEASE_ANSWER_YES_NO in said(again) and "ใช่คุณหรือไม่" in said(again)
    assert chat.line_user.staff_id is None


def test_cancel_leaves_the_flow(session: Session) -> None:
    _staff, code = new_person(session)
    chat = Chat(session)
    chat.follow()
    assert texts.CANCELLED in said(chat.say("ยกเลิก"))
    assert texts.NOT_LINKED in said(chat.say("สวัสดี"))


def test_five_wrong_codes_lock_linking_for_15_minutes(session: Session) -> None:
    _staff, code = new_person(session)
    chat = Chat(session)
    chat.follow()
    for left in (4, 3, 2, 1):
        assert f"ลองได้อีก {left} ครั้ง" in said(chat.say("WRONG234"))
    assert "พักการเชื่อมบัญชี" in said(chat.say("WRONG234"))
    chat.now += timedelta(minutes=5)
    assert "พักการเชื่อมบัญชี" in said(chat.say(code))  # even the right code waits
    assert chat.line_user.staff_id is None
    chat.now += timedelta(minutes=11)
    assert "ใช่คุณหรือไม่" in said(chat.say(code))
    locks = session.scalar(select(func.count()).select_from(AuditEntry)
                           .where(AuditEntry.action == "link.locked"))
    assert locks == 1


def test_an_expired_code_is_refused(session: Session) -> None:
    _staff, code = new_person(session)
    chat = Chat(session)
    chat.now += timedelta(days=15)
    assert "ไม่ถูกต้องหรือหมดอายุ" in said(chat.say(code))


def test_a_new_code_replaces_the_old_one(session: Session) -> None:
    staff, old = new_person(session)
    new = issue_code(session, staff, NOW)
    chat = Chat(session)
    assert "ไม่ถูกต้อง" in said(chat.say(old))
    assert "ใช่คุณหรือไม่" in said(chat.say(new))


def test_one_line_account_per_person(session: Session) -> None:
    staff, code = new_person(session)
    first = Chat(session)
    first.say(code)
    first.say("ใช่")
    second_code = issue_code(session, staff, NOW)
    second = Chat(session, "U" + "d" * 32)
    second.say(second_code)
    refused = second.say("ใช่")
    assert "เชื่อมกับบัญชี LINE อื่นอยู่แล้ว" in said(refused)
    assert second.line_user.staff_id is None


def test_unfollow_unlinks_but_keeps_the_records(session: Session) -> None:
    staff, code = new_person(session)
    chat = Chat(session)
    chat.say(code)
    chat.say("ใช่")
    router.handle(session, Unfollowed(user_id=chat.user_id, at=NOW), NOW, tz=APP_TZ,
                  public_base_url=BASE_URL)
    session.flush()
    assert chat.line_user.staff_id is None and chat.line_user.following is False
    assert session.get(Staff, staff.id) is not None
    assert texts.NOT_LINKED in said(chat.say("ตัวชี้วัดของฉัน"))


def test_an_idle_flow_expires_after_30_minutes(session: Session) -> None:
    _staff, code = new_person(session)
    chat = Chat(session)
    chat.say(code)
    chat.now += timedelta(minutes=31)
    assert texts.NOT_LINKED in said(chat.say("ใช่"))
    assert chat.line_user.staff_id is None


def test_a_linked_person_cannot_link_again(session: Session) -> None:
    _staff, user_id = make_officer(session)
    chat = Chat(session, user_id)
    assert "เชื่อมกับข้อมูลของคุณแล้ว" in said(chat.say("เชื่อมบัญชี"))
