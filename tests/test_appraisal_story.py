"""Story tests of the appraisal round through signed webhooks, the outbox and the fake LINE API,
on both databases: a competency assessment, closing a round (CLI), the evaluator's approval and the
officer's answer, a low-performer case from the result to the 7-day report, an IDP check-in
with a training report as evidence, the seed-004 metrics, and a HiPPS report certified by the
mentor and the coach and exported for HR.
"""
from __future__ import annotations

import io
import json
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from handlers import texts
from handlers.appraisal_due import due_items
from models import (
    Agency,
    AuditEntry,
    Kpi,
    KpiAgreement,
    PositionType,
    ProgressReport,
    ReportKind,
    ReportStatus,
    Role,
    RoleAssignment,
    Staff,
)
from models.appraisal import (
    Appraisal,
    AppraisalStatus,
    CaseStatus,
    CompetencyScore,
    LowPerformerCase,
    LowPerformerStep,
)
from models.development import Idp, IdpCheckin, IdpItem, SurveyResponse
from models.hipps import HippsReport, HippsStatus, KeyProject, Milestone
from tests.builders import make_agreement, make_officer
from tests.chat import Line, postbacks, quick_texts, said

BKK = timezone(timedelta(hours=7))
NOW = datetime(2027, 3, 25, 9, 0, tzinfo=BKK)  # fiscal year 2570, end of round 1
EARLY = ("--early", "ทดสอบก่อนสิ้นรอบ", "--yes")  # NOW is before the round's end


@pytest.fixture
def line(line: Line) -> Line:
    """The harness's LINE, its clock at the end of round 1."""
    line.now = NOW
    return line


def confirmed_results(session: Session, officer: Staff, agreement: Any,
                      percents: list[int]) -> None:
    for kpi, percent in zip(agreement.kpis, percents, strict=True):
        session.add(ProgressReport(officer_id=officer.id, round_id=agreement.round_id,
                                   kind=ReportKind.KPI, kpi_id=kpi.id,
                                   status=ReportStatus.CONFIRMED, percent=Decimal(percent),
                                   reported_on=date(2027, 3, 20)))


def office(engine: Engine, *, see_scores: bool = True) -> dict[str, Any]:
    """A division: director ← supervisor ← (mentor, low officer, HiPPS officer), plus HR.

    The low officer's KPIs are all at level 2 (achievement 40); the HiPPS officer's at level 5.
    """
    with Session(engine) as session:
        director, director_user = make_officer(session, name="นายใหญ่ อำนวยการ")
        unit = director.unit
        assert unit is not None
        agency = session.get(Agency, director.agency_id)
        assert agency is not None
        agency.officers_see_scores = see_scores
        supervisor, supervisor_user = make_officer(session, name="นายวิชัย ศรีสุข", unit=unit)
        mentor, mentor_user = make_officer(session, name="นางมาลี รักงาน", unit=unit)
        low, low_user = make_officer(session, name="นางสาวกมลวรรณ พากเพียร", unit=unit)
        star, star_user = make_officer(session, name="นายธนากร มุ่งมั่น", unit=unit, is_hipps=True)
        hr, hr_user = make_officer(session, name="นางสาวพิมพ์ชนก ใจดี", unit=unit,
                                   roles=(Role.HR_ADMIN,))
        supervisor.supervisor_id = director.id
        for person in (mentor, low, star):
            person.supervisor_id = supervisor.id
        for officer in (low, star):
            session.add(RoleAssignment(staff_id=mentor.id, role=Role.MENTOR, officer_id=officer.id))
        session.add(RoleAssignment(staff_id=supervisor.id, role=Role.COACH, officer_id=star.id))
        low_agreement = make_agreement(session, low)
        star_agreement = make_agreement(session, star, key_project="ระบบ Dashboard ของกรม")
        confirmed_results(session, low, low_agreement, [70, 70, 75, 79, 70])
        confirmed_results(session, star, star_agreement, [100, 100, 100, 100, 100])
        session.commit()
        return {"agency": agency.id, "agency_code": agency.code, "round": low_agreement.round_id,
                "director": director.id, "director_user": director_user,
                "supervisor": supervisor.id, "supervisor_user": supervisor_user,
                "mentor": mentor.id, "mentor_user": mentor_user,
                "low": low.id, "low_user": low_user, "low_code": low.staff_code,
                "star": star.id, "star_user": star_user, "star_code": star.staff_code,
                "hr": hr.id, "hr_user": hr_user}


def assess(line: Line, assessor_user: str, officer_name: str, scores: list[str]) -> None:
    people = postbacks(line.say(assessor_user, "ประเมินสมรรถนะ"))
    tap = next(data for label, data in people.items() if officer_name in label)
    question = line.tap(assessor_user, tap)
    assert "สมรรถนะที่ 1/5: การมุ่งผลสัมฤทธิ์" in said(question)
    for score in scores[:-1]:
        line.say(assessor_user, score)
    summary = said(line.say(assessor_user, scores[-1]))
    assert "สรุปการประเมินสมรรถนะ" in summary
    assert "บันทึกการประเมินสมรรถนะ" in said(line.say(assessor_user, "ยืนยัน"))


def approve_result(line: Line, engine: Engine, o: dict[str, Any], officer: str) -> None:
    """The evaluator approves the officer's computed result in the chat."""
    with Session(engine) as session:
        appraisal_id = session.scalars(select(Appraisal.id).where(
            Appraisal.officer_id == o[officer])).one()
    assert "อนุมัติผลการประเมิน" in said(
        line.tap(o["supervisor_user"], f"action=apr&id={appraisal_id}&do=ok"))


# --- 1. competency assessment -------------------------------------------------------------

