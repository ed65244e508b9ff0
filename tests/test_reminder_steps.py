"""Reminders carry the next step for their kind as one tap: "รายงานข้อ N ตอนนี้" for the KPIs still
missing, รออนุมัติ for a confirmer, the form itself for a form."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers import texts
from handlers.postbacks import OpenForm, ReportKpi, decode
from handlers.reminders import Item, next_steps
from models import OutboxMessage, ReminderKind, ReminderPush
from scheduler.reminders import plan_reminders
from tests.chat import Chat, postbacks, said
from tests.reminder_builders import BANGKOK, at, build_office, submit_report

DAY = date(2027, 2, 24)


def item(key: str) -> Item:
    return Item(key=key, title="x", due=DAY, kind=ReminderKind.BEFORE, office_days=3)


def test_a_progress_reminder_offers_each_missing_kpi_and_the_tap_starts_that_report(
        session: Session, chat: Chat) -> None:
    office = build_office(session)
    submit_report(session, office.diligent, office.round, at("2027-01-10 10:00"))
    plan_reminders(session, at("2027-02-24 08:30"), tz=BANGKOK)
    push = session.scalars(select(ReminderPush)).one()
    message = session.get(OutboxMessage, push.outbox_id).messages[0]
    labels = [i["action"]["label"] for i in message["quickReply"]["items"]]
    assert labels[0] == "เตือนพรุ่งนี้"
    assert labels[1:6] == [f"รายงานข้อ {n} ตอนนี้" for n in range(1, 6)]
    assert "รออนุมัติ" not in labels  # an officer's reminder, not a confirmer's
    chat.now = at("2027-02-24 09:00")
    taps = postbacks([message])
    answer = chat.tap(office.users[office.behind.id], taps["รายงานข้อ 3 ตอนนี้"])
    assert "ตัวชี้วัดที่ 3" in said(answer) or "ข้อ 3" in said(answer)
    assert texts.ASK_VALUE.splitlines()[0] in said(answer)


def test_a_kpi_the_officer_does_not_have_is_questioned(session: Session, chat: Chat) -> None:
    office = build_office(session)
    chat.now = at("2027-02-24 09:00")
    from handlers.postbacks import encode
    answer = chat.tap(office.users[office.behind.id], encode(ReportKpi(9)))
    assert "ไม่มีตัวชี้วัดที่ 9" in said(answer)


def test_the_steps_by_kind_of_item() -> None:
    progress = next_steps([item("round:7:progress")], [2, 4])
    assert [a["label"] for a in progress] == ["รายงานข้อ 2 ตอนนี้", "รายงานข้อ 4 ตอนนี้"]
    assert decode(progress[1]["data"]) == ReportKpi(4)
    assert [a["label"] for a in next_steps([item("wait:7")])] == ["รออนุมัติ"]
    assert [a["label"] for a in next_steps([item("round:7:confirmation")])] == ["รออนุมัติ"]
    form = next_steps([item("form:12")])
    assert [a["label"] for a in form] == ["กรอกแบบฟอร์ม"] and decode(form[0]["data"]) == OpenForm(12)
    assert next_steps([item("round:7:agreement")]) == []
    assert len(next_steps([item("round:7:progress")], list(range(1, 11)))) == 5
