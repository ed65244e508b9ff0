"""Pay only for the pushes that matter: stories through the simulator (signed webhooks, the real
worker, the fake LINE API that bills as LINE does), on the demo agency with the demo's clock.

The demo people: มาลี (D0003) mentors กมล (D0005), ศิริพร (D0007, not on LINE) and
ธนา (D0006, HiPPS), whom she also coaches; ชาย (D0004) has no mentor, so his supervisor
วิชัย (D0002) confirms him. Round 1/2570's progress deadline is 1 Mar 2570 (a Monday).
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from flask import Flask
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bot import clock
from bot.demo import PEOPLE, seed_demo
from bot.serving import BackgroundServer
from scheduler.demo import attach
from tests.chat import postbacks

USER = {person.staff_code: person.line_user_id for person in PEOPLE}
MENTOR, COACH, CHAI, KAMON = "D0003", "D0002", "D0004", "D0005"


@pytest.fixture
def sim(engine: Engine, app: Flask, served_app: BackgroundServer) -> Iterator[Sim]:
    with Session(engine) as session:
        seed_demo(session, today=clock.now("Asia/Bangkok").date())
        session.commit()
    worker = attach(app)
    yield Sim(served_app)
    worker.close()


class Sim:
    def __init__(self, server: BackgroundServer) -> None:
        self.server = server

    def call(self, path: str, body: dict[str, Any] | None = None) -> Any:
        url = self.server.url + path
        response = (requests.get(url, timeout=20) if body is None
                    else requests.post(url, json=body, timeout=20))
        assert response.status_code == 200, response.text
        return response.json()

    def at(self, moment: str) -> None:
        self.call("/sim/api/clock", {"at": moment})

    def tick(self, moment: str) -> dict[str, Any]:
        return self.call("/sim/api/tick", {"at": moment})

    def say(self, code: str, text: str) -> list[dict[str, Any]]:
        return self.call("/sim/api/send", {"user_id": USER[code], "text": text})["messages"]

    def tap(self, code: str, data: str) -> list[dict[str, Any]]:
        return self.call("/sim/api/postback", {"user_id": USER[code], "data": data})["messages"]

    def pushes(self, code: str) -> list[list[dict[str, Any]]]:
        """Each push request that reached this person (billed once), its messages."""
        by_request: dict[int, list[dict[str, Any]]] = {}
        for item in self.call(f"/sim/api/messages?user_id={USER[code]}"):
            if item["kind"] in ("push", "multicast"):
                by_request.setdefault(item["request"], []).append(item["message"])
        return list(by_request.values())

    def report(self, code: str, text: str) -> None:
        for said in (text, "ไม่มีครับ", "ยืนยัน"):
            self.say(code, said)


def text_of(messages: list[dict[str, Any]]) -> str:
    return json.dumps(messages, ensure_ascii=False)


def test_a_report_at_20_00_waits_for_08_30_and_reaches_the_mentor_in_one_push(sim: Sim) -> None:
    """Five KPIs reported at night: nothing pushed at night; at 08:30 the mentor gets one push
    with the digest of all of them (one carousel, approve-all, ดูทั้งหมด)."""
    sim.at("2027-02-23T20:00")
    for kpi in range(1, 6):
        sim.report(KAMON, f"KPI {kpi} ร้อยละ {40 + kpi}")
    assert sim.tick("2027-02-23T20:30")["sent"] == 0
    assert sim.pushes(MENTOR) == []
    sim.tick("2027-02-24T08:30")
    pushes = sim.pushes(MENTOR)
    assert len(pushes) == 1  # billed once
    digest = [m for m in pushes[0] if m["type"] == "flex"]
    assert len(digest) == 1 and digest[0]["contents"]["type"] == "carousel"
    assert len(digest[0]["contents"]["contents"]) == 5
    labels = [i["action"]["label"] for i in digest[0]["quickReply"]["items"]]
    assert "รับรองทั้งหมด กมลวรรณ" in labels and "ดูทั้งหมด" in labels
    assert "รายงานความก้าวหน้า ภายใน 1 มี.ค. 2570" in text_of(pushes[0])  # her own, same push
    sim.tick("2027-02-24T09:00")
    sim.tick("2027-02-25T08:30")  # shown already: no digest again for the same reports
    assert all("carousel" not in text_of(push) for push in sim.pushes(MENTOR)[1:])


def test_a_confirmer_chatting_at_10_00_gets_the_digest_free(sim: Sim) -> None:
    sim.tick("2027-02-24T08:30")  # the day's reminders (the mentor's own progress report)
    before = len(sim.pushes(MENTOR))
    sim.at("2027-02-24T09:40")
    sim.report(KAMON, "KPI 4 ร้อยละ ๗๐")
    sim.at("2027-02-24T10:00")
    reply = sim.say(MENTOR, "ช่วยเหลือ")
    assert any(m["type"] == "flex" and "กมลวรรณ" in text_of([m]) for m in reply)  # free
    sim.tick("2027-02-24T10:30")
    sim.tick("2027-02-25T08:30")
    assert "กมลวรรณ" not in text_of(sim.pushes(MENTOR)[before:])  # never pushed as well


def test_a_send_back_reaches_the_officer_the_same_office_day(sim: Sim) -> None:
    sim.at("2027-02-24T10:00")
    sim.report(KAMON, "KPI 4 ร้อยละ ๗๐")
    card = postbacks(sim.say(MENTOR, "รออนุมัติ"))
    sim.tap(MENTOR, card["ส่งกลับแก้ไข"])
    sim.say(MENTOR, "ขอหลักฐานเพิ่มเติม")
    sim.tick("2027-02-24T10:05")
    pushed = sim.pushes(KAMON)
    sent_back = [push for push in pushed if "ขอหลักฐานเพิ่มเติม" in text_of(push)]
    assert len(sent_back) == 1 and "แก้ไขรายงาน" in postbacks(sent_back[0])
    # urgent, so on its own; the day's reminder (report again by 1 มี.ค.) may go beside it
    assert len(pushed) <= 2


def test_a_send_back_at_night_waits_for_office_hours(sim: Sim) -> None:
    sim.at("2027-02-24T19:30")
    sim.report(KAMON, "KPI 4 ร้อยละ ๗๐")
    card = postbacks(sim.say(MENTOR, "รออนุมัติ"))
    sim.tap(MENTOR, card["ส่งกลับแก้ไข"])
    sim.say(MENTOR, "ขอหลักฐานเพิ่มเติม")
    sim.tick("2027-02-24T20:00")
    assert sim.pushes(KAMON) == []
    sim.tick("2027-02-25T08:30")
    assert "ขอหลักฐานเพิ่มเติม" in text_of(sim.pushes(KAMON))


def test_approve_all_gives_the_officer_one_message(sim: Sim) -> None:
    sim.at("2027-02-24T09:00")
    for kpi in (1, 2, 3):
        sim.report(KAMON, f"KPI {kpi} ร้อยละ {60 + kpi}")
    digest = sim.say(MENTOR, "รออนุมัติ")
    asked = sim.tap(MENTOR, postbacks(digest)["รับรองทั้งหมด กมลวรรณ"])  # asked once first
    sure = [data for label, data in postbacks(asked).items() if "ok=1" in data]
    done = sim.tap(MENTOR, sure[0])
    assert "3" in text_of(done)
    sim.tick("2027-02-24T09:30")  # written in office hours: it waits for a reply until
    assert sim.pushes(KAMON) == []  # the next office-day start
    sim.tick("2027-02-25T08:30")
    pushes = sim.pushes(KAMON)
    assert len(pushes) == 1
    notices = [m for m in pushes[0] if "ได้รับการรับรองแล้ว" in text_of([m])]
    assert len(notices) == 1
    for kpi in (1, 2, 3):
        assert f"ตัวชี้วัดที่ {kpi}" in notices[0]["text"]


def test_a_notice_rides_on_the_officers_next_reply_before_the_next_push(sim: Sim) -> None:
    sim.tick("2027-02-24T08:30")
    sim.at("2027-02-24T11:00")
    sim.report(KAMON, "KPI 4 ร้อยละ ๗๐")  # กมล has had today's push? she had a reminder: yes
    card = postbacks(sim.say(MENTOR, "รออนุมัติ"))
    sim.tap(MENTOR, card["รับรอง"])
    sim.tick("2027-02-24T11:30")
    pushed_before = len(sim.pushes(KAMON))
    sim.at("2027-02-24T16:00")
    reply = sim.say(KAMON, "กำหนดส่ง")
    assert "ได้รับการรับรองแล้ว" in text_of(reply)  # free, on the reply
    sim.tick("2027-02-25T08:30")
    assert "ได้รับการรับรองแล้ว" not in text_of(sim.pushes(KAMON)[pushed_before:])


def test_no_reminder_asks_what_the_days_digest_asks(sim: Sim, engine: Engine) -> None:
    """On a day the confirmation deadline would remind the mentor, a digest asking her to
    decide on new reports goes instead of that reminder; without a digest, the reminder goes."""
    from datetime import date, timedelta

    from models.calendar import OfficeCalendar
    from models.reminders import Policy, ReminderKind
    from scheduler.reminders import reminder_kind

    with Session(engine) as session:
        calendar = OfficeCalendar.load(session, None)  # Thai holidays (no agency overrides)
    due = date(2027, 3, 16)  # the demo round's confirmation deadline (round end - 15 days)
    days = [date(2027, 3, 1) + timedelta(days=n) for n in range(16)]
    before = [d for d in days if calendar.is_office_day(d) and (
        reminder_kind(Policy(), calendar, due, d)
                                  or ("", 0))[0] == ReminderKind.BEFORE]
    first, second = before[0], before[1]  # 7 and 3 office days before it
    sim.at("2027-02-24T09:00")
    sim.report(CHAI, "KPI 1 ร้อยละ 61")
    sim.say(MENTOR, "รออนุมัติ")  # the mentor has seen it: an old report waiting
    sim.at(f"{first - timedelta(days=1)}T20:00")
    sim.report(KAMON, "KPI 4 ร้อยละ ๗๐")  # a new one, at night
    sim.tick(f"{first}T08:30")
    day_one = sim.pushes(MENTOR)[-1]
    assert "กมลวรรณ" in text_of(day_one)  # the digest
    assert "พี่เลี้ยง/ผู้สอนงานรับรองผล" not in text_of(day_one)  # not the reminder too
    sim.tick(f"{second}T08:30")
    assert "พี่เลี้ยง/ผู้สอนงานรับรองผล" in text_of(sim.pushes(MENTOR)[-1])


def test_held_notices_merge_into_one_text_and_what_does_not_fit_stays_held() -> None:
    from handlers import messages as m
    from handlers.day_push import merged_notices
    from models import OutboxMessage

    def row(*messages: dict[str, Any]) -> OutboxMessage:
        return OutboxMessage(kind="push", recipients=["U1"], messages=list(messages),
                             retry_key="k", category="notice")

    plain = [row(m.text(f"รายงานตัวชี้วัดที่ {n} ได้รับการรับรองแล้ว")) for n in range(1, 6)]
    cards = [row(m.text("รับรองครบแล้ว", [m.message_action("ส่งสำเนาให้ HR แล้ว")]))
             for _ in range(3)]
    out, used = merged_notices([*plain, *cards], room=3)
    assert len(out) == 3 and len(used) == 7  # 5 texts in one message, then 2 with buttons
    assert all(f"ตัวชี้วัดที่ {n}" in out[0]["text"] for n in range(1, 6))
    assert cards[2] not in used  # no room: it stays held for the next reply or push
    big = [row(m.text("ก" * 3000)), row(m.text("ข" * 3000))]
    out, used = merged_notices(big, room=5)
    assert len(out) == 1 and used == big[:1]  # over 5,000 characters: the second waits
    m.check_messages(out)


def test_a_report_made_on_the_simulated_clock_waits_its_office_days(sim: Sim) -> None:
    """One clock: a report written at a simulated moment is stamped then, so "waiting more
    than 3 office days" reminds the mentor in a simulated round."""
    sim.at("2027-02-24T10:00")
    sim.report(KAMON, "KPI 4 ร้อยละ ๗๐")
    sim.say(MENTOR, "รออนุมัติ")  # seen, not decided
    for day in ("2027-02-25", "2027-02-26", "2027-03-01"):
        sim.tick(f"{day}T08:30")
        assert "รอเกิน 3 วันทำการ" not in text_of(sim.pushes(MENTOR))
    sim.tick("2027-03-02T08:30")
    assert "รับรองรายงานที่รอเกิน 3 วันทำการ" in text_of(sim.pushes(MENTOR)[-1])
