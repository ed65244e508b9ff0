"""HiPPS in the chat (seed 000): the key project's milestones, and the round report
(แบบรายงานการปฏิบัติงานของข้าราชการผู้มีผลสัมฤทธิ์สูง) certified by the mentor and the coach.

`รายงาน HiPPS` shows the report assembled from the officer's KPIs (latest confirmed results and
their levels), key project progress, development (IDP items, training reports) and the
competency assessment. ส่งให้รับรอง freezes that content as a new version and pushes a card to
the mentor and the coach; each taps รับรองผล (checked: holds that role over the officer in the
round, the card's version is the current one). When both have certified, the officer is told
and reminded to send the copies to HR by the round's `hipps_copy` deadline (10 April /
10 October), then taps ส่งสำเนาให้ HR แล้ว. Every step is audited. All taps are postbacks:

```mermaid
stateDiagram-v2
    [*] --> submitted: the officer taps ส่งให้รับรอง (version n)
    submitted --> submitted: one of mentor/coach certifies version n / resubmitted (n+1)
    submitted --> certified: both have certified version n
    certified --> certified: ส่งสำเนาให้ HR แล้ว (copies_sent_at)
```
"""
from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers import messages as m
from handlers import texts
from handlers.cards import bubble, heading, row
from handlers.confirming import push_to_staff
from handlers.context import Context, refuse
from handlers.idp import idp_of, training_reports
from handlers.results import kpi_result
from models import (
    ROLE_NAMES_TH,
    Kpi,
    KpiAgreement,
    ProgressReport,
    ReportKind,
    ReportStatus,
    Role,
    Round,
    RoundDeadline,
    Staff,
    audit,
)
from models.appraisal import COMPETENCY_NAMES, CompetencyScore, kpi_level
from models.development import IDP_METHODS
from models.hipps import (
    HIPPS_FORM_TITLE,
    HippsCertification,
    HippsReport,
    HippsStatus,
    KeyProject,
    Milestone,
    MilestoneStatus,
)
from models.numbers import is_id
from models.progress import confirmers
from thai import format_date

REQUIRED = (Role.MENTOR, Role.COACH)


def hipps_round(session: Session, agency_id: int, today: date) -> Round | None:
    """The round a HiPPS report is about: the earliest started round whose copies are not due
    yet (round 1 until 10 April, round 2 until 10 October), else the latest started round."""
    rounds = session.scalars(select(Round).where(Round.agency_id == agency_id,
                                                 Round.starts_on <= today)
                             .order_by(Round.starts_on)).all()
    for round_ in rounds:
        copy = copy_deadline(session, round_)
        if (copy or round_.ends_on) >= today:
            return round_
    return rounds[-1] if rounds else None


def copy_deadline(session: Session, round_: Round) -> date | None:
    return session.scalar(select(RoundDeadline.due_on).where(
        RoundDeadline.round_id == round_.id, RoundDeadline.code == "hipps_copy"))


def assemble(session: Session, officer: Staff, round_: Round) -> dict[str, Any]:
    """The report's content: KPIs, key project, development, competencies (JSON-ready)."""
    agreement = session.scalars(select(KpiAgreement).where(
        KpiAgreement.officer_id == officer.id, KpiAgreement.round_id == round_.id)).first()
    kpis: list[dict[str, Any]] = []
    if agreement is not None:
        latest: dict[int, ProgressReport] = {}
        for report in session.scalars(select(ProgressReport).where(
                ProgressReport.officer_id == officer.id, ProgressReport.round_id == round_.id,
                ProgressReport.kind == ReportKind.KPI,
                ProgressReport.status == ReportStatus.CONFIRMED).order_by(ProgressReport.id)):
            if report.kpi_id is not None:
                latest[report.kpi_id] = report
        for kpi in session.scalars(select(Kpi).where(Kpi.agreement_id == agreement.id)
                                   .order_by(Kpi.number)):
            result = kpi_result(kpi, latest.get(kpi.id))
            kpis.append({"number": kpi.number, "name": kpi.name, "unit": kpi.unit,
                         "weight": str(kpi.weight), "target": str(kpi.target),
                         "result": None if result is None else str(result),
                         "level": kpi_level(kpi.levels, result)})
    projects = []
    for project in session.scalars(select(KeyProject).where(
            KeyProject.officer_id == officer.id, KeyProject.round_id == round_.id)
            .order_by(KeyProject.id)):
        projects.append({"title": project.title, "milestones": [
            {"number": ms.number, "title": ms.title, "due_on": ms.due_on.isoformat(),
             "status": ms.status, "done_on": ms.done_on.isoformat() if ms.done_on else None,
             "note": ms.note} for ms in project.milestones]})
    if not projects and agreement is not None and agreement.key_project:
        projects.append({"title": agreement.key_project, "milestones": []})
    idp = idp_of(session, officer.id, round_.fiscal_year)
    development = {
        "idp": [{"topic": item.topic, "method": IDP_METHODS.get(item.method, (item.method,))[0],
                 "target_date": item.target_date.isoformat(), "status": item.status}
                for item in (idp.items if idp else [])],
        "trainings": [{"title": r.title, "finished_on": r.reported_on.isoformat(),
                       "summary": r.summary}
                      for r in training_reports(session, officer.id, round_.fiscal_year)],
    }
    competencies = [{"code": s.competency, "name": COMPETENCY_NAMES.get(s.competency, s.competency),
                     "score": s.score, "comment": s.comment}
                    for s in session.scalars(select(CompetencyScore).where(
                        CompetencyScore.officer_id == officer.id,
                        CompetencyScore.round_id == round_.id).order_by(CompetencyScore.id))]
    return {"form": HIPPS_FORM_TITLE, "officer": {"staff_code": officer.staff_code,
                                                  "name_th": officer.name_th,
                                                  "position": officer.position},
            "round": {"fiscal_year": round_.fiscal_year, "round_no": round_.round_no},
            "kpis": kpis, "projects": projects, "development": development,
            "competencies": competencies}


