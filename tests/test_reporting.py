"""Story tests: officers report progress in free-form Thai; mentors and coaches confirm.

The first part drives the router with the clock in the test's hand (fast, every detail); the
second runs whole conversations through signed webhooks, the outbox and the fake LINE API.
"""
from __future__ import annotations

import copy
import json
import uuid
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from bot.evidence import fetch_pending_evidence
from bot.fake_line import FakeLine
from bot.sim import webhook_body
from handlers import router, texts
from handlers.events import MediaReceived, PostbackReceived, TextReceived
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
from tests.builders import deliver_outbox, make_agreement, make_officer, post_webhook
from tests.conftest import TEST_SECRET

BKK = timezone(timedelta(hours=7))
NOW = datetime(2026, 11, 21, 9, 0, tzinfo=BKK)  # fiscal year 2570, round 1


def said(replies: list[dict[str, Any]]) -> str:
    """Everything a person reads in these messages (texts, Flex texts, labels, alt texts)."""
    def walk(node: Any) -> list[str]:
        if isinstance(node, dict):
            own = [node[k] for k in ("text", "label", "altText") if isinstance(node.get(k), str)]
            return own + [t for v in node.values() if isinstance(v, (dict, list)) for t in walk(v)]
        if isinstance(node, list):
            return [t for item in node for t in walk(item)]
        return []
    return "\n".join(walk(replies))


def quick_labels(replies: list[dict[str, Any]]) -> list[str]:
    return [item["action"]["label"] for item in replies[-1].get("quickReply", {}).get("items", [])]


def postbacks(replies: list[dict[str, Any]]) -> dict[str, str]:
    """Label → postback data of every postback action in the messages (last one wins)."""
    found: dict[str, str] = {}

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "postback" and "data" in node:
                found[node["label"]] = node["data"]
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)
    walk(replies)
    return found


class Chat:
    """One linked person talking to the router, with the clock in the test's hand."""

    def __init__(self, session: Session, user_id: str) -> None:
        self.session, self.user_id, self.now = session, user_id, NOW

    def say(self, text: str) -> list[dict[str, Any]]:
        return self._handle(TextReceived(user_id=self.user_id, at=self.now, text=text))

    def tap(self, data: str) -> list[dict[str, Any]]:
        return self._handle(PostbackReceived(user_id=self.user_id, at=self.now, data=data))

    def send_media(self, kind: str, message_id: str) -> list[dict[str, Any]]:
        return self._handle(MediaReceived(user_id=self.user_id, at=self.now, kind=kind,
                                          message_id=message_id))

    def _handle(self, event: Any) -> list[dict[str, Any]]:
        replies = router.handle(self.session, event, self.now)
        self.session.flush()
        return replies


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


def reports(session: Session) -> list[ProgressReport]:
    return list(session.scalars(select(ProgressReport).order_by(ProgressReport.id)))


def pushes_to(session: Session, user_id: str) -> list[dict[str, Any]]:
    rows = session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    return [message for row in rows if user_id in row.recipients for message in row.messages]


# --- the officer's side: whatever is missing is asked for ---------------------------------

def test_value_and_target_said_status_asked(session: Session) -> None:
    o = office(session)
    chat = Chat(session, o["officer_user"])
    asked = chat.say("ตัวชี้วัดที่ 2 ได้ 45 ราย จากเป้า 60")
    assert texts.ASK_STATUS in said(asked)
    assert quick_labels(asked) == ["เสร็จแล้ว", "กำลังดำเนินการ", "ยังไม่เริ่ม", "ยกเลิก"]
    assert texts.ASK_NOTE in said(chat.say("กำลังดำเนินการ"))
    card = chat.say("ไม่มี")
    assert card[-1]["type"] == "flex"
    assert "45 จาก 60 (ร้อยละ 75)" in said(card) and "กำลังดำเนินการ" in said(card)
    assert "21 พ.ย. 2569" in said(card)  # the date, in Thai with a BE year
    assert quick_labels(card) == ["ยืนยัน", "แก้ไข", "ยกเลิก"]
    assert reports(session) == []  # nothing is saved before the confirmation
    done = chat.say("โอเคค่ะ")
    assert texts.REPORT_SAVED.split("\n")[0] in said(done)
    report = reports(session)[0]
    assert (report.value, report.target, report.percent) == (Decimal(45), Decimal(60), Decimal(75))
    assert report.status == ReportStatus.PENDING and report.version == 1
    assert report.kpi.number == 2 and report.work_status == "in_progress"
    assert "แก้ไขรายงาน" in quick_labels(done) and "ถอนรายงาน" in quick_labels(done)


