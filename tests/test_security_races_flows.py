"""Every other decision a tap (or a typed answer) can make is made once, however many copies
arrive together: appraisal approval, the low-performer case's steps and report, HiPPS
certification, key-project milestones, form submission and the reminder's เตือนพรุ่งนี้.

As in tests/test_security_races.py (helpers in tests/races.py): the copies are released together
by a thread barrier through the real webhook over HTTP, on SQLite and on PostgreSQL; what they
act on is committed first.
"""
from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from bot.demo import PEOPLE, seed_demo
from bot.demo_appraisal import seed_appraisal_demo
from bot.fake_line import FakeLine
from bot.serving import BackgroundServer
from handlers import hr_forms
from handlers.postbacks import (
    AppraisalDecision,
    CaseAction,
    HippsAction,
    MilestoneDone,
    Snooze,
    encode,
)
from models import Conversation, FormResponse, OutboxMessage, Staff
from models.appraisal import Appraisal, CaseStatus, LowPerformerCase, LowPerformerStep
from models.hipps import HippsReport, HippsStatus, Milestone, MilestoneStatus
from models.reminders import Reminder, ReminderKind, ReminderPush, ReminderSnooze
from tests.builders import make_officer, postback_event, text_event
from tests.races import audit_count, committed, release_together, texts_of

BKK = timezone(timedelta(hours=7))
TODAY = date(2026, 11, 21)  # fiscal year 2570, round 1
NOW = datetime(2026, 11, 21, 10, 0, tzinfo=BKK)
USER = {p.staff_code: p.line_user_id for p in PEOPLE}
COPIES = 6


def together(server: BackgroundServer, fake: FakeLine,
             events: list[tuple[str, dict[str, Any]]]) -> list[str]:
    """Post one signed webhook per (user_id, event), all released at once; each one's replies."""
    return [texts_of(replies) for replies in release_together(server, fake, events)]


def taps(code: str, data: str) -> list[tuple[str, dict[str, Any]]]:
    return [(USER[code], postback_event(data))] * COPIES


def says(code: str, text: str) -> list[tuple[str, dict[str, Any]]]:
    return [(USER[code], text_event(text))] * COPIES


def one(server: BackgroundServer, fake: FakeLine, code: str, event: dict[str, Any]) -> str:
    return together(server, fake, [(USER[code], event)])[0]


def pushes_to(engine: Engine, code: str, words: str) -> int:
    """Outbox rows to this demo person whose messages contain `words`."""
    with Session(engine) as session:
        rows = session.scalars(select(OutboxMessage)).all()
        return sum(1 for row in rows if USER[code] in row.recipients
                   and words in json.dumps(row.messages, ensure_ascii=False))


def count(engine: Engine, model: Any) -> int:
    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


@pytest.fixture
def demo(served_app: BackgroundServer, app: Flask, engine: Engine,
         monkeypatch: pytest.MonkeyPatch) -> Flask:
    """The demo agency with its round closed (every result computed, none approved)."""
    monkeypatch.setattr("bot.clock.now", lambda _tz: NOW)
    with Session(engine) as session:
        seed_demo(session, today=TODAY)
        assert seed_appraisal_demo(session, today=TODAY)
        session.commit()
    result = app.test_cli_runner().invoke(
        args=["round", "close", "2570", "1", "--early", "สาธิต", "--yes"])
    assert result.exit_code == 0, result.output
    return app


def _appraisal_of(engine: Engine, code: str) -> int:
    with Session(engine) as session:
        return session.scalars(select(Appraisal.id).join(Staff, Staff.id == Appraisal.officer_id)
                               .where(Staff.staff_code == code)).one()


def _open_case(server: BackgroundServer, fake: FakeLine, engine: Engine) -> int:
    one(server, fake, "D0002", postback_event(encode(AppraisalDecision(
        _appraisal_of(engine, "D0005"), "ok"))))
    with Session(engine) as session:
        return session.scalars(select(LowPerformerCase.id)).one()


# --- appraisal approval -----------------------------------------------------------------------

def test_approving_a_result_tapped_together_approves_once(demo: Flask, engine: Engine,
                                                          served_app: BackgroundServer,
                                                          fake_line: FakeLine) -> None:
    low = _appraisal_of(engine, "D0005")
    replies = together(served_app, fake_line, taps("D0002", encode(AppraisalDecision(low, "ok"))))
    assert sum("อนุมัติผลการประเมินของ" in r for r in replies) == 1
    assert sum("อนุมัติไปแล้ว" in r for r in replies) == COPIES - 1
    assert audit_count(engine, "appraisal.approved") == 1
    assert count(engine, LowPerformerCase) == 1  # the result under 60 opened one case
    assert pushes_to(engine, "D0005", "ผลการประเมิน") == 1  # the officer told once


# --- the low-performer case -------------------------------------------------------------------

def test_a_case_step_typed_together_is_recorded_once(demo: Flask, engine: Engine,
                                                     served_app: BackgroundServer,
                                                     fake_line: FakeLine) -> None:
    case_id = _open_case(served_app, fake_line, engine)
    one(served_app, fake_line, "D0002", postback_event(encode(CaseAction(case_id, "step"))))
    one(served_app, fake_line, "D0002", text_event("วิเคราะห์หาสาเหตุ"))
    one(served_app, fake_line, "D0002", text_event("วันนี้"))
    replies = together(served_app, fake_line, says("D0002", "พูดคุยหาสาเหตุร่วมกัน"))
    assert sum("บันทึกขั้นตอน “" in r for r in replies) == 1
    assert count(engine, LowPerformerStep) == 1
    assert audit_count(engine, "lowperf.step") == 1