def content_rows(content: dict[str, Any]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = [heading("ผลสัมฤทธิ์ตามตัวชี้วัด")]
    for kpi in content["kpis"]:
        result = kpi["result"] if kpi["result"] is not None else "ยังไม่มีผลที่รับรอง"
        rows.append(row(f"ตัวชี้วัดที่ {kpi['number']}", f"{result} · ระดับ {kpi['level']}"))
    rows.append(heading("โครงการสำคัญ"))
    if not content["projects"]:
        rows.append(row("-", "ยังไม่มีโครงการสำคัญ"))
    for project in content["projects"]:
        done = sum(1 for ms in project["milestones"] if ms["status"] == MilestoneStatus.DONE)
        rows.append(row("โครงการ", m.shorten(project["title"], 300)))
        rows.append(row("ความคืบหน้า", f"{done}/{len(project['milestones'])} ขั้นตอนสำคัญ"))
    rows.append(heading("การพัฒนา"))
    rows.append(row("แผนพัฒนา", f"{len(content['development']['idp'])} รายการ"))
    rows.append(row("การอบรม", f"{len(content['development']['trainings'])} หลักสูตร"))
    rows.append(heading("สมรรถนะ"))
    if not content["competencies"]:
        rows.append(row("-", "ยังไม่ได้ประเมิน"))
    for item in content["competencies"]:
        rows.append(row(m.shorten(item["name"], 60), str(item["score"])))
    return rows


def _report(session: Session, officer_id: int, round_id: int) -> HippsReport | None:
    return session.scalars(select(HippsReport).where(HippsReport.officer_id == officer_id,
                                                     HippsReport.round_id == round_id)).first()


def _certified_roles(session: Session, report: HippsReport) -> dict[str, str]:
    """role → certifier name for the report's current version."""
    return {role: name for role, name in session.execute(
        select(HippsCertification.role, Staff.name_th)
        .join(Staff, Staff.id == HippsCertification.certifier_id)
        .where(HippsCertification.report_id == report.id,
               HippsCertification.version == report.version))}


def show_report(ctx: Context) -> list[m.Message]:
    """`รายงาน HiPPS`: the report as it stands (or as submitted), with the next action."""
    staff = ctx.staff
    assert staff is not None
    if not staff.is_hipps:
        return [m.text("เมนูนี้สำหรับข้าราชการผู้มีผลสัมฤทธิ์สูง (HiPPS)", ctx.menu)]
    round_ = hipps_round(ctx.session, staff.agency_id, ctx.now.date())
    if round_ is None:
        return [m.text(texts.NO_ROUND, ctx.menu)]
    report = _report(ctx.session, staff.id, round_.id)
    certified = report is not None and report.status == HippsStatus.CERTIFIED
    content = report.content if certified and report else assemble(ctx.session, staff, round_)
    rows = content_rows(content)
    actions: list[m.Action] = []
    if report is not None:
        done = _certified_roles(ctx.session, report)
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
                                             f"action=hip&do=sent&id={report.id}",
                                             "ส่งสำเนาให้ HR แล้ว"))
    else:
        actions.append(m.postback_action("ส่งให้รับรอง", f"action=hip&do=submit&r={round_.id}",
                                         "ส่งรายงาน HiPPS ให้พี่เลี้ยงและผู้สอนงานรับรอง"))
    card = bubble("รายงาน HiPPS", f"{round_.title_th} · {staff.name_th}", rows, footer=actions)
    return [m.flex(f"{HIPPS_FORM_TITLE} {round_.title_th}", card, actions + ctx.menu[:5])]


