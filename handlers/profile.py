"""What the bot shows a person about themselves (PDPA: they can see what is stored)."""
from __future__ import annotations

from datetime import tzinfo
from typing import Any

from sqlalchemy import Integer, bindparam, func, select
from sqlalchemy.orm import Session

from handlers import messages as m
from handlers import texts
from models import ROLE_NAMES_TH, LineUser, RoleAssignment, Staff
from models.appraisal import Appraisal, CompetencyScore, LowPerformerCase
from models.development import Idp, IdpItem, SurveyResponse
from thai import format_datetime


def my_data_card(session: Session, staff: Staff, line_user: LineUser, tz: tzinfo,
                 quick_replies: list[m.Action]) -> m.Message:
    """A Flex card of the person's own staff record, roles and LINE link."""
    roles = session.scalars(select(RoleAssignment.role).where(
        RoleAssignment.staff_id == staff.id)).all()
    role_names = sorted({ROLE_NAMES_TH.get(role, role) for role in roles})
    carers = session.execute(
        select(RoleAssignment.role, Staff.name_th)
        .join(Staff, Staff.id == RoleAssignment.staff_id)
        .where(RoleAssignment.officer_id == staff.id)).all()
    rows = [
        ("ชื่อ", staff.name_th),
        ("รหัสบุคลากร", staff.staff_code),
        ("ตำแหน่ง", staff.position or "-"),
        ("หน่วยงาน", staff.unit.name_th if staff.unit else "-"),
        ("บทบาท", ", ".join(["ข้าราชการ", *role_names])),
    ]
    if staff.is_hipps:
        rows.append(("กลุ่ม", "ข้าราชการผู้มีผลสัมฤทธิ์สูง (HiPPS)"))
    for role, name in sorted(carers):
        rows.append((ROLE_NAMES_TH.get(role, role), name))
    if line_user.linked_at:
        rows.append(("เชื่อม LINE เมื่อ", format_datetime(line_user.linked_at, tz)))
    rows += appraisal_rows(session, staff)
    body: list[dict[str, Any]] = [
        {"type": "text", "text": texts.MY_DATA_TITLE, "weight": "bold", "size": "lg", "wrap": True},
        {"type": "separator", "margin": "md"},
    ]
    for label, value in rows:
        body.append({"type": "box", "layout": "baseline", "spacing": "sm", "margin": "md",
                     "contents": [
                         {"type": "text", "text": label, "size": "sm", "color": "#888888",
                          "flex": 2, "wrap": True},
                         {"type": "text", "text": value, "size": "sm", "flex": 4, "wrap": True}]})
    body.append({"type": "text", "text": texts.MY_DATA_FOOTER, "size": "xs",
                 "color": "#888888", "wrap": True, "margin": "lg"})
    bubble = {"type": "bubble",
              "body": {"type": "box", "layout": "vertical", "contents": body}}
    return m.flex(f"{texts.MY_DATA_TITLE}: {staff.name_th}", bubble, quick_replies)


def _count(model: Any, *where: Any, join: Any = None) -> Any:
    query = select(func.count()).select_from(model)
    if join is not None:
        query = query.join(join)
    return query.where(*where).scalar_subquery()


def _profile_query() -> Any:
    officer = bindparam("officer", type_=Integer)
    return select(
        _count(Appraisal, Appraisal.officer_id == officer),
        _count(CompetencyScore, CompetencyScore.officer_id == officer),
        _count(IdpItem, Idp.officer_id == officer, join=Idp),
        _count(LowPerformerCase, LowPerformerCase.officer_id == officer),
        _count(SurveyResponse, SurveyResponse.staff_id == officer))


_KEPT = _profile_query()  # what is kept about the person, counted in one statement built once


def appraisal_rows(session: Session, staff: Staff) -> list[tuple[str, str]]:
    """What appraisal and development data is kept about the person (counts)."""
    appraisals, scores, items, cases, surveys = session.execute(
        _KEPT, {"officer": staff.id}).one()
    rows = [("ผลการประเมิน", f"{appraisals} รอบ · คะแนนสมรรถนะ {scores} รายการ"),
            ("แผนพัฒนารายบุคคล", f"{items} รายการ")]
    if cases:
        rows.append(("กรณีพัฒนาผลต่ำกว่าเกณฑ์", f"{cases} กรณี"))
    if surveys:
        rows.append(("แบบสำรวจความพึงพอใจ", f"ตอบแล้ว {surveys} ครั้ง (ไม่ระบุตัวตนในรายงาน)"))
    return rows
