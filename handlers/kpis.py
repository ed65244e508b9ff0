"""What officers and their carers see of KPIs: my KPIs, deadlines, people in care, approvals."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from bot import messages as m
from bot.thai import format_date
from handlers import texts
from handlers.outbox import enqueue_push
from models import (
    AgreementError,
    ChangeStatus,
    Kpi,
    KpiAgreement,
    KpiChangeRequest,
    LineUser,
    Role,
    Round,
    Staff,
    audit,
)
from models.kpi import decide_kpi_change
from models.org import carer_ids, officers_in_care
from models.rounds import current_round

if TYPE_CHECKING:
    from handlers.router import Context

GREEN, GREY, DARK = "#06C755", "#888888", "#111111"
KPIS_PER_BUBBLE = 5
FIELD_NAMES_TH = {"name": "ชื่อ", "unit": "หน่วยนับ", "weight": "น้ำหนัก", "target": "ค่าเป้าหมาย",
                  "level1": "ระดับ 1", "level2": "ระดับ 2", "level3": "ระดับ 3",
                  "level4": "ระดับ 4", "level5": "ระดับ 5"}


def number(value: Decimal | int | str) -> str:
    """`Decimal('2000.00')` → `2,000`; `Decimal('4.50')` → `4.5`."""
    d = Decimal(value)
    text = f"{d:,.2f}".rstrip("0").rstrip(".")
    return text


def round_span(round_: Round) -> str:
    return f"{round_.title_th} ({format_date(round_.starts_on)} – {format_date(round_.ends_on)})"


def _row(label: str, value: str, *, bold: bool = False) -> dict[str, Any]:
    return {"type": "box", "layout": "baseline", "spacing": "sm", "contents": [
        {"type": "text", "text": label, "size": "sm", "color": GREY, "flex": 3, "wrap": True},
        {"type": "text", "text": value, "size": "sm", "color": DARK, "flex": 5, "wrap": True,
         **({"weight": "bold"} if bold else {})}]}


def _bubble(title: str, subtitle: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "bubble", "size": "mega",
            "header": {"type": "box", "layout": "vertical", "backgroundColor": GREEN,
                       "paddingAll": "12px", "contents": [
                           {"type": "text", "text": title, "weight": "bold", "color": "#FFFFFF",
                            "wrap": True},
                           {"type": "text", "text": subtitle, "size": "xs", "color": "#FFFFFF",
                            "wrap": True}]},
            "body": {"type": "box", "layout": "vertical", "spacing": "md",
                     "contents": rows or [{"type": "text", "text": "-", "color": GREY}]}}


def next_deadline(round_: Round, today: date) -> str:
    upcoming = [d for d in round_.deadlines if d.due_on >= today]
    if not upcoming:
        return "ไม่มีกำหนดส่งที่เหลือในรอบนี้"
    first = upcoming[0]
    return f"{first.title_th} {format_date(first.due_on)}"


def my_kpis(ctx: Context) -> list[m.Message]:
    """The officer's KPI agreement for the current round, as a Flex carousel (4 queries)."""
    staff = ctx.staff
    assert staff is not None
    round_ = current_round(ctx.session, staff.agency_id, ctx.now.date(), with_deadlines=True)
    if round_ is None:
        return [m.text(texts.NO_ROUND, ctx.menu)]
    agreement = ctx.session.scalars(
        select(KpiAgreement).where(KpiAgreement.officer_id == staff.id,
                                   KpiAgreement.round_id == round_.id)
        .options(selectinload(KpiAgreement.kpis))).first()
    if agreement is None:
        return [m.text(texts.NO_AGREEMENT.format(round=round_.title_th), ctx.menu)]
    kpis = agreement.kpis
    summary = [
        _row("รอบ", round_span(round_)),
        _row("ตัวชี้วัด", f"{len(kpis)} ข้อ น้ำหนักรวม {number(sum(k.weight for k in kpis))}%"),
        _row("สถานะข้อตกลง", "ลงนามแล้ว" if agreement.signed_at else "ยังไม่ลงนาม"),
        _row("กำหนดส่งถัดไป", next_deadline(round_, ctx.now.date()), bold=True),
    ]
    if agreement.key_project:
        summary.append(_row("โครงการสำคัญ", agreement.key_project))
    bubbles = [_bubble("ตัวชี้วัดของฉัน", staff.name_th, summary)]
    for start in range(0, len(kpis), KPIS_PER_BUBBLE):
        rows: list[dict[str, Any]] = []
        for kpi in kpis[start:start + KPIS_PER_BUBBLE]:
            if rows:
                rows.append({"type": "separator"})
            rows.extend(_kpi_rows(kpi))
        last = min(start + KPIS_PER_BUBBLE, len(kpis))
        bubbles.append(_bubble(f"ตัวชี้วัดที่ {start + 1}–{last}", round_.title_th, rows))
    carousel = {"type": "carousel", "contents": bubbles}
    return [m.flex(f"ตัวชี้วัดของฉัน {round_.title_th}: {len(kpis)} ข้อ", carousel, ctx.menu)]


