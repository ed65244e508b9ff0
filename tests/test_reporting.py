"""Story tests: officers report progress in free-form Thai; mentors and coaches confirm.

The first part drives the router with the clock in the test's hand (fast, every detail); the
second runs whole conversations through signed webhooks, the outbox and the fake LINE API (the
`chat` and `line` drivers of tests/chat.py).
"""
from __future__ import annotations

import copy
import json
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from bot.evidence import fetch_pending_evidence
from handlers import texts
from handlers.postbacks import ReportDecision, encode
from models import (
    AuditEntry,
    Confirmation,
    Evidence,
    EvidenceStatus,
    OutboxMessage,
    ProgressReport,
    ReportKind,
    ReportStatus,
    Role,
    RoleAssignment,
    Staff,
)
from tests.builders import make_agreement, make_officer, office
from tests.chat import NOW, Chat, Line, postbacks, quick_labels, said


def reports(session: Session) -> list[ProgressReport]:
    return list(session.scalars(select(ProgressReport).order_by(ProgressReport.id)))


# --- the officer's side: whatever is missing is asked for ---------------------------------

def test_value_and_target_said_status_asked(session: Session, chat: Chat) -> None:
    o = office(session)
    officer = o["officer_user"]
    asked = chat.say(officer, "ตัวชี้วัดที่ 2 ได้ 45 ราย จากเป้า 60")
    assert texts.ASK_STATUS in said(asked)
    assert quick_labels(asked) == ["เสร็จแล้ว", "กำลังดำเนินการ", "ยังไม่เริ่ม", "ยกเลิก"]
    assert texts.ASK_NOTE in said(chat.say(officer, "กำลังดำเนินการ"))
    card = chat.say(officer, "ไม่มี")
    assert card[-1]["type"] == "flex"
    assert "45 จาก 60 (ร้อยละ 75)" in said(card) and "กำลังดำเนินการ" in said(card)
    assert "21 พ.ย. 2569" in said(card)  # the date, in Thai with a BE year
    assert quick_labels(card) == ["ยืนยัน", "แก้ไข", "ยกเลิก"]
    assert reports(session) == []  # nothing is saved before the confirmation
    done = chat.say(officer, "โอเคค่ะ")
    assert texts.REPORT_SAVED.split("\n")[0] in said(done)
    report = reports(session)[0]
    assert (report.value, report.target, report.percent) == (Decimal(45), Decimal(60), Decimal(75))
    assert report.status == ReportStatus.PENDING and report.version == 1
    assert report.kpi.number == 2 and report.work_status == "in_progress"
    assert "แก้ไขรายงาน" in quick_labels(done) and "ถอนรายงาน" in quick_labels(done)


def test_kpi_and_status_said_value_asked(session: Session, chat: Chat) -> None:
    o = office(session)
    officer = o["officer_user"]
    asked = chat.say(officer, "ข้อสามเสร็จแล้วค่ะ")
    assert "ตัวชี้วัดที่ 3." in said(asked) and texts.ASK_VALUE in said(asked)
    assert "100%" in quick_labels(asked)
    chat.say(officer, "100%")
    chat.say(officer, "ส่งรายงานผลให้ผู้บริหารแล้ว")
    card = chat.say(officer, "ใช่")
    assert texts.REPORT_SAVED.split("\n")[0] in said(card)
    report = reports(session)[0]
    assert report.percent == Decimal(100) and report.work_status == "done"
    assert report.note == "ส่งรายงานผลให้ผู้บริหารแล้ว"


def test_thai_digits_and_the_note_only(session: Session, chat: Chat) -> None:
    o = office(session)
    officer = o["officer_user"]
    assert texts.ASK_NOTE in said(chat.say(officer, "KPI 4 ร้อยละ ๗๐"))
    assert "ร้อยละ 70" in said(chat.say(officer, "ไม่มีครับ"))
    chat.say(officer, "ยืนยัน")
    assert reports(session)[0].percent == Decimal(70)


def test_the_menu_asks_which_kpi_listing_the_officers_own(session: Session, chat: Chat) -> None:
    o = office(session)
    officer = o["officer_user"]
    asked = chat.say(officer, "รายงานความก้าวหน้า")
    assert texts.ASK_KPI in said(asked)
    labels = quick_labels(asked)
    assert len(labels) == 6 and labels[0].startswith("1. ร้อยละของงานที่ 1") and labels[-1] == "ยกเลิก"
    assert all(item["action"]["text"].startswith("ตัวชี้วัดที่ ")
               for item in asked[-1]["quickReply"]["items"][:5])
    assert texts.ASK_VALUE in said(chat.say(officer, "2"))
    assert texts.ASK_STATUS in said(chat.say(officer, "45 จาก 60"))


