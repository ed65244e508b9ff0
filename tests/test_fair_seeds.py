"""Seed fidelity: the documents' own wording, a training summary as long as LINE allows, and
help that lists what concerns the person."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers.hr_forms import CAREER_PATH
from models import ProgressReport, ReportKind, Role, RoleAssignment
from models.development import IDP_METHODS
from tests.builders import make_agreement, make_officer
from tests.chat import Chat, said

# Seed 002, แบบรายงานผล: every item as the document words it (its line breaks joined).
SEED_002_ITEMS = [
    "ติดประกาศให้บุคลากรภายในหน่วยงานทราบและแจ้งแหล่งเก็บข้อมูลเพิ่มเพื่อการสืบค้น "
    "ศึกษารายละเอียดเพิ่มเติม",
    "แจ้งเวียนแฟ้มคู่มือหรือซีดีให้บุคลากรรับทราบทั่วกัน",
    "เผยแพร่ประชาสัมพันธ์ทางวารสารของหน่วยงาน",
    "เผยแพร่ประชาสัมพันธ์ทางจดหมายเวียนภายในหน่วยงาน",
    "จัดกิจกรรมกลุ่มสนทนาศึกษาแลกเปลี่ยนเรียนรู้",
    "จัดบอร์ดประชาสัมพันธ์",
    "มอบหมายให้มีผู้รับผิดชอบในการขยายผลการเผยแพร่ประชาสัมพันธ์",
    "จัดกิจกรรมรองรับการสื่อสารประชาสัมพันธ์ เช่น ทางเว็บไซต์ของหน่วยงาน, การประชุม, ฝึกอบรม ฯลฯ",
    "สนับสนุนการเรียนรู้และพัฒนาสมรรถนะการประชาสัมพันธ์มืออาชีพและสมรรถนะสภาวะผู้นำ",
    "ส่งเสริมการปรับเปลี่ยนหมุนเวียนงาน เพื่อส่งเสริมความรู้และพัฒนางานที่หลากหลาย",
    "บุคลากรภายในหน่วยงานทราบและสนใจศึกษารายละเอียดเพิ่มเติมเพื่อวางแผนเส้นทางสู่ตำแหน่ง"
    "เป้าหมายในอนาคต",
    "บุคลากรรับทราบทั่วกันและมีความรู้ความเข้าใจเพิ่มมากขึ้น",
    "หน่วยงานมีข้อมูล/คู่มือ/แบบแผนรองรับการเตรียมความพร้อมของบุคลากรไปสู่เส้นทางก้าวหน้า",
]


def test_the_career_path_checklist_uses_the_documents_wording() -> None:
    items = [option for section in CAREER_PATH for option in section.get("options", [])]
    assert items == SEED_002_ITEMS


def test_development_methods_keep_the_seeds_labels() -> None:
    names = " ".join(name for name, _label in IDP_METHODS.values())
    for label in ("(Job Redesign)", "(Professional Organization)", "จากหนังสือ",
                  "(Committee/Task Force Participation)"):
        assert label in names


def test_a_training_summary_as_long_as_seed_003s_is_kept_whole(session: Session,
                                                               chat: Chat) -> None:
    officer, user = make_officer(session, name="นายสมชาย ตั้งใจ")
    mentor, _ = make_officer(session, name="นางมาลี รักงาน", unit=officer.unit)
    session.add(RoleAssignment(staff_id=mentor.id, role=Role.MENTOR, officer_id=officer.id))
    make_agreement(session, officer)
    line = "การกำหนดตัวชี้วัดที่ดีต้องเฉพาะเจาะจง วัดได้ บรรลุได้ สอดคล้อง และมีกรอบเวลา (SMART)\n"
    summary = (line * 40)[:2557].strip()
    assert len(summary) > 2500
    chat.say(user, "อบรมหลักสูตรที่ 7 การกำหนดตัวชี้วัดรายบุคคล จบแล้ววันที่ 20 พ.ย. 2569\n"
             + summary)
    chat.say(user, "ยืนยัน")
    report = session.scalars(select(ProgressReport)).one()
    assert report.kind == ReportKind.DEVELOPMENT and report.summary == summary
    # asked for on its own, a summary may be as long as LINE allows
    chat.say(user, "รายงานการอบรม")
    chat.say(user, "การเขียนตัวชี้วัดแบบ SMART")
    chat.say(user, "เมื่อวาน")
    long_one = ("ก" * 4990)
    assert "20 พ.ย. 2569" in said(chat.say(user, long_one))
    chat.say(user, "ใช่")
    assert session.scalars(select(ProgressReport.summary).order_by(
        ProgressReport.id.desc())).first() == long_one


def test_help_lists_what_concerns_the_person(session: Session, chat: Chat) -> None:
    from models.appraisal import Appraisal, LowPerformerCase

    officer, user = make_officer(session)
    hipps, hipps_user = make_officer(session, is_hipps=True, unit=officer.unit)
    supervisor, supervisor_user = make_officer(session, unit=officer.unit)
    agreement = make_agreement(session, officer)
    appraisal = Appraisal(officer_id=officer.id, round_id=agreement.round_id, achievement=40,
                          achievement_weight=70, competency_weight=30, kpi_levels=[])
    session.add(appraisal)
    session.flush()
    session.add(LowPerformerCase(appraisal_id=appraisal.id, officer_id=officer.id,
                                 round_id=agreement.round_id, supervisor_id=supervisor.id,
                                 opened_on=agreement.signed_at.date()))
    session.flush()
    plain = said(chat.say(user, "ช่วยเหลือ"))
    assert "รายงาน HiPPS" not in plain and "ผู้มีผลต่ำกว่าเกณฑ์" not in plain
    assert "รายงาน HiPPS" in said(chat.say(hipps_user, "ช่วยเหลือ"))
    assert "โครงการสำคัญ" in said(chat.say(hipps_user, "ช่วยเหลือ"))
    assert "ผู้มีผลต่ำกว่าเกณฑ์" in said(chat.say(supervisor_user, "ช่วยเหลือ"))


def test_a_training_report_records_the_courses_batch_and_test_date(session: Session,
                                                                    chat: Chat) -> None:
    officer, user = make_officer(session, name="นายสมชาย ตั้งใจ")
    make_agreement(session, officer)
    card = said(chat.say(user, "อบรมหลักสูตรที่ ๗ การกำหนดตัวชี้วัดรายบุคคล รุ่น ๐๑ ปี ๒๕๖๔ "
                               "จบแล้ววันที่ ๒๖ กุมภาพันธ์ ๒๕๖๔\n"
                               "การเข้าเรียนจนจบหลักสูตร และทำแบบทดสอบการประเมิน "
                               "วันที่ ๒๖ กุมภาพันธ์ ๒๕๖๔\n"
                               "๑. ความหมาย คือ กระบวนการดำเนินการอย่างเป็นระบบ"))
    assert "รุ่น" in card and "01" in card and "26 ก.พ. 2564" in card
    chat.say(user, "ยืนยัน")
    report = session.scalars(select(ProgressReport)).one()
    assert report.batch == "01" and report.tested_on is not None
    assert report.tested_on.isoformat() == "2021-02-26"