def test_a_mentor_assesses_competencies_in_the_chat(line: Line, engine: Engine) -> None:
    o = office(engine)
    people = postbacks(line.say(o["mentor_user"], "ประเมินสมรรถนะ"))
    assert len(people) == 2  # the two officers in care
    tap = next(data for label, data in people.items() if "กมลวรรณ" in label)
    first = line.tap(o["mentor_user"], tap)
    assert "สมรรถนะที่ 1/5: การมุ่งผลสัมฤทธิ์" in said(first)
    assert list(quick_texts(first))[:5] == ["1", "2", "3", "4", "5"]
    again = said(line.say(o["mentor_user"], "9"))  # out of range: asked again, nothing kept
    assert "กรุณาเลือกคะแนน 1–5" in again and "สมรรถนะที่ 1/5" in again
    assert "สมรรถนะที่ 2/5" in said(line.say(o["mentor_user"], "๔ มุ่งมั่นทำงานให้สำเร็จ"))
    for score in ("3", "4", "2"):
        line.say(o["mentor_user"], score)
    summary = said(line.say(o["mentor_user"], "5 ช่วยเหลือทีมดีมาก"))
    assert "คะแนนสมรรถนะ 72.00 จาก 100" in summary  # 18 × 100 / 25
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(CompetencyScore)) == 0
    line.say(o["mentor_user"], "ยืนยัน")
    with Session(engine) as session:
        rows = {s.competency: (s.score, s.comment)
                for s in session.scalars(select(CompetencyScore))}
        assert rows == {"achievement": (4, "มุ่งมั่นทำงานให้สำเร็จ"), "service": (3, ""),
                        "expertise": (4, ""), "integrity": (2, ""),
                        "teamwork": (5, "ช่วยเหลือทีมดีมาก")}
        entry = session.scalars(select(AuditEntry).where(
            AuditEntry.action == "competency.assessed")).one()
        assert entry.actor_staff_id == o["mentor"]


def test_a_mentor_with_many_officers_pages_through_them(line: Line, engine: Engine) -> None:
    o = office(engine)
    with Session(engine) as session:
        mentor = session.get(Staff, o["mentor"])
        assert mentor is not None
        for i in range(12):  # 14 officers in care in all
            officer, _ = make_officer(session, name=f"นายเพิ่ม คนที่{i:02d}", unit=mentor.unit)
            session.add(RoleAssignment(staff_id=mentor.id, role=Role.MENTOR, officer_id=officer.id))
            make_agreement(session, officer)
        session.commit()
    first = line.say(o["mentor_user"], "ประเมินสมรรถนะ")
    assert "หน้า 1/2 ทั้งหมด 14 คน" in said(first)
    first_page = postbacks(first)
    assert len(first_page) == 12 and "ถัดไป" in first_page  # 11 people and ถัดไป
    second = line.tap(o["mentor_user"], first_page["ถัดไป"])
    second_page = postbacks(second)
    assert "หน้า 2/2" in said(second) and len(second_page) == 4  # 3 people and ถัดไป
    everyone = {label for label in {**first_page, **second_page} if label != "ถัดไป"}
    assert len(everyone) == 14
    tap = next(data for label, data in second_page.items() if label != "ถัดไป")
    assert "สมรรถนะที่ 1/5" in said(line.tap(o["mentor_user"], tap))  # reachable and allowed


def test_only_a_mentor_or_evaluator_may_assess(line: Line, engine: Engine) -> None:
    o = office(engine)
    forged = f"action=cmp&o={o['low']}&r={o['round']}"
    assert texts.STALE_BUTTON in said(line.tap(o["star_user"], forged))  # a colleague
    assert texts.STALE_BUTTON in said(line.tap(o["low_user"], forged))  # oneself
    assert texts.STALE_BUTTON in said(line.tap(o["mentor_user"], "action=cmp&o=x&r=1"))
    # the evaluator (the supervisor) may
    assert "สมรรถนะที่ 1/5" in said(line.tap(o["supervisor_user"], forged))
    with Session(engine) as session:
        refused = session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "postback.refused"))
        assert refused == 3


def test_a_director_post_is_asked_the_managerial_competencies(line: Line, engine: Engine) -> None:
    o = office(engine)
    with Session(engine) as session:
        low = session.get(Staff, o["low"])
        assert low is not None
        low.position_type = PositionType.DIRECTOR
        session.commit()
    first = said(line.tap(o["mentor_user"], f"action=cmp&o={o['low']}&r={o['round']}"))
    assert "สมรรถนะที่ 1/11" in first
    for _ in range(5):
        last = said(line.say(o["mentor_user"], "4"))
    assert "สมรรถนะที่ 6/11: สภาวะผู้นำ" in last


# --- 2 and 3. closing the round, the evaluator's approval, the officer's answer -----------