def test_kpi_and_status_said_value_asked(session: Session) -> None:
    o = office(session)
    chat = Chat(session, o["officer_user"])
    asked = chat.say("ข้อสามเสร็จแล้วค่ะ")
    assert "ตัวชี้วัดที่ 3." in said(asked) and texts.ASK_VALUE in said(asked)
    assert "100%" in quick_labels(asked)
    chat.say("100%")
    chat.say("ส่งรายงานผลให้ผู้บริหารแล้ว")
    card = chat.say("ใช่")
    assert texts.REPORT_SAVED.split("\n")[0] in said(card)
    report = reports(session)[0]
    assert report.percent == Decimal(100) and report.work_status == "done"
    assert report.note == "ส่งรายงานผลให้ผู้บริหารแล้ว"


def test_thai_digits_and_the_note_only(session: Session) -> None:
    o = office(session)
    chat = Chat(session, o["officer_user"])
    assert texts.ASK_NOTE in said(chat.say("KPI 4 ร้อยละ ๗๐"))
    assert "ร้อยละ 70" in said(chat.say("ไม่มีครับ"))
    chat.say("ยืนยัน")
    assert reports(session)[0].percent == Decimal(70)


def test_the_menu_asks_which_kpi_listing_the_officers_own(session: Session) -> None:
    o = office(session)
    chat = Chat(session, o["officer_user"])
    asked = chat.say("รายงานความก้าวหน้า")
    assert texts.ASK_KPI in said(asked)
    labels = quick_labels(asked)
    assert len(labels) == 6 and labels[0].startswith("1. ร้อยละของงานที่ 1") and labels[-1] == "ยกเลิก"
    assert all(item["action"]["text"].startswith("ตัวชี้วัดที่ ")
               for item in asked[-1]["quickReply"]["items"][:5])
    assert texts.ASK_VALUE in said(chat.say("2"))
    assert texts.ASK_STATUS in said(chat.say("45 จาก 60"))


def test_a_percentage_without_a_kpi_asks_for_the_kpi(session: Session) -> None:
    o = office(session)
    chat = Chat(session, o["officer_user"])
    assert texts.ASK_KPI in said(chat.say("ตอนนี้ทำได้ 50% แล้ว"))
    assert texts.ASK_NOTE in said(chat.say("ตัวชี้วัดที่ 1"))


@pytest.mark.parametrize(("typed", "question"), [
    ("ข้อ 9 ได้ 50%", "ไม่มีตัวชี้วัดที่ 9\nคุณมีตัวชี้วัด 5 ข้อ (ข้อ 1–5)"),
    ("ข้อ 2 ได้ 120%", "ร้อยละ 120 เกิน 100"),
    ("ข้อ 2 ได้ 90 จากเป้า 60", "ร้อยละ 150 เกิน 100"),
    ("ข้อ 2 ได้ -5 ราย", texts.NEGATIVE_VALUE),
], ids=["kpi-9-of-5", "over-100", "over-target", "negative"])
def test_values_out_of_range_are_questioned_not_stored(session: Session, typed: str,
                                                       question: str) -> None:
    o = office(session)
    chat = Chat(session, o["officer_user"])
    asked = chat.say(typed)
    assert question in said(asked)
    assert quick_labels(asked)[-1] == "ยกเลิก"
    assert reports(session) == []


def test_saving_checks_the_kpis_afresh_not_the_flows_snapshot(session: Session) -> None:
    """The questions read the KPIs kept in the flow; the save reads the database again."""
    o = office(session)
    chat = Chat(session, o["officer_user"])
    assert texts.ASK_NOTE in said(chat.say("ข้อ 5 ได้ 50% กำลังดำเนินการ"))
    fifth = o["agreement"].kpis[4]
    session.delete(fifth)  # HR re-issued the agreement with four KPIs in the meantime
    session.flush()
    chat.say("ไม่มี")
    answer = chat.say("ใช่")
    assert "ไม่มีตัวชี้วัดที่ 5" in said(answer)
    assert reports(session) == []


def test_over_achievement_is_fine_where_the_kpi_allows_it(session: Session) -> None:
    o = office(session)
    o["agreement"].kpis[1].allow_over_100 = True
    chat = Chat(session, o["officer_user"])
    assert texts.ASK_NOTE in said(chat.say("ข้อ 2 ได้ 120% เสร็จแล้ว"))


