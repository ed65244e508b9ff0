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

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from handlers import messages as m
from handlers import texts
from handlers.appraisals import warn_if_projected_low
from handlers.context import Answer, Context, Step, cancel_action, refuse, tap_data
from handlers.flow import Flow, dump
from handlers.notices import hold_for_staff, push_to_staff
from handlers.outbox import URGENT
from handlers.postbacks import (
    ApproveAll,
    OwnReport,
    ReportDecision,
    SubmissionDecision,
    Tap,
    encode,
)
from handlers.report_cards import (
    detail_card,
    details_card,
    report_title,
    submission_title,
)
from models import (
    ROLE_NAMES_TH,
    Confirmation,
    ProgressReport,
    ReportStatus,
    Staff,
    audit,
)
from models.progress import (
    OPEN_STATUSES,
    ConfirmerPlan,
    Decision,
    Outcome,
    certify,
    confirmer_plan,
    confirmers,
    decision_of,
    pending_for,
    required_roles,
    send_back,
    submission_reports,
    submission_version,
)

MAX_REASON = 500


class SendBackState(StrEnum):
    AWAITING_REASON = "awaiting_reason"


@dataclass
class SendBackData:
    """The report (and its version) being sent back, while the reason is asked for."""

    report_id: int | None = None
    version: int | None = None
    submission: int | None = None  # several KPIs reported together: sent back all at once


# --- taps on a report card ----------------------------------------------------------------

def on_tap(ctx: Context, tap: ReportDecision) -> Answer:
    """รับรอง / ส่งกลับแก้ไข / ดูรายละเอียด from a confirmer's card."""
    staff = ctx.staff
    assert staff is not None
    report, role, plan = _checked(ctx, tap.id, lock=tap.do == "ok")
    if report is None or role is None:
        return refuse(ctx, tap)
    if tap.do == "view":
        return [detail_card(ctx, report)]
    mine = decision_of(ctx.session, report, staff.id) if report.version == tap.v else None
    if mine is not None:  # a double tap, or a tap on a card already decided by this person
        return [m.text(texts.ALREADY_CERTIFIED if mine == "certified" else texts.ALREADY_SENT_BACK,
                       ctx.menu)]
    stale = _stale_answer(ctx, report, tap.v, tap)
    if stale is not None:
        return stale
    if tap.do == "back":  # the router saves this step as the send-back flow
        return Step([m.text(texts.ASK_SEND_BACK_REASON,
                            [m.message_action(r) for r in texts.SEND_BACK_REASONS]
                            + [cancel_action()])],
                    SendBackState.AWAITING_REASON, SendBackData(report.id, report.version))
    outcome = certify(ctx.session, report, staff.id, role, ctx.now, ctx.line_user.user_id,
                      undecided=True, plan=plan)  # `mine` was read above, under the lock
    _tell_officer_certified(ctx, [(report, role, outcome)])
    if outcome.confirmed:
        return [m.text(f"{texts.CERTIFIED_DONE}\n{report.officer.name_th}: {report_title(report)}",
                       ctx.menu)]
    return [m.text(texts.CERTIFIED_WAITING.format(roles=_roles_th(outcome.waiting_for)), ctx.menu)]


