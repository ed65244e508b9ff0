"""The mentor's and coach's side: report cards, รับรอง / ส่งกลับแก้ไข / ดูรายละเอียด, approve-all.

Postback data is never trusted: every tap is checked against the database (is this person a
confirmer of this officer now, is the report still pending, is the card's version the current
one). A refused tap gets a polite answer and an audit entry. Sending back asks for the reason
in a small flow:

```mermaid
stateDiagram-v2
    [*] --> awaiting_reason: tap ส่งกลับแก้ไข on a pending report (checked)
    awaiting_reason --> [*]: a preset or typed reason (checked again, then sent back) / ยกเลิก
    awaiting_reason --> awaiting_reason: an empty or over-long reason (asked again)
```
"""
from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Any

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import Session, joinedload

from handlers import messages as m
from handlers import texts
from handlers.cards import bubble, heading, number, row
from handlers.context import Context, refuse
from handlers.conversation import Step
from handlers.outbox import enqueue_push
from models import (
    ROLE_NAMES_TH,
    Confirmation,
    LineUser,
    ProgressReport,
    ReportKind,
    ReportStatus,
    Role,
    RoleAssignment,
    Staff,
    audit,
)
from models.numbers import is_id
from models.progress import (
    Outcome,
    certify,
    confirmers,
    decision_of,
    required_roles,
    send_back,
)
from thai import format_date, format_datetime

FLOW = "sendback"
MAX_REASON = 500
MAX_CARDS = 10  # a carousel takes 12 bubbles; 10 keeps room and stays readable


class SendBackState(StrEnum):
    AWAITING_REASON = "awaiting_reason"


# --- what a report looks like -----------------------------------------------------------------

def report_title(report: ProgressReport) -> str:
    """`รายงานตัวชี้วัดที่ 2` / `รายงานการอบรม`: how the report is named in messages."""
    if report.kind == ReportKind.DEVELOPMENT:
        return f"รายงานการอบรม {report.title}".strip()
    return f"รายงานตัวชี้วัดที่ {report.kpi.number}" if report.kpi else "รายงานความก้าวหน้า"


def result_text(value: Any, target: Any, percent: Any, unit: str) -> str:
    """`45 จาก 60 ราย (ร้อยละ 75)`, `ร้อยละ 70`, or `45 ราย`."""
    unit = f" {unit}" if unit and unit not in ("ร้อยละ", "%") else ""
    parts = []
    if value is not None:
        parts.append(f"{number(value)} จาก {number(target)}{unit}" if target is not None
                     else f"{number(value)}{unit}")
    if percent is not None:
        parts.append(f"(ร้อยละ {number(percent)})" if parts else f"ร้อยละ {number(percent)}")
    return " ".join(parts) or "-"


def report_rows(report: ProgressReport, evidence_count: int | None = None) -> list[dict[str, Any]]:
    """The card rows of a report (saved, or a draft being confirmed), as everyone sees it."""
    count = len(report.evidence) if evidence_count is None else evidence_count
    if report.kind == ReportKind.DEVELOPMENT:
        return [heading(f"หลักสูตร {report.title}"),
                row("อบรมจบ", format_date(report.reported_on)),
                row("สิ่งที่ได้เรียนรู้", m.shorten(report.summary, 1000)),
                row("หลักฐาน", f"{count} รายการ")]
    kpi = report.kpi
    rows = [heading(f"{kpi.number}. {kpi.name}" if kpi else "-"),
            row("ผลงาน", result_text(report.value, report.target, report.percent,
                                     kpi.unit if kpi else ""), bold=True),
            row("สถานะงาน", texts.WORK_STATUS.get(report.work_status or "", "-")),
            row("หมายเหตุ", m.shorten(report.note, 1000) if report.note else "-"),
            row("ข้อมูล ณ วันที่", format_date(report.reported_on)),
            row("หลักฐาน", f"{count} รายการ")]
    return rows


def decision_actions(report: ProgressReport) -> list[m.Action]:
    """รับรอง / ส่งกลับแก้ไข / ดูรายละเอียด, each carrying (report id, version) only."""
    base = f"action=rpt&id={report.id}&v={report.version}"
    return [m.postback_action("รับรอง", f"{base}&do=ok", "รับรอง"),
            m.postback_action("ส่งกลับแก้ไข", f"{base}&do=back", "ส่งกลับแก้ไข"),
            m.postback_action("ดูรายละเอียด", f"{base}&do=view", "ดูรายละเอียด")]


def confirmer_bubble(report: ProgressReport, officer: Staff) -> dict[str, Any]:
    hipps = " · HiPPS" if officer.is_hipps else ""
    subtitle = f"{officer.name_th}{hipps} · ฉบับที่ {report.version}"
    return bubble(report_title(report), subtitle, report_rows(report),
                  footer=decision_actions(report)[:2])