def test_round_close_prints_results_and_approval_reaches_the_officer(line: Line,
                                                                     engine: Engine) -> None:
    o = office(engine)
    assess(line, o["mentor_user"], "กมลวรรณ", ["3", "3", "3", "3", "3"])  # 60
    assess(line, o["mentor_user"], "ธนากร", ["5", "5", "5", "4", "5"])  # 96
    output = line.cli("round", "close", "2570", "1", "--agency", o["agency_code"], *EARLY).output
    assert "ครบ 2 คน" in output
    with Session(engine) as session:  # no case before the evaluator approves the result
        assert session.scalar(select(func.count()).select_from(LowPerformerCase)) == 0
    printed = json.loads(line.cli("round", "results", "2570", "1", "--agency", o["agency_code"],
                                  "--format", "json").output)
    assert printed == [
        {"staff_code": o["low_code"], "achievement": 40.0, "competency": 60.0,
         "overall": 46.0, "band": "ต้องปรับปรุง", "complete": True, "missing": []},
        {"staff_code": o["star_code"], "achievement": 100.0, "competency": 96.0,
         "overall": 98.8, "band": "ดีเด่น", "complete": True, "missing": []},
    ]
    # the evaluator approves in the chat
    cards = line.say(o["supervisor_user"], "ผลการประเมิน")
    approve = [d for label, d in postbacks(cards).items() if label == "อนุมัติผล"]
    assert len(approve) == 1 and "รออนุมัติ 2 คน" in said(cards)
    assert texts.STALE_BUTTON in said(line.tap(o["low_user"], approve[0]))  # not the evaluator
    with Session(engine) as session:
        ids = {a.officer_id: a.id for a in session.scalars(select(Appraisal))}
    for officer in ("low", "star"):
        assert "อนุมัติผลการประเมิน" in said(
            line.tap(o["supervisor_user"], f"action=apr&id={ids[o[officer]]}&do=ok"))
    assert "อนุมัติไปแล้ว" in said(line.tap(o["supervisor_user"],
                                            f"action=apr&id={ids[o['star']]}&do=ok"))
    star_card = line.pushed(o["star_user"])[-1]
    assert "98.80" in said([star_card]) and "ดีเด่น" in said([star_card])
    assert "รับทราบผลการประเมินแล้ว" in said(
        line.tap(o["star_user"], postbacks([star_card])["รับทราบ"]))
    # the low performer disagrees, with a comment the evaluator receives
    low_card = line.pushed(o["low_user"])[-1]
    assert texts.STALE_BUTTON in said(line.tap(o["star_user"], postbacks([low_card])["ไม่เห็นด้วย"]))
    assert "พิมพ์ความเห็น" in said(line.tap(o["low_user"], postbacks([low_card])["ไม่เห็นด้วย"]))
    line.say(o["low_user"], "ตัวชี้วัดที่ 2 ได้รับงบประมาณล่าช้า")
    assert "ได้รับงบประมาณล่าช้า" in said(line.pushed(o["supervisor_user"]))
    assert "ตอบรับผลการประเมินนี้ไปแล้ว" in said(
        line.tap(o["low_user"], postbacks([low_card])["รับทราบ"]))
    with Session(engine) as session:  # approving the result under 60 opened the case
        assert session.scalars(select(LowPerformerCase.officer_id)).all() == [o["low"]]
        statuses = {a.officer_id: (a.status, a.officer_comment)
                    for a in session.scalars(select(Appraisal))}
        assert statuses == {o["star"]: (AppraisalStatus.ACKNOWLEDGED, ""),
                            o["low"]: (AppraisalStatus.DISAGREED,
                                       "ตัวชี้วัดที่ 2 ได้รับงบประมาณล่าช้า")}
    # closing again keeps approved results as they were
    assert "คงเดิม) 2 คน" in line.cli("round", "close", "2570", "1", "--agency",
                                     o["agency_code"], *EARLY).output


def test_an_agency_that_hides_scores_tells_the_officer_without_them(line: Line,
                                                                    engine: Engine) -> None:
    o = office(engine, see_scores=False)
    assess(line, o["mentor_user"], "ธนากร", ["5", "5", "5", "4", "5"])
    line.cli("round", "close", "2570", "1", "--agency", o["agency_code"], *EARLY)
    with Session(engine) as session:
        star = session.scalars(select(Appraisal).where(Appraisal.officer_id == o["star"])).one()
        low = session.scalars(select(Appraisal).where(Appraisal.officer_id == o["low"])).one()
        assert (low.status, low.overall, low.band) == (AppraisalStatus.INCOMPLETE, None, None)
    assert "ยังคำนวณไม่ครบ" in said(line.tap(o["supervisor_user"], f"action=apr&id={low.id}&do=ok"))
    line.tap(o["supervisor_user"], f"action=apr&id={star.id}&do=ok")
    card = said(line.pushed(o["star_user"]))
    assert "ไม่แสดงคะแนน" in card and "98.80" not in card and "ดีเด่น" not in card


# --- 4. a low-performer case from the result to the 7-day report --------------------------