def test_unknown_answers_are_asked_again_with_quick_replies(session: Session) -> None:
    o = office(session)
    chat = Chat(session, o["officer_user"])
    chat.say("ตัวชี้วัดที่ 2 ได้ 45 ราย จากเป้า 60")
    again = chat.say("อะไรนะ")
    assert texts.NOT_UNDERSTOOD in said(again) and texts.ASK_STATUS in said(again)
    assert "กำลังดำเนินการ" in quick_labels(again)
    chat.say("เสร็จแล้ว")
    chat.say("ไม่มี")
    again = chat.say("หืม")
    assert texts.PLEASE_ANSWER_CONFIRM in said(again) and quick_labels(again) == ["ยืนยัน", "แก้ไข", "ยกเลิก"]


def test_correcting_before_saving(session: Session) -> None:
    o = office(session)
    chat = Chat(session, o["officer_user"])
    chat.say("ตัวชี้วัดที่ 2 ได้ 45 ราย จากเป้า 60 กำลังดำเนินการ")
    chat.say("ไม่มี")
    fix = chat.say("แก้ไข")
    assert quick_labels(fix) == ["ตัวชี้วัด", "ผลงาน", "สถานะ", "หมายเหตุ", "ยกเลิก"]
    assert texts.ASK_VALUE in said(chat.say("ผลงาน"))
    card = chat.say("50 จาก 60")
    assert "50 จาก 60 (ร้อยละ 83.33)" in said(card)
    card = chat.say("ร้อยละ 90")  # typed straight at the card
    assert "ร้อยละ 90" in said(card) and "50 จาก 60" not in said(card)
    assert texts.WHICH_FIX in said(chat.say("ไม่ใช่"))
    chat.say("ตัวชี้วัด")
    assert "ตัวชี้วัดที่ 3" in said(chat.say("ตัวชี้วัดที่ 3"))
    chat.say("ใช่")
    report = reports(session)[0]
    assert report.kpi.number == 3 and report.percent == Decimal(90)


def test_a_delay_is_work_in_progress_with_the_officers_words_as_note(session: Session) -> None:
    o = office(session)
    chat = Chat(session, o["officer_user"])
    card = chat.say("ข้อ 2 ได้ 45 จาก 60 ล่าช้าเพราะรองบประมาณ คาดว่าเสร็จ 15 ม.ค.")
    assert texts.ASK_STATUS not in said(card) and texts.ASK_NOTE not in said(card)
    assert "ยังมาไม่ถึง" not in said(card)  # 15 January is when it expects to finish
    assert "กำลังดำเนินการ" in said(card)
    chat.say("ใช่")
    report = reports(session)[0]
    assert report.work_status == "in_progress" and "รองบประมาณ" in report.note


def test_laughter_while_asked_for_the_status_is_no_number(session: Session) -> None:
    o = office(session)
    chat = Chat(session, o["officer_user"])
    chat.say("ตัวชี้วัดที่ 2 ได้ 45 ราย จากเป้า 60")
    again = chat.say("555 ค่ะ")
    assert texts.NOT_UNDERSTOOD in said(again) and texts.ASK_STATUS in said(again)
    chat.say("กำลังดำเนินการ")
    card = chat.say("ไม่มี")
    assert "45 จาก 60" in said(card)


def test_cancel_leaves_the_flow_and_saves_nothing(session: Session) -> None:
    o = office(session)
    chat = Chat(session, o["officer_user"])
    chat.say("ข้อ 2 ได้ 50%")
    assert texts.CANCELLED in said(chat.say("ยกเลิก"))
    assert texts.UNKNOWN in said(chat.say("ใช่"))
    assert reports(session) == []


def test_a_flow_times_out_after_30_idle_minutes(session: Session) -> None:
    o = office(session)
    chat = Chat(session, o["officer_user"])
    chat.say("ข้อ 2 ได้ 50%")
    chat.now += timedelta(minutes=29)
    assert "ร้อยละ 50" in said(chat.say("ไม่มี"))  # still alive, and the clock restarts
    chat.now += timedelta(minutes=31)
    assert texts.UNKNOWN in said(chat.say("ใช่"))
    assert reports(session) == []