def test_a_case_report_sent_together_is_sent_once(demo: Flask, engine: Engine,
                                                  served_app: BackgroundServer,
                                                  fake_line: FakeLine) -> None:
    case_id = _open_case(served_app, fake_line, engine)
    replies = together(served_app, fake_line,
                       taps("D0002", encode(CaseAction(case_id, "report"))))
    assert all("สรุปผลการดำเนินการ" in r for r in replies)  # asking changes nothing
    replies = together(served_app, fake_line, says("D0002", "วางแผนพัฒนาและติดตามผล"))
    assert sum("ส่งรายงานถึง" in r for r in replies) == 1
    assert audit_count(engine, "lowperf.reported") == 1
    assert pushes_to(engine, "D0001", "รายงานการดำเนินการผู้มีผลสัมฤทธิ์ต่ำ") == 1
    with Session(engine) as session:
        case = session.get(LowPerformerCase, case_id)
        assert case is not None and case.status == CaseStatus.REPORTED


# --- HiPPS certification and milestones -------------------------------------------------------

def test_a_hipps_certification_tapped_together_certifies_once(demo: Flask, engine: Engine,
                                                              served_app: BackgroundServer,
                                                              fake_line: FakeLine) -> None:
    with Session(engine) as session:
        round_id = session.scalars(select(Appraisal.round_id)).first()
    one(served_app, fake_line, "D0006",
        postback_event(encode(HippsAction("submit", r=round_id))))
    with Session(engine) as session:
        report = session.scalars(select(HippsReport)).one()
        report_id, version = report.id, report.version
    replies = together(served_app, fake_line,
                       taps("D0003", encode(HippsAction("cert", report_id, v=version))))
    assert sum("ครบทั้งพี่เลี้ยงและผู้สอนงาน" in r for r in replies) == 1
    assert audit_count(engine, "hipps.fully_certified") == 1
    with Session(engine) as session:
        certified = session.get(HippsReport, report_id)
        assert certified is not None and certified.status == HippsStatus.CERTIFIED
    assert pushes_to(engine, "D0006", "ได้รับการรับรองครบแล้ว") == 1


def test_a_milestone_tapped_together_is_done_once(demo: Flask, engine: Engine,
                                                  served_app: BackgroundServer,
                                                  fake_line: FakeLine) -> None:
    with Session(engine) as session:
        milestone_id = session.scalars(select(Milestone.id).where(
            Milestone.status != MilestoneStatus.DONE).order_by(Milestone.id)).first()
    assert milestone_id is not None
    together(served_app, fake_line, taps("D0006", encode(MilestoneDone(milestone_id))))
    assert audit_count(engine, "hipps.milestone_done") == 1
    with Session(engine) as session:
        milestone = session.get(Milestone, milestone_id)
        assert milestone is not None and milestone.status == MilestoneStatus.DONE


# --- forms ------------------------------------------------------------------------------------

def _form_in_review(session: Session) -> tuple[int, str]:
    hr, _hr_user = make_officer(session, name="นางสาวพิมพ์ ใจดี")
    officer, officer_user = make_officer(session, unit=hr.unit)
    form = hr_forms.send_form(
        session, author=hr, title="แบบสำรวจ", due_on=date(2099, 1, 1), kind="all", value="",
        sections=[{"key": "idea", "title": "ข้อเสนอแนะ", "kind": "text"}],
        now=datetime.now(UTC))
    response = session.scalars(select(FormResponse).where(
        FormResponse.form_id == form.id, FormResponse.staff_id == officer.id)).one()
    response.answers = {"idea": {"text": "ดีมาก"}}
    session.add(Conversation(user_id=officer_user, flow="form", state="review",
                             data={"form": form.id, "section": 1, "await_other": False},
                             expires_at=datetime.now(UTC) + timedelta(minutes=30)))
    return form.id, officer_user


def test_a_form_submitted_twice_at_once_is_submitted_once(served_app: BackgroundServer,
                                                          engine: Engine,
                                                          fake_line: FakeLine) -> None:
    _form_id, officer_user = committed(engine, _form_in_review)
    replies = together(served_app, fake_line,
                       [(officer_user, text_event("ส่งแบบฟอร์ม"))] * COPIES)
    assert sum("แล้ว ขอบคุณ" in r for r in replies) == 1
    assert audit_count(engine, "form.submitted") == 1


# --- snooze -----------------------------------------------------------------------------------

def _reminded(session: Session) -> tuple[str, date]:
    officer, officer_user = make_officer(session)
    day = datetime.now(BKK).date()
    push = ReminderPush(staff_id=officer.id, day=day, user_id=officer_user)
    session.add(push)
    session.flush()
    for key in ("round:1:progress", "round:1:agreement"):
        session.add(Reminder(staff_id=officer.id, deadline_key=key, kind=ReminderKind.BEFORE,
                             day=day, title="รายงาน", due=day + timedelta(days=7),
                             push_id=push.id))
    return officer_user, day


def test_snooze_tapped_together_snoozes_once(served_app: BackgroundServer, engine: Engine,
                                            fake_line: FakeLine) -> None:
    officer_user, day = committed(engine, _reminded)
    replies = together(served_app, fake_line,
                       [(officer_user, postback_event(encode(Snooze(day))))] * COPIES)
    assert all("เตือน" in r for r in replies)  # everyone is answered the same way
    assert count(engine, ReminderSnooze) == 2
    assert audit_count(engine, "reminder.snoozed") == 1
