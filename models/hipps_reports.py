"""The HiPPS round report (seed 000): assembled from the officer's results, key projects,
development and competencies, submitted as a frozen version, certified by both the mentor and
the coach (or sent back by either, with a comment, as a progress report can be), and the
copies handed to HR by the round's `hipps_copy` deadline. A report's life:

```mermaid
stateDiagram-v2
    [*] --> submitted: the officer submits (version n)
    submitted --> submitted: one of mentor/coach certifies version n / resubmitted (n+1)
    submitted --> certified: every required role has certified version n
    submitted --> sent_back: the mentor or the coach sends it back with a comment
    sent_back --> submitted: the officer submits again (n+1)
    certified --> certified: the copies handed to HR (copies_sent_at)
```
Callable from the chat, the console, the CLI and the jobs; never commits, never messages.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.appraisal import COMPETENCY_NAMES, CompetencyScore, kpi_level
from models.audit import audit
from models.development import IDP_METHODS, idp_of, training_reports
from models.hipps import (
    HIPPS_FORM_TITLE,
    HippsCertification,
    HippsReport,
    HippsStatus,
    KeyProject,
    Milestone,
    MilestoneStatus,
)
from models.kpi import Kpi, KpiAgreement
from models.org import Role, Staff
from models.progress import ProgressReport, ReportKind, ReportStatus, confirmer_plan
from models.results import kpi_result
from models.rounds import Round, RoundDeadline

REQUIRED: tuple[str, ...] = (Role.MENTOR, Role.COACH)


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
                         "level": None if result is None else kpi_level(kpi.levels, result)})
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


def report_of(session: Session, officer_id: int, round_id: int) -> HippsReport | None:
    return session.scalars(select(HippsReport).where(HippsReport.officer_id == officer_id,
                                                     HippsReport.round_id == round_id)).first()


def certified_roles(session: Session, report: HippsReport) -> dict[str, str]:
    """role → certifier name for the report's current version."""
    return {role: name for role, name in session.execute(
        select(HippsCertification.role, Staff.name_th)
        .join(Staff, Staff.id == HippsCertification.certifier_id)
        .where(HippsCertification.report_id == report.id,
               HippsCertification.version == report.version))}


class HippsRefused(ValueError):
    """A HiPPS step that the rules do not allow now; `reason` names which rule."""

    def __init__(self, reason: str, missing: tuple[str, ...] = ()) -> None:
        super().__init__(reason)
        self.reason, self.missing = reason, missing


def submit_report(session: Session, officer: Staff, round_: Round, now: datetime,
                  actor_line_user_id: str | None = None) -> tuple[HippsReport, list[int]]:
    """Freeze the officer's report as a new version; return it and who must certify it.

    Refuses (HippsRefused) without both a mentor and a coach (`missing_roles`), once certified
    (`certified`), or without a key project (`no_project`)."""
    by = certifier_roles(session, officer, round_.id)
    missing = tuple(r for r in REQUIRED if not any(r in roles for roles in by.values()))
    if missing:
        raise HippsRefused("missing_roles", missing)
    report = report_of(session, officer.id, round_.id)
    if report is not None and report.status == HippsStatus.CERTIFIED:
        raise HippsRefused("certified")
    content = assemble(session, officer, round_)
    if not content["projects"]:  # seed 000: at least one key project is assigned
        raise HippsRefused("no_project")
    if report is None:
        report = HippsReport(officer_id=officer.id, round_id=round_.id, version=1)
        session.add(report)
    else:
        session.refresh(report, with_for_update=True)
        report.version += 1
    report.content, report.status, report.submitted_at = content, HippsStatus.SUBMITTED, now
    session.flush()
    audit(session, "hipps.submitted", actor_staff_id=officer.id,
          actor_line_user_id=actor_line_user_id, subject=f"hipps:{report.id}",
          version=report.version)
    return report, sorted(by)


def certifier_roles(session: Session, officer: Staff, round_id: int) -> dict[int, tuple[str, ...]]:
    """Staff id → the HiPPS roles (mentor, coach) each person holds over the officer; one
    person may hold both (seed 000), and then certifies once for both."""
    return confirmer_plan(session, officer, round_id).assigned


@dataclass
class Certified:
    """What one certification did: the roles certified so far (role → name), what is left."""

    done: dict[str, str]
    waiting: list[str]
    recorded: bool = True

    @property
    def complete(self) -> bool:
        return not self.waiting


def certify_report(session: Session, report: HippsReport, certifier: Staff,
                   role: str | tuple[str, ...], now: datetime,
                   actor_line_user_id: str | None = None) -> Certified:
    """Record `certifier`'s certification in `role` (or in each of the roles they hold) of the
    report's current version (the caller has checked the roles and locked the report); when
    every required role has certified, the report is certified."""
    roles = (role,) if isinstance(role, str) else role
    done = certified_roles(session, report)
    if all(r in done for r in roles):
        return Certified(done, [r for r in REQUIRED if r not in done], recorded=False)
    for one in roles:
        if one in done:
            continue
        session.add(HippsCertification(report_id=report.id, version=report.version, role=one,
                                       certifier_id=certifier.id, at=now))
        session.flush()
        audit(session, "hipps.certified", actor_staff_id=certifier.id,
              actor_line_user_id=actor_line_user_id, subject=f"hipps:{report.id}",
              version=report.version, role=one)
        done[one] = certifier.name_th
    waiting = [r for r in REQUIRED if r not in done]
    if not waiting:
        report.status, report.certified_at = HippsStatus.CERTIFIED, now
        audit(session, "hipps.fully_certified", actor_staff_id=certifier.id,
              subject=f"hipps:{report.id}", version=report.version)
    return Certified(done, waiting)


def send_back_report(session: Session, report: HippsReport, certifier: Staff, comment: str,
                     now: datetime, actor_line_user_id: str | None = None) -> bool:
    """The mentor or the coach returns the current version with a comment (the caller checked
    the role and locked the report); False when it is no longer waiting for certification."""
    if report.status != HippsStatus.SUBMITTED:
        return False
    report.status = HippsStatus.SENT_BACK
    audit(session, "hipps.sent_back", actor_staff_id=certifier.id,
          actor_line_user_id=actor_line_user_id, subject=f"hipps:{report.id}",
          version=report.version, comment=comment)
    return True


def mark_copies_sent(session: Session, report: HippsReport, now: datetime,
                     actor_line_user_id: str | None = None) -> None:
    """The officer says the two copies went to HR (recorded once)."""
    if report.copies_sent_at is None:
        report.copies_sent_at = now
        audit(session, "hipps.copies_sent", actor_staff_id=report.officer_id,
              actor_line_user_id=actor_line_user_id, subject=f"hipps:{report.id}")


def mark_milestone_done(session: Session, milestone: Milestone, project: KeyProject,
                        today: date, actor_line_user_id: str | None = None) -> bool:
    """A key project's milestone is done; False when it was already."""
    if milestone.status == MilestoneStatus.DONE:
        return False
    milestone.status, milestone.done_on = MilestoneStatus.DONE, today
    audit(session, "hipps.milestone_done", actor_staff_id=project.officer_id,
          actor_line_user_id=actor_line_user_id, subject=f"milestone:{milestone.id}",
          project=project.id)
    return True