def test_a_percentage_without_a_kpi_asks_for_the_kpi(session: Session, chat: Chat) -> None:
    o = office(session)
    officer = o["officer_user"]
    assert texts.ASK_KPI in said(chat.say(officer, "ตอนนี้ทำได้ 50% แล้ว"))
    assert texts.ASK_NOTE in said(chat.say(officer, "ตัวชี้วัดที่ 1"))


@pytest.mark.parametrize(("typed", "question"), [
    ("ข้อ 9 ได้ 50%", "ไม่มีตัวชี้วัดที่ 9\nคุณมีตัวชี้วัด 5 ข้อ (ข้อ 1–5)"),
    ("ข้อ 2 ได้ 120%", "ร้อยละ 120 เกิน 100"),
    ("ข้อ 2 ได้ 90 จากเป้า 60", "ร้อยละ 150 เกิน 100"),
    ("ข้อ 2 ได้ -5 ราย", texts.NEGATIVE_VALUE),
], ids=["kpi-9-of-5", "over-100", "over-target", "negative"])
def test_values_out_of_range_are_questioned_not_stored(session: Session, chat: Chat, typed: str,
                                                       question: str) -> None:
    o = office(session)
    officer = o["officer_user"]
    asked = chat.say(officer, typed)
    assert question in said(asked)
    assert quick_labels(asked)[-1] == "ยกเลิก"
    assert reports(session) == []


def test_saving_checks_the_kpis_afresh_not_the_flows_snapshot(session: Session, chat: Chat) -> None:
    """The questions read the KPIs kept in the flow; the save reads the database again."""
    o = office(session)
    officer = o["officer_user"]
    assert texts.ASK_NOTE in said(chat.say(officer, "ข้อ 5 ได้ 50% กำลังดำเนินการ"))
    fifth = o["agreement"].kpis[4]
    session.delete(fifth)  # HR re-issued the agreement with four KPIs in the meantime
    session.flush()
    chat.say(officer, "ไม่มี")
    answer = chat.say(officer, "ใช่")
    assert "ไม่มีตัวชี้วัดที่ 5" in said(answer)
    assert reports(session) == []


def test_over_achievement_is_fine_where_the_kpi_allows_it(session: Session, chat: Chat) -> None:
    o = office(session)
    o["agreement"].kpis[1].allow_over_100 = True
    officer = o["officer_user"]
    assert texts.ASK_NOTE in said(chat.say(officer, "ข้อ 2 ได้ 120% เสร็จแล้ว"))


def test_unknown_answers_are_asked_again_with_quick_replies(session: Session, chat: Chat) -> None:
    o = office(session)
    officer = o["officer_user"]
    chat.say(officer, "ตัวชี้วัดที่ 2 ได้ 45 ราย จากเป้า 60")
    again = chat.say(officer, "อะไรนะ")
    assert texts.NOT_UNDERSTOOD in said(again) and texts.ASK_STATUS in said(again)
    assert "กำลังดำเนินการ" in quick_labels(again)
    chat.say(officer, "เสร็จแล้ว")
    chat.say(officer, "ไม่มี")
    again = chat.say(officer, "หืม")
    assert (texts.PLEASE_ANSWER_CONFIRM in said(again)
            and quick_labels(again) == ["ยืนยัน", "แก้ไข", "ยกเลิก"])


def test_correcting_before_saving(session: Session, chat: Chat) -> None:
    o = office(session)
    officer = o["officer_user"]
    chat.say(officer, "ตัวชี้วัดที่ 2 ได้ 45 ราย จากเป้า 60 กำลังดำเนินการ")
    chat.say(officer, "ไม่มี")
    fix = chat.say(officer, "แก้ไข")
    assert quick_labels(fix) == ["ตัวชี้วัด", "ผลงาน", "สถานะ", "หมายเหตุ", "ยกเลิก"]
    assert texts.ASK_VALUE in said(chat.say(officer, "ผลงาน"))
    card = chat.say(officer, "50 จาก 60")
    assert "50 จาก 60 (ร้อยละ 83.33)" in said(card)
    card = chat.say(officer, "ร้อยละ 90")  # typed straight at the card
    assert "ร้อยละ 90" in said(card) and "50 จาก 60" not in said(card)
    assert texts.WHICH_FIX in said(chat.say(officer, "ไม่ใช่"))
    chat.say(officer, "ตัวชี้วัด")
    assert "ตัวชี้วัดที่ 3" in said(chat.say(officer, "ตัวชี้วัดที่ 3"))
    chat.say(officer, "ใช่")
    report = reports(session)[0]
    assert report.kpi.number == 3 and report.percent == Decimal(90)


