"""What officers and their carers see of KPIs: my KPIs, deadlines, people in care, approvals."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from handlers import messages as m
from handlers import texts
from handlers.cards import GREEN, bubble, number, row
from handlers.context import Context, refuse
from handlers.day_push import record_cards_shown, unshown_cards
from handlers.flow import Flow
from handlers.outbox import enqueue_push
from handlers.postbacks import KpiChangeDecision, MarkInnovation, encode
from handlers.report_cards import kpi_result_text, pending_report_messages
from models import (
    ROLE_NAMES_TH,
    AgreementError,
    ChangeStatus,
    Kpi,
    KpiAgreement,
    KpiChangeRequest,
    LineUser,
    ProgressReport,
    ReportKind,
    Role,
    Round,
    Staff,
)
from models.innovation import mark_report
from models.kpi import AlreadyDecided, decide_kpi_change
from models.org import carer_ids, officers_in_care
from models.progress import SHOWN_STATUSES, ReportStatus
from models.results import kpi_result
from models.rounds import current_round
from thai import format_date

KPIS_PER_BUBBLE = 5
FIELD_NAMES_TH = {"name": "ชื่อ", "unit": "หน่วยนับ", "weight": "น้ำหนัก", "target": "ค่าเป้าหมาย",
                  "level1": "ระดับ 1", "level2": "ระดับ 2", "level3": "ระดับ 3",
                  "level4": "ระดับ 4", "level5": "ระดับ 5"}
_row, _bubble = row, bubble


def round_span(round_: Round) -> str:
    return f"{round_.title_th} ({format_date(round_.starts_on)} – {format_date(round_.ends_on)})"


def next_deadline(round_: Round, today: date) -> str:
    upcoming = [d for d in round_.deadlines if d.due_on >= today]
    if not upcoming:
        return "ไม่มีกำหนดส่งที่เหลือในรอบนี้"
    first = upcoming[0]
    return f"{first.title_th} {format_date(first.due_on)}"


def missing_line(kpis: list[Kpi], round_: Round, today: date) -> str:
    """What the card says at a glance: the KPIs with no report yet (or sent back) and by when."""
    unreported = [k.number for k in kpis if not k.reports]
    sent_back = [k.number for k in kpis if k.reports and k.reports[0].status
                 == ReportStatus.SENT_BACK]
    if not unreported and not sent_back:
        return texts.MY_KPIS_ALL_REPORTED
    parts = []
    if unreported:
        parts.append(texts.MY_KPIS_UNREPORTED.format(
            count=len(unreported), numbers=", ".join(map(str, unreported))))
    if sent_back:
        parts.append(texts.MY_KPIS_SENT_BACK.format(
            count=len(sent_back), numbers=", ".join(map(str, sent_back))))
    upcoming = [d for d in round_.deadlines if d.due_on >= today]
    by_when = (texts.MY_KPIS_BY.format(deadline=upcoming[0].title_th,
                                       date=format_date(upcoming[0].due_on))
               if upcoming else texts.MY_KPIS_NO_DEADLINE_LEFT)
    return f"{' · '.join(parts)}\n{by_when}"


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
        .options(selectinload(KpiAgreement.kpis).joinedload(Kpi.reports))).first()
    if agreement is None:
        return [m.text(texts.NO_AGREEMENT.format(round=round_.title_th), ctx.menu)]
    kpis = agreement.kpis
    summary = [
        {"type": "text", "text": missing_line(kpis, round_, ctx.now.date()), "size": "sm",
         "weight": "bold", "wrap": True, "color": "#D93025" if any(
             not k.reports or k.reports[0].status == ReportStatus.SENT_BACK for k in kpis)
         else GREEN},
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
    return [m.flex(f"ตัวชี้วัดของฉัน {round_.title_th}: {len(kpis)} ข้อ", m.carousel(bubbles),
                   ctx.menu)]


def _kpi_rows(kpi: Kpi) -> list[dict[str, Any]]:
    unit = f" {kpi.unit}" if kpi.unit else ""
    return [
        {"type": "text", "text": f"{kpi.number}. {kpi.name}", "weight": "bold", "size": "sm",
         "wrap": True},
        _row("น้ำหนัก", f"{number(kpi.weight)}%"),
        _row("ค่าเป้าหมาย", f"{number(kpi.target)}{unit}"),
        *progress_bar(kpi),
        _row("ความก้าวหน้า", progress_text(kpi)),
        *innovation_rows(kpi),
    ]


def innovation_rows(kpi: Kpi) -> list[dict[str, Any]]:
    """Innovation or digital work (seed 004): HR's mark on the KPI, or the officer's toggle on
    the latest report (counted once the report is confirmed)."""
    if kpi.innovation:
        return [_row("ประเภทงาน", texts.INNOVATION_KPI)]
    if not kpi.reports:
        return []
    report = kpi.reports[0]
    on = bool(report.innovation)
    label = texts.INNOVATION_ON_LABEL if on else texts.INNOVATION_OFF_LABEL
    return [{"type": "button", "style": "link", "height": "sm", "action": m.postback_action(
        label, encode(MarkInnovation(report.id, "no" if on else "yes")), label)}]


def latest_counted(kpi: Kpi) -> ProgressReport | None:
    """The newest report that stands (confirmed, or waiting for the confirmers)."""
    for report in kpi.reports:
        if report.status in (ReportStatus.CONFIRMED, ReportStatus.PENDING):
            return report
    return None


def progress_share(kpi: Kpi, report: ProgressReport | None) -> Decimal | None:
    """How far the result is toward the agreed target, 0–100 (None: no result). Read as the
    agreed KPI reads it: when lower is better, meeting the target (or beating it) is 100."""
    result = kpi_result(kpi, report)
    target = Decimal(kpi.target)
    if result is None:
        return None
    result = Decimal(result)
    if Decimal(kpi.level1) > Decimal(kpi.level5):  # lower is better
        share = Decimal(100) if result <= target else (
            target / result * 100 if result > 0 else Decimal(100))
    elif target <= 0:
        share = Decimal(100) if result >= target else Decimal(0)
    else:
        share = result / target * 100
    return max(Decimal(0), min(Decimal(100), share))


def progress_bar(kpi: Kpi) -> list[dict[str, Any]]:
    """A bar of the result against the target: a filled box of width NN% in a grey track."""
    report = latest_counted(kpi)
    share = progress_share(kpi, report)
    width = int(share) if share is not None else 0
    pending = report is not None and report.status == ReportStatus.PENDING
    label = (texts.MY_KPIS_NO_RESULT if share is None else
             texts.MY_KPIS_SHARE.format(percent=width)
             + (texts.MY_KPIS_SHARE_PENDING if pending else ""))
    return [
        {"type": "box", "layout": "vertical", "height": "8px", "cornerRadius": "4px",
         "backgroundColor": "#E4E6EA", "margin": "sm", "contents": [
             {"type": "box", "layout": "vertical", "width": f"{width}%", "height": "8px",
              "cornerRadius": "4px", "backgroundColor": "#F4B400" if pending else GREEN,
              "contents": []}]},
        {"type": "text", "text": label, "size": "xs", "color": "#888888", "wrap": True},
    ]


def progress_text(kpi: Kpi) -> str:
    """The latest report on the KPI (pending, sent back or confirmed) and where it stands."""
    if not kpi.reports:
        return texts.NO_PROGRESS
    latest = kpi.reports[0]
    result = kpi_result_text(kpi, latest.value, latest.target, latest.percent)
    work = texts.WORK_STATUS.get(latest.work_status or "", "")
    status = texts.REPORT_STATUS.get(latest.status, latest.status)
    return (f"{result} · {work}\n{status} ({format_date(latest.reported_on)})" if work
            else f"{result}\n{status} ({format_date(latest.reported_on)})")


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
        by_officer.setdefault(officer.id, (officer, []))[1].append(ROLE_NAMES_TH.get(role, role))
    reporting = _reporting_status(ctx, list(by_officer), round_id)
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
        rows.append(_row("รายงาน", reporting.get(officer.id, texts.NO_PROGRESS)))
    seen = by_officer
    bubble = _bubble("ผู้อยู่ในความดูแล", f"{len(seen)} คน", rows)
    return [m.flex(f"ผู้อยู่ในความดูแล {len(seen)} คน", bubble, ctx.menu)]


def _reporting_status(ctx: Context, officer_ids: list[int], round_id: int | None) -> dict[int, str]:
    """Per officer: how many KPIs have a report this round, and how many wait or came back."""
    if round_id is None or not officer_ids:
        return {}
    rows = ctx.session.execute(
        select(ProgressReport.officer_id, ProgressReport.kpi_id, ProgressReport.status)
        .where(ProgressReport.officer_id.in_(officer_ids), ProgressReport.round_id == round_id,
               ProgressReport.kind == ReportKind.KPI,
               ProgressReport.status.in_(SHOWN_STATUSES))).all()
    kpi_counts = dict(ctx.session.execute(
        select(KpiAgreement.officer_id, func.count(Kpi.id)).join(Kpi)
        .where(KpiAgreement.officer_id.in_(officer_ids), KpiAgreement.round_id == round_id)
        .group_by(KpiAgreement.officer_id)).all())
    reported: dict[int, set[int | None]] = {}
    counts: dict[int, dict[str, int]] = {}
    for officer_id, kpi_id, status in rows:
        reported.setdefault(officer_id, set()).add(kpi_id)
        per = counts.setdefault(officer_id, {})
        per[status] = per.get(status, 0) + 1
    out = {}
    for officer_id, kpi_ids in reported.items():
        parts = [f"รายงานแล้ว {len(kpi_ids)}/{kpi_counts.get(officer_id, len(kpi_ids))} ข้อ"]
        parts += [f"{texts.REPORT_STATUS[s]} {n}" for s, n in sorted(counts[officer_id].items())]
        out[officer_id] = " · ".join(parts)
    return out


def pending_approvals(ctx: Context) -> list[m.Message]:
    """Reports waiting for this confirmer, then KPI change requests waiting for this evaluator;
    each oldest first (up to 10 cards each)."""
    staff = ctx.staff
    assert staff is not None
    requests = ctx.session.scalars(
        select(KpiChangeRequest).where(KpiChangeRequest.status == ChangeStatus.PENDING)
        .order_by(KpiChangeRequest.created_at, KpiChangeRequest.id)
        .options(selectinload(KpiChangeRequest.kpi).selectinload(Kpi.agreement))).all()
    mine = [r for r in requests if staff.id in carer_ids(
        ctx.session, r.kpi.agreement.officer_id, Role.SUPERVISOR, r.kpi.agreement.round_id)]
    reports = pending_report_messages(ctx)
    if reports:  # seen now: the day's digest need not show them again
        record_cards_shown(ctx.session, staff.id, unshown_cards(ctx.session, staff.id),
                           ctx.now.date(), ctx.now)
    if not mine and not reports:
        return [m.text(texts.NOTHING_PENDING, ctx.menu)]
    messages = list(reports)
    if mine:
        cards = m.carousel([_change_bubble(ctx, r) for r in mine[:10]])
        shown = len(cards["contents"])
        more = f" (แสดง {shown} จาก {len(mine)})" if len(mine) > shown else ""
        messages.append(m.flex(f"รออนุมัติ {len(mine)} รายการ{more}", cards))
    # The approve-all quick replies (one per officer) first, then the menu, on the last message.
    actions = [item["action"] for item in messages[0].get("quickReply", {}).get("items", [])]
    messages = [{k: v for k, v in message.items() if k != "quickReply"} for message in messages]
    messages[-1]["quickReply"] = m.quick_reply(
        [*actions, *ctx.menu][:m.MAX_QUICK_REPLY_ITEMS])
    return messages


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
        ctx.tz).date()), rows)
    bubble["footer"] = {"type": "box", "layout": "horizontal", "spacing": "sm", "contents": [
        {"type": "button", "style": "primary", "height": "sm",
         "action": m.postback_action("อนุมัติ", encode(KpiChangeDecision(request.id, "approve")),
                                     "อนุมัติ")},
        {"type": "button", "style": "secondary", "height": "sm",
         "action": m.postback_action("ไม่อนุมัติ", encode(KpiChangeDecision(request.id, "reject")),
                                     "ไม่อนุมัติ")}]}
    return bubble


def decide_change(ctx: Context, tap: KpiChangeDecision) -> list[m.Message]:
    """A tap on อนุมัติ / ไม่อนุมัติ: checked against the database, never the postback alone."""
    staff = ctx.staff
    assert staff is not None
    request = ctx.session.get(KpiChangeRequest, tap.id)
    agreement = request.kpi.agreement if request is not None else None
    if request is None or agreement is None or staff.id not in carer_ids(
            ctx.session, agreement.officer_id, Role.SUPERVISOR, agreement.round_id):
        return refuse(ctx, tap)
    if request.status != ChangeStatus.PENDING:
        return [m.text(texts.ALREADY_DECIDED, ctx.menu)]
    approve = tap.do == "approve"
    try:
        decide_kpi_change(ctx.session, request, approve=approve, decided_by_id=staff.id,
                          at=ctx.now)
    except AlreadyDecided:  # a concurrent tap decided it first
        return [m.text(texts.ALREADY_DECIDED, ctx.menu)]
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


def mark_innovation(ctx: Context, tap: MarkInnovation) -> list[m.Message]:
    """The officer marks their own report as innovation or digital work (or takes it back)."""
    staff = ctx.staff
    assert staff is not None
    report = ctx.session.get(ProgressReport, tap.id)
    if (report is None or report.officer_id != staff.id or report.kind != ReportKind.KPI
            or report.status not in SHOWN_STATUSES or report.kpi is None):
        return refuse(ctx, tap)
    on = tap.on == "yes"
    mark_report(ctx.session, report, on, actor_staff_id=staff.id,
                actor_line_user_id=ctx.line_user.user_id)
    said = texts.INNOVATION_MARKED if on else texts.INNOVATION_UNMARKED
    return [m.text(said.format(number=report.kpi.number), ctx.menu)]


def _current_round_id(ctx: Context, staff: Staff) -> int | None:
    round_ = current_round(ctx.session, staff.agency_id, ctx.now.date())
    return round_.id if round_ else None


FLOW = Flow(
    name="",
    commands={"ตัวชี้วัดของฉัน": my_kpis, "ตัวชี้วัด": my_kpis, "กำหนดส่ง": deadlines,
              "ผู้อยู่ในความดูแล": people_in_care, "รออนุมัติ": pending_approvals},
    taps={KpiChangeDecision: decide_change, MarkInnovation: mark_innovation},
)
