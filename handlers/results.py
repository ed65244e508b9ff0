"""Round results in the chat: `ผลการประเมิน` shows the evaluator the results waiting for approval
and the officer their approved result (with the scores if the agency allows it); the evaluator
taps อนุมัติผล, the officer รับทราบ or ไม่เห็นด้วย with a comment, which this small flow asks for:

```mermaid
stateDiagram-v2
    [*] --> awaiting_comment: the officer taps ไม่เห็นด้วย on an approved result
    awaiting_comment --> awaiting_comment: an empty or over-long comment (asked again)
    awaiting_comment --> [*]: a comment (the result is disagreed, the evaluator told) / ยกเลิก
```
The result's own life (computed, approved, acknowledged or disagreed) is in models/results.py.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import exists, or_, select

from handlers import messages as m
from handlers.appraisal_cards import (
    STATUS_TH,
    evaluator_bubble,
    officer_card,
)
from handlers.appraisals import forecast_line, tell_case_opened
from handlers.context import Answer, Context, Step, cancel_action, refuse
from handlers.flow import Flow
from handlers.notices import push_to_staff
from handlers.postbacks import AppraisalDecision
from models import (
    Agency,
    Role,
    RoleAssignment,
    Staff,
)
from models.appraisal import (
    FROZEN,
    Appraisal,
    AppraisalStatus,
    shown,
)
from models.kpi import Kpi, KpiAgreement
from models.org import carer_ids
from models.results import acknowledge, approve, disagree, forecast, level_input
from models.rounds import Round, current_round
from thai import normalize, parse

MAX_COMMENT = 500


class AppraisalState(StrEnum):
    AWAITING_COMMENT = "awaiting_comment"


@dataclass
class Comment:
    """The result the officer disagrees with, while the comment is asked for."""

    appraisal_id: int = 0


# --- computing ---------------------------------------------------------------------------------


# --- cards -------------------------------------------------------------------------------------


# --- chat ---------------------------------------------------------------------------------------

def my_results(ctx: Context) -> list[m.Message]:
    """`ผลการประเมิน`: results waiting for this evaluator, then the person's own results."""
    staff = ctx.staff
    assert staff is not None
    out: list[m.Message] = []
    # Supervised: the officer's own supervisor_id, or a supervisor assignment (as carer_ids).
    assigned = exists().where(
        RoleAssignment.staff_id == staff.id, RoleAssignment.role == Role.SUPERVISOR,
        RoleAssignment.officer_id == Appraisal.officer_id,
        or_(RoleAssignment.round_id.is_(None), RoleAssignment.round_id == Appraisal.round_id))
    supervised = ctx.session.scalars(
        select(Appraisal).join(Staff, Staff.id == Appraisal.officer_id)
        .where(Appraisal.status.in_([AppraisalStatus.COMPUTED, AppraisalStatus.DISAGREED]),
               Appraisal.officer_id != staff.id,
               or_(Staff.supervisor_id == staff.id, assigned))
        .order_by(Appraisal.status, Staff.name_th).limit(10)).all()
    if supervised:
        waiting = sum(1 for a in supervised if a.status == AppraisalStatus.COMPUTED)
        out.append(m.flex(f"ผลการประเมินของผู้ใต้บังคับบัญชา รออนุมัติ {waiting} คน",
                          m.carousel([evaluator_bubble(ctx.session, a) for a in supervised])))
    own = ctx.session.scalars(select(Appraisal).where(
        Appraisal.officer_id == staff.id, Appraisal.status.in_(FROZEN))
        .order_by(Appraisal.id.desc())).first()
    if own is not None:
        agency = ctx.session.get(Agency, staff.agency_id)
        assert agency is not None
        card = officer_card(ctx.session, own, agency)
        if own.status != AppraisalStatus.APPROVED:  # answered already: no buttons
            card = m.flex(card["altText"], {**card["contents"], "footer": {
                "type": "box", "layout": "vertical", "contents": [
                    {"type": "text", "text": STATUS_TH[AppraisalStatus(own.status)],
                     "size": "sm", "wrap": True}]}})
        out.append(card)
    out.extend(_forecasts(ctx))
    if not out:
        return [m.text("ยังไม่มีผลการประเมินที่อนุมัติแล้ว และไม่มีผลที่รอคุณอนุมัติ", ctx.menu)]
    if "quickReply" not in out[-1]:
        out[-1] = {**out[-1], "quickReply": m.quick_reply(ctx.menu)}
    return out


