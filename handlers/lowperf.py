"""The low-performer procedure (seed 001): a result under 60 opens a case.

The officer's supervisor is told, takes the coaching role (a standing ผู้สอนงาน assignment) and
records the procedure's steps from the chat, each with a date and a note; the officer's IDP for
the fiscal year becomes mandatory and is linked to the case. The report to the supervisor's own
superior is due 7 days after the result (`due_items` in handlers/appraisal_due.py reminds and
escalates); it is sent from the chat with a summary.

```mermaid
stateDiagram-v2
    [*] --> choosing_step: tap บันทึกขั้นตอน (checked: the case's supervisor)
    choosing_step --> asking_date: one of the six steps
    asking_date --> asking_note: a date not in the future (วันนี้ / เมื่อวาน / typed)
    asking_note --> [*]: a note or ไม่มี (step saved, audited)
    [*] --> asking_summary: tap ส่งรายงาน (checked; once per case)
    asking_summary --> [*]: a summary (report pushed to the superior, audited)
    state "any state" as any
    any --> any: unknown input (asked again)
    any --> [*]: ยกเลิก / 30 minutes idle
```
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers import messages as m
from handlers.cards import bubble, row
from handlers.confirming import push_to_staff
from handlers.context import Context, refuse
from handlers.conversation import Step
from models import Role, RoleAssignment, Round, Staff, audit
from models.appraisal import (
    LP_REPORT_DAYS,
    LP_STEP_NAMES,
    LP_STEPS,
    Appraisal,
    CaseStatus,
    LowPerformerCase,
    LowPerformerStep,
    shown,
)
from models.development import IDP_METHODS, ITEM_STATUS_TH, Idp
from models.numbers import is_id
from models.org import carer_ids
from thai import format_date, parse

FLOW = "lowperf"
MAX_NOTE = 1000
STEP_LABELS = {"analysis": "วิเคราะห์หาสาเหตุ", "development": "อบรมและพัฒนา",
               "job_adjustment": "ปรับงาน", "monitoring": "ติดตามผล",
               "transfer": "โอนย้าย", "evaluation": "ประเมินผล"}


class LpState(StrEnum):
    CHOOSING_STEP = "choosing_step"
    ASKING_DATE = "asking_date"
    ASKING_NOTE = "asking_note"
    ASKING_SUMMARY = "asking_summary"


def hr_admin_ids(session: Session, agency_id: int) -> list[int]:
    """The agency's active HR administrators (the agency-wide role, as `announcing.is_hr`)."""
    return list(session.scalars(select(RoleAssignment.staff_id).join(
        Staff, Staff.id == RoleAssignment.staff_id).where(
        RoleAssignment.role == Role.HR_ADMIN, RoleAssignment.officer_id.is_(None),
        Staff.agency_id == agency_id, Staff.active.is_(True))))


def open_case(session: Session, appraisal: Appraisal, round_: Round, now: datetime,
              today: date) -> LowPerformerCase | None:
    """Open the case for a result under 60 (None if it is open already); tell the supervisor."""
    if session.scalar(select(LowPerformerCase.id).where(
            LowPerformerCase.appraisal_id == appraisal.id)) is not None:
        return None
    officer = appraisal.officer
    supervisor_id = officer.supervisor_id
    if supervisor_id is None:
        found = sorted(carer_ids(session, officer.id, Role.SUPERVISOR, round_.id))
        supervisor_id = found[0] if found else None
    supervisor = session.get(Staff, supervisor_id) if supervisor_id is not None else None
    superior_id = supervisor.supervisor_id if supervisor is not None else None
    case = LowPerformerCase(appraisal_id=appraisal.id, officer_id=officer.id, round_id=round_.id,
                            supervisor_id=supervisor_id, superior_id=superior_id, opened_on=today,
                            report_due=today + timedelta(days=LP_REPORT_DAYS))
    session.add(case)
    session.flush()
    if supervisor_id is not None and session.scalar(select(RoleAssignment.id).where(
            RoleAssignment.staff_id == supervisor_id, RoleAssignment.role == Role.COACH,
            RoleAssignment.officer_id == officer.id, RoleAssignment.round_id.is_(None))) is None:
        session.add(RoleAssignment(staff_id=supervisor_id, role=Role.COACH, officer_id=officer.id))
    idp = session.scalars(select(Idp).where(Idp.officer_id == officer.id,
                                            Idp.fiscal_year == round_.fiscal_year)).first()
    if idp is None:
        idp = Idp(officer_id=officer.id, fiscal_year=round_.fiscal_year)
        session.add(idp)
    idp.mandatory, idp.case_id = True, case.id
    session.flush()
    audit(session, "lowperf.opened", subject=f"case:{case.id}", officer=officer.staff_code,
          overall=str(appraisal.overall), supervisor=supervisor_id, superior=superior_id,
          report_due=case.report_due.isoformat(), idp=idp.id)
    told = [supervisor_id] if supervisor_id is not None else hr_admin_ids(session, officer.agency_id)
    push_to_staff(session, told, [case_card(session, case, intro=True)])
    return case


