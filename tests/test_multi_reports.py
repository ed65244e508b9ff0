"""Stories: several KPIs in one message become one card, one submission, one card per
confirmer and one answer to the officer; a line is edited, the whole withdrawn, as for one KPI;
the guided flow goes on to the next KPI. Through the router (`chat`), the webhook (`line`), the
simulator's API (`demo`), and two decisions released together (tests/races.py)."""
from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from bot.demo import PEOPLE
from bot.fake_line import FakeLine
from bot.serving import BackgroundServer
from handlers import texts
from handlers.postbacks import ReportKpi, SubmissionDecision, encode
from models import Confirmation, OutboxMessage, ProgressReport, ReportStatus
from tests.builders import make_officer, office, postback_event, text_event
from tests.chat import Chat, Line, postbacks, quick_labels, said
from tests.races import audit_count, committed, release_together, texts_of
from tests.sim_api import api

TWO = "ข้อ 2 ได้ 40% ส่วนข้อ 5 ได้ 85%"


def reports(session: Session) -> list[ProgressReport]:
    return list(session.scalars(select(ProgressReport).order_by(ProgressReport.id)))


def confirmations(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Confirmation)) or 0


def cards_in(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The bubbles of the flex messages (a carousel's, or a bubble itself)."""
    found = []
    for message in messages:
        if message.get("type") == "flex":
            contents = message["contents"]
            found.extend(contents["contents"] if contents["type"] == "carousel" else [contents])
    return found


def sent(chat: Chat, o: dict[str, Any], text: str = TWO) -> list[ProgressReport]:
    officer = o["officer_user"]
    chat.say(officer, text)
    chat.say(officer, "ยืนยัน")
    return reports(chat.session)


# --- the officer's card and answer ----------------------------------------------------------

def test_two_kpis_one_card_one_submission_one_card_for_the_mentor(session: Session,
                                                                  chat: Chat) -> None:
    o = office(session)
    officer, mentor = o["officer_user"], o["mentor_user"]
    card = chat.say(officer, TWO)
    assert len(cards_in(card)) == 1
    shown = said(card)
    assert "ตรวจสอบรายงานตัวชี้วัดที่ 2 และ 5" in shown
    assert "ร้อยละ 40" in shown and "ร้อยละ 85" in shown
    assert "เป้าที่ตกลง" in shown and "ร้อยละ 80" in shown  # the agreed target beside each
    assert "กำลังดำเนินการ" in shown and "21 พ.ย. 2569" in shown
    assert quick_labels(card) == ["ยืนยัน", "แก้ไขข้อ 2", "แก้ไขข้อ 5", "ยกเลิก"]
    assert reports(session) == []  # nothing saved before the confirmation
    done = chat.say(officer, "ยืนยัน")
    assert len(done) == 1  # one answer
    assert texts.MULTI_SAVED.format(count=2).split("\n")[0] in said(done)
    assert "นางมาลี รักงาน" in said(done)
    assert {"ถอนรายงานทั้งชุด", "แก้ไขข้อ 2", "แก้ไขข้อ 5"} <= set(quick_labels(done))
    two, five = reports(session)
    assert [two.kpi.number, five.kpi.number] == [2, 5]
    assert (two.percent, five.percent) == (Decimal(40), Decimal(85))
    assert two.submission_id == five.submission_id == two.id
    assert two.status == five.status == ReportStatus.PENDING
    waiting = chat.cards(mentor)
    assert len(cards_in(waiting)) == 1  # one card for both KPIs
    assert "รายงานตัวชี้วัดที่ 2 และ 5" in said(waiting) and "ร้อยละ 85" in said(waiting)
    approved = chat.tap(mentor, postbacks(waiting)[texts.APPROVE_LINES])
    assert texts.CERTIFIED_ALL_LINES.format(count=2) in said(approved)
    assert two.status == five.status == ReportStatus.CONFIRMED
    told = chat.pushed(officer)
    assert len(told) == 1  # the officer: one notice for the submission
    assert "รายงานตัวชี้วัดที่ 2 และ 5" in told[0]["text"] and "รับรองแล้ว" in told[0]["text"]


def test_hipps_mentor_and_coach_get_one_card_each(session: Session, chat: Chat) -> None:
    o = office(session, hipps=True)
    two, five = sent(chat, o)
    mentor_card, coach_card = chat.cards(o["mentor_user"]), chat.cards(o["coach_user"])
    assert len(cards_in(mentor_card)) == len(cards_in(coach_card)) == 1
    waiting = chat.tap(o["mentor_user"], postbacks(mentor_card)[texts.APPROVE_LINES])
    assert "รอผู้สอนงานรับรอง" in said(waiting)
    assert two.status == five.status == ReportStatus.PENDING
    chat.tap(o["coach_user"], postbacks(coach_card)[texts.APPROVE_LINES])
    assert two.status == five.status == ReportStatus.CONFIRMED
    assert confirmations(session) == 4  # two people, two lines
    notices = chat.pushed(o["officer_user"])
    assert len(notices) == 2  # one per decision, each naming both KPIs
    assert all("รายงานตัวชี้วัดที่ 2 และ 5" in n["text"] for n in notices)


def test_without_a_mentor_the_supervisor_confirms(session: Session, chat: Chat) -> None:
    o = office(session, mentor=False)
    boss, boss_user = make_officer(session, name="นายวิชัย ศรีสุข", unit=o["officer"].unit)
    o["officer"].supervisor_id = boss.id
    session.flush()
    two, five = sent(chat, o)
    waiting = chat.cards(boss_user)
    assert len(cards_in(waiting)) == 1
    chat.tap(boss_user, postbacks(waiting)[texts.APPROVE_LINES])
    assert two.status == five.status == ReportStatus.CONFIRMED
    assert "นายวิชัย ศรีสุข" in chat.pushed(o["officer_user"])[0]["text"]


def test_a_kpi_the_officer_does_not_have_is_named_not_submitted(session: Session,
                                                                chat: Chat) -> None:
    o = office(session)
    officer = o["officer_user"]
    card = chat.say(officer, "ข้อ 2 ได้ 40% ข้อ 9 ได้ 50% ข้อ 5 เสร็จแล้ว")
    assert texts.MULTI_NOT_YOURS.format(numbers="9") in said(card)
    assert "ร้อยละ 100" in said(card)  # "เสร็จแล้ว" alone: the whole target
    done = chat.say(officer, "ยืนยัน")
    assert texts.MULTI_NOT_YOURS.format(numbers="9") in said(done)
    assert sorted(r.kpi.number for r in reports(session)) == [2, 5]
    # none of them the officer's: asked which KPI, as for one KPI
    asked = chat.say(officer, "ข้อ 8 ได้ 40% ข้อ 9 ได้ 50%")
    assert "ไม่มีตัวชี้วัดที่ 8" in said(asked) and texts.ASK_KPI in said(asked)


def test_a_line_missing_its_result_is_asked_for_then_the_card(session: Session,
                                                              chat: Chat) -> None:
    o = office(session)
    officer = o["officer_user"]
    asked = chat.say(officer, "kpi2 80% kpi3 กำลังทำ")
    assert "ตัวชี้วัดที่ 3." in said(asked) and texts.ASK_VALUE in said(asked)
    card = chat.say(officer, "30%")
    assert "ตรวจสอบรายงานตัวชี้วัดที่ 2 และ 3" in said(card) and "ร้อยละ 30" in said(card)


# --- editing one line before sending, withdrawing after -------------------------------------

def test_editing_one_line_by_its_button_or_by_typing(session: Session, chat: Chat) -> None:
    o = office(session)
    officer = o["officer_user"]
    chat.say(officer, TWO)
    asked = chat.say(officer, "แก้ไขข้อ 5")
    assert "ตัวชี้วัดที่ 5." in said(asked) and texts.ASK_VALUE in said(asked)
    card = chat.say(officer, "75%")
    assert "ร้อยละ 75" in said(card) and "ร้อยละ 85" not in said(card)
    card = chat.say(officer, "ข้อ 5 แก้เป็น 25")
    assert "ร้อยละ 25" in said(card) and "ร้อยละ 40" in said(card)
    fix = chat.say(officer, "แก้ไข")
    assert texts.MULTI_WHICH_FIX in said(fix) and "ไม่รายงานข้อ 2" in quick_labels(fix)
    chat.say(officer, "ยืนยัน")
    assert [(r.kpi.number, r.percent) for r in reports(session)] == [
        (2, Decimal(40)), (5, Decimal(25))]


def test_taking_a_line_out_leaves_one_report(session: Session, chat: Chat) -> None:
    o = office(session)
    officer = o["officer_user"]
    chat.say(officer, TWO)
    chat.say(officer, "แก้ไข")
    card = chat.say(officer, "ไม่รายงานข้อ 2")
    assert texts.MULTI_DROPPED.format(kpi=2) in said(card) and "ร้อยละ 40" not in said(card)
    done = chat.say(officer, "ยืนยัน")
    assert texts.REPORT_SAVED.split("\n")[0] in said(done)
    (five,) = reports(session)
    assert five.kpi.number == 5 and five.submission_id is None


def test_withdrawing_the_submission(session: Session, chat: Chat) -> None:
    o = office(session)
    officer = o["officer_user"]
    chat.say(officer, TWO)
    done = chat.say(officer, "ยืนยัน")
    card = chat.cards(o["mentor_user"])
    gone = chat.tap(officer, postbacks(done)["ถอนรายงานทั้งชุด"])
    assert texts.REPORT_WITHDRAWN in said(gone) and "ตัวชี้วัดที่ 2 และ 5" in said(gone)
    assert {r.status for r in reports(session)} == {ReportStatus.WITHDRAWN}
    notices = chat.pushed(o["mentor_user"])
    assert len(notices) == 1 and "ถอนรายงานตัวชี้วัดที่ 2 และ 5" in notices[0]["text"]
    again = chat.tap(officer, postbacks(done)["ถอนรายงานทั้งชุด"])
    assert texts.REPORT_NOT_OPEN in said(again)
    late = chat.tap(o["mentor_user"], postbacks(card)[texts.APPROVE_LINES])
    assert "ถอนแล้ว" in said(late) and confirmations(session) == 0
    stranger, stranger_user = make_officer(session, name="นายแปลก หน้า", unit=o["officer"].unit)
    lead = reports(session)[0]
    forged = chat.tap(stranger_user, f"action=myset&id={lead.id}&v=2&do=withdraw")
    assert texts.STALE_BUTTON in said(forged)


def test_sent_back_whole_then_one_line_edited_makes_the_old_card_stale(session: Session,
                                                                       chat: Chat) -> None:
    o = office(session)
    officer, mentor = o["officer_user"], o["mentor_user"]
    two, five = sent(chat, o)
    old = postbacks(chat.cards(mentor))
    chat.tap(mentor, old["ส่งกลับแก้ไข"])
    assert "แจ้ง นายสมชาย ตั้งใจ" in said(chat.say(mentor, "ขอหลักฐานเพิ่มเติม"))
    assert two.status == five.status == ReportStatus.SENT_BACK
    (told,) = chat.pushed(officer)  # one message, an edit for each line
    assert "ขอหลักฐานเพิ่มเติม" in told["text"] and "ตัวชี้วัดที่ 2 และ 5" in told["text"]
    fix = chat.tap(officer, postbacks([told])["แก้ไขข้อ 5"])
    assert texts.WHICH_FIX in said(fix)
    chat.say(officer, "ผลงาน")
    chat.say(officer, "90%")
    edited = chat.say(officer, "ยืนยัน")
    assert "ฉบับที่ 2" in said(edited) and "ถอนรายงานทั้งชุด" in quick_labels(edited)
    assert five.version == 2 and five.status == ReportStatus.PENDING
    assert two.status == ReportStatus.SENT_BACK
    assert texts.REPORT_STALE in said(chat.tap(mentor, old["รับรองทุกข้อ"]))
    fresh = chat.cards(mentor)
    assert len(cards_in(fresh)) == 1 and "ร้อยละ 90" in said(fresh)
    chat.tap(mentor, postbacks(fresh)[texts.APPROVE_LINES])
    assert five.status == ReportStatus.CONFIRMED and two.status == ReportStatus.SENT_BACK


def test_a_double_tap_on_approve_decides_once(session: Session, chat: Chat) -> None:
    o = office(session)
    two, five = sent(chat, o)
    data = postbacks(chat.cards(o["mentor_user"]))[texts.APPROVE_LINES]
    chat.tap(o["mentor_user"], data)
    again = chat.tap(o["mentor_user"], data)
    assert texts.ALREADY_CERTIFIED in said(again)
    assert confirmations(session) == 2 and len(chat.pushed(o["officer_user"])) == 1
    stranger, stranger_user = make_officer(session, name="นายแปลก หน้า", unit=o["officer"].unit)
    forged = chat.tap(stranger_user, encode(SubmissionDecision(two.id, 2, "ok")))
    assert texts.STALE_BUTTON in said(forged)


def test_the_confirmer_can_see_each_line_in_detail(session: Session, chat: Chat) -> None:
    o = office(session)
    two, five = sent(chat, o)
    card = chat.cards(o["mentor_user"])
    detail = chat.tap(o["mentor_user"], postbacks(card)["ดูรายละเอียด"])
    assert len(cards_in(detail)) == 2 and "รอรับรอง" in said(detail)
    # one line decided on its own card, then the rest by the submission's card
    chat.tap(o["mentor_user"], postbacks([cards_in(detail)[1]])["รับรอง"])
    assert five.status == ReportStatus.CONFIRMED and two.status == ReportStatus.PENDING
    rest = chat.tap(o["mentor_user"], postbacks(card)[texts.APPROVE_LINES])
    assert texts.CERTIFIED_ALL_LINES.format(count=1) in said(rest)
    assert two.status == ReportStatus.CONFIRMED and confirmations(session) == 2


# --- the guided flow goes on ----------------------------------------------------------------

def test_the_guided_flow_offers_the_next_kpi(session: Session, chat: Chat) -> None:
    o = office(session)
    officer = o["officer_user"]
    chat.say(officer, "รายงานความก้าวหน้า")
    chat.say(officer, "ตัวชี้วัดที่ 1")
    chat.say(officer, "50%")
    chat.say(officer, "กำลังดำเนินการ")
    chat.say(officer, "ไม่มี")
    done = chat.say(officer, "ยืนยัน")
    assert texts.NEXT_KPI_HINT.format(numbers="2, 3, 4, 5") in said(done)
    assert quick_labels(done)[0] == "รายงานข้อ 2 ต่อ"
    assert postbacks(done)["รายงานข้อ 2 ต่อ"] == encode(ReportKpi(2))
    asked = chat.tap(officer, postbacks(done)["รายงานข้อ 2 ต่อ"])
    assert "ตัวชี้วัดที่ 2." in said(asked) and texts.ASK_VALUE in said(asked)
    chat.say(officer, "60%")
    chat.say(officer, "กำลังดำเนินการ")
    chat.say(officer, "ไม่มี")
    done = chat.say(officer, "ยืนยัน")
    assert quick_labels(done)[0] == "รายงานข้อ 3 ต่อ"
    # a free-text report is no guided flow: nothing offered
    free = sent(chat, o, "ข้อ 3 ได้ 10% ข้อ 4 ได้ 20%")
    assert len(free) == 4


def test_the_guided_flows_answer_may_name_several_kpis(session: Session, chat: Chat) -> None:
    o = office(session)
    officer = o["officer_user"]
    chat.say(officer, "รายงานความก้าวหน้า")
    card = chat.say(officer, "ข้อ 1 ได้ 50% ข้อ 3 ได้ 100%")
    assert len(cards_in(card)) == 1 and "ตรวจสอบรายงานตัวชี้วัดที่ 1 และ 3" in said(card)
    assert "เสร็จแล้ว" in said(card)  # 100% of the target, no status said: done
    done = chat.say(officer, "ยืนยัน")
    assert quick_labels(done)[0] == "รายงานข้อ 2 ต่อ"
    assert sorted(r.kpi.number for r in reports(session)) == [1, 3]


# --- the whole way: webhook, outbox, fake LINE ----------------------------------------------

def test_webhook_two_kpis_one_card_for_the_mentor(line: Line, engine: Engine) -> None:
    o = committed(engine, office)
    officer, mentor = o["officer_user"], o["mentor_user"]
    card = line.say(officer, TWO)
    assert len(cards_in(card)) == 1
    line.say(officer, "ยืนยัน")
    waiting = line.cards(mentor)
    assert len(cards_in(waiting)) == 1
    line.tap(mentor, postbacks(waiting)[texts.APPROVE_LINES])
    with Session(engine) as session:
        assert {r.status for r in reports(session)} == {ReportStatus.CONFIRMED}


def test_approve_tapped_together_decides_once(served_app: BackgroundServer, engine: Engine,
                                              fake_line: FakeLine) -> None:
    o = committed(engine, office)

    def send(user: str, event: dict[str, Any]) -> str:
        return texts_of(release_together(served_app, fake_line, [(user, event)])[0])
    send(o["officer_user"], text_event(TWO))
    send(o["officer_user"], text_event("ยืนยัน"))
    with Session(engine) as session:
        lead = reports(session)[0].id
    tap = postback_event(encode(SubmissionDecision(lead, 2, "ok")))
    replies = [texts_of(r) for r in release_together(
        served_app, fake_line, [(o["mentor_user"], tap)] * 5)]
    assert sum(texts.CERTIFIED_ALL_LINES.format(count=2) in r for r in replies) == 1
    assert sum(texts.ALREADY_CERTIFIED in r for r in replies) == 4
    assert audit_count(engine, "report.certified") == 2
    with Session(engine) as session:
        assert confirmations(session) == 2
        told = [row for row in session.scalars(select(OutboxMessage))
                if "รับรองแล้ว" in json.dumps(row.messages, ensure_ascii=False)]
        assert len(told) == 1


# --- the simulator, as `make run` has it ----------------------------------------------------

USER = {p.staff_code: p.line_user_id for p in PEOPLE}


def test_simulator_a_two_kpi_message_one_card_and_the_mentor_one_card(
        served_app: BackgroundServer, demo: None) -> None:
    def say(code: str, text: str) -> list[dict[str, Any]]:
        return api(served_app, "/sim/api/send", {"user_id": USER[code], "text": text})["messages"]
    api(served_app, "/sim/api/clock", {"at": "2027-02-24T09:00"})
    card = say("D0005", "ข้อ 3 ได้ 4 ครั้ง ส่วนข้อ 5 ได้ 12 ชั่วโมง")
    assert len(cards_in(card)) == 1
    assert "เป้าที่ตกลง" in said(card) and "6 ครั้ง" in said(card) and "20 ชั่วโมง" in said(card)
    assert texts.MULTI_SAVED.format(count=2).split("\n")[0] in said(say("D0005", "ยืนยัน"))
    waiting = say("D0003", "รออนุมัติ")
    assert len(cards_in(waiting)) == 1 and "กมลวรรณ" in said(waiting)
    approved = api(served_app, "/sim/api/postback", {
        "user_id": USER["D0003"], "data": postbacks(waiting)[texts.APPROVE_LINES]})
    assert texts.CERTIFIED_ALL_LINES.format(count=2) in said(approved["messages"])


def test_simulator_the_days_push_carries_one_card_per_submission(
        served_app: BackgroundServer, demo: None) -> None:
    """Two officers report two KPIs each at night (one of them HiPPS, whose mentor is also his
    coach); at 08:30 the mentor gets one billed push whose digest has one card for each."""
    def say(code: str, text: str) -> list[dict[str, Any]]:
        return api(served_app, "/sim/api/send", {"user_id": USER[code], "text": text})["messages"]

    def pushes(code: str) -> list[list[dict[str, Any]]]:
        by_request: dict[int, list[dict[str, Any]]] = {}
        for item in api(served_app, f"/sim/api/messages?user_id={USER[code]}"):
            if item["kind"] in ("push", "multicast"):
                by_request.setdefault(item["request"], []).append(item["message"])
        return list(by_request.values())
    api(served_app, "/sim/api/clock", {"at": "2027-02-23T20:00"})
    say("D0005", "kpi1 60% kpi2 70%")
    say("D0005", "ยืนยัน")
    say("D0006", "ข้อ 2 ได้ 70% ส่วนข้อ 4 ได้ 85%")
    say("D0006", "ยืนยัน")
    assert api(served_app, "/sim/api/tick", {"at": "2027-02-23T20:30"})["sent"] == 0
    api(served_app, "/sim/api/tick", {"at": "2027-02-24T08:30"})
    (push,) = pushes("D0003")  # billed once
    bubbles = cards_in(push)
    assert len(bubbles) == 2  # one card per submission, not one per KPI
    assert "กมลวรรณ" in said([bubbles[0]]) and "ธนากร" in said([bubbles[1]])
    assert all(texts.APPROVE_LINES in said([b]) for b in bubbles)