def test_a_low_performer_case_runs_to_the_report_to_the_superior(line: Line,
                                                                  engine: Engine) -> None:
    o = office(engine)
    assess(line, o["mentor_user"], "กมลวรรณ", ["3", "3", "3", "3", "3"])
    line.cli("round", "close", "2570", "1", "--agency", o["agency_code"], *EARLY)
    with Session(engine) as session:  # the close opens no case: the approval does
        assert session.scalar(select(func.count()).select_from(LowPerformerCase)) == 0
    approve_result(line, engine, o, "low")
    with Session(engine) as session:
        case = session.scalars(select(LowPerformerCase)).one()
        assert (case.officer_id, case.supervisor_id, case.superior_id) == (
            o["low"], o["supervisor"], o["director"])
        assert case.report_due is None  # due only once the development steps are done
        idp = session.scalars(select(Idp).where(Idp.officer_id == o["low"])).one()
        assert (idp.mandatory, idp.case_id, idp.fiscal_year) == (True, case.id, 2570)
        assert not idp.items
        assert session.scalar(select(RoleAssignment.id).where(  # the supervisor coaches
            RoleAssignment.staff_id == o["supervisor"], RoleAssignment.role == Role.COACH,
            RoleAssignment.officer_id == o["low"])) is not None
        assert not [d for d in due_items(session, NOW.date()) if d.key.startswith("lp:")]
        case_id = case.id
    assert "ต้องจัดทำ (ผลการประเมินต่ำกว่าเกณฑ์)" in said(line.say(o["low_user"], "แผนพัฒนา"))
    told = line.pushed(o["supervisor_user"])[-1]
    assert "ผลต่ำกว่าร้อยละ 60" in told["altText"] and "7 วันหลังดำเนินการพัฒนา" in said([told])
    actions = postbacks([told])
    assert texts.STALE_BUTTON in said(line.tap(o["mentor_user"], actions["บันทึกขั้นตอน"]))
    # step 2 before step 1 needs a reason
    line.tap(o["supervisor_user"], actions["บันทึกขั้นตอน"])
    line.say(o["supervisor_user"], "อบรมและพัฒนา")
    asked = said(line.say(o["supervisor_user"], "เมื่อวาน"))
    assert "มาก่อนลำดับ" in asked and "วิเคราะห์หาสาเหตุ" in asked
    assert "กรุณาพิมพ์เหตุผลที่ข้าม" in said(line.say(o["supervisor_user"], "ไม่มี"))
    line.say(o["supervisor_user"], "หลักสูตรเปิดรับก่อนได้คุยกัน")
    # step 1, with a date and a note, from the chat
    steps = line.tap(o["supervisor_user"], actions["บันทึกขั้นตอน"])
    assert "วิเคราะห์หาสาเหตุ" in quick_texts(steps)
    assert "กรุณาเลือกจากรายการ" in said(line.say(o["supervisor_user"], "อย่างอื่น"))
    line.say(o["supervisor_user"], "วิเคราะห์หาสาเหตุ")
    assert "ยังมาไม่ถึง" in said(line.say(o["supervisor_user"], "30 มี.ค. 2570"))
    line.say(o["supervisor_user"], "วันนี้")
    saved = said(line.say(o["supervisor_user"], "คุยกันแล้ว ปรับเป้าหมายข้อ 2 ร่วมกัน"))
    assert "25 มี.ค. 2570" in saved and "1 เม.ย. 2570" in saved  # now due: 7 days after
    with Session(engine) as session:
        recorded = [(s.step, s.done_on, s.note) for s in session.scalars(
            select(LowPerformerStep).order_by(LowPerformerStep.id))]
        assert recorded == [
            ("development", date(2027, 3, 24), "(ข้ามลำดับ: หลักสูตรเปิดรับก่อนได้คุยกัน)"),
            ("analysis", date(2027, 3, 25), "คุยกันแล้ว ปรับเป้าหมายข้อ 2 ร่วมกัน")]
        case = session.get(LowPerformerCase, case_id)
        assert case is not None and case.report_due == date(2027, 4, 1)
        due = [d for d in due_items(session, NOW.date()) if d.key == f"lp:{case.id}:report"]
        assert [(d.staff_id, d.due, d.escalate_to) for d in due] == [
            (o["supervisor"], date(2027, 4, 1), o["director"])]
        # and the reminder planner reads it: reminded 1 office day ahead (Wed 31 Mar 2027)
        from scheduler.reminders import collect
        _day, planned, _ = collect(session, datetime(2027, 3, 31, 9, 0, tzinfo=BKK), tz=BKK)
        assert f"lp:{case.id}:report" in {i.key for i in planned[o["supervisor"]]}
    # the report to the supervisor's superior
    line.tap(o["supervisor_user"], actions["ส่งรายงาน"])
    assert "ส่งรายงานถึงผู้บังคับบัญชาของคุณแล้ว" in said(
        line.say(o["supervisor_user"], "พัฒนาตามแผนแล้ว จะติดตามผลทุกเดือน"))
    report = said(line.pushed(o["director_user"]))
    assert "รายงานการดำเนินการผู้มีผลสัมฤทธิ์ต่ำ" in report
    assert "จะติดตามผลทุกเดือน" in report and "คุยกันแล้ว" in report
    assert "ส่งรายงานกรณีนี้ไปแล้ว" in said(line.tap(o["supervisor_user"], actions["ส่งรายงาน"]))
    with Session(engine) as session:
        case = session.get(LowPerformerCase, case_id)
        assert case is not None and case.status == CaseStatus.REPORTED
        assert not [d for d in due_items(session, NOW.date()) if d.key.startswith("lp:")]
        actions_logged = set(session.scalars(select(AuditEntry.action).where(
            AuditEntry.subject == f"case:{case_id}")))
        assert actions_logged == {"lowperf.opened", "lowperf.step", "lowperf.reported"}


# --- 5 and 6. IDP check-in with a training report as evidence; seed-004 metrics ------------

def test_an_officer_builds_an_idp_and_checks_in_with_a_training_report(
        line: Line, engine: Engine, tmp_path: Path) -> None:
    o = office(engine)
    with Session(engine) as session:
        session.add(ProgressReport(officer_id=o["star"], round_id=o["round"],
                                   kind=ReportKind.DEVELOPMENT, status=ReportStatus.CONFIRMED,
                                   title="การวิเคราะห์ข้อมูลด้วย Power BI",
                                   summary="ทำ Dashboard ได้", reported_on=date(2027, 2, 26)))
        session.commit()
    card = line.say(o["star_user"], "แผนพัฒนา")
    assert "ยังไม่มี" in said(card) and "1 หลักสูตรในปีนี้" in said(card)
    assert "ต้องจัดทำ" not in said(card)
    line.tap(o["star_user"], postbacks(card)["เพิ่มรายการ"])
    methods = line.say(o["star_user"], "การวิเคราะห์ข้อมูล")
    assert {"ฝึกอบรม", "หมุนเวียนงาน", "รักษาการในตำแหน่ง", "คณะทำงาน"} <= set(quick_texts(methods))
    assert "กรุณาเลือกวิธี" in said(line.say(o["star_user"], "ดูหนัง"))
    line.say(o["star_user"], "ฝึกอบรม")
    assert "ผ่านไปแล้ว" in said(line.say(o["star_user"], "1 ม.ค. 2570"))
    added = line.say(o["star_user"], "30 ก.ย. 2570")
    assert "เพิ่มรายการในแผนพัฒนาแล้ว" in said(added)
    checkin = postbacks(added)["อัปเดตข้อ 1"]
    assert texts.STALE_BUTTON in said(line.tap(o["low_user"], checkin))  # not theirs
    line.tap(o["star_user"], checkin)
    evidence = quick_texts(line.say(o["star_user"], "กำลังดำเนินการ"))
    label = next(label for label in evidence if label.startswith("หลักฐาน:"))
    assert "หลักฐาน: รายงานการอบรม การวิเคราะห์ข้อมูลด้วย Power BI" in said(
        line.say(o["star_user"], evidence[label]))
    with Session(engine) as session:
        item = session.scalars(select(IdpItem)).one()
        checkin_row = session.scalars(select(IdpCheckin)).one()
        assert (item.status, item.method, item.target_date) == ("in_progress", "training",
                                                                date(2027, 9, 30))
        assert checkin_row.report_id is not None and checkin_row.status == "in_progress"
    # a forged evidence id is refused
    line.tap(o["star_user"], checkin)
    line.say(o["star_user"], "เสร็จแล้ว")
    assert "ใช้เป็นหลักฐานไม่ได้" in said(line.say(o["star_user"], "อบรม #999999"))
    # the survey, anonymous in aggregates
    survey = postbacks(line.say(o["star_user"], "ความพึงพอใจการพัฒนา"))
    line.tap(o["star_user"], survey["4"])
    line.tap(o["low_user"], survey["2"])
    line.tap(o["low_user"], survey["3"])  # answering again replaces
    assert texts.STALE_BUTTON in said(line.tap(o["low_user"], "action=svy&fy=2570&s=9"))
    assert texts.STALE_BUTTON in said(line.tap(o["low_user"], "action=svy&fy=2560&s=4"))
    metrics = json.loads(line.cli("hr", "metrics", "2570", "--agency", o["agency_code"],
                                  "--format", "json").output)
    # 6 staff; the star has an IDP item in progress
    assert metrics["staff"] == 6 and metrics["with_idp"] == 1 and metrics["acting"] == 1
    assert metrics["pct_with_idp"] == "16.67" and metrics["pct_acting_of_idp"] == "100.00"
    assert metrics["survey_responses"] == 2 and metrics["survey_mean"] == "3.50"
    assert metrics["survey_distribution"] == {"3": 1, "4": 1}
    assert "staff_id" not in json.dumps(metrics)
    csv_text = line.cli("hr", "metrics", "2570", "--agency", o["agency_code"],
                        "--format", "csv").output
    assert "ร้อยละของบุคลากรที่มี IDP,16.67" in csv_text
    out = tmp_path / "metrics.xlsx"
    line.cli("hr", "metrics", "2570", "--agency", o["agency_code"], "--format", "xlsx",
             "-o", str(out))
    sheet = load_workbook(out).active
    assert sheet is not None
    assert ("ความพึงพอใจเฉลี่ย (1–5)", 3.5) in [tuple(r) for r in sheet.iter_rows(values_only=True)]
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(SurveyResponse)) == 2