def show_projects(ctx: Context) -> list[m.Message]:
    """`โครงการสำคัญ`: the key project's milestones, each with a เสร็จแล้ว button."""
    staff = ctx.staff
    assert staff is not None
    round_ = hipps_round(ctx.session, staff.agency_id, ctx.now.date())
    projects = ctx.session.scalars(select(KeyProject).where(
        KeyProject.officer_id == staff.id, KeyProject.round_id == (round_.id if round_ else -1))
        .order_by(KeyProject.id)).all() if round_ else []
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
                                                 f"action=ms&id={ms.id}",
                                                 f"ขั้นที่ {ms.number} เสร็จแล้ว"))
    card = bubble("โครงการสำคัญ", staff.name_th, rows)
    return [m.flex("โครงการสำคัญ", card, (actions[:10] or []) + [m.message_action("ช่วยเหลือ")])]


def on_milestone(ctx: Context, params: dict[str, str]) -> list[m.Message]:
    """`action=ms&id=…`: the officer marks a milestone of their own key project done."""
    staff = ctx.staff
    assert staff is not None
    raw = params.get("id", "")
    milestone = ctx.session.get(Milestone, int(raw), with_for_update=True) if is_id(raw) else None
    project = ctx.session.get(KeyProject, milestone.project_id) if milestone else None
    if milestone is None or project is None or project.officer_id != staff.id:
        return refuse(ctx, params)
    if milestone.status == MilestoneStatus.DONE:
        return [m.text("ขั้นตอนนี้บันทึกว่าเสร็จแล้ว", ctx.menu)]
    milestone.status, milestone.done_on = MilestoneStatus.DONE, ctx.now.date()
    audit(ctx.session, "hipps.milestone_done", actor_staff_id=staff.id,
          actor_line_user_id=ctx.line_user.user_id, subject=f"milestone:{milestone.id}",
          project=project.id)
    return [m.text(f"บันทึกแล้ว ✅ ขั้นที่ {milestone.number} {milestone.title} เสร็จแล้ว",
                   ctx.menu)]


def on_tap(ctx: Context, params: dict[str, str]) -> list[m.Message]:
    """`action=hip&do=submit|cert|sent…`, every one checked against the database."""
    do = params.get("do")
    if do == "submit":
        return _submit(ctx, params)
    if do == "cert":
        return _certify(ctx, params)
    if do == "sent":
        return _copies_sent(ctx, params)
    return refuse(ctx, params)


def _submit(ctx: Context, params: dict[str, str]) -> list[m.Message]:
    staff = ctx.staff
    assert staff is not None
    raw = params.get("r", "")
    round_ = ctx.session.get(Round, int(raw)) if is_id(raw) else None
    if not staff.is_hipps or round_ is None or round_.agency_id != staff.agency_id:
        return refuse(ctx, params)
    by = confirmers(ctx.session, staff, round_.id)
    missing = [r for r in REQUIRED if r not in by.values()]
    if missing:
        return [m.text(f"ยังไม่มี{' และ '.join(ROLE_NAMES_TH[r] for r in missing)}ของคุณในระบบ\n"
                       "ยังส่งรายงานให้รับรองไม่ได้ กรุณาแจ้ง HR", ctx.menu)]
    report = _report(ctx.session, staff.id, round_.id)
    if report is not None and report.status == HippsStatus.CERTIFIED:
        return [m.text("รายงานนี้ได้รับการรับรองครบแล้ว", ctx.menu)]
    content = assemble(ctx.session, staff, round_)
    if not content["projects"]:  # seed 000: at least one key project is assigned
        return [m.text("ยังไม่มีโครงการสำคัญของคุณในรอบนี้ จึงยังส่งรายงานไม่ได้\n"
                       "กรุณาแจ้ง HR ให้บันทึกโครงการสำคัญก่อน", ctx.menu)]
    if report is None:
        report = HippsReport(officer_id=staff.id, round_id=round_.id, version=1)
        ctx.session.add(report)
    else:
        ctx.session.refresh(report, with_for_update=True)
        report.version += 1
    report.content, report.status, report.submitted_at = content, HippsStatus.SUBMITTED, ctx.now
    ctx.session.flush()
    audit(ctx.session, "hipps.submitted", actor_staff_id=staff.id,
          actor_line_user_id=ctx.line_user.user_id, subject=f"hipps:{report.id}",
          version=report.version)
    action = m.postback_action("รับรองผล", f"action=hip&do=cert&id={report.id}&v={report.version}",
                               "รับรองผล")
    card = bubble("รายงาน HiPPS รอรับรอง", f"{round_.title_th} · {staff.name_th} · "
                                          f"ฉบับที่ {report.version}",
                  content_rows(content), footer=[action])
    push_to_staff(ctx.session, sorted(by), [m.flex(
        f"{staff.name_th}: {HIPPS_FORM_TITLE} รอคุณรับรอง", card, [action])])
    names = "และ".join(ROLE_NAMES_TH[r] for r in REQUIRED)
    return [m.text(f"ส่ง{HIPPS_FORM_TITLE} (ฉบับที่ {report.version}) ให้{names}รับรองแล้ว ✅",
                   ctx.menu)]