def test_a_new_report_mid_flow_asks_whether_to_abandon_the_old_one(session: Session) -> None:
    o = office(session)
    chat = Chat(session, o["officer_user"])
    chat.say("ข้อ 2 ได้ 50%")
    asked = chat.say("รายงานความก้าวหน้า")
    assert texts.ABANDON_QUESTION in said(asked)
    assert quick_labels(asked) == ["เริ่มรายงานใหม่", "ทำรายงานเดิมต่อ", "ยกเลิก"]
    resumed = chat.say("ทำรายงานเดิมต่อ")
    assert texts.RESUMED in said(resumed) and texts.ASK_NOTE in said(resumed)
    assert texts.ABANDON_QUESTION in said(chat.say("ข้อ 4 ได้ 30%"))  # a report on another KPI
    assert texts.ASK_NOTE in said(chat.say("เริ่มรายงานใหม่"))
    chat.say("ไม่มี")
    chat.say("ใช่")
    assert [r.kpi.number for r in reports(session)] == [4]


def test_an_officer_without_a_mentor_is_told_and_the_report_is_kept(session: Session) -> None:
    o = office(session, mentor=False)
    chat = Chat(session, o["officer_user"])
    chat.say("ข้อ 1 ได้ 40% กำลังดำเนินการ")
    chat.say("ไม่มี")
    done = chat.say("ใช่")
    assert "ยังไม่มีพี่เลี้ยงของคุณในระบบ" in said(done) and "HR" in said(done)
    assert reports(session)[0].status == ReportStatus.PENDING
    assert session.scalars(select(OutboxMessage)).all() == []


def test_no_agreement_no_report(session: Session) -> None:
    _officer, user_id = make_officer(session)
    assert texts.NO_AGREEMENT_TO_REPORT in said(Chat(session, user_id).say("รายงานความก้าวหน้า"))


# --- the mentor's side --------------------------------------------------------------------

def submitted(session: Session, o: dict[str, Any], text: str = "ข้อ 2 ได้ 45 จาก 60 กำลังทำ") -> ProgressReport:
    chat = Chat(session, o["officer_user"])
    chat.say(text)
    chat.say("ไม่มี")
    chat.say("ใช่")
    return reports(session)[-1]


def test_the_mentor_gets_a_card_and_confirms(session: Session) -> None:
    o = office(session)
    report = submitted(session, o)
    card = pushes_to(session, o["mentor_user"])[-1]
    assert card["type"] == "flex" and "นายสมชาย ตั้งใจ" in said([card])
    assert [i["action"]["label"] for i in card["quickReply"]["items"]] == [
        "รับรอง", "ส่งกลับแก้ไข", "ดูรายละเอียด"]
    mentor = Chat(session, o["mentor_user"])
    detail = mentor.tap(postbacks([card])["ดูรายละเอียด"])
    assert "รอรับรอง" in said(detail)
    done = mentor.tap(postbacks([card])["รับรอง"])
    assert texts.CERTIFIED_DONE in said(done)
    assert report.status == ReportStatus.CONFIRMED
    told = pushes_to(session, o["officer_user"])[-1]["text"]
    assert "ได้รับการรับรองแล้ว" in told and "นางมาลี รักงาน" in told
    actions = [e.action for e in session.scalars(select(AuditEntry).where(
        AuditEntry.subject == f"report:{report.id}").order_by(AuditEntry.id))]
    assert actions == ["report.created", "report.certified", "report.confirmed"]


def test_a_double_tap_confirms_once(session: Session) -> None:
    o = office(session)
    report = submitted(session, o)
    data = postbacks(pushes_to(session, o["mentor_user"]))["รับรอง"]
    mentor = Chat(session, o["mentor_user"])
    mentor.tap(data)
    again = mentor.tap(data)
    assert texts.ALREADY_CERTIFIED in said(again)
    assert session.scalar(select(func.count()).select_from(Confirmation)) == 1
    assert len(pushes_to(session, o["officer_user"])) == 1
    assert report.status == ReportStatus.CONFIRMED


@pytest.mark.parametrize("data", [
    "action=rpt&id={id}&v=1&do=ok",  # tapped by someone who is not a confirmer
    "action=rpt&id=999999&v=1&do=ok",
    "action=rpt&id={id}&v=1&do=delete",
    "action=rpt&id=abc&v=1&do=ok",
    "action=rptall&officer={officer}",
])
def test_forged_postbacks_are_refused_and_audited(session: Session, data: str) -> None:
    o = office(session)
    report = submitted(session, o)
    stranger, stranger_user = make_officer(session, name="นายแปลก หน้า", unit=o["officer"].unit)
    replies = Chat(session, stranger_user).tap(data.format(id=report.id, officer=o["officer"].id))
    assert texts.STALE_BUTTON in said(replies)
    assert report.status == ReportStatus.PENDING
    assert session.scalars(select(AuditEntry).where(AuditEntry.action == "postback.refused",
                                                    AuditEntry.actor_staff_id == stranger.id)).all()