# --- 7. a HiPPS report certified by the mentor and the coach, and exported ----------------

def test_a_hipps_report_is_certified_by_both_and_exported(line: Line, engine: Engine,
                                                          tmp_path: Path) -> None:
    o = office(engine)
    line.cli("hipps", "add-project", "2570", "1", o["star_code"], "ระบบ Dashboard ของกรม",
             "--milestone", "2026-12-31:ออกแบบระบบ", "--milestone", "2027-03-31:เปิดใช้งาน",
             "--agency", o["agency_code"])
    projects = line.say(o["star_user"], "โครงการสำคัญ")
    assert "ออกแบบระบบ" in said(projects)
    assert texts.STALE_BUTTON in said(line.tap(o["low_user"], postbacks(projects)["เสร็จ: ขั้นที่ 1"]))
    line.tap(o["star_user"], postbacks(projects)["เสร็จ: ขั้นที่ 1"])
    assess(line, o["mentor_user"], "ธนากร", ["5", "5", "5", "4", "5"])
    assert "สำหรับข้าราชการผู้มีผลสัมฤทธิ์สูง" in said(line.say(o["low_user"], "รายงาน HiPPS"))
    report = line.say(o["star_user"], "รายงาน HiPPS")
    assert "1/2 ขั้นตอนสำคัญ" in said(report) and "ระดับ 5" in said(report)
    sent = said(line.tap(o["star_user"], postbacks(report)["ส่งให้รับรอง"]))
    # waiting, not done; and both confirmers by name
    assert "รอการรับรองจาก พี่เลี้ยง นางมาลี รักงาน และ ผู้สอนงาน นายวิชัย ศรีสุข" in sent
    # The cards are held for each certifier's next reply (or their day's push): none is pushed.
    assert line.pushed(o["mentor_user"]) == [] and line.pushed(o["supervisor_user"]) == []
    mentor_card = held_card(line, o["mentor_user"])
    coach_card = held_card(line, o["supervisor_user"])
    assert "รอคุณรับรอง" in mentor_card["altText"]
    assert texts.STALE_BUTTON in said(line.tap(o["low_user"], postbacks([mentor_card])["รับรองผล"]))
    assert "รอผู้สอนงานรับรองอีกคน" in said(
        line.tap(o["mentor_user"], postbacks([mentor_card])["รับรองผล"]))
    assert "ไว้แล้ว" in said(line.tap(o["mentor_user"], postbacks([mentor_card])["รับรองผล"]))
    with Session(engine) as session:
        # no reminder the day the card asked, nor the next office day; then the coach's
        assert {d.key for d in due_items(session, NOW.date())} == set()
        due = {d.key for d in due_items(session, NOW.date() + timedelta(days=4))}
        hipps_id = session.scalars(select(HippsReport.id)).one()
        assert due == {f"hipps:{hipps_id}:cert:coach"}
    assert "ครบทั้งพี่เลี้ยงและผู้สอนงาน" in said(
        line.tap(o["supervisor_user"], postbacks([coach_card])["รับรองผล"]))
    told = line.say(o["star_user"], "ช่วยเหลือ")[-1]  # the notice rides on the reply
    assert "ได้รับการรับรองครบแล้ว" in told["text"] and "10 เม.ย. 2570" in told["text"]
    with Session(engine) as session:
        hipps = session.get(HippsReport, hipps_id)
        assert hipps is not None and hipps.status == HippsStatus.CERTIFIED
        assert hipps.content["kpis"][0]["level"] == 5
        assert [c["score"] for c in hipps.content["competencies"]] == [5, 5, 5, 4, 5]
        assert [d.key for d in due_items(session, NOW.date())] == [f"hipps:{hipps_id}:copy"]
        due_copy = next(iter(due_items(session, NOW.date())))
        assert (due_copy.staff_id, due_copy.due) == (o["star"], date(2027, 4, 10))
    # HR's export: one workbook per officer and the summary sheet
    line.cli("hipps", "export", "2570", "1", "-o", str(tmp_path / "hipps"),
             "--agency", o["agency_code"])
    files = sorted(p.name for p in (tmp_path / "hipps").iterdir())
    assert files == sorted([f"{o['star_code']}.xlsx", "summary.xlsx"])
    one = [tuple(r) for r in load_workbook(tmp_path / "hipps" / f"{o['star_code']}.xlsx")
           .active.iter_rows(values_only=True)]  # type: ignore[union-attr]  # a workbook has a sheet
    flat = " ".join(str(v) for r in one for v in r if v is not None)
    assert "แบบรายงานการปฏิบัติงานของข้าราชการผู้มีผลสัมฤทธิ์สูง" in flat
    assert "ออกแบบระบบ" in flat and "นางมาลี รักงาน" in flat and "นายวิชัย ศรีสุข" in flat
    # พ.ศ. dates, Thai labels, two decimals, and where the two copies go by when
    assert "31 ธ.ค. 2569" in flat and "2026-12-31" not in flat
    assert "planned" not in flat and "done" not in flat
    kpi_row = next(r for r in one if r[0] == 1 and r[3] is not None)
    assert kpi_row[3:6] == (30, 80, 100)  # typed numbers, shown with two decimals
    sheet = load_workbook(tmp_path / "hipps" / f"{o['star_code']}.xlsx").active
    assert sheet is not None
    kpi_cells = next(r for r in sheet.iter_rows() if r[0].value == 1 and r[3].value is not None)
    assert {c.number_format for c in kpi_cells[3:6]} == {"#,##0.00"}
    assert {c.data_type for c in kpi_cells[3:6]} == {"n"}
    assert "ส่งสำเนาแบบรายงานนี้ 2 ชุดให้กลุ่มบริหารทรัพยากรบุคคล (HR) ภายใน 10 เม.ย. 2570" in flat
    summary = [tuple(r) for r in load_workbook(io.BytesIO((tmp_path / "hipps" / "summary.xlsx")
                                                          .read_bytes())).active.iter_rows(values_only=True)]  # type: ignore[union-attr]  # a workbook has a sheet
    assert summary[1][:6] == (o["star_code"], "นายธนากร มุ่งมั่น", 1, "รับรองครบแล้ว",
                              "นางมาลี รักงาน", "นายวิชัย ศรีสุข")
    # the officer says the copies went to HR: the reminder stops
    line.tap(o["star_user"], postbacks([told])["ส่งสำเนาให้ HR แล้ว"])
    with Session(engine) as session:
        assert list(due_items(session, NOW.date())) == []
        assert session.scalar(select(Milestone.status).where(Milestone.number == 1)) == "done"
        assert session.scalar(select(func.count()).select_from(KeyProject)) == 1


