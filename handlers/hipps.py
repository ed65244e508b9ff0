"""HiPPS in the chat (seed 000): the key project's milestones, and the round report
(แบบรายงานการปฏิบัติงานของข้าราชการผู้มีผลสัมฤทธิ์สูง) certified by the mentor and the coach.

`รายงาน HiPPS` shows the report assembled from the officer's KPIs (latest confirmed results and
their levels), key project progress, development (IDP items, training reports) and the
competency assessment. ส่งให้รับรอง freezes that content as a new version and pushes a card to
the mentor and the coach; each taps รับรองผล (checked: holds that role over the officer in the
round, the card's version is the current one); one person holding both roles certifies once.
Either may tap ส่งกลับแก้ไข instead and give a comment, which the officer receives; the officer
submits again. When both have certified, the officer is told and reminded to send the copies to
HR by the round's `hipps_copy` deadline (10 April / 10 October), then taps ส่งสำเนาให้ HR แล้ว.
Every step is audited; the report's own life is drawn in models/hipps_reports.py. The chat asks
only for the comment:

```mermaid
stateDiagram-v2
    [*] --> awaiting_comment: the mentor or coach taps ส่งกลับแก้ไข on the current version (checked)
    awaiting_comment --> awaiting_comment: an empty or over-long comment (asked again)
    awaiting_comment --> [*]: a comment (checked again, sent back, the officer told) / ยกเลิก
```
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import select

from handlers import messages as m
from handlers import texts
from handlers.appraisal_cards import content_rows
from handlers.cards import bubble, heading, row
from handlers.context import Answer, Context, Step, cancel_action, refuse
from handlers.flow import Flow, dump
from handlers.notices import hold_for_staff, push_to_staff
from handlers.outbox import URGENT
from handlers.postbacks import HippsAction, MilestoneDone, encode
from models import (
    ROLE_NAMES_TH,
    Round,
    Staff,
)
from models.hipps import (
    HIPPS_FORM_TITLE,
    HippsReport,
    HippsStatus,
    KeyProject,
    Milestone,
    MilestoneStatus,
)
from models.hipps_reports import (
    REQUIRED,
    HippsRefused,
    assemble,
    certified_roles,
    certifier_roles,
    certify_report,
    copy_deadline,
    hipps_round,
    mark_copies_sent,
    mark_milestone_done,
    report_of,
    send_back_report,
    submit_report,
)
from models.org import Role
from models.progress import confirmers
from thai import format_date


def show_report(ctx: Context) -> list[m.Message]:
    """`รายงาน HiPPS`: the report as it stands (or as submitted), with the next action."""
    staff = ctx.staff
    assert staff is not None
    if not staff.is_hipps:
        return [m.text("เมนูนี้สำหรับข้าราชการผู้มีผลสัมฤทธิ์สูง (HiPPS)", ctx.menu)]
    round_ = hipps_round(ctx.session, staff.agency_id, ctx.now.date())
    if round_ is None:
        return [m.text(texts.NO_ROUND, ctx.menu)]
    report = report_of(ctx.session, staff.id, round_.id)
    certified = report is not None and report.status == HippsStatus.CERTIFIED
    content = report.content if certified and report else assemble(ctx.session, staff, round_)
    rows = content_rows(content)
    actions: list[m.Action] = []
    if report is not None and report.status == HippsStatus.SENT_BACK:
        rows.append(row("สถานะ", f"ฉบับที่ {report.version} ถูกส่งกลับแก้ไข"))
    if report is not None:
        done = certified_roles(ctx.session, report)
        for role in REQUIRED:
            rows.append(row(ROLE_NAMES_TH[role], f"รับรองแล้ว ({done[role]})" if role in done
                            else "รอรับรอง"))
    if certified and report is not None:
        copy = copy_deadline(ctx.session, round_)
        rows.append(row("สำเนาถึง HR", format_date(report.copies_sent_at.date())
                        if report.copies_sent_at else
                        f"ยังไม่ส่ง (ภายใน {format_date(copy)})" if copy else "ยังไม่ส่ง"))
        if report.copies_sent_at is None:
            actions.append(m.postback_action("ส่งสำเนาให้ HR แล้ว",
                                             encode(HippsAction("sent", report.id)),
                                             "ส่งสำเนาให้ HR แล้ว"))
    else:
        actions.append(m.postback_action("ส่งให้รับรอง", encode(HippsAction("submit", r=round_.id)),
                                         "ส่งรายงาน HiPPS ให้พี่เลี้ยงและผู้สอนงานรับรอง"))
    card = bubble("รายงาน HiPPS", f"{round_.title_th} · {staff.name_th}", rows, footer=actions)
    return [m.flex(f"{HIPPS_FORM_TITLE} {round_.title_th}", card, actions + ctx.menu[:5])]


def show_projects(ctx: Context) -> list[m.Message]:
    """`โครงการสำคัญ`: the key project's milestones, each with a เสร็จแล้ว button."""
    staff = ctx.staff
    assert staff is not None
    round_ = hipps_round(ctx.session, staff.agency_id, ctx.now.date())
    projects = ctx.session.scalars(select(KeyProject).where(
        KeyProject.officer_id == staff.id, KeyProject.round_id == round_.id)
        .order_by(KeyProject.id)).all() if round_ is not None else []
    if not projects:
        return [m.text("ยังไม่มีโครงการสำคัญของคุณในรอบนี้\nHR เป็นผู้บันทึกโครงการสำคัญ", ctx.menu)]
    rows: list[dict[str, Any]] = []
    actions: list[m.Action] = []
    for project in projects:
        rows.append(heading(project.title))
        for ms in project.milestones:
            state = (f"เสร็จ {format_date(ms.done_on)}" if ms.status == MilestoneStatus.DONE
                     and ms.done_on else f"กำหนด {format_date(ms.due_on)}")
            rows.append(row(f"{ms.number}. {m.shorten(ms.title, 100)}", state))
            if ms.status != MilestoneStatus.DONE:
                actions.append(m.postback_action(m.shorten_label(f"เสร็จ: ขั้นที่ {ms.number}"),
                                                 encode(MilestoneDone(ms.id)),
                                                 f"ขั้นที่ {ms.number} เสร็จแล้ว"))
    card = bubble("โครงการสำคัญ", staff.name_th, rows)
    return [m.flex("โครงการสำคัญ", card, (actions[:10] or []) + [m.message_action("ช่วยเหลือ")])]