def test_the_officer_cannot_certify_their_own_report(session: Session) -> None:
    o = office(session)
    report = submitted(session, o)
    replies = Chat(session, o["officer_user"]).tap(f"action=rpt&id={report.id}&v=1&do=ok")
    assert texts.STALE_BUTTON in said(replies) and report.status == ReportStatus.PENDING


def test_send_back_with_a_reason_then_resubmit(session: Session) -> None:
    o = office(session)
    report = submitted(session, o)
    old_card = postbacks(pushes_to(session, o["mentor_user"]))
    mentor = Chat(session, o["mentor_user"])
    asked = mentor.tap(old_card["ส่งกลับแก้ไข"])
    assert texts.ASK_SEND_BACK_REASON in said(asked) and "ข้อมูลไม่ครบ" in quick_labels(asked)
    assert "แจ้ง นายสมชาย ตั้งใจ" in said(mentor.say("ตัวเลขไม่ตรงกับทะเบียน ขอแนบหลักฐาน"))
    assert report.status == ReportStatus.SENT_BACK
    told = pushes_to(session, o["officer_user"])[-1]
    assert "เหตุผล: ตัวเลขไม่ตรงกับทะเบียน ขอแนบหลักฐาน" in told["text"]
    officer = Chat(session, o["officer_user"])
    fix = officer.tap(postbacks([told])["แก้ไขรายงาน"])
    assert texts.WHICH_FIX in said(fix) and "45 จาก 60" in said(fix)
    officer.say("ผลงาน")
    officer.say("48 จาก 60")
    done = officer.say("ยืนยัน")
    assert "ฉบับที่ 2" in said(done)
    assert report.version == 2 and report.status == ReportStatus.PENDING
    assert report.value == Decimal(48)
    # the card of version 1 is stale now; the new card works
    assert texts.REPORT_STALE in said(mentor.tap(old_card["รับรอง"]))
    assert session.scalars(select(AuditEntry).where(AuditEntry.action == "postback.stale")).all()
    new_card = postbacks(pushes_to(session, o["mentor_user"])[-1:])
    assert "v=2" in new_card["รับรอง"]
    mentor.tap(new_card["รับรอง"])
    assert report.status == ReportStatus.CONFIRMED
    actions = [e.action for e in session.scalars(select(AuditEntry).where(
        AuditEntry.subject == f"report:{report.id}").order_by(AuditEntry.id))]
    assert actions == ["report.created", "report.sent_back", "report.edited",
                       "postback.stale", "report.certified", "report.confirmed"]


def test_hipps_needs_both_mentor_and_coach(session: Session) -> None:
    o = office(session, hipps=True)
    report = submitted(session, o)
    mentor_card = postbacks(pushes_to(session, o["mentor_user"]))
    coach_card = postbacks(pushes_to(session, o["coach_user"]))
    waiting = Chat(session, o["mentor_user"]).tap(mentor_card["รับรอง"])
    assert "รอผู้สอนงานรับรอง" in said(waiting)
    assert report.status == ReportStatus.PENDING
    assert "รอผู้สอนงานรับรอง" in pushes_to(session, o["officer_user"])[-1]["text"]
    Chat(session, o["coach_user"]).tap(coach_card["รับรอง"])
    assert report.status == ReportStatus.CONFIRMED
    roles = sorted(session.scalars(select(Confirmation.role)))
    assert roles == ["coach", "mentor"]


def test_hipps_either_can_send_back(session: Session) -> None:
    o = office(session, hipps=True)
    report = submitted(session, o)
    coach = Chat(session, o["coach_user"])
    coach.tap(postbacks(pushes_to(session, o["coach_user"]))["ส่งกลับแก้ไข"])
    coach.say("ข้อมูลไม่ครบ")
    assert report.status == ReportStatus.SENT_BACK
    late = Chat(session, o["mentor_user"]).tap(postbacks(pushes_to(session, o["mentor_user"]))["รับรอง"])
    assert "ส่งกลับแก้ไข" in said(late) and report.status == ReportStatus.SENT_BACK