def confirmer_card(report: ProgressReport, officer: Staff) -> m.Message:
    """The push to a confirmer: the card, with the decisions also as quick replies."""
    return m.flex(f"{officer.name_th}: {report_title(report)} รอคุณรับรอง",
                  confirmer_bubble(report, officer), decision_actions(report))


def notify_confirmers(session: Session, report: ProgressReport, officer: Staff,
                      by_role: dict[int, str] | None = None) -> list[str]:
    """Push the card to every confirmer (through the outbox); return their names.

    `by_role` is `confirmers(...)` of the report when the caller has it already."""
    if by_role is None:
        by_role = confirmers(session, officer, report.round_id)
    if not by_role:
        return []
    people = session.execute(select(Staff.id, Staff.name_th, LineUser.user_id)
                             .outerjoin(LineUser, and_(LineUser.staff_id == Staff.id,
                                                       LineUser.following.is_(True)))
                             .where(Staff.id.in_(by_role))).all()
    card = confirmer_card(report, officer)
    names = []
    for staff_id, name, user_id in people:
        names.append(f"{ROLE_NAMES_TH.get(by_role[staff_id], '')} {name}".strip())
        if user_id:
            enqueue_push(session, user_id, [card])
    return sorted(names)


def push_to_staff(session: Session, staff_ids: list[int], messages: list[m.Message]) -> None:
    """Push to each of these people who has a following LINE account."""
    if not staff_ids:
        return
    for user_id in session.scalars(select(LineUser.user_id).where(
            LineUser.staff_id.in_(staff_ids), LineUser.following.is_(True))):
        enqueue_push(session, user_id, messages)


# --- taps on a report card ----------------------------------------------------------------

def on_tap(ctx: Context, params: dict[str, str]) -> list[m.Message] | Step:
    """`action=rpt&id=…&v=…&do=ok|back|view` from a confirmer's card."""
    staff = ctx.staff
    assert staff is not None
    do = params.get("do")
    report, role = _checked(ctx, params, lock=do == "ok")
    if report is None or role is None or do not in ("ok", "back", "view"):
        return refuse(ctx, params, "postback.refused")
    if do == "view":
        return [detail_card(ctx, report)]
    mine = decision_of(ctx.session, report, staff.id) if report.version == int(params["v"]) else None
    if mine is not None:  # a double tap, or a tap on a card already decided by this person
        return [m.text(texts.ALREADY_CERTIFIED if mine == "certified" else texts.ALREADY_SENT_BACK,
                       ctx.menu)]
    stale = _stale_answer(ctx, report, params)
    if stale is not None:
        return stale
    if do == "back":  # the router saves this step as the send-back flow
        return Step([m.text(texts.ASK_SEND_BACK_REASON,
                            [m.message_action(r) for r in texts.SEND_BACK_REASONS]
                            + [m.message_action("ยกเลิก")])],
                    SendBackState.AWAITING_REASON, {"report_id": report.id, "version": report.version})
    outcome = certify(ctx.session, report, staff.id, role, ctx.now, ctx.line_user.user_id,
                      undecided=True)  # `mine` was read above, under the lock
    _tell_officer_certified(ctx, report, role, outcome)
    if outcome.confirmed:
        return [m.text(f"{texts.CERTIFIED_DONE}\n{report.officer.name_th}: {report_title(report)}",
                       ctx.menu)]
    return [m.text(texts.CERTIFIED_WAITING.format(roles=_roles_th(outcome.waiting_for)), ctx.menu)]


def on_reason(ctx: Context, typed: str, data: dict[str, object]) -> Step:
    """The reason for sending back: checked against the database once more, then recorded."""
    staff = ctx.staff
    reason = " ".join(typed.split())
    if not reason or len(reason) > MAX_REASON:
        return Step([m.text(f"กรุณาพิมพ์เหตุผลสั้น ๆ (ไม่เกิน {MAX_REASON} ตัวอักษร)",
                            [m.message_action(r) for r in texts.SEND_BACK_REASONS]
                            + [m.message_action("ยกเลิก")])],
                    SendBackState.AWAITING_REASON, dict(data))
    params = {"id": str(data.get("report_id")), "v": str(data.get("version"))}
    if staff is None:
        return Step(refuse(ctx, params, "postback.refused"))
    report, role = _checked(ctx, params, lock=True)
    if report is None or role is None:
        return Step(refuse(ctx, params, "postback.refused"))
    stale = _stale_answer(ctx, report, params)
    if stale is not None:
        return Step(stale)
    if not send_back(ctx.session, report, staff.id, role, reason, ctx.now, ctx.line_user.user_id):
        return Step([m.text(texts.ALREADY_SENT_BACK)])
    officer = report.officer
    edit = m.postback_action("แก้ไขรายงาน",
                             f"action=myrpt&id={report.id}&v={report.version}&do=edit", "แก้ไขรายงาน")
    push_to_staff(ctx.session, [officer.id], [m.text(texts.TO_OFFICER_SENT_BACK.format(
        what=report_title(report), name=staff.name_th, role=ROLE_NAMES_TH.get(role, role),
        reason=reason), [edit])])
    return Step([m.text(texts.SENT_BACK_DONE.format(name=officer.name_th))])


