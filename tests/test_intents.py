"""Everyday chat and the first minute: the intent table row by row, รับทราบ, what the bot did not
understand (kept for HR), laughter inside a flow, and a newcomer who greets before linking."""
from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.fake_line import FakeLine
from handlers import announcements, intents, texts
from models import Announcement, AnnouncementRecipient, Audience, LineUser, UnknownMessage
from models.linking import issue_code
from tests.builders import make_agreement, make_officer
from tests.chat import NOW, Chat, Line, quick_labels, said
from tests.hr_console import people, signed_in

# (what a person types, the intent row that answers it): every row of INTENTS appears.
ROWS = [
    ("สวัสดีครับ", "greeting"),
    ("สวัสดีค่ะ", "greeting"),
    ("หวัดดีจ้า", "greeting"),
    ("Hello", "greeting"),
    ("อรุณสวัสดิ์ค่ะ", "greeting"),
    ("ขอบคุณค่ะ", "thanks"),
    ("ขอบคุณครับผม", "thanks"),
    ("ขอบใจนะ", "thanks"),
    ("thank you", "thanks"),
    ("ทำอะไรได้บ้าง", "capabilities"),
    ("บอทนี้ทำอะไรได้บ้างคะ", "capabilities"),
    ("ใช้ยังไงครับ", "capabilities"),
    ("อยากรายงานผลงาน", "report"),
    ("อยากรายงานความคืบหน้าค่ะ", "report"),
    ("ขอส่งผลงานหน่อยครับ", "report"),
    ("ดูคะแนน", "results"),
    ("ผลของฉันเป็นยังไงบ้าง", "results"),
    ("ได้กี่คะแนนครับ", "results"),
    ("ขอผลประเมิน PDF", "result_pdf"),
    ("ผลการประเมินของฉัน pdf ค่ะ", "result_pdf"),
    ("พิมพ์ผลประเมินหน่อยครับ", "result_pdf"),
    ("ยังไม่มีรหัส", "no_code"),
    ("ไม่มีรหัสครับ ต้องทำยังไง", "no_code"),
    ("ลืมรหัสค่ะ", "no_code"),
    ("ติดต่อ HR", "contact_hr"),
    ("ขอติดต่อเจ้าหน้าที่หน่อยครับ", "contact_hr"),
    ("รับทราบ", "acknowledge"),
    ("รับทราบค่ะ", "acknowledge"),
    ("รับทราบครับ", "acknowledge"),
    ("ต้องส่งเมื่อไหร่คะ", "deadlines"),
    ("555", "laughter"),
    ("5555+", "laughter"),
    ("ฮ่าฮ่า", "laughter"),
    ("สวัสดีครับ อยากรายงานผลงาน", "report"),  # the specific row wins over the greeting
]


def test_every_row_of_the_table_is_tested() -> None:
    assert {name for _text, name in ROWS} == {intent.name for intent in intents.INTENTS}


@pytest.mark.parametrize(("typed", "name"), ROWS, ids=[f"{n}:{t}" for t, n in ROWS])
def test_the_table_reads(typed: str, name: str) -> None:
    found = intents.match(typed)
    assert found is not None and found.name == name


@pytest.mark.parametrize("typed", ["ข้อ 2 ได้ 45", "กขค", "ขอลาพักร้อน", "ABCD-2345", ""])
def test_what_is_not_in_the_table(typed: str) -> None:
    assert intents.match(typed) is None


# What a linked officer reads back: a real answer, never "ยังไม่เข้าใจ", and the next step offered.
ANSWERS = [
    ("สวัสดีครับ", "สวัสดี คุณทดสอบ ระบบดี", "ตัวชี้วัดของฉัน"),
    ("ขอบคุณค่ะ", "ยินดีให้บริการ", "ตัวชี้วัดของฉัน"),
    ("ทำอะไรได้บ้าง", "ติดตามผลการปฏิบัติราชการ", "รายงานความก้าวหน้า"),
    ("อยากรายงานผลงาน", "ข้อ 2 ได้ 45 จากเป้า 60", "รายงานความก้าวหน้า"),
    ("ดูคะแนน", "ผลการประเมิน", "ผลการประเมิน"),
    ("ลืมรหัสค่ะ", "เชื่อมกับข้อมูลของคุณแล้ว", "ช่วยเหลือ"),
    ("ติดต่อ HR", "กลุ่มบริหารทรัพยากรบุคคล", "ช่วยเหลือ"),
    ("ส่งเมื่อไหร่คะ", "กำหนดส่ง", "กำหนดส่ง"),
    ("555", "😊", "ช่วยเหลือ"),
]