def test_withdraw_and_a_confirmed_report_is_final(session: Session) -> None:
    o = office(session)
    first = submitted(session, o)
    officer = Chat(session, o["officer_user"])
    assert texts.REPORT_WITHDRAWN in said(officer.tap(f"action=myrpt&id={first.id}&v=1&do=withdraw"))
    assert first.status == ReportStatus.WITHDRAWN
    assert "ถอน" in pushes_to(session, o["mentor_user"])[-1]["text"]
    second = submitted(session, o)
    Chat(session, o["mentor_user"]).tap(f"action=rpt&id={second.id}&v=1&do=ok")
    assert texts.REPORT_NOT_OPEN in said(officer.tap(f"action=myrpt&id={second.id}&v=1&do=edit"))
    third = submitted(session, o, "ข้อ 2 ได้ 55 จาก 60 กำลังทำ")
    Chat(session, o["mentor_user"]).tap(f"action=rpt&id={third.id}&v=1&do=ok")
    assert second.status == ReportStatus.SUPERSEDED and third.status == ReportStatus.CONFIRMED


def test_a_new_report_supersedes_an_open_one_on_the_same_kpi(session: Session) -> None:
    o = office(session)
    first = submitted(session, o)
    second = submitted(session, o, "ข้อ 2 ได้ 50 จาก 60 กำลังทำ")
    assert first.status == ReportStatus.SUPERSEDED and second.status == ReportStatus.PENDING
    stale = Chat(session, o["mentor_user"]).tap(f"action=rpt&id={first.id}&v=1&do=ok")
    assert "มีรายงานใหม่แทน" in said(stale)


def test_pending_approvals_oldest_first_and_approve_all(session: Session) -> None:
    o = office(session)
    other, other_user = make_officer(session, name="นางสาวกมล พากเพียร", unit=o["officer"].unit)
    session.add(RoleAssignment(staff_id=o["mentor"].id, role=Role.MENTOR, officer_id=other.id))
    make_agreement(session, other)
    submitted(session, o, "ข้อ 1 ได้ 10% กำลังทำ")
    chat = Chat(session, other_user)
    chat.now = NOW + timedelta(minutes=5)
    chat.say("ข้อ 5 ได้ 20% กำลังทำ")
    chat.say("ไม่มี")
    chat.say("ใช่")
    submitted(session, o, "ข้อ 3 ได้ 30% กำลังทำ")
    listing = Chat(session, o["mentor_user"]).say("รออนุมัติ")
    bubbles = listing[0]["contents"]["contents"]
    titles = [b["header"]["contents"][0]["text"] for b in bubbles]
    # oldest first: KPI 5 was sent 5 minutes after the other two
    assert titles == ["รายงานตัวชี้วัดที่ 1", "รายงานตัวชี้วัดที่ 3", "รายงานตัวชี้วัดที่ 5"]
    labels = quick_labels(listing)
    assert labels[:2] == ["รับรองทั้งหมด สมชาย", "รับรองทั้งหมด กมล"]
    done = Chat(session, o["mentor_user"]).tap(postbacks(listing)[labels[0]])
    assert "แล้ว 2 รายการ" in said(done)
    statuses = {r.kpi.number: r.status for r in reports(session)}
    assert statuses == {1: "confirmed", 3: "confirmed", 5: "pending"}


def test_my_kpis_and_people_in_care_show_the_reports(session: Session) -> None:
    o = office(session)
    report = submitted(session, o)
    card = said(Chat(session, o["officer_user"]).say("ตัวชี้วัดของฉัน"))
    assert "45 จาก 60 (ร้อยละ 75) · กำลังดำเนินการ\nรอรับรอง (21 พ.ย. 2569)" in card
    assert card.count(texts.NO_PROGRESS) == 4
    care = said(Chat(session, o["mentor_user"]).say("ผู้อยู่ในความดูแล"))
    assert "รายงานแล้ว 1/5 ข้อ · รอรับรอง 1" in care
    assert report.status == ReportStatus.PENDING


# --- evidence and training ------------------------------------------------------------------

def test_a_photo_during_the_flow_is_evidence(session: Session) -> None:
    o = office(session)
    chat = Chat(session, o["officer_user"])
    chat.say("ข้อ 2 ได้ 45 จาก 60 กำลังทำ")
    got = chat.send_media("image", "700001")
    assert "ได้รับรูปภาพเป็นหลักฐานแล้ว (รวม 1 รายการ)" in said(got) and texts.ASK_NOTE in said(got)
    chat.send_media("file", "700002")
    card = chat.say("ไม่มี")
    assert "2 รายการ" in said(card)
    chat.say("ใช่")
    report = reports(session)[0]
    assert [(e.line_message_id, e.kind, e.status) for e in report.evidence] == [
        ("700001", "image", "pending"), ("700002", "file", "pending")]