def _kpi_rows(kpi: Kpi) -> list[dict[str, Any]]:
    unit = f" {kpi.unit}" if kpi.unit else ""
    return [
        {"type": "text", "text": f"{kpi.number}. {kpi.name}", "weight": "bold", "size": "sm",
         "wrap": True},
        _row("น้ำหนัก", f"{number(kpi.weight)}%"),
        _row("ค่าเป้าหมาย", f"{number(kpi.target)}{unit}"),
        _row("ความก้าวหน้า", texts.NO_PROGRESS),
    ]


def deadlines(ctx: Context) -> list[m.Message]:
    """The current round's deadlines, past ones marked."""
    staff = ctx.staff
    assert staff is not None
    round_ = current_round(ctx.session, staff.agency_id, ctx.now.date(), with_deadlines=True)
    if round_ is None:
        return [m.text(texts.NO_ROUND, ctx.menu)]
    today = ctx.now.date()
    lines = [f"กำหนดการ{round_span(round_)}"]
    for deadline in round_.deadlines:
        if staff.is_hipps is False and deadline.code == "hipps_copy":
            continue
        mark = "✓ ผ่านแล้ว" if deadline.due_on < today else (
            "วันนี้" if deadline.due_on == today else f"อีก {(deadline.due_on - today).days} วัน")
        lines.append(f"• {deadline.title_th}: {format_date(deadline.due_on)} ({mark})")
    return [m.text("\n".join(lines), ctx.menu)]


def people_in_care(ctx: Context) -> list[m.Message]:
    """For mentors, coaches and supervisors: each person in their care and where they stand."""
    staff = ctx.staff
    assert staff is not None
    round_id = _current_round_id(ctx, staff)
    people = officers_in_care(ctx.session, staff.id, round_id)
    if not people:
        return [m.text(texts.NOBODY_IN_CARE, ctx.menu)]
    signed = set(ctx.session.scalars(select(KpiAgreement.officer_id).where(
        KpiAgreement.round_id == round_id, KpiAgreement.signed_at.is_not(None),
        KpiAgreement.officer_id.in_([officer.id for _, officer in people]))))
    by_officer: dict[int, tuple[Staff, list[str]]] = {}
    for role, officer in people:
        by_officer.setdefault(officer.id, (officer, []))[1].append(_role_th(role))
    rows: list[dict[str, Any]] = []
    for officer, roles in by_officer.values():
        status = "ลงนามข้อตกลงแล้ว" if officer.id in signed else "ยังไม่ลงนามข้อตกลง"
        hipps = " · HiPPS" if officer.is_hipps else ""
        if rows:
            rows.append({"type": "separator"})
        rows.append({"type": "text", "text": officer.name_th + hipps, "weight": "bold",
                     "size": "sm", "wrap": True})
        rows.append(_row("คุณเป็น", ", ".join(roles)))
        rows.append(_row("ข้อตกลง", status))
        rows.append(_row("รายงาน", texts.NO_PROGRESS))
    seen = by_officer
    bubble = _bubble("ผู้อยู่ในความดูแล", f"{len(seen)} คน", rows)
    return [m.flex(f"ผู้อยู่ในความดูแล {len(seen)} คน", bubble, ctx.menu)]


def _role_th(role: str) -> str:
    return {Role.MENTOR: "พี่เลี้ยง", Role.COACH: "ผู้สอนงาน",
            Role.SUPERVISOR: "ผู้บังคับบัญชา"}.get(role, role)