def on_milestone(ctx: Context, tap: MilestoneDone) -> list[m.Message]:
    """เสร็จ: ขั้นที่ N: the officer marks a milestone of their own key project done."""
    staff = ctx.staff
    assert staff is not None
    milestone = ctx.session.get(Milestone, tap.id, with_for_update=True)
    project = ctx.session.get(KeyProject, milestone.project_id) if milestone else None
    if milestone is None or project is None or project.officer_id != staff.id:
        return refuse(ctx, tap)
    if not mark_milestone_done(ctx.session, milestone, project, ctx.now.date(),
                               ctx.line_user.user_id):
        return [m.text("ขั้นตอนนี้บันทึกว่าเสร็จแล้ว", ctx.menu)]
    return [m.text(f"บันทึกแล้ว ✅ ขั้นที่ {milestone.number} {milestone.title} เสร็จแล้ว",
                   ctx.menu)]


def on_tap(ctx: Context, tap: HippsAction) -> Answer:
    """ส่งให้รับรอง / รับรองผล / ส่งกลับแก้ไข / ส่งสำเนาให้ HR แล้ว, each checked against the
    database."""
    if tap.do == "submit":
        return _submit(ctx, tap)
    if tap.do == "cert":
        return _certify(ctx, tap)
    if tap.do == "back":
        return _ask_comment(ctx, tap)
    return _copies_sent(ctx, tap)


class HippsState(StrEnum):
    AWAITING_COMMENT = "awaiting_comment"


@dataclass
class HippsComment:
    """The HiPPS report (and its version) being sent back, while the comment is asked for."""

    report_id: int = 0
    version: int = 0


MAX_COMMENT = 500


def _certifiable(ctx: Context, report_id: int | None,
                 version: int | None) -> tuple[HippsReport | None, tuple[str, ...], str | None]:
    """The report locked, this person's roles over its officer, and why it cannot be decided
    now (an older card, or no longer waiting), if so."""
    staff = ctx.staff
    report = (ctx.session.get(HippsReport, report_id, with_for_update=True)
              if report_id is not None and version is not None else None)
    officer = ctx.session.get(Staff, report.officer_id) if report else None
    if staff is None or report is None or officer is None:
        return None, (), None
    roles = certifier_roles(ctx.session, officer, report.round_id).get(staff.id, ())
    if report.version != version:
        return report, roles, "การ์ดนี้เป็นฉบับเก่า ผู้รายงานส่งฉบับใหม่แล้ว"
    if report.status != HippsStatus.SUBMITTED:
        return report, roles, ("รายงานนี้ได้รับการรับรองครบแล้ว" if report.status
                               == HippsStatus.CERTIFIED else "รายงานนี้ส่งกลับแก้ไขแล้ว")
    return report, roles, None