def _certify(ctx: Context, params: dict[str, str]) -> list[m.Message]:
    staff = ctx.staff
    assert staff is not None
    raw, version = params.get("id", ""), params.get("v", "")
    report = (ctx.session.get(HippsReport, int(raw), with_for_update=True)
              if is_id(raw) and is_id(version) else None)
    officer = ctx.session.get(Staff, report.officer_id) if report else None
    role = confirmers(ctx.session, officer, report.round_id).get(staff.id) if (
        report and officer) else None
    if report is None or officer is None or role not in REQUIRED:
        return refuse(ctx, params)
    if report.version != int(version):
        return [m.text("การ์ดนี้เป็นฉบับเก่า ผู้รายงานส่งฉบับใหม่แล้ว", ctx.menu)]
    done = _certified_roles(ctx.session, report)
    if role in done:
        return [m.text("คุณรับรองรายงานนี้ไว้แล้ว", ctx.menu)]
    ctx.session.add(HippsCertification(report_id=report.id, version=report.version, role=role,
                                       certifier_id=staff.id, at=ctx.now))
    ctx.session.flush()
    audit(ctx.session, "hipps.certified", actor_staff_id=staff.id,
          actor_line_user_id=ctx.line_user.user_id, subject=f"hipps:{report.id}",
          version=report.version, role=role)
    done[role] = staff.name_th
    waiting = [r for r in REQUIRED if r not in done]
    if waiting:
        push_to_staff(ctx.session, [officer.id], [m.text(
            f"{HIPPS_FORM_TITLE}\n{staff.name_th} ({ROLE_NAMES_TH[role]}) รับรองแล้ว\n"
            f"รอ{ROLE_NAMES_TH[waiting[0]]}รับรอง")])
        return [m.text(f"บันทึกการรับรองแล้ว ✅\nรอ{ROLE_NAMES_TH[waiting[0]]}รับรองอีกคน", ctx.menu)]
    report.status, report.certified_at = HippsStatus.CERTIFIED, ctx.now
    audit(ctx.session, "hipps.fully_certified", actor_staff_id=staff.id,
          subject=f"hipps:{report.id}", version=report.version)
    round_ = ctx.session.get(Round, report.round_id)
    copy = copy_deadline(ctx.session, round_) if round_ else None
    sent = m.postback_action("ส่งสำเนาให้ HR แล้ว", f"action=hip&do=sent&id={report.id}",
                             "ส่งสำเนาให้ HR แล้ว")
    push_to_staff(ctx.session, [officer.id], [m.text(
        f"✅ {HIPPS_FORM_TITLE}\nได้รับการรับรองครบแล้ว โดย {', '.join(done.values())}\n"
        f"กรุณาส่งสำเนาให้ HR ภายใน {format_date(copy) if copy else 'กำหนดของหน่วยงาน'}",
        [sent])])
    return [m.text(f"รับรองรายงาน HiPPS ของ {officer.name_th} แล้ว ✅ (ครบทั้งสองท่าน)", ctx.menu)]


def _copies_sent(ctx: Context, params: dict[str, str]) -> list[m.Message]:
    staff = ctx.staff
    assert staff is not None
    raw = params.get("id", "")
    report = ctx.session.get(HippsReport, int(raw), with_for_update=True) if is_id(raw) else None
    if report is None or report.officer_id != staff.id or report.status != HippsStatus.CERTIFIED:
        return refuse(ctx, params)
    if report.copies_sent_at is None:
        report.copies_sent_at = ctx.now
        audit(ctx.session, "hipps.copies_sent", actor_staff_id=staff.id,
              actor_line_user_id=ctx.line_user.user_id, subject=f"hipps:{report.id}")
    return [m.text("บันทึกแล้วว่าส่งสำเนาให้ HR แล้ว ✅", ctx.menu)]