def test_a_sticker_during_the_flow_is_not_evidence(session: Session) -> None:
    o = office(session)
    chat = Chat(session, o["officer_user"])
    chat.say("ข้อ 2 ได้ 45 จาก 60 กำลังทำ")
    got = chat.send_media("sticker", "700003")
    assert texts.MEDIA["sticker"] in said(got) and texts.ASK_NOTE in said(got)
    assert session.scalars(select(Evidence)).all() == []


SEED_003_SUMMARY = ("การบริหารผลการปฏิบัติงานมี 4 ขั้นตอน คือ การวางแผน การติดตาม การพัฒนา "
                    "และการประเมินผล ตัวชี้วัดที่ดีต้องเป็นแบบ SMART และถ่ายทอดจากองค์กรลงสู่บุคคล")


def test_a_training_report_in_one_message(session: Session) -> None:
    o = office(session)
    chat = Chat(session, o["officer_user"])
    card = chat.say("อบรมหลักสูตร การจัดทำตัวชี้วัดรายบุคคล จบแล้ววันที่ 20 พ.ย. 2569\n"
                    + SEED_003_SUMMARY)
    assert "หลักสูตร การจัดทำตัวชี้วัดรายบุคคล" in said(card) and "20 พ.ย. 2569" in said(card)
    chat.say("ยืนยัน")
    report = reports(session)[0]
    assert report.kind == ReportKind.DEVELOPMENT and report.title == "การจัดทำตัวชี้วัดรายบุคคล"
    assert report.summary == SEED_003_SUMMARY and report.reported_on.isoformat() == "2026-11-20"
    assert "รายงานการอบรม" in said(pushes_to(session, o["mentor_user"]))
    Chat(session, o["mentor_user"]).tap(f"action=rpt&id={report.id}&v=1&do=ok")
    assert report.status == ReportStatus.CONFIRMED


def test_a_training_report_asked_step_by_step(session: Session) -> None:
    o = office(session)
    chat = Chat(session, o["officer_user"])
    assert texts.ASK_COURSE in said(chat.say("รายงานการอบรม"))
    assert texts.ASK_COURSE_DATE in said(chat.say("การเขียนตัวชี้วัดแบบ SMART"))
    assert "ยังมาไม่ถึง" in said(chat.say("30 ธ.ค. 2569"))
    assert texts.ASK_SUMMARY in said(chat.say("เมื่อวาน"))
    assert texts.SUMMARY_TOO_SHORT in said(chat.say("ดีมาก"))
    card = chat.say(SEED_003_SUMMARY)
    assert "20 พ.ย. 2569" in said(card)
    chat.say("ใช่")
    assert reports(session)[0].kind == ReportKind.DEVELOPMENT


# --- whole conversations through signed webhooks and the fake LINE API ----------------------