def on_tap(ctx: Context, tap: AppraisalDecision) -> Answer:
    """อนุมัติผล (the evaluator) / รับทราบ / ไม่เห็นด้วย (the officer), checked in the database."""
    staff = ctx.staff
    assert staff is not None
    appraisal = ctx.session.get(Appraisal, tap.id, with_for_update=True)
    if appraisal is None:
        return refuse(ctx, tap)
    if tap.do == "ok":
        if staff.id not in carer_ids(ctx.session, appraisal.officer_id, Role.SUPERVISOR,
                                     appraisal.round_id) or staff.id == appraisal.officer_id:
            return refuse(ctx, tap)
        if appraisal.status != AppraisalStatus.COMPUTED:
            return [m.text("ผลนี้อนุมัติไปแล้ว หรือยังคำนวณไม่ครบ (ยังไม่ได้ประเมินสมรรถนะ)",
                           ctx.menu)]
        case = approve(ctx.session, appraisal, staff.id, ctx.now, ctx.line_user.user_id)
        if case is not None:
            tell_case_opened(ctx.session, case)
        agency = ctx.session.get(Agency, appraisal.officer.agency_id)
        assert agency is not None
        push_to_staff(ctx.session, [appraisal.officer_id],
                      [officer_card(ctx.session, appraisal, agency)])
        return [m.text(f"อนุมัติผลการประเมินของ {appraisal.officer.name_th} แล้ว ✅\n"
                       f"แจ้งผู้รับการประเมินแล้ว", ctx.menu)]
    if appraisal.officer_id != staff.id:
        return refuse(ctx, tap)
    if appraisal.status != AppraisalStatus.APPROVED:
        return [m.text("คุณตอบรับผลการประเมินนี้ไปแล้ว", ctx.menu)]
    if tap.do == "ack":
        acknowledge(ctx.session, appraisal, ctx.now, ctx.line_user.user_id)
        return [m.text("รับทราบผลการประเมินแล้ว ✅ ขอบคุณ", ctx.menu)]
    return Step([m.text("กรุณาพิมพ์ความเห็นที่ไม่เห็นด้วยกับผลการประเมิน\n"
                        f"(ไม่เกิน {MAX_COMMENT} ตัวอักษร) ความเห็นจะส่งถึงผู้ประเมิน",
                        [cancel_action()])],
                AppraisalState.AWAITING_COMMENT, Comment(appraisal.id))


def on_comment(ctx: Context, typed: str, data: Comment) -> Step[Comment]:
    comment = " ".join(typed.split())
    if not comment or len(comment) > MAX_COMMENT:
        return Step([m.text(f"กรุณาพิมพ์ความเห็นสั้น ๆ (1–{MAX_COMMENT} ตัวอักษร)",
                            [cancel_action()])],
                    AppraisalState.AWAITING_COMMENT, data)
    staff = ctx.staff
    appraisal = ctx.session.get(Appraisal, data.appraisal_id, with_for_update=True)
    if (staff is None or appraisal is None or appraisal.officer_id != staff.id
            or appraisal.status != AppraisalStatus.APPROVED):
        return Step(refuse(ctx, {"id": str(data.appraisal_id)}))
    disagree(ctx.session, appraisal, comment, ctx.now, ctx.line_user.user_id)
    if appraisal.approved_by_id is not None:
        push_to_staff(ctx.session, [appraisal.approved_by_id], [m.text(
            f"{appraisal.officer.name_th} ไม่เห็นด้วยกับผลการประเมิน\nความเห็น: {comment}")])
    return Step([m.text("บันทึกความเห็นแล้ว และแจ้งผู้ประเมินแล้ว")])


# --- the forecast during the round --------------------------------------------------------------

WHAT_IF_EXAMPLE = "ถ้าข้อ 1 ได้ 100%"