@pytest.mark.parametrize(("typed", "reads", "offered"), ANSWERS, ids=[a[0] for a in ANSWERS])
def test_a_linked_officer_gets_a_real_answer(session: Session, chat: Chat, typed: str,
                                             reads: str, offered: str) -> None:
    _officer, user = make_officer(session)
    answer = chat.say(user, typed)
    assert reads in said(answer)
    assert "ยังไม่เข้าใจ" not in said(answer)
    assert offered in quick_labels(answer)
    assert session.scalar(select(func.count()).select_from(UnknownMessage)) == 0


def test_contact_hr_names_the_agencys_hr(session: Session, chat: Chat) -> None:
    officer, user = make_officer(session)
    unit = officer.unit
    make_officer(session, name="นางสาวใจดี บุคคล", roles=("hr_admin",), unit=unit)
    assert "นางสาวใจดี บุคคล" in said(chat.say(user, "ติดต่อ HR ได้ที่ไหนครับ"))


def test_received_acknowledges_the_latest_unacknowledged_announcement(
        session: Session, chat: Chat) -> None:
    officer, user = make_officer(session)
    hr, _hr_user = make_officer(session, name="นางสาวใจดี บุคคล", roles=("hr_admin",),
                                unit=officer.unit)
    first = announcements.create(session, author=hr, body="ประชุมวันจันทร์", kind=Audience.EVERYONE,
                                 value="", when=None, now=NOW, public_base_url="http://x")
    later = NOW.replace(hour=10)
    second = announcements.create(session, author=hr, body="ส่งแบบฟอร์มภายในวันศุกร์",
                                  kind=Audience.EVERYONE, value="", when=None, now=later,
                                  public_base_url="http://x")

    def acked(announcement: Announcement) -> bool:
        row = session.scalars(select(AnnouncementRecipient).where(
            AnnouncementRecipient.announcement_id == announcement.id,
            AnnouncementRecipient.staff_id == officer.id)).one()
        return row.acknowledged_at is not None

    answer = chat.say(user, "รับทราบค่ะ")
    assert "รับทราบประกาศล่าสุดแล้ว" in said(answer) and "ส่งแบบฟอร์ม" in said(answer)
    assert acked(second) and not acked(first)
    assert "ประชุมวันจันทร์" in said(chat.say(user, "รับทราบครับ"))
    assert acked(first)
    assert texts.ACK_NOTHING in said(chat.say(user, "รับทราบ"))


def test_an_unknown_message_offers_the_closest_commands_and_is_kept(
        session: Session, chat: Chat) -> None:
    officer, user = make_officer(session)
    answer = chat.say(user, "ตัวชี้วัดอยู่ไหน")
    assert texts.UNKNOWN in said(answer)
    labels = quick_labels(answer)
    assert 2 <= len(labels) <= 3 and labels[0] == "ตัวชี้วัดของฉัน" and labels[-1] == "ช่วยเหลือ"
    assert quick_labels(chat.say(user, "รายงานตรงไหน"))[0] in ("รายงานความก้าวหน้า",
                                                              "รายงานการอบรม")
    kept = session.scalars(select(UnknownMessage).order_by(UnknownMessage.id)).all()
    assert [(k.text, k.agency_id, k.linked) for k in kept] == [
        ("ตัวชี้วัดอยู่ไหน", officer.agency_id, True), ("รายงานตรงไหน", officer.agency_id, True)]


def test_laughter_inside_a_flow_keeps_what_was_said(session: Session, chat: Chat) -> None:
    officer, user = make_officer(session)
    make_agreement(session, officer)
    chat.say(user, "ข้อ 2 ได้ 40")  # the value is said; the bot asks for the status
    answer = chat.say(user, "555")
    assert texts.LAUGH_IN_FLOW in said(answer) and "เกิน 100" not in said(answer)
    assert texts.ASK_STATUS not in said(answer)  # nothing moved: the status is still asked
    chat.say(user, "กำลังทำ")
    card = chat.say(user, "ไม่มี")
    assert "40" in said(card)  # the value given before the laughter is still there


# --- the first minute ------------------------------------------------------------------------

NEWCOMER = "U" + "a" * 32


@pytest.mark.parametrize("typed", ["สวัสดีครับ", "ไม่มีรหัสครับ ต้องทำยังไง", "ขอบคุณค่ะ",
                                   "รหัสอะไรคะ", "ABC", "555", "ใช่"])
def test_a_newcomer_chatting_is_never_counted_a_wrong_code(session: Session, chat: Chat,
                                                            typed: str) -> None:
    chat.follow(NEWCOMER)
    for _ in range(7):
        answer = chat.say(NEWCOMER, typed)
        assert (texts.LAUGH_IN_FLOW if typed == "555" else texts.LINK_CODE_GUIDANCE) in said(answer)
        assert "ลองได้อีก" not in said(answer) and "พักการเชื่อมบัญชี" not in said(answer)
    user = session.get(LineUser, NEWCOMER)
    assert user is not None and user.failed_link_attempts == 0 and user.link_locked_until is None