STEPS: dict[str, Callable[[Context, str, dict[str, object]], Step]] = {
    SendBackState.AWAITING_REASON: on_reason,
}


def approve_all(ctx: Context, params: dict[str, str]) -> list[m.Message]:
    """`action=rptall&officer=…`: certify every report of that officer waiting for this person."""
    staff = ctx.staff
    assert staff is not None
    officer_id = params.get("officer", "")
    waiting = (pending_for(ctx.session, staff.id, int(officer_id))
               if is_id(officer_id) else [])
    if not waiting:
        return refuse(ctx, params, "postback.refused")
    done: list[str] = []
    for report_id, role in waiting:
        report = ctx.session.get(ProgressReport, report_id, with_for_update=True)
        if report is None or report.status != ReportStatus.PENDING:
            continue
        outcome = certify(ctx.session, report, staff.id, role, ctx.now, ctx.line_user.user_id)
        if outcome.recorded:
            _tell_officer_certified(ctx, report, role, outcome)
            done.append(report_title(report))
    officer = ctx.session.get(Staff, int(officer_id))
    name = officer.name_th if officer else "-"
    lines = "\n".join(f"• {what}" for what in done)
    return [m.text(texts.APPROVED_ALL.format(name=name, count=len(done)) + (f"\n{lines}" if lines else ""),
                   ctx.menu)]


def detail_card(ctx: Context, report: ProgressReport) -> m.Message:
    """Everything about one report: its rows, its decisions so far, its evidence."""
    officer = report.officer
    rows = report_rows(report)
    rows.append(row("สถานะรายงาน", texts.REPORT_STATUS.get(report.status, report.status), bold=True))
    rows.append(row("ส่งเมื่อ", format_datetime(report.submitted_at.astimezone(ctx.now.tzinfo))))
    decisions = ctx.session.execute(
        select(Confirmation, Staff.name_th).join(Staff, Staff.id == Confirmation.confirmer_id)
        .where(Confirmation.report_id == report.id, Confirmation.version == report.version)
        .order_by(Confirmation.at)).all()
    for decision, name in decisions:
        verb = "รับรอง" if decision.decision == "certified" else f"ส่งกลับ: {decision.reason}"
        rows.append(row(ROLE_NAMES_TH.get(decision.role, decision.role), f"{name} {verb}"))
    for item in report.evidence:
        rows.append(row("ไฟล์", f"{texts.EVIDENCE_KINDS.get(item.kind, item.kind)} "
                                f"({'เก็บแล้ว' if item.status == 'stored' else 'กำลังดึงไฟล์'})"))
    actions = decision_actions(report)[:2] if report.status == ReportStatus.PENDING else None
    card = bubble(report_title(report), f"{officer.name_th} · ฉบับที่ {report.version}", rows,
                  footer=actions)
    return m.flex(f"รายละเอียด {report_title(report)}", card, ctx.menu)


# --- รออนุมัติ ------------------------------------------------------------------------------

def pending_for(session: Session, confirmer_id: int,
                officer_id: int | None = None) -> list[tuple[int, str]]:
    """(report id, role) of every pending report waiting for this confirmer, oldest first.

    Waiting means: the confirmer is the officer's mentor (or, for a HiPPS officer, coach) in
    the report's round, and has not decided on the report's current version yet.
    """
    decided = exists().where(Confirmation.report_id == ProgressReport.id,
                             Confirmation.version == ProgressReport.version,
                             Confirmation.confirmer_id == confirmer_id)
    query = (select(ProgressReport.id, RoleAssignment.role)
             .join(RoleAssignment, RoleAssignment.officer_id == ProgressReport.officer_id)
             .join(Staff, Staff.id == ProgressReport.officer_id)
             .where(RoleAssignment.staff_id == confirmer_id,
                    or_(RoleAssignment.role == Role.MENTOR,
                        and_(RoleAssignment.role == Role.COACH, Staff.is_hipps.is_(True))),
                    or_(RoleAssignment.round_id.is_(None),
                        RoleAssignment.round_id == ProgressReport.round_id),
                    ProgressReport.status == ReportStatus.PENDING, ~decided)
             .order_by(ProgressReport.submitted_at, ProgressReport.id, RoleAssignment.role))
    if officer_id is not None:
        query = query.where(ProgressReport.officer_id == officer_id)
    found: dict[int, str] = {}
    for report_id, role in session.execute(query):
        found.setdefault(report_id, role)  # mentor before coach for someone holding both
    return list(found.items())