def on_reason(ctx: Context, typed: str, data: SendBackData) -> Step[SendBackData]:
    """The reason for sending back: checked against the database once more, then recorded."""
    staff = ctx.staff
    reason = " ".join(typed.split())
    if not reason or len(reason) > MAX_REASON:
        return Step([m.text(f"กรุณาพิมพ์เหตุผลสั้น ๆ (ไม่เกิน {MAX_REASON} ตัวอักษร)",
                            [m.message_action(r) for r in texts.SEND_BACK_REASONS]
                            + [cancel_action()])],
                    SendBackState.AWAITING_REASON, data)
    if staff is not None and data.submission is not None and data.version is not None:
        return _send_back_submission(ctx, data, reason)
    if staff is None or data.report_id is None or data.version is None:
        return Step(refuse(ctx, dump(data)))
    report, role, _plan = _checked(ctx, data.report_id, lock=True)
    if report is None or role is None:
        return Step(refuse(ctx, dump(data)))
    stale = _stale_answer(ctx, report, data.version, dump(data))
    if stale is not None:
        return Step(stale)
    if not send_back(ctx.session, report, staff.id, role, reason, ctx.now, ctx.line_user.user_id):
        return Step([m.text(texts.ALREADY_SENT_BACK)])
    officer = report.officer
    edit = m.postback_action("แก้ไขรายงาน", encode(OwnReport(report.id, report.version, "edit")),
                             "แก้ไขรายงาน")
    # Urgent: the officer has to act, so it goes on its own, within office hours.
    push_to_staff(ctx.session, [officer.id], [m.text(texts.TO_OFFICER_SENT_BACK.format(
        what=report_title(report), name=staff.name_th, role=ROLE_NAMES_TH.get(role, role),
        reason=reason), [edit])], URGENT)
    return Step([m.text(texts.SENT_BACK_DONE.format(name=officer.name_th))])


# --- several KPIs reported together: one card, one decision for every line -------------------

def on_submission_tap(ctx: Context, tap: SubmissionDecision) -> Answer:
    """รับรองทุกข้อ / ส่งกลับแก้ไข / ดูรายละเอียด on a submission's card: the decision applies to
    every line still waiting for this person, at once (the lines locked first, in id order)."""
    staff = ctx.staff
    assert staff is not None
    reports, role = _checked_submission(ctx, tap.id, lock=tap.do != "view")
    if not reports or role is None:
        return refuse(ctx, tap)
    if tap.do == "view":
        return [details_card(ctx, reports)]
    current = submission_version(reports) == tap.v
    pending = [r for r in reports if r.status == ReportStatus.PENDING]
    decidable = [r for r in reports if r.status in (*OPEN_STATUSES, ReportStatus.CONFIRMED)]
    mine = {decision_of(ctx.session, r, staff.id) for r in decidable} if current else set()
    if current and decidable and None not in mine:  # a double tap: decided on every line already
        already = texts.ALREADY_SENT_BACK if Decision.SENT_BACK in mine else texts.ALREADY_CERTIFIED
        return [m.text(already, ctx.menu)]
    if not current:
        audit(ctx.session, "postback.stale", actor_staff_id=staff.id,
              actor_line_user_id=ctx.line_user.user_id, subject=f"submission:{tap.id}",
              data=tap_data(tap))
        return [m.text(texts.REPORT_STALE, ctx.menu)]
    if not pending:
        stale = _stale_answer(ctx, reports[0], reports[0].version, tap)
        return stale or [m.text(texts.REPORT_DECIDED.format(status="ดำเนินการ"), ctx.menu)]
    if tap.do == "back":
        return Step([m.text(texts.ASK_SEND_BACK_REASON,
                            [m.message_action(r) for r in texts.SEND_BACK_REASONS]
                            + [cancel_action()])],
                    SendBackState.AWAITING_REASON,
                    SendBackData(version=tap.v, submission=tap.id))
    decided = []
    for report in pending:
        if decision_of(ctx.session, report, staff.id) is None:
            outcome = certify(ctx.session, report, staff.id, role, ctx.now,
                              ctx.line_user.user_id, undecided=True)
            decided.append((report, role, outcome))
    _tell_officer_submission(ctx, reports, decided)
    what = submission_title([report for report, _role, _outcome in decided])
    waiting = sorted({r for _rep, _role, outcome in decided for r in outcome.waiting_for})
    if not waiting:
        return [m.text(f"{texts.CERTIFIED_ALL_LINES.format(count=len(decided))}\n"
                       f"{reports[0].officer.name_th}: {what}", ctx.menu)]
    return [m.text(texts.CERTIFIED_WAITING.format(roles=_roles_th(waiting)), ctx.menu)]


