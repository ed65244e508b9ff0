"""The low-performer procedure (seed 001): a result under 60 opens a case.

The officer's supervisor is told, takes the coaching role (a standing ผู้สอนงาน assignment) and
records the procedure's steps from the chat, each with a date and a note, in seed 001's order
(a step before the earlier ones needs a reason); the officer's IDP for the fiscal year becomes
mandatory and is linked to the case. The report to the supervisor's own superior is due 7 days
after the development steps are recorded as done (`due_items` in handlers/appraisal_due.py
reminds and escalates); it is sent from the chat with a summary.

```mermaid
stateDiagram-v2
    [*] --> choosing_step: tap บันทึกขั้นตอน (checked: the case's supervisor)
    choosing_step --> asking_date: one of the six steps
    asking_date --> asking_note: a date not in the future (วันนี้ / เมื่อวาน / typed)
    asking_note --> [*]: a note or ไม่มี (step saved, audited); out of order: the reason
    asking_note --> asking_note: no reason for a step out of order (asked again)
    [*] --> asking_summary: tap ส่งรายงาน (checked; once per case)
    asking_summary --> [*]: a summary (report pushed to the superior, audited)
    state "any state" as any
    any --> any: unknown input (asked again)
    any --> [*]: ยกเลิก / 30 minutes idle
```
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from sqlalchemy import select

from handlers import messages as m
from handlers.appraisal_cards import STEP_LABELS, case_card, case_rows
from handlers.cards import bubble, row
from handlers.context import Answer, Context, Step, cancel_action, refuse
from handlers.flow import Flow, dump
from handlers.notices import push_to_staff
from handlers.postbacks import CaseAction
from models.appraisal import (
    LP_STEP_NAMES,
    CaseStatus,
    LowPerformerCase,
    steps_skipped,
)
from models.results import CaseRefused, record_case_step, report_case
from thai import format_date, parse

MAX_NOTE = 1000


class LpState(StrEnum):
    CHOOSING_STEP = "choosing_step"
    ASKING_DATE = "asking_date"
    ASKING_NOTE = "asking_note"
    ASKING_SUMMARY = "asking_summary"


@dataclass
class CaseEntry:
    """What the supervisor is recording on a case: a step (its code and day) or the report."""

    case_id: int = 0
    step: str | None = None
    day: str | None = None  # ISO date
    skipped: list[str] | None = None  # earlier steps not recorded: the note is the reason


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


def on_tap(ctx: Context, tap: CaseAction) -> Answer:
    """บันทึกขั้นตอน / ส่งรายงาน on a case card, checked: only the case's supervisor."""
    case = _case(ctx, tap.id)
    if case is None:
        return refuse(ctx, tap)
    if case.status == CaseStatus.CLOSED:
        return [m.text("กรณีนี้ปิดแล้ว (ผลการประเมินใหม่ไม่ต่ำกว่าร้อยละ 60)\n"
                       "ไม่ต้องบันทึกหรือรายงานเพิ่ม", ctx.menu)]
    if tap.do == "report" and case.status != CaseStatus.OPEN:
        return [m.text("ส่งรายงานกรณีนี้ไปแล้ว", ctx.menu)]
    if tap.do == "report":
        return Step([m.text("สรุปผลการดำเนินการเพื่อรายงานผู้บังคับบัญชา\n"
                            "(ขั้นตอนที่บันทึกไว้จะแนบไปด้วย)", [cancel_action()])],
                    LpState.ASKING_SUMMARY, CaseEntry(case.id))
    return _ask_step(case.id)


def _ask_step(case_id: int, prefix: str = "") -> Step[CaseEntry]:
    actions = [m.message_action(label) for label in STEP_LABELS.values()]
    return Step([m.text(f"{prefix}บันทึกขั้นตอนใด", actions + [cancel_action()])],
                LpState.CHOOSING_STEP, CaseEntry(case_id))


def on_step(ctx: Context, typed: str, data: CaseEntry) -> Step[CaseEntry]:
    key = "".join(typed.split())
    chosen = next((code for code, label in STEP_LABELS.items()
                   if key in ("".join(label.split()), "".join(LP_STEP_NAMES[code].split()))), None)
    if chosen is None:
        return _ask_step(data.case_id, "กรุณาเลือกจากรายการ\n")
    case = _case(ctx, data.case_id)
    skipped = steps_skipped({s.step for s in case.steps}, chosen) if case else []
    return Step([m.text(f"{LP_STEP_NAMES[chosen]}\nทำเมื่อวันที่เท่าไร",
                        [m.message_action("วันนี้"), m.message_action("เมื่อวาน"),
                         cancel_action()])],
                LpState.ASKING_DATE, replace(data, step=chosen, skipped=skipped or None))