def held_card(line: Line, user_id: str) -> dict[str, Any]:
    """The last Flex card held for this person: it rides on their next reply."""
    return [m for m in line.say(user_id, "ช่วยเหลือ") if m["type"] == "flex"][-1]


def test_resubmitting_makes_older_certification_cards_stale(line: Line, engine: Engine) -> None:
    o = office(engine)
    report = line.say(o["star_user"], "รายงาน HiPPS")
    line.tap(o["star_user"], postbacks(report)["ส่งให้รับรอง"])
    old = postbacks([held_card(line, o["mentor_user"])])["รับรองผล"]
    line.tap(o["star_user"], postbacks(report)["ส่งให้รับรอง"])
    stale = line.tap(o["mentor_user"], old)
    assert "ฉบับเก่า" in said(stale[:1])
    new = postbacks([m for m in stale if m["type"] == "flex"][-1:])["รับรองผล"]  # rode along
    assert "รอผู้สอนงาน" in said(line.tap(o["mentor_user"], new))


def test_a_hipps_report_needs_a_key_project(line: Line, engine: Engine) -> None:
    o = office(engine)
    with Session(engine) as session:
        from models import KpiAgreement

        agreement = session.scalars(select(KpiAgreement).where(
            KpiAgreement.officer_id == o["star"])).one()
        agreement.key_project = None
        session.commit()
    report = line.say(o["star_user"], "รายงาน HiPPS")
    assert "ยังไม่มีโครงการสำคัญ" in said(line.tap(o["star_user"], postbacks(report)["ส่งให้รับรอง"]))
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(HippsReport)) == 0


@pytest.mark.parametrize("args", [
    ("round", "close", "2570", "2"),  # never opened
    ("round", "results", "2570", "1", "--agency", "NOPE"),
    ("hipps", "add-project", "2570", "1", "{low}", "โครงการ"),  # not a HiPPS officer
    ("hipps", "add-project", "2570", "1", "{star}", "โครงการ", "--milestone", "31/02/2570:x"),
    ("hr", "metrics", "2570", "--format", "xlsx"),  # no -o
    ("round", "close", "2570", "1", "--weights-broken"),
])
def test_bad_cli_input_gets_a_clear_message_and_changes_nothing(line: Line, engine: Engine,
                                                                args: tuple[str, ...]) -> None:
    o = office(engine)
    if "--weights-broken" in args:  # an agency whose weights do not sum to 100
        with Session(engine) as session:
            agency = session.get(Agency, o["agency"])
            assert agency is not None
            agency.competency_weight = 20
            session.commit()
        args = args[:-1]
    filled = [a.format(low=o["low_code"], star=o["star_code"]) for a in args]
    if "--agency" not in filled:
        filled += ["--agency", o["agency_code"]]
    result = line.app.test_cli_runner().invoke(args=filled)
    assert result.exit_code != 0
    assert "Traceback" not in result.output and result.output.strip()
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Appraisal)) == 0
        assert session.scalar(select(func.count()).select_from(KeyProject)) == 0