def _ask_comment(ctx: Context, tap: HippsAction) -> Answer:
    report, roles, stale = _certifiable(ctx, tap.id, tap.v)
    if report is None or not roles:
        return refuse(ctx, tap)
    if stale:
        return [m.text(stale, ctx.menu)]
    return Step([m.text(f"กรุณาพิมพ์ความเห็นที่ต้องการให้แก้ไข (ไม่เกิน {MAX_COMMENT} ตัวอักษร)\n"
                        "ความเห็นจะส่งถึงผู้รายงาน", [cancel_action()])],
                HippsState.AWAITING_COMMENT, HippsComment(report.id, report.version))


def on_comment(ctx: Context, typed: str, data: HippsComment) -> Step[HippsComment]:
    """The comment for sending the HiPPS report back: checked once more, then recorded."""
    comment = " ".join(typed.split())
    if not comment or len(comment) > MAX_COMMENT:
        return Step([m.text(f"กรุณาพิมพ์ความเห็น 1–{MAX_COMMENT} ตัวอักษร", [cancel_action()])],
                    HippsState.AWAITING_COMMENT, data)
    report, roles, stale = _certifiable(ctx, data.report_id, data.version)
    staff = ctx.staff
    if report is None or not roles or staff is None:
        return Step(refuse(ctx, dump(data)))
    if stale or not send_back_report(ctx.session, report, staff, comment, ctx.now,
                                     ctx.line_user.user_id):
        return Step([m.text(stale or "รายงานนี้ส่งกลับแก้ไขแล้ว", ctx.menu)])
    officer = ctx.session.get(Staff, report.officer_id)
    assert officer is not None
    push_to_staff(ctx.session, [officer.id], [m.text(
        f"{HIPPS_FORM_TITLE} (ฉบับที่ {report.version}) ถูกส่งกลับแก้ไข\n"
        f"โดย {staff.name_th} ({ROLE_NAMES_TH.get(roles[0], roles[0])})\nความเห็น: {comment}\n"
        "แก้ไขแล้วพิมพ์ “รายงาน HiPPS” เพื่อส่งให้รับรองอีกครั้ง")], URGENT)
    return Step([m.text(f"ส่งรายงาน HiPPS ของ {officer.name_th} กลับแก้ไขแล้ว ✅", ctx.menu)])


def _submit(ctx: Context, tap: HippsAction) -> list[m.Message]:
    staff = ctx.staff
    assert staff is not None
    round_ = ctx.session.get(Round, tap.r) if tap.r is not None else None
    if not staff.is_hipps or round_ is None or round_.agency_id != staff.agency_id:
        return refuse(ctx, tap)
    try:
        report, certifiers = submit_report(ctx.session, staff, round_, ctx.now,
                                           ctx.line_user.user_id)
    except HippsRefused as refused:
        return [m.text(_REFUSED[refused.reason].format(
            roles=" และ ".join(ROLE_NAMES_TH[r] for r in refused.missing)), ctx.menu)]
    action = m.postback_action("รับรองผล", encode(HippsAction("cert", report.id, v=report.version)),
                               "รับรองผล")
    back = m.postback_action("ส่งกลับแก้ไข",
                             encode(HippsAction("back", report.id, v=report.version)),
                             "ส่งกลับแก้ไข")
    card = bubble("รายงาน HiPPS รอรับรอง", f"{round_.title_th} · {staff.name_th} · "
                                          f"ฉบับที่ {report.version}",
                  content_rows(report.content), footer=[action, back])
    hold_for_staff(ctx.session, certifiers, [m.flex(
        f"{staff.name_th}: {HIPPS_FORM_TITLE} รอคุณรับรอง", card, [action, back])], ctx.now)
    by_role = confirmers(ctx.session, staff, round_.id)
    named = dict(ctx.session.execute(select(Staff.id, Staff.name_th).where(
        Staff.id.in_(by_role))).all())
    people = " และ ".join(
        ROLE_NAMES_TH[role] + " " + ", ".join(sorted(named[i] for i, r in by_role.items()
                                                     if r == role))
        for role in (*REQUIRED, Role.SUPERVISOR) if role in by_role.values())
    return [m.text(texts.HIPPS_SENT.format(form=HIPPS_FORM_TITLE, version=report.version,
                                           names=people), ctx.menu)]