def test_a_delay_is_work_in_progress_with_the_officers_words_as_note(session: Session,
                                                                     chat: Chat) -> None:
    o = office(session)
    officer = o["officer_user"]
    card = chat.say(officer, "ข้อ 2 ได้ 45 จาก 60 ล่าช้าเพราะรองบประมาณ คาดว่าเสร็จ 15 ม.ค.")
    assert texts.ASK_STATUS not in said(card) and texts.ASK_NOTE not in said(card)
    assert "ยังมาไม่ถึง" not in said(card)  # 15 January is when it expects to finish
    assert "กำลังดำเนินการ" in said(card)
    chat.say(officer, "ใช่")
    report = reports(session)[0]
    assert report.work_status == "in_progress" and "รองบประมาณ" in report.note


def test_laughter_while_asked_for_the_status_is_no_number(session: Session, chat: Chat) -> None:
    o = office(session)
    officer = o["officer_user"]
    chat.say(officer, "ตัวชี้วัดที่ 2 ได้ 45 ราย จากเป้า 60")
    again = chat.say(officer, "555 ค่ะ")
    assert texts.NOT_UNDERSTOOD in said(again) and texts.ASK_STATUS in said(again)
    chat.say(officer, "กำลังดำเนินการ")
    card = chat.say(officer, "ไม่มี")
    assert "45 จาก 60" in said(card)


def test_cancel_leaves_the_flow_and_saves_nothing(session: Session, chat: Chat) -> None:
    o = office(session)
    officer = o["officer_user"]
    chat.say(officer, "ข้อ 2 ได้ 50%")
    assert texts.CANCELLED in said(chat.say(officer, "ยกเลิก"))
    assert texts.UNKNOWN in said(chat.say(officer, "ใช่"))
    assert reports(session) == []


def test_a_flow_times_out_after_30_idle_minutes(session: Session, chat: Chat) -> None:
    o = office(session)
    officer = o["officer_user"]
    chat.say(officer, "ข้อ 2 ได้ 50%")
    chat.now += timedelta(minutes=29)
    assert "ร้อยละ 50" in said(chat.say(officer, "ไม่มี"))  # still alive, and the clock restarts
    chat.now += timedelta(minutes=31)
    assert texts.UNKNOWN in said(chat.say(officer, "ใช่"))
    assert reports(session) == []


def test_a_new_report_mid_flow_asks_whether_to_abandon_the_old_one(session: Session,
                                                                    chat: Chat) -> None:
    o = office(session)
    officer = o["officer_user"]
    chat.say(officer, "ข้อ 2 ได้ 50%")
    asked = chat.say(officer, "รายงานความก้าวหน้า")
    assert texts.ABANDON_QUESTION in said(asked)
    assert quick_labels(asked) == ["เริ่มรายงานใหม่", "ทำรายงานเดิมต่อ", "ยกเลิก"]
    resumed = chat.say(officer, "ทำรายงานเดิมต่อ")
    assert texts.RESUMED in said(resumed) and texts.ASK_NOTE in said(resumed)
    # a report on another KPI
    assert texts.ABANDON_QUESTION in said(chat.say(officer, "ข้อ 4 ได้ 30%"))
    assert texts.ASK_NOTE in said(chat.say(officer, "เริ่มรายงานใหม่"))
    chat.say(officer, "ไม่มี")
    chat.say(officer, "ใช่")
    assert [r.kpi.number for r in reports(session)] == [4]


def test_an_officer_without_a_mentor_is_told_and_the_report_is_kept(session: Session,
                                                                    chat: Chat) -> None:
    o = office(session, mentor=False)
    officer = o["officer_user"]
    chat.say(officer, "ข้อ 1 ได้ 40% กำลังดำเนินการ")
    chat.say(officer, "ไม่มี")
    done = chat.say(officer, "ใช่")
    assert "ยังไม่มีพี่เลี้ยงของคุณในระบบ" in said(done) and "HR" in said(done)
    assert reports(session)[0].status == ReportStatus.PENDING
    assert session.scalars(select(OutboxMessage)).all() == []


def test_no_agreement_no_report(session: Session, chat: Chat) -> None:
    _officer, user_id = make_officer(session)
    assert texts.NO_AGREEMENT_TO_REPORT in said(chat.say(user_id, "รายงานความก้าวหน้า"))


# --- the mentor's side --------------------------------------------------------------------