def test_idp_items_due_soon_are_owed_until_done(session: Session) -> None:
    officer, _user = make_officer(session)
    boss, _ = make_officer(session, unit=officer.unit)
    officer.supervisor_id = boss.id
    idp = Idp(officer_id=officer.id, fiscal_year=2570)
    soon = IdpItem(topic="Excel", method="self_study", target_date=date(2027, 4, 20))
    later = IdpItem(topic="การเขียนหนังสือราชการ", method="training", target_date=date(2027, 9, 30))
    idp.items.extend([soon, later])
    session.add(idp)
    session.flush()
    owed = list(due_items(session, date(2027, 3, 25)))
    assert [(d.key, d.staff_id, d.due, d.escalate_to) for d in owed] == [
        (f"idp:{soon.id}", officer.id, date(2027, 4, 20), boss.id)]
    soon.status = "done"
    session.flush()
    assert list(due_items(session, date(2027, 3, 25))) == []


def test_hr_pushes_the_survey_and_answers_stay_anonymous(line: Line, engine: Engine) -> None:
    o = office(engine)
    assert "ส่งแบบสำรวจถึง 6 คน" in line.cli("hr", "survey-send", "--agency", o["agency_code"]).output
    survey = line.pushed(o["low_user"])[-1]
    assert "ปีงบประมาณ 2570" in survey["text"]
    assert "ขอบคุณ" in said(line.tap(o["low_user"], postbacks([survey])["5"]))
    with Session(engine) as session:
        answered = session.scalars(select(AuditEntry).where(
            AuditEntry.action == "survey.answered")).one()
        assert "5" not in json.dumps(answered.details)  # the audit does not keep the score


def test_my_data_lists_the_appraisal_data_kept(line: Line, engine: Engine) -> None:
    o = office(engine)
    assess(line, o["mentor_user"], "กมลวรรณ", ["3", "3", "3", "3", "3"])
    line.cli("round", "close", "2570", "1", "--agency", o["agency_code"], *EARLY)
    approve_result(line, engine, o, "low")
    card = said(line.say(o["low_user"], "ข้อมูลของฉัน"))
    assert "1 รอบ · คะแนนสมรรถนะ 5 รายการ" in card and "กรณีพัฒนาผลต่ำกว่าเกณฑ์" in card


# --- closing is deliberate; missing is not zero; a re-close can lift a case ----------------

def test_an_early_close_is_refused_then_closed_with_a_reason(line: Line, engine: Engine) -> None:
    o = office(engine)
    refused = line.app.test_cli_runner().invoke(
        args=["round", "close", "2570", "1", "--agency", o["agency_code"], "--yes"])
    assert refused.exit_code != 0 and "--early" in refused.output
    assert "ยังปิดก่อนกำหนดไม่ได้" in refused.output
    early = ["round", "close", "2570", "1", "--agency", o["agency_code"], "--early", "ย้ายหน่วย"]
    declined = line.app.test_cli_runner().invoke(args=early, input="n\n")
    assert declined.exit_code != 0 and "รายงานรอรับรอง 0 ฉบับ" in declined.output
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Appraisal)) == 0
    accepted = line.app.test_cli_runner().invoke(args=early, input="y\n")
    assert accepted.exit_code == 0 and "ปิดรอบ 1/2570" in accepted.output
    with Session(engine) as session:
        closed = session.scalars(select(AuditEntry).where(
            AuditEntry.action == "round.closed")).one()
        assert closed.details["early"] == "ย้ายหน่วย"


def test_incomplete_officers_are_not_scored_until_hr_decides(line: Line, engine: Engine) -> None:
    o = office(engine)
    with Session(engine) as session:  # the HiPPS officer's KPI 5 has no confirmed result
        kpi5 = session.scalars(select(ProgressReport).join(Kpi).where(
            ProgressReport.officer_id == o["star"], Kpi.number == 5)).one()
        kpi5.status = ReportStatus.PENDING
        session.commit()
    assess(line, o["mentor_user"], "กมลวรรณ", ["3", "3", "3", "3", "3"])
    assess(line, o["mentor_user"], "ธนากร", ["5", "5", "5", "4", "5"])
    output = line.cli("round", "close", "2570", "1", "--agency", o["agency_code"], *EARLY).output
    assert "ยังไม่ครบ 1 คน" in output and "รายงานรอรับรอง 1 ฉบับ" in output
    assert f"{o['star_code']}: ยังไม่มีผลที่รับรองของตัวชี้วัดที่ 5" in output
    printed = json.loads(line.cli("round", "results", "2570", "1", "--agency", o["agency_code"],
                                  "--format", "json").output)
    star = next(r for r in printed if r["staff_code"] == o["star_code"])
    assert star == {"staff_code": o["star_code"], "achievement": None, "competency": 96.0,
                    "overall": None, "band": None, "complete": False, "missing": [5]}
    with Session(engine) as session:
        appraisal = session.scalars(select(Appraisal).where(
            Appraisal.officer_id == o["star"])).one()
        assert appraisal.status == AppraisalStatus.INCOMPLETE
        assert appraisal.kpi_levels[4]["level"] is None  # missing, not 0
    assert "ยังคำนวณไม่ครบ" in said(line.tap(o["supervisor_user"],
                                             f"action=apr&id={appraisal.id}&do=ok"))
    # HR chooses to score the missing KPI as 0, with a reason that is audited
    no_reason = line.app.test_cli_runner().invoke(args=[
        "round", "missing", "2570", "1", o["star_code"], "--zero", "--reason", " ",
        "--agency", o["agency_code"]])
    assert no_reason.exit_code != 0 and "เหตุผล" in no_reason.output
    line.cli("round", "missing", "2570", "1", o["star_code"], "--zero", "--reason",
             "ไม่ส่งรายงานภายในกำหนด", "--agency", o["agency_code"])
    line.cli("round", "close", "2570", "1", "--agency", o["agency_code"], *EARLY)
    printed = json.loads(line.cli("round", "results", "2570", "1", "--agency", o["agency_code"],
                                  "--format", "json").output)
    star = next(r for r in printed if r["staff_code"] == o["star_code"])
    assert (star["complete"], star["missing"], star["achievement"]) == (True, [], 85.0)
    with Session(engine) as session:
        decided = session.scalars(select(AuditEntry).where(
            AuditEntry.action == "appraisal.missing_decided")).one()
        assert decided.details["reason"] == "ไม่ส่งรายงานภายในกำหนด"
        appraisal = session.scalars(select(Appraisal).where(
            Appraisal.officer_id == o["star"])).one()
    line.tap(o["supervisor_user"], f"action=apr&id={appraisal.id}&do=ok")
    assert "ระดับ 0 (ไม่มีผล: HR ให้คิดเป็น 0)" in said(line.pushed(o["star_user"])[-1:])