_REFUSED = {
    "missing_roles": "ยังไม่มี{roles}ของคุณในระบบ\nยังส่งรายงานให้รับรองไม่ได้ กรุณาแจ้ง HR",
    "certified": "รายงานนี้ได้รับการรับรองครบแล้ว",
    "no_project": "ยังไม่มีโครงการสำคัญของคุณในรอบนี้ จึงยังส่งรายงานไม่ได้\n"
                  "กรุณาแจ้ง HR ให้บันทึกโครงการสำคัญก่อน",
}


def _certify(ctx: Context, tap: HippsAction) -> list[m.Message]:
    staff = ctx.staff
    assert staff is not None
    report = (ctx.session.get(HippsReport, tap.id, with_for_update=True)
              if tap.id is not None and tap.v is not None else None)
    officer = ctx.session.get(Staff, report.officer_id) if report else None
    roles = certifier_roles(ctx.session, officer, report.round_id).get(staff.id, ()) if (
        report and officer) else ()
    if report is None or officer is None or not roles:
        return refuse(ctx, tap)
    if report.version != tap.v:
        return [m.text("การ์ดนี้เป็นฉบับเก่า ผู้รายงานส่งฉบับใหม่แล้ว", ctx.menu)]
    if report.status == HippsStatus.SENT_BACK:
        return [m.text("รายงานนี้ส่งกลับแก้ไขแล้ว รอผู้รายงานส่งฉบับใหม่", ctx.menu)]
    certified = certify_report(ctx.session, report, staff, roles, ctx.now, ctx.line_user.user_id)
    if not certified.recorded:
        return [m.text("คุณรับรองรายงานนี้ไว้แล้ว", ctx.menu)]
    if not certified.complete:
        waiting = ROLE_NAMES_TH[certified.waiting[0]]
        hold_for_staff(ctx.session, [officer.id], [m.text(
            f"{HIPPS_FORM_TITLE}\n{staff.name_th} ({ROLE_NAMES_TH[roles[0]]}) รับรองแล้ว\n"
            f"รอ{waiting}รับรอง")], ctx.now)
        return [m.text(f"บันทึกการรับรองแล้ว ✅\nรอ{waiting}รับรองอีกคน", ctx.menu)]
    round_ = ctx.session.get(Round, report.round_id)
    copy = copy_deadline(ctx.session, round_) if round_ else None
    sent = m.postback_action("ส่งสำเนาให้ HR แล้ว", encode(HippsAction("sent", report.id)),
                             "ส่งสำเนาให้ HR แล้ว")
    hold_for_staff(ctx.session, [officer.id], [m.text(
        f"✅ {HIPPS_FORM_TITLE}\nได้รับการรับรองครบแล้ว โดย {', '.join(certified.done.values())}\n"
        f"กรุณาส่งสำเนาให้ HR ภายใน {format_date(copy) if copy else 'กำหนดของหน่วยงาน'}",
        [sent])], ctx.now)
    return [m.text(f"รับรองรายงาน HiPPS ของ {officer.name_th} แล้ว ✅ "
                   "(ครบทั้งพี่เลี้ยงและผู้สอนงาน)", ctx.menu)]


def _copies_sent(ctx: Context, tap: HippsAction) -> list[m.Message]:
    staff = ctx.staff
    assert staff is not None
    report = (ctx.session.get(HippsReport, tap.id, with_for_update=True)
              if tap.id is not None else None)
    if report is None or report.officer_id != staff.id or report.status != HippsStatus.CERTIFIED:
        return refuse(ctx, tap)
    mark_copies_sent(ctx.session, report, ctx.now, ctx.line_user.user_id)
    return [m.text("บันทึกแล้วว่าส่งสำเนาให้ HR แล้ว ✅", ctx.menu)]


FLOW = Flow(
    name="hipps",
    states=HippsState,
    steps={HippsState.AWAITING_COMMENT: on_comment},
    data=HippsComment,
    commands={"รายงานhipps": show_report, "hipps": show_report, "โครงการสำคัญ": show_projects},
    taps={HippsAction: on_tap, MilestoneDone: on_milestone},
    diagram=__doc__,
)