def case_rows(session: Session, case: LowPerformerCase) -> list[dict[str, Any]]:
    appraisal = case.appraisal
    rows = [row("ผลการประเมิน", f"{shown(appraisal.overall)} ({appraisal.band})", bold=True),
            row("กำหนดรายงาน", f"{format_date(case.report_due)} (ภายใน {LP_REPORT_DAYS} วัน)"),
            row("สถานะ", "รายงานแล้ว" if case.status == CaseStatus.REPORTED else "กำลังดำเนินการ")]
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
                                 f"{ITEM_STATUS_TH.get(item.status, item.status)}"))
    return rows


def case_actions(case: LowPerformerCase) -> list[m.Action]:
    base = f"action=lp&id={case.id}"
    actions = [m.postback_action("บันทึกขั้นตอน", f"{base}&do=step", "บันทึกขั้นตอน")]
    if case.status == CaseStatus.OPEN:
        actions.append(m.postback_action("ส่งรายงาน", f"{base}&do=report", "ส่งรายงานผู้บังคับบัญชา"))
    return actions


def case_card(session: Session, case: LowPerformerCase, *, intro: bool = False) -> m.Message:
    title = "ผู้มีผลสัมฤทธิ์การปฏิบัติงานต่ำ" if not intro else "เปิดกรณีพัฒนาผู้มีผลต่ำกว่าเกณฑ์"
    rows = case_rows(session, case)
    if intro:
        rows.insert(0, row("บทบาทของคุณ", "ผู้สอนงาน (Coaching) ตามขั้นตอนของหน่วยงาน"))
    card = bubble(title, case.officer.name_th, rows, footer=case_actions(case))
    return m.flex(f"{case.officer.name_th}: ผลต่ำกว่าร้อยละ 60 ต้องรายงานภายใน "
                  f"{format_date(case.report_due)}", card, case_actions(case))


# --- chat ----------------------------------------------------------------------------------------

def my_cases(ctx: Context) -> list[m.Message]:
    """`ผู้มีผลต่ำกว่าเกณฑ์`: the cases this supervisor coaches."""
    staff = ctx.staff
    assert staff is not None
    cases = ctx.session.scalars(select(LowPerformerCase).where(
        LowPerformerCase.supervisor_id == staff.id).order_by(LowPerformerCase.id.desc())).all()[:10]
    if not cases:
        return [m.text("ไม่มีกรณีผู้มีผลสัมฤทธิ์ต่ำที่อยู่ในความดูแลของคุณ", ctx.menu)]
    cards = m.carousel([case_card(ctx.session, c)["contents"] for c in cases])
    shown = len(cards["contents"])
    more = f" (แสดง {shown} กรณีล่าสุด)" if shown < len(cases) else ""
    return [m.flex(f"กรณีผู้มีผลต่ำกว่าเกณฑ์ {len(cases)} กรณี{more}", cards, ctx.menu)]


def on_tap(ctx: Context, params: dict[str, str]) -> list[m.Message] | Step:
    """`action=lp&id=…&do=step|report`, checked: only the case's supervisor."""
    case = _case(ctx, params.get("id", ""))
    do = params.get("do")
    if case is None or do not in ("step", "report"):
        return refuse(ctx, params)
    if do == "report" and case.status != CaseStatus.OPEN:
        return [m.text("ส่งรายงานกรณีนี้ไปแล้ว", ctx.menu)]
    if do == "report":
        return Step([m.text("สรุปผลการดำเนินการเพื่อรายงานผู้บังคับบัญชา\n"
                            "(ขั้นตอนที่บันทึกไว้จะแนบไปด้วย)", [m.message_action("ยกเลิก")])],
                    LpState.ASKING_SUMMARY, {"case_id": case.id})
    return _ask_step(case.id)


def _ask_step(case_id: int, prefix: str = "") -> Step:
    actions = [m.message_action(label) for label in STEP_LABELS.values()]
    return Step([m.text(f"{prefix}บันทึกขั้นตอนใด", actions + [m.message_action("ยกเลิก")])],
                LpState.CHOOSING_STEP, {"case_id": case_id})


def on_step(ctx: Context, typed: str, data: dict[str, Any]) -> Step:
    key = "".join(typed.split())
    chosen = next((code for code, label in STEP_LABELS.items()
                   if key in ("".join(label.split()), "".join(LP_STEP_NAMES[code].split()))), None)
    if chosen is None:
        return _ask_step(int(data["case_id"]), "กรุณาเลือกจากรายการ\n")
    return Step([m.text(f"{LP_STEP_NAMES[chosen]}\nทำเมื่อวันที่เท่าไร",
                        [m.message_action("วันนี้"), m.message_action("เมื่อวาน"),
                         m.message_action("ยกเลิก")])],
                LpState.ASKING_DATE, {**data, "step": chosen})


