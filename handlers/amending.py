"""The evaluator's decision on a whole-agreement amendment, from its card (no conversation).

The tap is checked against the database (this person evaluates the officer in the round), and
the decision is the domain's conditional update: of approve and reject at once, or a
redelivered tap, exactly one decides and only that one tells the officer.
"""
from __future__ import annotations

from handlers import messages as m
from handlers import texts
from handlers.amendments import evaluator_ids
from handlers.context import Context, refuse
from handlers.flow import Flow
from handlers.notices import push_to_staff
from handlers.postbacks import AmendmentDecision
from models import AgreementError, Staff
from models.amendments import AlreadyDecided, KpiAmendment, decide_amendment


def decide(ctx: Context, tap: AmendmentDecision) -> list[m.Message]:
    staff = ctx.staff
    assert staff is not None
    amendment = ctx.session.get(KpiAmendment, tap.id)
    if amendment is None or staff.id not in evaluator_ids(ctx.session, amendment):
        return refuse(ctx, tap)
    approve = tap.do == "approve"
    try:
        decide_amendment(ctx.session, amendment.id, approve=approve, decided_by_id=staff.id,
                         at=ctx.now)
    except AlreadyDecided:
        return [m.text(texts.ALREADY_DECIDED, ctx.menu)]
    except AgreementError as error:
        return [m.text(f"อนุมัติไม่ได้: {error.th}", ctx.menu)]
    outcome = "อนุมัติ" if approve else "ไม่อนุมัติ"
    push_to_staff(ctx.session, [amendment.agreement.officer_id], [m.text(
        f"คำขอแก้ไขข้อตกลงตัวชี้วัด ({len(amendment.kpis)} ข้อ) ได้รับการ{outcome}\n"
        f"โดย {staff.name_th}")])
    officer = ctx.session.get(Staff, amendment.agreement.officer_id)
    return [m.text(f"บันทึกแล้ว: {outcome}การแก้ไขข้อตกลงของ "
                   f"{officer.name_th if officer else '-'}", ctx.menu)]


FLOW = Flow(name="", taps={AmendmentDecision: decide})
