"""The appraisal round's demo, in the simulator: the demo agency's round is closed, one officer
falls under 60 and the case runs, the HiPPS officer's report is certified by mentor and coach and
exported, and HR's seed-004 metrics come out. Everything goes through /sim/api (signed webhooks
over HTTP), the outbox and the fake LINE API.
"""
from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import requests
from flask import Flask
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from bot.demo import PEOPLE, seed_demo
from bot.demo_appraisal import seed_appraisal_demo
from bot.serving import BackgroundServer
from handlers.postbacks import AppraisalDecision, encode
from models import Staff
from models.appraisal import Appraisal, CaseStatus, LowPerformerCase
from models.hipps import HippsReport, HippsStatus
from tests.builders import deliver_outbox
from tests.chat import flat, postbacks

BKK = timezone(timedelta(hours=7))
TODAY = date(2026, 11, 21)  # fiscal year 2570, round 1
USER = {p.staff_code: p.line_user_id for p in PEOPLE}


def api(server: BackgroundServer, path: str, body: dict[str, Any] | None = None) -> Any:
    response = (requests.get(server.url + path, timeout=10) if body is None
                else requests.post(server.url + path, json=body, timeout=10))
    assert response.status_code == 200, response.text
    return response.json()


class Sim:
    def __init__(self, server: BackgroundServer, app: Flask) -> None:
        self.server, self.app = server, app

    def say(self, code: str, text: str) -> list[dict[str, Any]]:
        result = api(self.server, "/sim/api/send", {"user_id": USER[code], "text": text})
        assert result["status"] == 200
        return result["messages"]

    def tap(self, code: str, data: str) -> list[dict[str, Any]]:
        result = api(self.server, "/sim/api/postback", {"user_id": USER[code], "data": data})
        assert result["status"] == 200
        return result["messages"]

    def pushed(self, code: str) -> list[dict[str, Any]]:
        with self.app.app_context():
            deliver_outbox(self.app.extensions["db.sessions"], self.app.extensions["line.gateway"])
        return [h["message"] for h in api(self.server, f"/sim/api/messages?user_id={USER[code]}")
                if h["kind"] == "push"]

    def received(self, code: str) -> list[dict[str, Any]]:
        """Everything this person got, replies and pushes."""
        return [h["message"] for h in api(self.server, f"/sim/api/messages?user_id={USER[code]}")]

    def cli(self, *args: str) -> str:
        result = self.app.test_cli_runner().invoke(args=list(args))
        assert result.exit_code == 0, result.output
        return result.output


@pytest.fixture
def sim(served_app: BackgroundServer, app: Flask, engine: Engine,
        monkeypatch: pytest.MonkeyPatch) -> Sim:
    monkeypatch.setattr("bot.clock.now", lambda _tz: datetime(2026, 11, 21, 10, 0, tzinfo=BKK))
    with Session(engine) as session:
        seed_demo(session, today=TODAY)
        assert seed_appraisal_demo(session, today=TODAY)
        assert not seed_appraisal_demo(session, today=TODAY)  # idempotent
        session.commit()
    return Sim(served_app, app)