def test_a_re_close_lifts_a_case_whose_new_result_is_60_or_more(line: Line,
                                                                engine: Engine) -> None:
    o = office(engine)
    assess(line, o["mentor_user"], "กมลวรรณ", ["3", "3", "3", "3", "3"])
    line.cli("round", "close", "2570", "1", "--agency", o["agency_code"], *EARLY)
    approve_result(line, engine, o, "low")
    with Session(engine) as session:
        case = session.scalars(select(LowPerformerCase)).one()
        assert case.status == CaseStatus.OPEN
        low = session.get(Staff, o["low"])
        assert low is not None
        agreement = session.scalars(select(KpiAgreement).where(
            KpiAgreement.officer_id == o["low"])).one()
        confirmed_results(session, low, agreement, [90, 90, 90, 90, 90])  # later, confirmed
        for report in session.scalars(select(ProgressReport).where(
                ProgressReport.officer_id == o["low"], ProgressReport.percent < 90)):
            report.status = ReportStatus.SUPERSEDED
        session.commit()
    output = line.cli("round", "close", "2570", "1", "--agency", o["agency_code"], *EARLY).output
    assert o["low_code"] in output  # reopened for the evaluator, and the case closed
    with Session(engine) as session:
        case = session.scalars(select(LowPerformerCase)).one()
        assert case.status == CaseStatus.CLOSED and "ไม่ต่ำกว่าร้อยละ 60" in case.close_note
        idp = session.scalars(select(Idp).where(Idp.officer_id == o["low"])).one()
        assert idp.mandatory is False
        appraisal = session.scalars(select(Appraisal).where(
            Appraisal.officer_id == o["low"])).one()
        assert appraisal.status == AppraisalStatus.COMPUTED and appraisal.band == "ดี"
    told = said(line.pushed(o["low_user"]))
    assert "ปิดกรณีผู้มีผลสัมฤทธิ์ต่ำกว่าเกณฑ์" in told
    # a decision on the closed case is refused in Thai, and records nothing
    opened = [c for c in line.pushed(o["supervisor_user"]) if "ผลต่ำกว่าร้อยละ 60" in
              c.get("altText", "")][-1]
    assert "กรณีนี้ปิดแล้ว" in said(line.tap(o["supervisor_user"],
                                             postbacks([opened])["บันทึกขั้นตอน"]))
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(LowPerformerStep)) == 0
    # closing again changes nothing more, and the officer is not told twice
    line.cli("round", "close", "2570", "1", "--agency", o["agency_code"], *EARLY)
    assert said(line.pushed(o["low_user"])).count("ปิดกรณีผู้มีผลสัมฤทธิ์ต่ำกว่าเกณฑ์") == 1


def test_the_mentor_sends_the_hipps_report_back_with_a_comment(line: Line,
                                                              engine: Engine) -> None:
    o = office(engine)
    line.cli("hipps", "add-project", "2570", "1", o["star_code"], "ระบบ Dashboard ของกรม",
             "--agency", o["agency_code"])
    report = line.say(o["star_user"], "รายงาน HiPPS")
    line.tap(o["star_user"], postbacks(report)["ส่งให้รับรอง"])
    card = postbacks([held_card(line, o["mentor_user"])])
    assert texts.STALE_BUTTON in said(line.tap(o["low_user"], card["ส่งกลับแก้ไข"]))
    assert "พิมพ์ความเห็น" in said(line.tap(o["mentor_user"], card["ส่งกลับแก้ไข"]))
    assert "1–500" in said(line.say(o["mentor_user"], "ก" * 501))
    assert "กลับแก้ไขแล้ว" in said(line.say(o["mentor_user"], "ขอเพิ่มผลของโครงการสำคัญ"))
    told = said(line.pushed(o["star_user"])[-1:])
    assert "ถูกส่งกลับแก้ไข" in told and "ขอเพิ่มผลของโครงการสำคัญ" in told
    # neither certifying nor sending back the returned version does anything more
    assert "ส่งกลับแก้ไขแล้ว" in said(line.tap(o["supervisor_user"], card["รับรองผล"]))
    assert "ส่งกลับแก้ไขแล้ว" in said(line.tap(o["mentor_user"], card["ส่งกลับแก้ไข"]))
    with Session(engine) as session:
        hipps = session.scalars(select(HippsReport)).one()
        assert (hipps.status, hipps.version) == (HippsStatus.SENT_BACK, 1)
        assert f"hipps:{hipps.id}:resubmit" in {d.key for d in due_items(session, NOW.date())}
    again = line.say(o["star_user"], "รายงาน HiPPS")
    assert "ถูกส่งกลับแก้ไข" in said(again)
    line.tap(o["star_user"], postbacks(again)["ส่งให้รับรอง"])
    fresh = postbacks([held_card(line, o["mentor_user"])])
    line.tap(o["mentor_user"], fresh["รับรองผล"])
    line.tap(o["supervisor_user"], postbacks([held_card(line, o["supervisor_user"])])["รับรองผล"])
    with Session(engine) as session:
        hipps = session.scalars(select(HippsReport)).one()
        assert (hipps.status, hipps.version) == (HippsStatus.CERTIFIED, 2)
        assert session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "hipps.sent_back")) == 1