def submitted(chat: Chat, o: dict[str, Any],
              text: str = "ข้อ 2 ได้ 45 จาก 60 กำลังทำ") -> ProgressReport:
    officer = o["officer_user"]
    chat.say(officer, text)
    chat.say(officer, "ไม่มี")
    chat.say(officer, "ใช่")
    return reports(chat.session)[-1]


def test_the_mentor_gets_a_card_and_confirms(session: Session, chat: Chat) -> None:
    o = office(session)
    report = submitted(chat, o)
    card = chat.cards(o["mentor_user"])[0]
    assert card["type"] == "flex" and "นายสมชาย ตั้งใจ" in said([card])
    assert {"รับรอง", "ส่งกลับแก้ไข", "รับรองทั้งหมด สมชาย"} <= set(postbacks([card]))
    mentor = o["mentor_user"]
    detail = chat.tap(mentor, encode(ReportDecision(report.id, report.version, "view")))
    assert "รอรับรอง" in said(detail)
    done = chat.tap(mentor, postbacks([card])["รับรอง"])
    assert texts.CERTIFIED_DONE in said(done)
    assert report.status == ReportStatus.CONFIRMED
    told = chat.pushed(o["officer_user"])[-1]["text"]
    assert "ได้รับการรับรองแล้ว" in told and "นางมาลี รักงาน" in told
    actions = [e.action for e in session.scalars(select(AuditEntry).where(
        AuditEntry.subject == f"report:{report.id}").order_by(AuditEntry.id))]
    assert actions == ["report.created", "report.certified", "report.confirmed"]


def test_a_double_tap_confirms_once(session: Session, chat: Chat) -> None:
    o = office(session)
    report = submitted(chat, o)
    data = postbacks(chat.cards(o["mentor_user"]))["รับรอง"]
    mentor = o["mentor_user"]
    chat.tap(mentor, data)
    again = chat.tap(mentor, data)
    assert texts.ALREADY_CERTIFIED in said(again)
    assert session.scalar(select(func.count()).select_from(Confirmation)) == 1
    assert len(chat.pushed(o["officer_user"])) == 1
    assert report.status == ReportStatus.CONFIRMED


@pytest.mark.parametrize("data", [
    "action=rpt&id={id}&v=1&do=ok",  # tapped by someone who is not a confirmer
    "action=rpt&id=999999&v=1&do=ok",
    "action=rpt&id={id}&v=1&do=delete",
    "action=rpt&id=abc&v=1&do=ok",
    "action=rptall&officer={officer}",
])
def test_forged_postbacks_are_refused_and_audited(session: Session, chat: Chat, data: str) -> None:
    o = office(session)
    report = submitted(chat, o)
    stranger, stranger_user = make_officer(session, name="นายแปลก หน้า", unit=o["officer"].unit)
    replies = chat.tap(stranger_user, data.format(id=report.id, officer=o["officer"].id))
    assert texts.STALE_BUTTON in said(replies)
    assert report.status == ReportStatus.PENDING
    assert session.scalars(select(AuditEntry).where(AuditEntry.action == "postback.refused",
                                                    AuditEntry.actor_staff_id == stranger.id)).all()


def test_the_officer_cannot_certify_their_own_report(session: Session, chat: Chat) -> None:
    o = office(session)
    report = submitted(chat, o)
    replies = chat.tap(o["officer_user"], f"action=rpt&id={report.id}&v=1&do=ok")
    assert texts.STALE_BUTTON in said(replies) and report.status == ReportStatus.PENDING


