"""How appraisal results and low-performer cases look in LINE (the evaluator's, the officer's
and the supervisor's cards)."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers import messages as m
from handlers.cards import bubble, heading, row
from handlers.postbacks import AppraisalDecision, CaseAction, SurveyAnswer, encode
from models import (
    Agency,
    Round,
)
from models.appraisal import (
    LP_REPORT_DAYS,
    LP_STEPS,
    Appraisal,
    AppraisalStatus,
    CaseStatus,
    LowPerformerCase,
    shown,
)
from models.development import (
    IDP_METHODS,
    ITEM_STATUS_TH,
    Idp,
    ItemStatus,
)
from models.hipps import (
    MilestoneStatus,
)
from thai import format_date
from thai.labels import STATUS_LABELS

STATUS_TH: dict[str, str] = STATUS_LABELS["appraisal"]  # thai.labels, the one table


def result_rows(appraisal: Appraisal) -> list[dict[str, Any]]:
    rows = [row("ผลสัมฤทธิ์ของงาน", f"{shown(appraisal.achievement)} คะแนน "
                                   f"(สัดส่วน {appraisal.achievement_weight}%)"),
            row("สมรรถนะ", f"{shown(appraisal.competency)} คะแนน "
                          f"(สัดส่วน {appraisal.competency_weight}%)"),
            row("คะแนนรวม", shown(appraisal.overall), bold=True),
            row("ระดับผลการประเมิน", appraisal.band or "-", bold=True)]
    for item in appraisal.kpi_levels:
        level = ("ยังไม่มีผลที่รับรอง" if item.get("level") is None
                 else "ระดับ 0 (ไม่มีผล: HR ให้คิดเป็น 0)" if item.get("scored_zero")
                 else f"ระดับ {item['level']}")
        rows.append(row(f"ตัวชี้วัดที่ {item['number']}",
                        f"{level} (น้ำหนัก {shown(Decimal(item['weight']))})"))
    return rows


def round_title(session: Session, round_id: int) -> str:
    round_ = session.get(Round, round_id)
    return round_.title_th if round_ else ""


def officer_card(session: Session, appraisal: Appraisal, agency: Agency) -> m.Message:
    """What the officer gets once the result is approved: scores if the agency allows it."""
    actions = [m.postback_action("รับทราบ", encode(AppraisalDecision(appraisal.id, "ack")),
                                 "รับทราบผลการประเมิน"),
               m.postback_action("ไม่เห็นด้วย", encode(AppraisalDecision(appraisal.id, "disagree")),
                                 "ไม่เห็นด้วย")]
    title = f"ผลการประเมิน {round_title(session, appraisal.round_id)}"
    if agency.officers_see_scores:
        rows = result_rows(appraisal)
    else:
        rows = [row("สถานะ", "ผู้ประเมินอนุมัติผลแล้ว"),
                row("คะแนน", "หน่วยงานไม่แสดงคะแนนทางแชต สอบถามได้ที่ผู้ประเมินหรือ HR")]
    card = bubble(title, appraisal.officer.name_th, rows, footer=actions)
    return m.flex(f"{title}: ผู้ประเมินอนุมัติแล้ว กรุณากดรับทราบ", card, actions)


def evaluator_bubble(session: Session, appraisal: Appraisal) -> dict[str, Any]:
    rows = result_rows(appraisal)
    rows.append(row("สถานะ", STATUS_TH.get(AppraisalStatus(appraisal.status), appraisal.status)))
    if appraisal.officer_comment:
        rows.append(row("ความเห็นผู้รับการประเมิน", m.shorten(appraisal.officer_comment, 600)))
    footer = ([m.postback_action("อนุมัติผล", encode(AppraisalDecision(appraisal.id, "ok")),
                                 "อนุมัติผล")]
              if appraisal.status == AppraisalStatus.COMPUTED else None)
    return bubble(f"ผลการประเมิน {round_title(session, appraisal.round_id)}",
                  appraisal.officer.name_th, rows, footer=footer)


STEP_LABELS = {"analysis": "วิเคราะห์หาสาเหตุ", "development": "อบรมและพัฒนา",
               "job_adjustment": "ปรับงาน", "monitoring": "ติดตามผล",
               "transfer": "โอนย้าย", "evaluation": "ประเมินผล"}


def case_rows(session: Session, case: LowPerformerCase) -> list[dict[str, Any]]:
    appraisal = case.appraisal
    rows = [row("ผลการประเมิน", f"{shown(appraisal.overall)} ({appraisal.band})", bold=True),
            row("กำหนดรายงาน", _report_due(case)),
            row("สถานะ", CASE_STATUS_TH.get(case.status, case.status))]
    done = {s.step for s in case.steps}
    for code, name in LP_STEPS:
        rows.append(row(f"{'✅' if code in done else '▫️'} {STEP_LABELS[code]}", name))
    for step in case.steps[-10:]:  # the latest ten keep the card within LINE's size limit
        rows.append(row(format_date(step.done_on), f"{STEP_LABELS[step.step]}: "
                                                   f"{m.shorten(step.note, 300) or '-'}"))
    idp = session.scalars(select(Idp).where(Idp.case_id == case.id)).first()
    if idp is not None:
        rows.append(row("แผนพัฒนารายบุคคล", f"บังคับจัดทำ · {len(idp.items)} รายการ"))
        for item in idp.items[:5]:
            method = IDP_METHODS[item.method][1] if item.method in IDP_METHODS else item.method
            rows.append(row("•", f"{item.topic} · {method} · "
                                 f"{ITEM_STATUS_TH.get(ItemStatus(item.status), item.status)}"))
    return rows


def case_actions(case: LowPerformerCase) -> list[m.Action]:
    if case.status == CaseStatus.CLOSED:
        return []
    actions = [m.postback_action("บันทึกขั้นตอน", encode(CaseAction(case.id, "step")),
                                 "บันทึกขั้นตอน")]
    if case.status == CaseStatus.OPEN:
        actions.append(m.postback_action("ส่งรายงาน", encode(CaseAction(case.id, "report")),
                                         "ส่งรายงานผู้บังคับบัญชา"))
    return actions


def case_card(session: Session, case: LowPerformerCase, *, intro: bool = False) -> m.Message:
    title = "ผู้มีผลสัมฤทธิ์การปฏิบัติงานต่ำ" if not intro else "เปิดกรณีพัฒนาผู้มีผลต่ำกว่าเกณฑ์"
    rows = case_rows(session, case)
    if intro:
        rows.insert(0, row("บทบาทของคุณ", "ผู้สอนงาน (Coaching) ตามขั้นตอนของหน่วยงาน"))
    card = bubble(title, case.officer.name_th, rows, footer=case_actions(case))
    due = (f"ต้องรายงานภายใน {format_date(case.report_due)}" if case.report_due
           else f"รายงานภายใน {LP_REPORT_DAYS} วันหลังดำเนินการพัฒนา")
    return m.flex(f"{case.officer.name_th}: ผลต่ำกว่าร้อยละ 60 {due}", card, case_actions(case))


CASE_STATUS_TH: dict[str, str] = STATUS_LABELS["case"]


def _report_due(case: LowPerformerCase) -> str:
    if case.report_due is not None:
        return f"{format_date(case.report_due)} (ภายใน {LP_REPORT_DAYS} วันหลังดำเนินการพัฒนา)"
    return (f"ภายใน {LP_REPORT_DAYS} วันหลังบันทึกขั้นตอน “วิเคราะห์หาสาเหตุ” "
            "และ “อบรมและพัฒนา”")


SURVEY_QUESTION = ("แบบสำรวจความพึงพอใจต่อการพัฒนาบุคลากร ปีงบประมาณ {fy}\n"
                   "คุณพึงพอใจต่อการพัฒนาที่ได้รับในปีนี้เพียงใด\n"
                   "1 = น้อยที่สุด · 5 = มากที่สุด (ไม่ระบุตัวตนในรายงานสรุป)")


def survey_message(year: int) -> m.Message:
    actions = [m.postback_action(str(n), encode(SurveyAnswer(year, n)), f"ความพึงพอใจ {n}")
               for n in range(1, 6)]
    return m.text(SURVEY_QUESTION.format(fy=year), actions)


def content_rows(content: dict[str, Any]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = [heading("ผลสัมฤทธิ์ตามตัวชี้วัด")]
    for kpi in content["kpis"]:
        shown_as = ("ยังไม่มีผลที่รับรอง" if kpi["result"] is None or kpi["level"] is None
                    else f"{kpi['result']} · ระดับ {kpi['level']}")
        rows.append(row(f"ตัวชี้วัดที่ {kpi['number']}", shown_as))
    rows.append(heading("โครงการสำคัญ"))
    if not content["projects"]:
        rows.append(row("-", "ยังไม่มีโครงการสำคัญ"))
    for project in content["projects"]:
        done = sum(1 for ms in project["milestones"] if ms["status"] == MilestoneStatus.DONE)
        rows.append(row("โครงการ", m.shorten(project["title"], 300)))
        rows.append(row("ความคืบหน้า", f"{done}/{len(project['milestones'])} ขั้นตอนสำคัญ"))
    rows.append(heading("การพัฒนา"))
    rows.append(row("แผนพัฒนา", f"{len(content['development']['idp'])} รายการ"))
    rows.append(row("การอบรม", f"{len(content['development']['trainings'])} หลักสูตร"))
    rows.append(heading("สมรรถนะ"))
    if not content["competencies"]:
        rows.append(row("-", "ยังไม่ได้ประเมิน"))
    for item in content["competencies"]:
        rows.append(row(m.shorten(item["name"], 60), str(item["score"])))
    return rows