def pending_report_messages(ctx: Context) -> list[m.Message]:
    """The reports waiting for this confirmer as a carousel, and approve-all per officer."""
    staff = ctx.staff
    assert staff is not None
    waiting = pending_for(ctx.session, staff.id)
    if not waiting:
        return []
    ids = [report_id for report_id, _role in waiting]
    reports = {r.id: r for r in ctx.session.scalars(select(ProgressReport).where(
        ProgressReport.id.in_(ids[:MAX_CARDS])))}
    shown = [reports[i] for i in ids[:MAX_CARDS] if i in reports]
    carousel = m.carousel([confirmer_bubble(r, r.officer) for r in shown])
    shown = shown[:len(carousel["contents"])]
    more = f" (แสดง {len(shown)} จาก {len(ids)})" if len(ids) > len(shown) else ""
    officers: dict[int, str] = {}
    for report in shown:
        officers.setdefault(report.officer_id, report.officer.name_th)
    approve_all_actions = [
        m.postback_action(m.shorten_label(f"รับรองทั้งหมด {texts.address(name).split()[0]}"),
                          f"action=rptall&officer={officer_id}",
                          f"รับรองทั้งหมดของ {name}")
        for officer_id, name in officers.items()]
    return [m.flex(f"รายงานรอคุณรับรอง {len(ids)} รายการ{more}", carousel, approve_all_actions)]


# --- checks --------------------------------------------------------------------------------

def _checked(ctx: Context, params: dict[str, str], *,
             lock: bool) -> tuple[ProgressReport | None, str | None]:
    """The report named by the postback and this person's role over its officer, if any."""
    staff = ctx.staff
    if staff is None or not is_id(params.get("id", "")) or not is_id(params.get("v", "")):
        return None, None
    report = ctx.session.get(  # with its officer and KPI, which every answer names
        ProgressReport, int(params["id"]),
        options=[joinedload(ProgressReport.officer, innerjoin=True),
                 joinedload(ProgressReport.kpi)],
        with_for_update={"of": ProgressReport} if lock else None)
    if report is None:
        return None, None
    role = confirmers(ctx.session, report.officer, report.round_id).get(staff.id)
    return report, role


def _stale_answer(ctx: Context, report: ProgressReport,
                  params: dict[str, str]) -> list[m.Message] | None:
    """A polite refusal (audited) when the card is for an older version or a decided report."""
    if report.status != ReportStatus.PENDING:
        audit(ctx.session, "postback.stale", actor_staff_id=ctx.line_user.staff_id,
              actor_line_user_id=ctx.line_user.user_id, subject=f"report:{report.id}",
              data=str(params)[:300], status=report.status)
        status = texts.REPORT_STATUS.get(report.status, report.status)
        return [m.text(texts.REPORT_DECIDED.format(status=f"อยู่ในสถานะ “{status}”"), ctx.menu)]
    if report.version != int(params["v"]):
        audit(ctx.session, "postback.stale", actor_staff_id=ctx.line_user.staff_id,
              actor_line_user_id=ctx.line_user.user_id, subject=f"report:{report.id}",
              data=str(params)[:300], version=report.version)
        return [m.text(texts.REPORT_STALE, ctx.menu)]
    return None



def _roles_th(roles: tuple[str, ...] | list[str]) -> str:
    return " และ ".join(ROLE_NAMES_TH.get(r, r) for r in roles)


def _tell_officer_certified(ctx: Context, report: ProgressReport, role: str,
                            outcome: Outcome) -> None:
    if not outcome.recorded:
        return
    staff = ctx.staff
    assert staff is not None
    if outcome.confirmed and len(required_roles(report.officer)) == 1:
        body = texts.TO_OFFICER_CONFIRMED.format(what=report_title(report), names=staff.name_th)
    elif outcome.confirmed:
        names = ctx.session.scalars(select(Staff.name_th).join(
            Confirmation, Confirmation.confirmer_id == Staff.id).where(
            Confirmation.report_id == report.id, Confirmation.version == report.version)
            .order_by(Confirmation.at)).all()
        body = texts.TO_OFFICER_CONFIRMED.format(what=report_title(report), names=", ".join(names))
    else:
        body = texts.TO_OFFICER_CERTIFIED.format(
            what=report_title(report), name=staff.name_th, role=ROLE_NAMES_TH.get(role, role),
            waiting=_roles_th(outcome.waiting_for))
    push_to_staff(ctx.session, [report.officer_id], [m.text(body)])