def _send_back_submission(ctx: Context, data: SendBackData,
                          reason: str) -> Step[SendBackData]:
    """The reason given: every line still waiting goes back to the officer, with one message."""
    staff = ctx.staff
    assert staff is not None and data.submission is not None
    reports, role = _checked_submission(ctx, data.submission, lock=True)
    if not reports or role is None:
        return Step(refuse(ctx, dump(data)))
    if submission_version(reports) != data.version:
        audit(ctx.session, "postback.stale", actor_staff_id=staff.id,
              actor_line_user_id=ctx.line_user.user_id, subject=f"submission:{data.submission}",
              data=tap_data(dump(data)))
        return Step([m.text(texts.REPORT_STALE, ctx.menu)])
    lines = [r for r in reports if r.status == ReportStatus.PENDING
             and decision_of(ctx.session, r, staff.id) is None]
    if not lines:
        return Step([m.text(texts.ALREADY_SENT_BACK)])
    for report in lines:
        send_back(ctx.session, report, staff.id, role, reason, ctx.now, ctx.line_user.user_id)
    officer = reports[0].officer
    edits = [m.postback_action(texts.MULTI_FIX_LINE.format(kpi=r.kpi.number),
                               encode(OwnReport(r.id, r.version, "edit")),
                               texts.MULTI_FIX_LINE.format(kpi=r.kpi.number))
             for r in lines if r.kpi is not None]
    push_to_staff(ctx.session, [officer.id], [m.text(texts.TO_OFFICER_SENT_BACK.format(
        what=submission_title(lines), name=staff.name_th, role=ROLE_NAMES_TH.get(role, role),
        reason=reason), edits[:13])], URGENT)
    return Step([m.text(texts.SENT_BACK_DONE.format(name=officer.name_th))])


def _checked_submission(ctx: Context, submission_id: int, *,
                        lock: bool) -> tuple[list[ProgressReport], str | None]:
    """The submission's reports and this person's role over its officer, if any."""
    staff = ctx.staff
    if staff is None:
        return [], None
    reports = submission_reports(ctx.session, submission_id, lock=lock)
    if not reports:
        return [], None
    return reports, confirmers(ctx.session, reports[0].officer, reports[0].round_id).get(staff.id)


def _tell_officer_submission(ctx: Context, reports: list[ProgressReport],
                             decided: list[tuple[ProgressReport, str, Outcome]]) -> None:
    """One notice for a decision on several lines: as one line when they all came out alike."""
    recorded = [item for item in decided if item[2].recorded]
    outcomes = {(o.confirmed, o.waiting_for) for _r, _role, o in recorded}
    if len(outcomes) != 1:
        _tell_officer_certified(ctx, decided)
        return
    report, role, outcome = recorded[0]
    text = _certified_text(ctx, report, role, outcome).replace(
        report_title(report), submission_title([r for r, _role, _o in recorded]), 1)
    hold_for_staff(ctx.session, [report.officer_id], [m.text(m.shorten(text))], ctx.now)
    if outcome.confirmed:
        warn_if_projected_low(ctx.session, report.officer, report.round_id)


def approve_all(ctx: Context, tap: ApproveAll) -> list[m.Message]:
    """Certify every report of that officer waiting for this person, once they said yes to
    "รับรองทั้งหมด N รายการของ …?" (asked once, on the first tap)."""
    staff = ctx.staff
    assert staff is not None
    waiting = pending_for(ctx.session, staff.id, tap.officer)
    if not waiting:
        return refuse(ctx, tap)
    if tap.ok != 1:
        officer = ctx.session.get(Staff, tap.officer)
        sure = ApproveAll(tap.officer, ok=1)
        return [m.text(texts.APPROVE_ALL_ASK.format(
            count=len(waiting), name=officer.name_th if officer else "-"),
            [m.postback_action(texts.APPROVE_ALL_YES, encode(sure), texts.APPROVE_ALL_YES),
             m.message_action("ยังไม่รับรอง", "รออนุมัติ")])]
    done: list[str] = []
    decided: list[tuple[ProgressReport, str, Outcome]] = []
    for report_id, role in waiting:
        report = ctx.session.get(ProgressReport, report_id, with_for_update=True)
        if report is None or report.status != ReportStatus.PENDING:
            continue
        outcome = certify(ctx.session, report, staff.id, role, ctx.now, ctx.line_user.user_id)
        if outcome.recorded:
            decided.append((report, role, outcome))
            done.append(report_title(report))
    _tell_officer_certified(ctx, decided)  # one notice for all of them
    officer = ctx.session.get(Staff, tap.officer)
    name = officer.name_th if officer else "-"
    lines = "\n".join(f"• {what}" for what in done)
    return [m.text(texts.APPROVED_ALL.format(name=name, count=len(done))
                   + (f"\n{lines}" if lines else ""), ctx.menu)]