def test_the_demo_round_closes_and_every_part_runs(sim: Sim, engine: Engine,
                                                   tmp_path: Path) -> None:
    assert sim.app.test_cli_runner().invoke(args=["round", "close", "2570", "1"]).exit_code != 0
    closed = sim.cli("round", "close", "2570", "1", "--early", "สาธิตก่อนสิ้นรอบ", "--yes")
    assert "ครบ 5 คน" in closed
    results = json.loads(sim.cli("round", "results", "2570", "1", "--format", "json"))
    done = {"complete": True, "missing": []}
    assert results == [
        {"staff_code": "D0003", "achievement": 80.0, "competency": 80.0, "overall": 80.0,
         "band": "ดีมาก", **done},
        {"staff_code": "D0004", "achievement": 80.0, "competency": 80.0, "overall": 80.0,
         "band": "ดีมาก", **done},
        {"staff_code": "D0005", "achievement": 40.0, "competency": 60.0, "overall": 46.0,
         "band": "ต้องปรับปรุง", **done},
        {"staff_code": "D0006", "achievement": 100.0, "competency": 96.0, "overall": 98.8,
         "band": "ดีเด่น", **done},
        {"staff_code": "D0007", "achievement": 60.0, "competency": 60.0, "overall": 60.0,
         "band": "พอใช้", **done},
    ]
    # the evaluator (D0002) approves D0005's result: that opens the low-performer case
    with Session(engine) as session:
        assert session.scalar(select(LowPerformerCase.id)) is None
        low = session.scalars(select(Appraisal.id).join(Staff, Staff.id == Appraisal.officer_id)
                              .where(Staff.staff_code == "D0005")).one()
    sim.tap("D0002", encode(AppraisalDecision(low, "ok")))
    # the low-performer case: the director (D0002) supervises D0005 and has no superior, so
    # the report goes to HR (D0001)
    case_card = [m for m in sim.pushed("D0002") if "ผลต่ำกว่าร้อยละ 60" in m.get("altText", "")]
    assert len(case_card) == 1
    actions = postbacks(case_card)
    sim.tap("D0002", actions["บันทึกขั้นตอน"])
    sim.say("D0002", "วิเคราะห์หาสาเหตุ")
    sim.say("D0002", "วันนี้")
    assert "บันทึกขั้นตอน" in flat(sim.say("D0002", "พูดคุยหาสาเหตุและตกลงแผนงานร่วมกัน"))
    sim.tap("D0002", actions["ส่งรายงาน"])
    assert "ถึงHR" in flat(sim.say("D0002", "วางแผนพัฒนาและติดตามผลรายเดือน"))
    assert "รายงานการดำเนินการผู้มีผลสัมฤทธิ์ต่ำ" in flat(sim.pushed("D0001"))
    # the HiPPS officer's report: the mentor (D0003) is also the coach, and certifies once
    report = sim.say("D0006", "รายงาน HiPPS")
    assert "1/3 ขั้นตอนสำคัญ" in flat(report)
    sim.tap("D0006", postbacks(report)["ส่งให้รับรอง"])
    sim.say("D0003", "ช่วยเหลือ")  # the card was held: it rides on the carer's next reply
    card = [m for m in sim.received("D0003") if "HiPPS" in flat([m]) and "รอคุณรับรอง"
            in m.get("altText", "")]
    assert len(card) == 1
    assert "ครบทั้งพี่เลี้ยงและผู้สอนงาน" in flat(sim.tap("D0003", postbacks(card)["รับรองผล"]))
    sim.say("D0006", "ช่วยเหลือ")
    assert "ได้รับการรับรองครบแล้ว" in flat(sim.received("D0006"))
    sim.cli("hipps", "export", "2570", "1", "-o", str(tmp_path))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["D0006.xlsx", "summary.xlsx"]
    # HR's metrics: D0004 and D0006 have IDP items (D0004's in progress); three answered
    metrics = json.loads(sim.cli("hr", "metrics", "2570", "--format", "json"))
    assert (metrics["staff"], metrics["with_idp"], metrics["acting"]) == (7, 2, 1)
    assert (metrics["survey_responses"], metrics["survey_mean"]) == (3, "4.33")
    with Session(engine) as session:
        assert session.scalars(select(LowPerformerCase.status)).one() == CaseStatus.REPORTED
        assert session.scalars(select(HippsReport.status)).one() == HippsStatus.CERTIFIED


def test_the_demo_officer_without_a_mentor_is_confirmed_by_the_director(sim: Sim) -> None:
    sim.say("D0004", "ตัวชี้วัดที่ 1 ได้ 85% กำลังดำเนินการ")
    sim.say("D0004", "ไม่มี")
    saved = flat(sim.say("D0004", "ใช่"))
    assert "ผู้บังคับบัญชา นายวิชัย ศรีสุข" in saved and "ยังไม่มี" not in saved
    assert "นายสมชาย" not in flat(sim.say("D0003", "รออนุมัติ"))  # not the mentor's
    card = sim.say("D0002", "รออนุมัติ")
    assert "นายสมชาย" in flat(card)
    assert "รับรอง" in flat(sim.tap("D0002", postbacks(card)["รับรอง"]))
    sim.say("D0004", "ช่วยเหลือ")  # the notice rides on his next reply
    assert "ได้รับการรับรองแล้ว" in flat(sim.received("D0004"))