def test_a_newcomer_greeting_gets_a_greeting_and_the_guidance(chat: Chat) -> None:
    chat.follow(NEWCOMER)
    answer = chat.say(NEWCOMER, "สวัสดีครับ")
    assert said(answer).startswith("สวัสดี 🙏") and texts.LINK_CODE_GUIDANCE in said(answer)
    assert "ติดต่อ HR" in quick_labels(answer)


def test_a_newcomer_not_in_the_flow_is_answered_too(session: Session, chat: Chat) -> None:
    answer = chat.say(NEWCOMER, "ไม่มีรหัสครับ ต้องทำยังไง")
    assert texts.LINK_CODE_GUIDANCE in said(answer)
    assert said(chat.say(NEWCOMER, "อะไรนะ")).count(texts.LINK_CODE_GUIDANCE) == 1
    kept = session.scalars(select(UnknownMessage)).all()
    assert [(k.text, k.agency_id, k.linked) for k in kept] == [("อะไรนะ", None, False)]


def test_code_shaped_text_still_counts(session: Session, chat: Chat) -> None:
    chat.follow(NEWCOMER)
    assert "ลองได้อีก 4 ครั้ง" in said(chat.say(NEWCOMER, "ABCD-1234"))
    assert "ลองได้อีก 3 ครั้ง" in said(chat.say(NEWCOMER, "zzzz zzzz"))


@pytest.mark.parametrize(("roles", "reads", "first"), [
    ((), "ตัวชี้วัดของฉัน เพื่อดูเป้าหมาย", "ตัวชี้วัดของฉัน"),
    (("mentor",), "รออนุมัติ เพื่อดูรายงานที่รอคุณรับรอง", "รออนุมัติ"),
    (("supervisor",), "รออนุมัติ เพื่อดูรายงานที่รอคุณรับรอง", "รออนุมัติ"),
    (("hr_admin",), "เข้าสู่ระบบ เพื่อเปิดหน้าเว็บ HR", "เข้าสู่ระบบ"),
], ids=["officer", "mentor", "supervisor", "hr"])
def test_after_linking_one_welcome_for_the_role(session: Session, chat: Chat,
                                                roles: tuple[str, ...], reads: str,
                                                first: str) -> None:
    staff, _ = make_officer(session, name="นายสมชาย ตั้งใจ", linked=False, roles=roles)
    code = issue_code(session, staff, NOW)
    chat.say(NEWCOMER, code)
    welcome = chat.say(NEWCOMER, "ใช่")
    assert len(welcome) == 1
    assert "เชื่อมบัญชีเรียบร้อย" in said(welcome) and reads in said(welcome)
    assert quick_labels(welcome)[0] == first


def test_hr_sees_what_the_bot_did_not_understand(app: Flask, client: FlaskClient,
                                                 fake_line: FakeLine, line: Line) -> None:
    p = people(app)
    for _ in range(3):
        line.say(p["officer_user"], "ขอลาพักร้อนสามวัน")
    line.say(p["officer_user"], "<b>กขค</b>")
    assert client.get("/hr/unknown-messages").status_code == 403
    signed_in(app, client, fake_line, p["hr_user"])
    page = client.get("/hr/unknown-messages").get_data(as_text=True)
    assert "ข้อความที่ระบบยังไม่เข้าใจ" in page
    assert "<td>ขอลาพักร้อนสามวัน</td><td>3</td>" in page
    assert "&lt;b&gt;กขค&lt;/b&gt;" in page and "<b>กขค</b>" not in page
    assert 'href="/hr/unknown-messages"' in client.get("/hr/").get_data(as_text=True)


@pytest.mark.parametrize(("roles", "first"), [((), "ตัวชี้วัดของฉัน"), (("mentor",), "รออนุมัติ"),
                                              (("hr_admin",), "เข้าสู่ระบบ")])
def test_a_greeting_offers_the_roles_first_step(session: Session, chat: Chat,
                                                roles: tuple[str, ...], first: str) -> None:
    _staff, user = make_officer(session, roles=roles)
    labels = quick_labels(chat.say(user, "สวัสดีครับ"))
    assert labels[0] == first and labels[-1] == "ช่วยเหลือ" and len(labels) == len(set(labels))


def test_a_newcomer_greeting_is_answered_once_then_guided(chat: Chat) -> None:
    chat.follow(NEWCOMER)
    text = said(chat.say(NEWCOMER, "สวัสดีครับ"))
    assert text.count("สวัสดี") == 1 and text.count(texts.LINK_CODE_GUIDANCE) == 1
    assert texts.NOT_LINKED not in text  # the guidance says it once, without repeating
