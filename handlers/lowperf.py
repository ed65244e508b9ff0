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
from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy import select

from handlers import messages as m
from handlers.appraisal_cards import STEP_LABELS, case_card, case_rows
from handlers.cards import bubble, row
from handlers.context import Context, refuse
from handlers.conversation import Step
from handlers.notices import push_to_staff
from models.appraisal import (
    LP_STEP_NAMES,
    CaseStatus,
    LowPerformerCase,
)
from models.results import record_case_step, report_case
from thai import format_date, parse

FLOW = "lowperf"
MAX_NOTE = 1000


class LpState(StrEnum):
    CHOOSING_STEP = "choosing_step"
    ASKING_DATE = "asking_date"
    ASKING_NOTE = "asking_note"
    ASKING_SUMMARY = "asking_summary"


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
    step = record_case_step(ctx.session, case, str(data["step"]),
                            date.fromisoformat(str(data["day"])), "" if note == "ไม่มี" else note,
                            ctx.now, ctx.line_user.user_id)
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
    to = report_case(ctx.session, case, summary, ctx.now, ctx.line_user.user_id)
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
    if ctx.staff is None or not raw.isdigit():
        return None
    case = ctx.session.get(LowPerformerCase, int(raw), with_for_update=lock or None)
    if case is None or case.supervisor_id != ctx.staff.id:
        return None
    return case