class Line:
    """People chatting through POST /callback; pushes go out through the outbox to the fake."""

    def __init__(self, client: FlaskClient, app: Flask, fake: FakeLine,
                 monkeypatch: pytest.MonkeyPatch) -> None:
        self.client, self.app, self.fake, self.now = client, app, fake, NOW
        monkeypatch.setattr("bot.clock.now", lambda _tz: self.now)

    def post(self, user_id: str, event: dict[str, Any],
             body: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        token = uuid.uuid4().hex
        self.fake.expect_reply(token, user_id)
        body = body or webhook_body(user_id, event, token)
        body["events"][0]["replyToken"] = token
        assert post_webhook(self.client, body, TEST_SECRET).status_code == 200
        self.last_body = body
        return self.fake.replies_to(token)

    def say(self, user_id: str, text: str) -> list[dict[str, Any]]:
        return self.post(user_id, {"type": "message", "message": {
            "type": "text", "id": uuid.uuid4().hex[:12], "text": text, "quoteToken": "q"}})

    def tap(self, user_id: str, data: str) -> list[dict[str, Any]]:
        return self.post(user_id, {"type": "postback", "postback": {"data": data}})

    def image(self, user_id: str, message_id: str) -> list[dict[str, Any]]:
        return self.post(user_id, {"type": "message", "message": {
            "type": "image", "id": message_id, "quoteToken": "q",
            "contentProvider": {"type": "line"}}})

    def pushed(self, user_id: str) -> list[dict[str, Any]]:
        """Deliver the outbox, then everything pushed to `user_id` so far."""
        with self.app.app_context():
            deliver_outbox(self.app.extensions["db.sessions"], self.app.extensions["line.gateway"])
        return [d.message for d in self.fake.messages_for(user_id) if d.kind == "push"]


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


@pytest.fixture
def line(client: FlaskClient, app: Flask, fake_line: FakeLine,
         monkeypatch: pytest.MonkeyPatch) -> Line:
    return Line(client, app, fake_line, monkeypatch)


def officer_reports(line: Line, o: dict[str, Any], text: str = "ตัวชี้วัดที่ 2 ได้ 45 ราย จากเป้า 60") -> None:
    assert texts.ASK_STATUS in said(line.say(o["officer_user"], text))
    line.say(o["officer_user"], "กำลังดำเนินการ")
    assert "ร้อยละ 75" in said(line.say(o["officer_user"], "ไม่มี"))
    assert texts.REPORT_SAVED.split("\n")[0] in said(line.say(o["officer_user"], "ใช่"))


def test_webhook_report_and_confirm(line: Line, engine: Engine) -> None:
    o = committed_office(engine)
    officer_reports(line, o)
    card = line.pushed(o["mentor_user"])[-1]
    assert "ตัวชี้วัดที่ 2" in said([card])
    assert texts.CERTIFIED_DONE in said(line.tap(o["mentor_user"], postbacks([card])["รับรอง"]))
    assert "ได้รับการรับรองแล้ว" in said(line.pushed(o["officer_user"]))
    assert [s for _, s, _ in db_reports(engine)] == ["confirmed"]


def test_webhook_send_back_and_resubmit(line: Line, engine: Engine) -> None:
    o = committed_office(engine)
    officer_reports(line, o)
    card = postbacks(line.pushed(o["mentor_user"]))
    line.tap(o["mentor_user"], card["ส่งกลับแก้ไข"])
    line.say(o["mentor_user"], "ขอหลักฐานเพิ่มเติม")
    told = line.pushed(o["officer_user"])[-1]
    assert "เหตุผล: ขอหลักฐานเพิ่มเติม" in told["text"]
    line.tap(o["officer_user"], postbacks([told])["แก้ไขรายงาน"])
    line.say(o["officer_user"], "หมายเหตุ")
    line.image(o["officer_user"], "900001")
    line.say(o["officer_user"], "แนบทะเบียนผู้รับบริการแล้ว")
    assert "ฉบับที่ 2" in said(line.say(o["officer_user"], "ใช่"))
    assert texts.REPORT_STALE in said(line.tap(o["mentor_user"], card["รับรอง"]))
    fresh = postbacks(line.pushed(o["mentor_user"])[-1:])
    line.tap(o["mentor_user"], fresh["รับรอง"])
    assert db_reports(engine)[0][1:] == ("confirmed", 2)


def test_webhook_hipps_dual_certification(line: Line, engine: Engine) -> None:
    o = committed_office(engine, hipps=True)
    officer_reports(line, o)
    line.tap(o["mentor_user"], postbacks(line.pushed(o["mentor_user"]))["รับรอง"])
    assert db_reports(engine)[0][1] == "pending"
    line.tap(o["coach_user"], postbacks(line.pushed(o["coach_user"]))["รับรอง"])
    assert db_reports(engine)[0][1] == "confirmed"
    told = said(line.pushed(o["officer_user"]))
    assert "รอผู้สอนงานรับรอง" in told and "ได้รับการรับรองแล้ว" in told


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
    data = postbacks(line.pushed(o["mentor_user"]))["รับรอง"]
    line.tap(o["mentor_user"], data)
    redelivered = copy.deepcopy(line.last_body)
    redelivered["events"][0]["deliveryContext"] = {"isRedelivery": True}
    assert line.post(o["mentor_user"], {}, redelivered) == []  # the same event: skipped
    assert texts.ALREADY_CERTIFIED in said(line.tap(o["mentor_user"], data))  # a second tap
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Confirmation)) == 1
    told = [m for m in line.pushed(o["officer_user"]) if "ได้รับการรับรอง" in m.get("text", "")]
    assert len(told) == 1


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
    line.image(o["officer_user"], "900002")
    line.image(o["officer_user"], "900003")  # LINE no longer has this one
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