# --- รออนุมัติ ------------------------------------------------------------------------------


# --- checks --------------------------------------------------------------------------------

def _checked(ctx: Context, report_id: int, *, lock: bool
             ) -> tuple[ProgressReport | None, str | None, ConfirmerPlan | None]:
    """The report named by the postback, this person's role over its officer, if any, and the
    officer's confirmer plan."""
    staff = ctx.staff
    if staff is None:
        return None, None, None
    report = ctx.session.get(  # with its officer and KPI, which every answer names
        ProgressReport, report_id,
        options=[joinedload(ProgressReport.officer, innerjoin=True),
                 joinedload(ProgressReport.kpi)],
        with_for_update={"of": ProgressReport} if lock else None)
    if report is None:
        return None, None, None
    plan = confirmer_plan(ctx.session, report.officer, report.round_id)
    return report, plan.shown.get(staff.id), plan


def _stale_answer(ctx: Context, report: ProgressReport, version: int,
                  params: Tap | dict[str, Any]) -> list[m.Message] | None:
    """A polite refusal (audited) when the card is for an older version or a decided report."""
    if report.status != ReportStatus.PENDING:
        audit(ctx.session, "postback.stale", actor_staff_id=ctx.line_user.staff_id,
              actor_line_user_id=ctx.line_user.user_id, subject=f"report:{report.id}",
              data=tap_data(params), status=report.status)
        status = texts.REPORT_STATUS.get(report.status, report.status)
        return [m.text(texts.REPORT_DECIDED.format(status=f"อยู่ในสถานะ “{status}”"), ctx.menu)]
    if report.version != version:
        audit(ctx.session, "postback.stale", actor_staff_id=ctx.line_user.staff_id,
              actor_line_user_id=ctx.line_user.user_id, subject=f"report:{report.id}",
              data=tap_data(params), version=report.version)
        return [m.text(texts.REPORT_STALE, ctx.menu)]
    return None


def _roles_th(roles: tuple[str, ...] | list[str]) -> str:
    return " และ ".join(ROLE_NAMES_TH.get(r, r) for r in roles)


def _tell_officer_certified(ctx: Context,
                            decided: list[tuple[ProgressReport, str, Outcome]]) -> None:
    """One notice to each officer for these decisions, held for their reply or day's push."""
    bodies: dict[int, list[str]] = {}
    for report, role, outcome in decided:
        if outcome.recorded:
            bodies.setdefault(report.officer_id, []).append(
                _certified_text(ctx, report, role, outcome))
    for officer_id, lines in bodies.items():
        hold_for_staff(ctx.session, [officer_id], [m.text(m.shorten("\n\n".join(lines)))],
                       ctx.now)
    warned: set[tuple[int, int | None]] = set()
    for report, _role, outcome in decided:
        key = (report.officer_id, report.round_id)
        if outcome.recorded and outcome.confirmed and key not in warned:
            warned.add(key)
            warn_if_projected_low(ctx.session, report.officer, report.round_id)


def _certified_text(ctx: Context, report: ProgressReport, role: str, outcome: Outcome) -> str:
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
    return body


FLOW = Flow(
    name="sendback",
    states=SendBackState,
    steps={SendBackState.AWAITING_REASON: on_reason},
    data=SendBackData,
    taps={ReportDecision: on_tap, ApproveAll: approve_all, SubmissionDecision: on_submission_tap},
    diagram=__doc__,
)