def test_send_back_with_a_reason_then_resubmit(session: Session, chat: Chat) -> None:
    o = office(session)
    report = submitted(chat, o)
    old_card = postbacks(chat.cards(o["mentor_user"]))
    mentor = o["mentor_user"]
    asked = chat.tap(mentor, old_card["ส่งกลับแก้ไข"])
    assert texts.ASK_SEND_BACK_REASON in said(asked) and "ข้อมูลไม่ครบ" in quick_labels(asked)
    assert "แจ้ง นายสมชาย ตั้งใจ" in said(chat.say(mentor, "ตัวเลขไม่ตรงกับทะเบียน ขอแนบหลักฐาน"))
    assert report.status == ReportStatus.SENT_BACK
    told = chat.pushed(o["officer_user"])[-1]
    assert "เหตุผล: ตัวเลขไม่ตรงกับทะเบียน ขอแนบหลักฐาน" in told["text"]
    officer = o["officer_user"]
    fix = chat.tap(officer, postbacks([told])["แก้ไขรายงาน"])
    assert texts.WHICH_FIX in said(fix) and "45 จาก 60" in said(fix)
    chat.say(officer, "ผลงาน")
    chat.say(officer, "48 จาก 60")
    done = chat.say(officer, "ยืนยัน")
    assert "ฉบับที่ 2" in said(done)
    assert report.version == 2 and report.status == ReportStatus.PENDING
    assert report.value == Decimal(48)
    # the card of version 1 is stale now; the new card works
    assert texts.REPORT_STALE in said(chat.tap(mentor, old_card["รับรอง"]))
    assert session.scalars(select(AuditEntry).where(AuditEntry.action == "postback.stale")).all()
    new_card = postbacks(chat.cards(o["mentor_user"])[-1:])
    assert "v=2" in new_card["รับรอง"]
    chat.tap(mentor, new_card["รับรอง"])
    assert report.status == ReportStatus.CONFIRMED
    actions = [e.action for e in session.scalars(select(AuditEntry).where(
        AuditEntry.subject == f"report:{report.id}").order_by(AuditEntry.id))]
    assert actions == ["report.created", "report.sent_back", "report.edited",
                       "postback.stale", "report.certified", "report.confirmed"]


def test_hipps_needs_both_mentor_and_coach(session: Session, chat: Chat) -> None:
    o = office(session, hipps=True)
    report = submitted(chat, o)
    mentor_card = postbacks(chat.cards(o["mentor_user"]))
    coach_card = postbacks(chat.cards(o["coach_user"]))
    waiting = chat.tap(o["mentor_user"], mentor_card["รับรอง"])
    assert "รอผู้สอนงานรับรอง" in said(waiting)
    assert report.status == ReportStatus.PENDING
    assert "รอผู้สอนงานรับรอง" in chat.pushed(o["officer_user"])[-1]["text"]
    chat.tap(o["coach_user"], coach_card["รับรอง"])
    assert report.status == ReportStatus.CONFIRMED
    roles = sorted(session.scalars(select(Confirmation.role)))
    assert roles == ["coach", "mentor"]


def test_hipps_either_can_send_back(session: Session, chat: Chat) -> None:
    o = office(session, hipps=True)
    report = submitted(chat, o)
    coach = o["coach_user"]
    mentor_card = postbacks(chat.cards(o["mentor_user"]))
    chat.tap(coach, postbacks(chat.cards(o["coach_user"]))["ส่งกลับแก้ไข"])
    chat.say(coach, "ข้อมูลไม่ครบ")
    assert report.status == ReportStatus.SENT_BACK
    late = chat.tap(o["mentor_user"], mentor_card["รับรอง"])
    assert "ส่งกลับแก้ไข" in said(late) and report.status == ReportStatus.SENT_BACK


def test_withdraw_and_a_confirmed_report_is_final(session: Session, chat: Chat) -> None:
    o = office(session)
    first = submitted(chat, o)
    officer = o["officer_user"]
    withdrawn = chat.tap(officer, f"action=myrpt&id={first.id}&v=1&do=withdraw")
    assert texts.REPORT_WITHDRAWN in said(withdrawn)
    assert first.status == ReportStatus.WITHDRAWN
    assert "ถอน" in chat.pushed(o["mentor_user"])[-1]["text"]
    second = submitted(chat, o)
    chat.tap(o["mentor_user"], f"action=rpt&id={second.id}&v=1&do=ok")
    edit = chat.tap(officer, f"action=myrpt&id={second.id}&v=1&do=edit")
    assert texts.REPORT_NOT_OPEN in said(edit)
    third = submitted(chat, o, "ข้อ 2 ได้ 55 จาก 60 กำลังทำ")
    chat.tap(o["mentor_user"], f"action=rpt&id={third.id}&v=1&do=ok")
    assert second.status == ReportStatus.SUPERSEDED and third.status == ReportStatus.CONFIRMED


def test_a_new_report_supersedes_an_open_one_on_the_same_kpi(session: Session, chat: Chat) -> None:
    o = office(session)
    first = submitted(chat, o)
    second = submitted(chat, o, "ข้อ 2 ได้ 50 จาก 60 กำลังทำ")
    assert first.status == ReportStatus.SUPERSEDED and second.status == ReportStatus.PENDING
    stale = chat.tap(o["mentor_user"], f"action=rpt&id={first.id}&v=1&do=ok")
    assert "มีรายงานใหม่แทน" in said(stale)