def on_date(ctx: Context, typed: str, data: dict[str, Any]) -> Step:
    today = ctx.now.date()
    day = parse(typed, today).date
    if day is None or day > today:
        problem = ("ไม่เข้าใจวันที่นี้" if day is None
                   else f"วันที่ {format_date(day)} ยังมาไม่ถึง")
        return Step([m.text(f"{problem}\nพิมพ์วันที่ เช่น 3 เม.ย. 2570 หรือเลือกด้านล่าง",
                            [m.message_action("วันนี้"), m.message_action("เมื่อวาน"),
                             m.message_action("ยกเลิก")])],
                    LpState.ASKING_DATE, dict(data))
    return Step([m.text("บันทึกรายละเอียดสั้น ๆ (ผลการพูดคุย สิ่งที่ตกลงกัน)",
                        [m.message_action("ไม่มี"), m.message_action("ยกเลิก")])],
                LpState.ASKING_NOTE, {**data, "day": day.isoformat()})


def on_note(ctx: Context, typed: str, data: dict[str, Any]) -> Step:
    note = " ".join(typed.split())
    if len(note) > MAX_NOTE:
        return Step([m.text(f"รายละเอียดยาวเกิน {MAX_NOTE} ตัวอักษร กรุณาสรุปให้สั้นลง",
                            [m.message_action("ไม่มี"), m.message_action("ยกเลิก")])],
                    LpState.ASKING_NOTE, dict(data))
    case = _case(ctx, str(data.get("case_id")), lock=True)
    if case is None:
        return Step(refuse(ctx, data))
    step = LowPerformerStep(case_id=case.id, step=str(data["step"]),
                            done_on=date.fromisoformat(str(data["day"])),
                            note="" if note == "ไม่มี" else note, recorded_by_id=case.supervisor_id,
                            at=ctx.now)
    case.steps.append(step)
    ctx.session.flush()
    audit(ctx.session, "lowperf.step", actor_staff_id=case.supervisor_id,
          actor_line_user_id=ctx.line_user.user_id, subject=f"case:{case.id}", step=step.step,
          done_on=step.done_on.isoformat(), note=step.note)
    return Step([m.text(f"บันทึกขั้นตอน “{LP_STEP_NAMES[step.step]}” "
                        f"วันที่ {format_date(step.done_on)} แล้ว ✅"), case_card(ctx.session, case)])


def on_summary(ctx: Context, typed: str, data: dict[str, Any]) -> Step:
    summary = " ".join(typed.split())
    if not summary or len(summary) > MAX_NOTE:
        return Step([m.text(f"กรุณาพิมพ์สรุป 1–{MAX_NOTE} ตัวอักษร", [m.message_action("ยกเลิก")])],
                    LpState.ASKING_SUMMARY, dict(data))
    case = _case(ctx, str(data.get("case_id")), lock=True)
    if case is None:
        return Step(refuse(ctx, data))
    if case.status != CaseStatus.OPEN:
        return Step([m.text("ส่งรายงานกรณีนี้ไปแล้ว")])
    case.status, case.reported_at, case.report_note = CaseStatus.REPORTED, ctx.now, summary
    audit(ctx.session, "lowperf.reported", actor_staff_id=case.supervisor_id,
          actor_line_user_id=ctx.line_user.user_id, subject=f"case:{case.id}",
          to=case.superior_id, summary=summary, late=ctx.now.date() > case.report_due)
    to = ([case.superior_id] if case.superior_id is not None
          else hr_admin_ids(ctx.session, case.officer.agency_id))
    rows = [row("ผู้รายงาน", ctx.staff.name_th if ctx.staff else "-"),
            row("สรุป", m.shorten(summary, 1000)), *case_rows(ctx.session, case)]
    report = m.flex(f"รายงานผู้มีผลสัมฤทธิ์ต่ำ: {case.officer.name_th}",
                    bubble("รายงานการดำเนินการผู้มีผลสัมฤทธิ์ต่ำ", case.officer.name_th, rows))
    push_to_staff(ctx.session, to, [report])
    where = "ผู้บังคับบัญชาของคุณ" if case.superior_id is not None else "HR"
    return Step([m.text(f"ส่งรายงานถึง{where}แล้ว ✅")])


STEPS: dict[str, Callable[[Context, str, dict[str, Any]], Step]] = {
    LpState.CHOOSING_STEP: on_step,
    LpState.ASKING_DATE: on_date,
    LpState.ASKING_NOTE: on_note,
    LpState.ASKING_SUMMARY: on_summary,
}


def _case(ctx: Context, raw: str, *, lock: bool = False) -> LowPerformerCase | None:
    """The case, if this person is its supervisor (the coach of the procedure)."""
    if ctx.staff is None or not is_id(raw):
        return None
    case = ctx.session.get(LowPerformerCase, int(raw), with_for_update=lock or None)
    if case is None or case.supervisor_id != ctx.staff.id:
        return None
    return case