def _open_round(ctx: Context) -> Round | None:
    staff = ctx.staff
    assert staff is not None
    round_ = current_round(ctx.session, staff.agency_id, ctx.now.date())
    return round_ if round_ is not None and round_.closed_at is None else None


def _forecasts(ctx: Context) -> list[m.Message]:
    """The person's own projection, then (for a supervisor) their people's, during the round."""
    staff = ctx.staff
    assert staff is not None
    round_ = _open_round(ctx)
    if round_ is None:
        return []
    lines: list[str] = []
    own = forecast(ctx.session, staff, round_)
    if own is not None:
        lines.append(f"ผลการประเมินคาดการณ์ของคุณ ({round_.title_th})\n{forecast_line(own)}")
        if own.missing:
            lines.append("ยังไม่มีผลที่รับรอง: ตัวชี้วัดที่ "
                         + ", ".join(str(n) for n in own.missing))
    people = ctx.session.scalars(select(Staff).where(
        Staff.supervisor_id == staff.id, Staff.active.is_(True), Staff.id != staff.id)
        .order_by(Staff.name_th).limit(10)).all()
    theirs = [(p, forecast(ctx.session, p, round_)) for p in people]
    shown_people = [f"• {p.name_th}: {forecast_line(f)}" for p, f in theirs if f is not None]
    if shown_people:
        lines.append("ผู้ใต้บังคับบัญชา (คาดการณ์)\n" + "\n".join(shown_people))
    if not lines:
        return []
    if own is not None:
        lines.append(f"ลองถามได้ เช่น “{WHAT_IF_EXAMPLE}”")
    actions = [m.message_action(WHAT_IF_EXAMPLE)] if own is not None else []
    return [m.text(m.shorten("\n\n".join(lines), 4900), [*actions, *ctx.menu][:13])]


def what_if(ctx: Context, text: str) -> list[m.Message] | None:
    """`ถ้าข้อ 3 ได้ 6 ครั้ง`: the projected overall with that result on that KPI."""
    if not normalize(text).startswith("ถ้า"):
        return None
    staff = ctx.staff
    assert staff is not None
    round_ = _open_round(ctx)
    parsed = parse(text, ctx.now.date())
    if round_ is None:
        return [m.text("ตอนนี้ไม่มีรอบการประเมินที่เปิดอยู่ จึงคาดการณ์ไม่ได้", ctx.menu)]
    kpis = {k.number: k for k in ctx.session.scalars(select(Kpi).join(KpiAgreement).where(
        KpiAgreement.officer_id == staff.id, KpiAgreement.round_id == round_.id))}
    if parsed.kpi is None or (parsed.value is None and parsed.percent is None):
        return [m.text(f"กรุณาบอกข้อและผลที่ต้องการลอง เช่น “{WHAT_IF_EXAMPLE}”",
                       [m.message_action(WHAT_IF_EXAMPLE), *ctx.menu][:13])]
    kpi = kpis.get(parsed.kpi)
    if kpi is None:
        return [m.text(f"คุณมีตัวชี้วัด {len(kpis)} ข้อ ไม่มีข้อ {parsed.kpi}", ctx.menu)]
    supposed = level_input(kpi.unit, kpi.target,
                           None if parsed.percent is None else Decimal(str(parsed.percent)),
                           None if parsed.value is None else Decimal(str(parsed.value)))
    assert supposed is not None
    result = forecast(ctx.session, staff, round_, {kpi.number: supposed})
    assert result is not None
    unit = "" if kpi.unit.strip() in ("ร้อยละ", "%") else f" {kpi.unit}"
    said = (f"ร้อยละ {shown(supposed)}" if not unit else f"{shown(supposed)}{unit}")
    body = f"ถ้าข้อ {kpi.number} ได้ {said} {forecast_line(result)}"
    if result.missing:
        body += "\n(ข้อที่ยังไม่มีผล: " + ", ".join(str(n) for n in result.missing) + ")"
    return [m.text(body, ctx.menu)]


FLOW = Flow(
    name="appraisal",
    states=AppraisalState,
    steps={AppraisalState.AWAITING_COMMENT: on_comment},
    data=Comment,
    commands={"ผลการประเมิน": my_results},
    taps={AppraisalDecision: on_tap},
    on_text=what_if,
    diagram=__doc__,
)