def test_pending_approvals_oldest_first_and_approve_all(session: Session, chat: Chat) -> None:
    o = office(session)
    other, other_user = make_officer(session, name="นางสาวกมล พากเพียร", unit=o["officer"].unit)
    session.add(RoleAssignment(staff_id=o["mentor"].id, role=Role.MENTOR, officer_id=other.id))
    make_agreement(session, other)
    submitted(chat, o, "ข้อ 1 ได้ 10% กำลังทำ")
    chat.now = NOW + timedelta(minutes=5)
    chat.say(other_user, "ข้อ 5 ได้ 20% กำลังทำ")
    chat.say(other_user, "ไม่มี")
    chat.say(other_user, "ใช่")
    chat.now = NOW
    submitted(chat, o, "ข้อ 3 ได้ 30% กำลังทำ")
    listing = chat.say(o["mentor_user"], "รออนุมัติ")
    bubbles = listing[0]["contents"]["contents"]
    titles = [b["header"]["contents"][0]["text"] for b in bubbles]
    # oldest first: KPI 5 was sent 5 minutes after the other two
    assert titles == ["รายงานตัวชี้วัดที่ 1", "รายงานตัวชี้วัดที่ 3", "รายงานตัวชี้วัดที่ 5"]
    labels = quick_labels(listing)
    assert labels[:2] == ["รับรองทั้งหมด สมชาย", "รับรองทั้งหมด กมล"]
    asked = chat.tap(o["mentor_user"], postbacks(listing)[labels[0]])  # asked once first
    assert "รับรองทั้งหมด 2 รายการของ นายสมชาย" in said(asked)
    assert {r.kpi.number: r.status for r in reports(session)} == {
        1: "pending", 3: "pending", 5: "pending"}  # nothing certified by the question
    done = chat.tap(o["mentor_user"], postbacks(asked)[texts.APPROVE_ALL_YES])
    assert "แล้ว 2 รายการ" in said(done)
    statuses = {r.kpi.number: r.status for r in reports(session)}
    assert statuses == {1: "confirmed", 3: "confirmed", 5: "pending"}


def test_my_kpis_and_people_in_care_show_the_reports(session: Session, chat: Chat) -> None:
    o = office(session)
    report = submitted(chat, o)
    card = said(chat.say(o["officer_user"], "ตัวชี้วัดของฉัน"))
    assert "45 จาก 60 (ร้อยละ 75) · กำลังดำเนินการ\nรอรับรอง (21 พ.ย. 2569)" in card
    assert card.count(texts.NO_PROGRESS) == 4
    care = said(chat.say(o["mentor_user"], "ผู้อยู่ในความดูแล"))
    assert "รายงานแล้ว 1/5 ข้อ · รอรับรอง 1" in care
    assert report.status == ReportStatus.PENDING


# --- evidence and training ------------------------------------------------------------------

def test_a_photo_during_the_flow_is_evidence(session: Session, chat: Chat) -> None:
    o = office(session)
    officer = o["officer_user"]
    chat.say(officer, "ข้อ 2 ได้ 45 จาก 60 กำลังทำ")
    got = chat.send_media(officer, "image", "700001")
    assert "ได้รับรูปภาพเป็นหลักฐานแล้ว (รวม 1 รายการ)" in said(got) and texts.ASK_NOTE in said(got)
    chat.send_media(officer, "file", "700002")
    card = chat.say(officer, "ไม่มี")
    assert "2 รายการ" in said(card)
    chat.say(officer, "ใช่")
    report = reports(session)[0]
    assert [(e.line_message_id, e.kind, e.status) for e in report.evidence] == [
        ("700001", "image", "pending"), ("700002", "file", "pending")]


def test_a_sticker_during_the_flow_is_not_evidence(session: Session, chat: Chat) -> None:
    o = office(session)
    officer = o["officer_user"]
    chat.say(officer, "ข้อ 2 ได้ 45 จาก 60 กำลังทำ")
    got = chat.send_media(officer, "sticker", "700003")
    assert texts.MEDIA["sticker"] in said(got) and texts.ASK_NOTE in said(got)
    assert session.scalars(select(Evidence)).all() == []


SEED_003_SUMMARY = ("การบริหารผลการปฏิบัติงานมี 4 ขั้นตอน คือ การวางแผน การติดตาม การพัฒนา "
                    "และการประเมินผล ตัวชี้วัดที่ดีต้องเป็นแบบ SMART และถ่ายทอดจากองค์กรลงสู่บุคคล")