def on_date(ctx: Context, typed: str, data: CaseEntry) -> Step[CaseEntry]:
    today = ctx.now.date()
    day = parse(typed, today).date
    if day is None or day > today:
        problem = ("ไม่เข้าใจวันที่นี้" if day is None
                   else f"วันที่ {format_date(day)} ยังมาไม่ถึง")
        return Step([m.text(f"{problem}\nพิมพ์วันที่ เช่น 3 เม.ย. 2570 หรือเลือกด้านล่าง",
                            [m.message_action("วันนี้"), m.message_action("เมื่อวาน"),
                             cancel_action()])],
                    LpState.ASKING_DATE, data)
    if data.skipped:
        return Step([m.text(_skipped_question(data.skipped), [cancel_action()])],
                    LpState.ASKING_NOTE, replace(data, day=day.isoformat()))
    return Step([m.text("บันทึกรายละเอียดสั้น ๆ (ผลการพูดคุย สิ่งที่ตกลงกัน)",
                        [m.message_action("ไม่มี"), cancel_action()])],
                LpState.ASKING_NOTE, replace(data, day=day.isoformat()))


def _skipped_question(skipped: list[str]) -> str:
    names = ", ".join(f"“{LP_STEP_NAMES[code]}”" for code in skipped)
    return (f"ขั้นตอนนี้มาก่อนลำดับ: ยังไม่ได้บันทึก {names}\n"
            "กรุณาพิมพ์เหตุผลที่ข้าม (จะบันทึกไว้กับขั้นตอนนี้)")


def on_note(ctx: Context, typed: str, data: CaseEntry) -> Step[CaseEntry]:
    note = " ".join(typed.split())
    if len(note) > MAX_NOTE:
        return Step([m.text(f"รายละเอียดยาวเกิน {MAX_NOTE} ตัวอักษร กรุณาสรุปให้สั้นลง",
                            [m.message_action("ไม่มี"), cancel_action()])],
                    LpState.ASKING_NOTE, data)
    if data.skipped and (not note or note == "ไม่มี"):
        return Step([m.text(_skipped_question(data.skipped), [cancel_action()])],
                    LpState.ASKING_NOTE, data)
    case = _case(ctx, data.case_id, lock=True)
    if case is None or data.step is None or data.day is None:
        return Step(refuse(ctx, dump(data)))
    try:
        step = record_case_step(ctx.session, case, data.step, date.fromisoformat(data.day),
                                "" if note == "ไม่มี" or data.skipped else note, ctx.now,
                                ctx.line_user.user_id, reason=note if data.skipped else "")
    except CaseRefused as refused:  # closed meanwhile, or the order changed since the question
        return Step([m.text(refused.th, ctx.menu)])
    return Step([m.text(f"บันทึกขั้นตอน “{LP_STEP_NAMES[step.step]}” "
                        f"วันที่ {format_date(step.done_on)} แล้ว ✅"), case_card(ctx.session, case)])


def on_summary(ctx: Context, typed: str, data: CaseEntry) -> Step[CaseEntry]:
    summary = " ".join(typed.split())
    if not summary or len(summary) > MAX_NOTE:
        return Step([m.text(f"กรุณาพิมพ์สรุป 1–{MAX_NOTE} ตัวอักษร", [cancel_action()])],
                    LpState.ASKING_SUMMARY, data)
    case = _case(ctx, data.case_id, lock=True)
    if case is None:
        return Step(refuse(ctx, dump(data)))
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


def _case(ctx: Context, case_id: int, *, lock: bool = False) -> LowPerformerCase | None:
    """The case, if this person is its supervisor (the coach of the procedure)."""
    if ctx.staff is None:
        return None
    case = ctx.session.get(LowPerformerCase, case_id, with_for_update=lock or None)
    if case is None or case.supervisor_id != ctx.staff.id:
        return None
    return case



FLOW = Flow(
    name="lowperf",
    states=LpState,
    steps={LpState.CHOOSING_STEP: on_step, LpState.ASKING_DATE: on_date,
           LpState.ASKING_NOTE: on_note, LpState.ASKING_SUMMARY: on_summary},
    data=CaseEntry,
    commands={"ผู้มีผลต่ำกว่าเกณฑ์": my_cases},
    taps={CaseAction: on_tap},
    diagram=__doc__,
)