def pending_approvals(ctx: Context) -> list[m.Message]:
    """KPI change requests waiting for this evaluator, oldest first (up to 10 cards)."""
    staff = ctx.staff
    assert staff is not None
    requests = ctx.session.scalars(
        select(KpiChangeRequest).where(KpiChangeRequest.status == ChangeStatus.PENDING)
        .order_by(KpiChangeRequest.created_at, KpiChangeRequest.id)
        .options(selectinload(KpiChangeRequest.kpi).selectinload(Kpi.agreement))).all()
    mine = [r for r in requests if staff.id in carer_ids(
        ctx.session, r.kpi.agreement.officer_id, Role.SUPERVISOR, r.kpi.agreement.round_id)]
    if not mine:
        return [m.text(texts.NOTHING_PENDING, ctx.menu)]
    bubbles = [_change_bubble(ctx, r) for r in mine[:10]]
    more = f" (แสดง 10 จาก {len(mine)})" if len(mine) > 10 else ""
    return [m.flex(f"รออนุมัติ {len(mine)} รายการ{more}",
                   {"type": "carousel", "contents": bubbles}, ctx.menu)]


def _change_bubble(ctx: Context, request: KpiChangeRequest) -> dict[str, Any]:
    kpi = request.kpi
    officer = ctx.session.get(Staff, kpi.agreement.officer_id)
    rows = [_row("ผู้ขอ", officer.name_th if officer else "-"),
            {"type": "text", "text": f"ตัวชี้วัดที่ {kpi.number}. {kpi.name}", "size": "sm",
             "wrap": True, "weight": "bold"}]
    for field, new in request.changes.items():
        old = getattr(kpi, field)
        old_text = old if isinstance(old, str) else number(old)
        new_text = new if field in ("name", "unit") else number(new)
        rows.append(_row(FIELD_NAMES_TH.get(field, field), f"{old_text} → {new_text}"))
    if request.reason:
        rows.append(_row("เหตุผล", request.reason))
    bubble = _bubble("ขอแก้ไขตัวชี้วัด", format_date(request.created_at.astimezone(
        ctx.now.tzinfo).date()), rows)
    bubble["footer"] = {"type": "box", "layout": "horizontal", "spacing": "sm", "contents": [
        {"type": "button", "style": "primary", "height": "sm",
         "action": m.postback_action("อนุมัติ", f"action=kpichange&id={request.id}&do=approve",
                                     "อนุมัติ")},
        {"type": "button", "style": "secondary", "height": "sm",
         "action": m.postback_action("ไม่อนุมัติ", f"action=kpichange&id={request.id}&do=reject",
                                     "ไม่อนุมัติ")}]}
    return bubble


def decide_change(ctx: Context, params: dict[str, str]) -> list[m.Message]:
    """A tap on อนุมัติ / ไม่อนุมัติ: checked against the database, never the postback alone."""
    staff = ctx.staff
    assert staff is not None
    request = None
    if params.get("id", "").isdigit() and params.get("do") in ("approve", "reject"):
        request = ctx.session.get(KpiChangeRequest, int(params["id"]))
    agreement = request.kpi.agreement if request is not None else None
    if request is None or agreement is None or staff.id not in carer_ids(
            ctx.session, agreement.officer_id, Role.SUPERVISOR, agreement.round_id):
        audit(ctx.session, "postback.refused", actor_staff_id=staff.id,
              actor_line_user_id=ctx.line_user.user_id, data=str(params)[:300])
        return [m.text(texts.STALE_BUTTON, ctx.menu)]
    if request.status != ChangeStatus.PENDING:
        return [m.text(texts.ALREADY_DECIDED, ctx.menu)]
    approve = params["do"] == "approve"
    try:
        decide_kpi_change(ctx.session, request, approve=approve, decided_by_id=staff.id,
                          at=ctx.now)
    except AgreementError as error:
        return [m.text(f"อนุมัติไม่ได้: {error.th}", ctx.menu)]
    outcome = "อนุมัติ" if approve else "ไม่อนุมัติ"
    officer_line = ctx.session.scalars(select(LineUser.user_id).where(
        LineUser.staff_id == agreement.officer_id, LineUser.following.is_(True))).first()
    if officer_line:
        enqueue_push(ctx.session, officer_line, [m.text(
            f"คำขอแก้ไขตัวชี้วัดที่ {request.kpi.number} ได้รับการ{outcome}\n"
            f"โดย {staff.name_th}")])
    return [m.text(f"บันทึกแล้ว: {outcome}คำขอแก้ไขตัวชี้วัดที่ {request.kpi.number}", ctx.menu)]


def _current_round_id(ctx: Context, staff: Staff) -> int | None:
    round_ = current_round(ctx.session, staff.agency_id, ctx.now.date())
    return round_.id if round_ else None