def test_a_training_report_in_one_message(session: Session, chat: Chat) -> None:
    o = office(session)
    officer = o["officer_user"]
    card = chat.say(officer, "อบรมหลักสูตร การจัดทำตัวชี้วัดรายบุคคล จบแล้ววันที่ 20 พ.ย. 2569\n"
                    + SEED_003_SUMMARY)
    assert "หลักสูตร การจัดทำตัวชี้วัดรายบุคคล" in said(card) and "20 พ.ย. 2569" in said(card)
    chat.say(officer, "ยืนยัน")
    report = reports(session)[0]
    assert report.kind == ReportKind.DEVELOPMENT and report.title == "การจัดทำตัวชี้วัดรายบุคคล"
    assert report.summary == SEED_003_SUMMARY and report.reported_on.isoformat() == "2026-11-20"
    assert "รายงานการอบรม" in said(chat.cards(o["mentor_user"]))
    chat.tap(o["mentor_user"], f"action=rpt&id={report.id}&v=1&do=ok")
    assert report.status == ReportStatus.CONFIRMED


def test_a_training_report_asked_step_by_step(session: Session, chat: Chat) -> None:
    o = office(session)
    officer = o["officer_user"]
    assert texts.ASK_COURSE in said(chat.say(officer, "รายงานการอบรม"))
    assert texts.ASK_COURSE_DATE in said(chat.say(officer, "การเขียนตัวชี้วัดแบบ SMART"))
    assert "ยังมาไม่ถึง" in said(chat.say(officer, "30 ธ.ค. 2569"))
    assert texts.ASK_SUMMARY in said(chat.say(officer, "เมื่อวาน"))
    assert texts.SUMMARY_TOO_SHORT in said(chat.say(officer, "ดีมาก"))
    card = chat.say(officer, SEED_003_SUMMARY)
    assert "20 พ.ย. 2569" in said(card)
    chat.say(officer, "ใช่")
    assert reports(session)[0].kind == ReportKind.DEVELOPMENT


# --- whole conversations through signed webhooks and the fake LINE API ----------------------

def committed_office(engine: Engine, **kwargs: Any) -> dict[str, Any]:
    with Session(engine) as session:
        o = office(session, **kwargs)
        ids = {k: (v.id if isinstance(v, Staff) else v) for k, v in o.items() if k != "agreement"}
        session.commit()
    return ids


def db_reports(engine: Engine) -> list[tuple[int, str, int]]:
    with Session(engine) as session:
        return [(r.id, r.status, r.version) for r in session.scalars(
            select(ProgressReport).order_by(ProgressReport.id))]


def officer_reports(line: Line, o: dict[str, Any],
                    text: str = "ตัวชี้วัดที่ 2 ได้ 45 ราย จากเป้า 60") -> None:
    assert texts.ASK_STATUS in said(line.say(o["officer_user"], text))
    line.say(o["officer_user"], "กำลังดำเนินการ")
    assert "ร้อยละ 75" in said(line.say(o["officer_user"], "ไม่มี"))
    assert texts.REPORT_SAVED.split("\n")[0] in said(line.say(o["officer_user"], "ใช่"))


def test_webhook_report_and_confirm(line: Line, engine: Engine) -> None:
    o = committed_office(engine)
    officer_reports(line, o)
    card = line.cards(o["mentor_user"])[-1]
    assert "ตัวชี้วัดที่ 2" in said([card])
    assert texts.CERTIFIED_DONE in said(line.tap(o["mentor_user"], postbacks([card])["รับรอง"]))
    assert line.pushed(o["officer_user"]) == []  # the notice is held, not pushed on its own
    assert "ได้รับการรับรองแล้ว" in said(line.say(o["officer_user"], "ช่วยเหลือ"))  # free
    assert [s for _, s, _ in db_reports(engine)] == ["confirmed"]


def test_webhook_send_back_and_resubmit(line: Line, engine: Engine) -> None:
    o = committed_office(engine)
    officer_reports(line, o)
    card = postbacks(line.cards(o["mentor_user"]))
    line.tap(o["mentor_user"], card["ส่งกลับแก้ไข"])
    line.say(o["mentor_user"], "ขอหลักฐานเพิ่มเติม")
    told = line.pushed(o["officer_user"])[-1]
    assert "เหตุผล: ขอหลักฐานเพิ่มเติม" in told["text"]
    line.tap(o["officer_user"], postbacks([told])["แก้ไขรายงาน"])
    line.say(o["officer_user"], "หมายเหตุ")
    line.send_media(o["officer_user"], "image", "900001")
    line.say(o["officer_user"], "แนบทะเบียนผู้รับบริการแล้ว")
    assert "ฉบับที่ 2" in said(line.say(o["officer_user"], "ใช่"))
    assert texts.REPORT_STALE in said(line.tap(o["mentor_user"], card["รับรอง"]))
    fresh = postbacks(line.cards(o["mentor_user"])[-1:])
    line.tap(o["mentor_user"], fresh["รับรอง"])
    assert db_reports(engine)[0][1:] == ("confirmed", 2)


