"""HR over LINE: announcements (audience, preview count, schedule, รับทราบ, summaries) and
checklist forms (toggle, other, free text, review, submit, reminders, aggregation)."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from handlers import announcements, announcing, hr_forms, texts
from handlers.due import Due
from handlers.messages import check_messages
from models import (
    Announcement,
    AnnouncementRecipient,
    Audience,
    AuditEntry,
    FormResponse,
    OutboxMessage,
    ProgressReport,
    Round,
    SendStatus,
)
from tests.builders import APP_TZ, BASE_URL, agency, make_officer
from tests.chat import NOW, Chat, postbacks, quick_labels, said


def test_announcing_to_a_unit_with_its_sub_units_and_acknowledging(session: Session,
                                                                   chat: Chat) -> None:
    p = agency(session)
    hr = p["hr_user"]
    assert "ข้อความประกาศ" in said(chat.say(hr, "ประกาศ"))
    body = chat.say(hr, "ขอเชิญประชุมชี้แจงการประเมินรอบที่ 1 วันศุกร์นี้")
    assert "ไม่แนบ" in quick_labels(body)
    assert quick_labels(chat.say(hr, "ไม่แนบ"))[:4] == ["ทุกคน", "ตามหน่วยงาน", "ตามบทบาท",
                                                       "ยังไม่รายงาน"]
    units = chat.say(hr, "ตามหน่วยงาน")
    listing = said(units)
    number = next(line.split(".")[0] for line in listing.splitlines()
                  if line.endswith("กองยุทธศาสตร์และแผนงาน"))
    assert "ส่งทันที" in quick_labels(chat.say(hr, number))
    preview = said(chat.say(hr, "ส่งทันที"))
    # a and b are on LINE (b through the sub-unit); c is in the unit but has no LINE account
    assert "จำนวน 2 คน" in preview and "อีก 1 คนยังไม่เชื่อม LINE" in preview
    assert session.scalar(select(func.count()).select_from(Announcement)) == 0  # not before ยืนยัน
    done = said(chat.say(hr, "ยืนยัน"))
    # a Saturday: the worker holds it for the next office hours, and HR is told when
    assert "ส่งประกาศแล้ว" not in done and "ยังไม่ได้ส่ง" in done
    assert "จะส่งถึง 2 คน เมื่อ 23 พ.ย. 2569 08:30 น." in done
    announcement = session.scalars(select(Announcement)).one()
    assert announcement.status == SendStatus.SENT
    rows = session.scalars(select(OutboxMessage)).all()
    assert [(row.kind, row.category) for row in rows] == [("multicast", "announcement")]
    assert sorted(rows[0].recipients) == sorted([p["a_user"], p["b_user"]])
    check_messages(rows[0].messages)
    ack = postbacks(rows[0].messages)["รับทราบ"]
    assert session.scalar(select(func.count()).select_from(AnnouncementRecipient)) == 3

    officer = p["a_user"]
    assert "รับทราบประกาศแล้ว" in said(chat.tap(officer, ack))
    assert "บันทึกการรับทราบไว้แล้ว" in said(chat.tap(officer, ack))  # a double tap changes nothing
    outsider = make_officer(session, unit=p["plan"])[1]
    assert "ใช้ไม่ได้แล้ว" in said(chat.tap(outsider, ack))  # not a recipient
    figures = announcements.stats(session, [announcement.id])[announcement.id]
    assert figures == {"sent": 2, "delivered": 0, "acknowledged": 1, "not_acknowledged": 1,
                       "not_on_line": 1}
    summary = chat.say(hr, "สรุปประกาศ")
    assert "รับทราบ 1 · ยังไม่รับทราบ 1" in said(summary)
    names = chat.tap(hr, postbacks(summary)[f"รายชื่อ #{announcement.id}"])
    assert "นางสาวกมลวรรณ พากเพียร" in said(names) and "นายสมชาย" not in said(names)
    actions = set(session.scalars(select(AuditEntry.action)))
    assert {"announcement.created", "announcement.sent", "announcement.acknowledged"} <= actions


def test_only_hr_may_announce_or_see_summaries(session: Session, chat: Chat) -> None:
    p = agency(session)
    officer = p["a_user"]
    assert texts.NOT_HR in said(chat.say(officer, "ประกาศ"))
    assert texts.NOT_HR in said(chat.say(officer, "สรุปประกาศ"))
    assert texts.NOT_HR in said(chat.tap(officer, "action=annnames&a=1"))
    assert session.scalar(select(func.count()).select_from(Announcement)) == 0


def test_role_and_not_reported_audiences_and_bad_answers(session: Session, chat: Chat) -> None:
    p = agency(session)
    hr = p["hr_user"]
    chat.say(hr, "ประกาศ")
    chat.say(hr, "ข้อความ")
    chat.say(hr, "ไม่แนบ")
    chat.say(hr, "ตามบทบาท")
    assert "กรุณาเลือกบทบาท" in said(chat.say(hr, "นักบินอวกาศ"))
    chat.say(hr, "พี่เลี้ยง")
    assert "อ่านเวลาไม่ได้" in said(chat.say(hr, "เมื่อวาน 08:00"))
    assert "จำนวน 1 คน" in said(chat.say(hr, "ส่งทันที"))
    chat.say(hr, "ยกเลิก")
    # a officer reports; "not yet reported" is then b (on LINE) and c (not on LINE)
    round_id = session.scalars(select(Round)).first().id
    session.add(ProgressReport(officer_id=p["a"].id, round_id=round_id,
                               reported_on=date(2026, 11, 20), status="pending"))
    session.flush()
    chat.say(hr, "ประกาศ")
    chat.say(hr, "กรุณารายงานความก้าวหน้า")
    chat.say(hr, "ไม่แนบ")
    chat.say(hr, "ยังไม่รายงาน")
    preview = said(chat.say(hr, "ส่งทันที"))
    assert "จำนวน 1 คน" in preview and "อีก 1 คน" in preview


def test_scheduled_announcement_goes_out_once_when_due(session: Session, chat: Chat) -> None:
    p = agency(session)
    hr = p["hr_user"]
    for text in ("ประกาศ", "พรุ่งนี้ส่งแบบรายงาน", "ไม่แนบ", "ทุกคน"):
        chat.say(hr, text)
    asked = said(chat.say(hr, "พรุ่งนี้ 08:30"))  # a Sunday: questioned once
    assert "22 พ.ย. 2569 เป็นวันหยุดราชการ" in asked and "23 พ.ย. 2569 08:30 น." in asked
    preview = said(chat.say(hr, "ส่งตามเวลาเดิม"))
    assert "22 พ.ย. 2569 08:30 น." in preview and "จำนวน 3 คน" in preview
    assert "ตั้งเวลาส่งประกาศแล้ว" in said(chat.say(hr, "ยืนยัน"))
    announcement = session.scalars(select(Announcement)).one()
    assert announcement.status == SendStatus.SCHEDULED
    assert announcements.send_due_announcements(session, NOW + timedelta(hours=23),
                                                 public_base_url=BASE_URL) == 0
    at = datetime(2026, 11, 22, 8, 30, tzinfo=NOW.tzinfo)
    assert announcements.send_due_announcements(session, at, public_base_url=BASE_URL) == 1
    assert announcements.send_due_announcements(session, at + timedelta(minutes=1),
                                                 public_base_url=BASE_URL) == 0  # once
    session.refresh(announcement)
    assert announcement.status == SendStatus.SENT and announcement.recipient_count == 3
    assert session.scalar(select(func.count()).select_from(OutboxMessage)) == 1
    # end of day: the author gets one summary, and only one even if the job runs twice
    evening = datetime(2026, 11, 22, 17, 0, tzinfo=NOW.tzinfo)
    assert announcements.end_of_day_summaries(session, evening, APP_TZ) == 1
    assert announcements.end_of_day_summaries(session, evening + timedelta(minutes=5),
                                              APP_TZ) == 0
    summary = chat.pushed(p["hr_user"])
    assert "สรุปประกาศประจำวันที่ 22 พ.ย. 2569" in said(summary)
    # one sent after that day's summary is in the next day's, and nothing is summarised twice
    late = announcements.create(session, author=p["hr"], body="ประกาศช่วงค่ำ", kind=Audience.EVERYONE,
                             value="", when=None, now=evening + timedelta(minutes=30),
                             attachment_id=None, actor_line_user_id=p["hr_user"],
                             public_base_url=BASE_URL)
    assert announcements.end_of_day_summaries(session, evening + timedelta(days=1), APP_TZ) == 1
    last = said(chat.pushed(p["hr_user"])[-1:])
    assert "สรุปประกาศประจำวันที่ 23 พ.ย. 2569" in last and f"#{late.id}" in last
    assert f"#{announcement.id}" not in last


def test_parse_when() -> None:
    assert announcing.parse_when("ส่งทันที", NOW, APP_TZ) == NOW
    assert announcing.parse_when("วันนี้ 15.00", NOW, APP_TZ) == NOW.replace(hour=15)
    assert announcing.parse_when("๒๕/๑๑ ๐๙:๐๐", NOW, APP_TZ) == datetime(2026, 11, 25, 9, 0,
                                                                          tzinfo=APP_TZ)
    assert announcing.parse_when("1/12/2569 10:00", NOW, APP_TZ) == datetime(2026, 12, 1, 10, 0,
                                                                              tzinfo=APP_TZ)
    for bad in ("08:00", "31/02 09:00", "พรุ่งนี้", "25:99"):
        assert announcing.parse_when(bad, NOW, APP_TZ) is None, bad


def test_an_image_sent_while_announcing_is_its_attachment(session: Session, chat: Chat) -> None:
    p = agency(session)
    hr = p["hr_user"]
    chat.say(hr, "ประกาศ")
    chat.say(hr, "ดูรายละเอียดในภาพ")
    assert "รับไฟล์แนบแล้ว" in said(chat.send_media(hr, "image", "4711"))
    chat.say(hr, "ทุกคน")
    chat.say(hr, "ส่งทันที")
    chat.say(hr, "ยืนยัน")
    announcement = session.scalars(select(Announcement)).one()
    assert announcement.attachment_id is not None and announcement.attachment_token
    message = session.scalars(select(OutboxMessage)).one().messages
    assert f"/files/announcement/{announcement.id}/{announcement.attachment_token}" in str(message)


def career_path(session: Session, p: dict[str, Any]) -> Any:
    return hr_forms.send_form(session, author=p["hr"], title=hr_forms.CAREER_PATH_TITLE,
                           sections=hr_forms.CAREER_PATH, due_on=date(2026, 12, 15),
                           kind=Audience.UNIT, value=str(p["plan"].id), now=NOW)


def test_a_form_is_filled_in_the_chat_reviewed_submitted_and_aggregated(session: Session,
                                                                        chat: Chat) -> None:
    p = agency(session)
    form = career_path(session, p)
    invitation = chat.pushed(p["a_user"])
    check_messages(invitation)
    officer = p["a_user"]
    first = chat.tap(officer, postbacks(invitation)["กรอกแบบฟอร์ม"])
    check_messages(first)
    assert "ส่วนที่ 1/3: กิจกรรมการดำเนินการ" in said(first)
    assert len(quick_labels(first)) == 13 and quick_labels(first)[0] == "⬜ 1"
    assert quick_labels(chat.say(officer, "1"))[0] == "✅ 1"
    chat.say(officer, "6")
    chat.say(officer, "6")  # toggled off again
    assert "กรุณาแตะหมายเลข 1–11" in said(chat.say(officer, "12"))
    assert "พิมพ์รายละเอียด" in said(chat.say(officer, "11"))  # อื่น ๆ (ระบุ)
    assert "✅ 11. อื่น ๆ (ระบุ): จัดเสวนาออนไลน์" in said(chat.say(officer, "จัดเสวนาออนไลน์"))
    second = chat.say(officer, "ถัดไป")
    assert "ส่วนที่ 2/3" in said(second)
    chat.say(officer, "2")
    assert "ส่วนที่ 3/3: ปัญหา/ข้อเสนอแนะ" in said(chat.say(officer, "ถัดไป"))
    review = said(chat.say(officer, "บุคลากรยังไม่ค่อยมีเวลาศึกษาคู่มือ"))
    assert "ตรวจทานก่อนส่ง" in review and "✓ ติดประกาศ" in review
    assert "จัดบอร์ด" not in review
    chat.say(officer, "แก้ไขส่วนที่ 2")
    chat.say(officer, "3")
    chat.say(officer, "ถัดไป")
    chat.say(officer, "ใช้คำตอบเดิม")
    assert "ส่ง" in said(chat.say(officer, "ส่งแบบฟอร์ม"))
    assert "ส่งแบบฟอร์มนี้แล้ว" in said(chat.tap(officer, f"action=form&f={form.id}"))

    summary = hr_forms.results(session, form)
    assert (summary["total"], summary["submitted"]) == (3, 1)
    activities, results, problems = summary["sections"]
    assert activities["options"][0][1] == 1 and activities["options"][5][1] == 0
    assert activities["others"] == ["จัดเสวนาออนไลน์"]
    assert [count for _, count in results["options"]] == [0, 1, 1, 0]
    assert problems["answers"] == ["บุคลากรยังไม่ค่อยมีเวลาศึกษาคู่มือ"]

    due = list(hr_forms.due_items(session, date(2026, 12, 1)))
    assert {d.staff_id for d in due} == {p["b"].id, p["c"].id}
    assert all(isinstance(d, Due) and d.key == f"form:{form.id}" and d.due == date(2026, 12, 15)
               for d in due)
    assert list(hr_forms.due_items(session, date(2027, 2, 1))) == []  # long past: no more reminders


def test_form_buttons_are_checked_against_the_database(session: Session, chat: Chat) -> None:
    p = agency(session)
    form = career_path(session, p)
    stranger = p["hr_user"]  # HR is not in the planning unit
    assert "ใช้ไม่ได้แล้ว" in said(chat.tap(stranger, f"action=form&f={form.id}"))
    assert "ใช้ไม่ได้แล้ว" in said(chat.tap(stranger, "action=form&f=abc"))
    assert session.scalars(select(FormResponse).where(
        FormResponse.staff_id == p["hr"].id)).first() is None


def test_form_definitions_are_validated() -> None:
    import pytest

    with pytest.raises(hr_forms.FormError):
        hr_forms.check_sections([])
    with pytest.raises(hr_forms.FormError):
        hr_forms.check_sections([{"title": "x", "kind": "multi", "other": True,
                               "options": [str(i) for i in range(11)]}])
    assert hr_forms.check_sections(hr_forms.CAREER_PATH)[0]["other"] is True


def test_demo_hr_announces_to_one_unit_and_sees_acknowledgements(session: Session,
                                                                 chat: Chat) -> None:
    from bot.demo import PEOPLE, seed_demo

    seed_demo(session, today=NOW.date())
    users = {person.staff_code: person.line_user_id for person in PEOPLE}
    hr = users["D0001"]
    chat.say(hr, "ประกาศ")
    chat.say(hr, "ขอให้ทุกคนในกองส่งรายงานความก้าวหน้าภายในวันศุกร์")
    chat.say(hr, "ไม่แนบ")
    listing = said(chat.say(hr, "ตามหน่วยงาน"))
    number = next(line.split(".")[0] for line in listing.splitlines()
                  if line.endswith("กองยุทธศาสตร์และแผนงาน"))
    chat.say(hr, number)
    assert "จำนวน 5 คน" in said(chat.say(hr, "ส่งทันที"))  # the demo's five planning people on LINE
    chat.say(hr, "ยืนยัน")
    ack = postbacks(chat.pushed(users["D0004"]))["รับทราบ"]
    chat.tap(users["D0004"], ack)
    chat.tap(users["D0005"], ack)
    assert "รับทราบ 2 · ยังไม่รับทราบ 3" in said(chat.say(hr, "สรุปประกาศ"))


def test_help_shows_the_hr_commands_to_hr_only(session: Session, chat: Chat) -> None:
    a = agency(session)
    hr_help = said(chat.say(a["hr_user"], "ช่วยเหลือ"))
    officer_help = said(chat.say(a["a_user"], "ช่วยเหลือ"))
    for command in ("ประกาศ", "สรุปประกาศ", "เข้าสู่ระบบ"):
        assert f"• {command}:" in hr_help and f"• {command}:" not in officer_help
    assert "• แบบฟอร์ม:" in hr_help and "• แบบฟอร์ม:" in officer_help


def test_a_scheduled_time_that_passes_before_yes_asks_for_a_new_time(session: Session,
                                                                     chat: Chat) -> None:
    p = agency(session)
    hr = p["hr_user"]
    for answer in ("ประกาศ", "ประชุมด่วน", "ไม่แนบ", "ทุกคน"):
        chat.say(hr, answer)
    chat.now = NOW.replace(hour=8, minute=29)
    assert "วันหยุดราชการ" in said(chat.say(hr, "08:30"))  # a Saturday: asked first
    assert "08:30" in said(chat.say(hr, "ส่งตามเวลาเดิม"))  # the preview names the time
    chat.now = NOW.replace(hour=8, minute=31)  # ยืนยัน comes two minutes later
    answer = said(chat.say(hr, "ยืนยัน"))
    assert "เวลาส่งต้องเป็นเวลาในอนาคต" in answer and "กรุณาเลือกเวลาส่งใหม่" in answer
    assert session.scalar(select(func.count()).select_from(Announcement)) == 0
    chat.say(hr, "ส่งทันที")
    assert "ยังไม่ได้ส่ง" in said(chat.say(hr, "ยืนยัน"))  # Saturday: held for office hours