def test_webhook_hipps_dual_certification(line: Line, engine: Engine) -> None:
    o = committed_office(engine, hipps=True)
    officer_reports(line, o)
    line.tap(o["mentor_user"], postbacks(line.cards(o["mentor_user"]))["รับรอง"])
    assert db_reports(engine)[0][1] == "pending"
    line.tap(o["coach_user"], postbacks(line.cards(o["coach_user"]))["รับรอง"])
    assert db_reports(engine)[0][1] == "confirmed"
    told = line.say(o["officer_user"], "ช่วยเหลือ")  # both notices ride on the reply, as one
    assert "รอผู้สอนงานรับรอง" in said(told[-1:]) and "ได้รับการรับรองแล้ว" in said(told[-1:])
    assert line.pushed(o["officer_user"]) == []


def test_webhook_forged_postback(line: Line, engine: Engine) -> None:
    o = committed_office(engine)
    officer_reports(line, o)
    report_id = db_reports(engine)[0][0]
    forged = line.tap(o["officer_user"], f"action=rpt&id={report_id}&v=1&do=ok")
    assert said(forged).startswith(texts.STALE_BUTTON)
    with Session(engine) as session:
        assert session.scalars(select(AuditEntry).where(
            AuditEntry.action == "postback.refused")).all()
    assert db_reports(engine)[0][1] == "pending"


def test_webhook_double_tap_and_redelivery(line: Line, engine: Engine) -> None:
    o = committed_office(engine)
    officer_reports(line, o)
    data = postbacks(line.cards(o["mentor_user"]))["รับรอง"]
    line.tap(o["mentor_user"], data)
    redelivered = copy.deepcopy(line.last_body)
    redelivered["events"][0]["deliveryContext"] = {"isRedelivery": True}
    assert line.post(o["mentor_user"], {}, redelivered) == []  # the same event: skipped
    assert texts.ALREADY_CERTIFIED in said(line.tap(o["mentor_user"], data))  # a second tap
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Confirmation)) == 1
    replies = line.say(o["officer_user"], "ช่วยเหลือ")
    told = [m for m in replies if "ได้รับการรับรอง" in m.get("text", "")]
    assert len(told) == 1 and line.pushed(o["officer_user"]) == []


def test_webhook_flow_times_out(line: Line, engine: Engine) -> None:
    o = committed_office(engine)
    line.say(o["officer_user"], "ข้อ 2 ได้ 50%")
    line.say(o["officer_user"], "ไม่มี")
    line.now += timedelta(minutes=31)
    assert texts.UNKNOWN in said(line.say(o["officer_user"], "ใช่"))
    assert db_reports(engine) == []


def test_webhook_evidence_is_fetched_into_storage(line: Line, engine: Engine, app: Flask,
                                                  tmp_path: Path) -> None:
    o = committed_office(engine)
    line.fake.contents["900002"] = (b"\xff\xd8\xff photo bytes", "image/jpeg")
    line.say(o["officer_user"], "ข้อ 2 ได้ 45 จาก 60 กำลังทำ")
    line.send_media(o["officer_user"], "image", "900002")
    line.send_media(o["officer_user"], "image", "900003")  # LINE no longer has this one
    line.say(o["officer_user"], "ไม่มี")
    line.say(o["officer_user"], "ใช่")
    sessions = app.extensions["db.sessions"]
    stored = fetch_pending_evidence(sessions, app.extensions["line.gateway"], tmp_path)
    assert stored == 1
    with Session(engine) as session:
        rows = session.scalars(select(Evidence).order_by(Evidence.id)).all()
        assert [r.status for r in rows] == [EvidenceStatus.STORED, EvidenceStatus.FAILED]
        assert rows[0].report_id is not None and rows[0].content_type == "image/jpeg"
        assert (tmp_path / rows[0].path).read_bytes() == b"\xff\xd8\xff photo bytes"
    assert fetch_pending_evidence(sessions, app.extensions["line.gateway"], tmp_path) == 0


def test_webhook_pending_approvals_card_is_valid(line: Line, engine: Engine) -> None:
    o = committed_office(engine)
    officer_reports(line, o)
    listing = line.say(o["mentor_user"], "รออนุมัติ")
    assert listing and listing[0]["type"] == "flex"
    assert json.dumps(listing, ensure_ascii=False).count("action=rpt&") >= 2
