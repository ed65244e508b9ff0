"""Round results as the rules compute them: each KPI's level, the officer's scores and band,
the evaluator's approval and the officer's answer, and the low-performer case a result under 60
opens. Callable from the chat, the console, the CLI and the jobs; never commits, never messages.

`close_round` (from `flask round close`, or the HR console) places each KPI's latest confirmed
result on its five levels, adds the competency assessment, mixes the two by the agency's weights
and bands the overall score (models/appraisal.py has the arithmetic). Approved results are
frozen: closing again recomputes only the rest. An appraisal's life:

```mermaid
stateDiagram-v2
    [*] --> computed: round close (competencies assessed)
    [*] --> incomplete: round close (no competency assessment yet)
    incomplete --> computed: round close again, after the assessment
    computed --> computed: round close again (recomputed)
    computed --> approved: the evaluator approves (checked: supervises the officer)
    approved --> acknowledged: the officer acknowledges
    approved --> disagreed: the officer disagrees, with a comment (1-500 characters)
```
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.appraisal import (
    FROZEN,
    LP_REPORT_DAYS,
    PERCENT_UNITS,
    Appraisal,
    AppraisalStatus,
    CaseStatus,
    CompetencyScore,
    LowPerformerCase,
    LowPerformerStep,
    achievement_score,
    band_for,
    competencies_for,
    competency_score,
    kpi_level,
    overall_score,
)
from models.audit import audit
from models.development import Idp
from models.kpi import Kpi, KpiAgreement
from models.org import Agency, Role, RoleAssignment, Staff, carer_ids, hr_admin_ids
from models.progress import ProgressReport, ReportKind, ReportStatus
from models.rounds import Round


def kpi_result(kpi: Kpi, report: ProgressReport | None) -> Decimal | None:
    """The number a KPI's levels are compared with: the percentage for a ร้อยละ KPI (else the
    value), the value for a counted KPI (else None)."""
    if report is None:
        return None
    return result_of(kpi.unit, report.percent, report.value)


def result_of(unit: str, percent: Decimal | None, value: Decimal | None) -> Decimal | None:
    if unit in PERCENT_UNITS:
        return percent if percent is not None else value
    return value


@dataclass
class CloseSummary:
    round_id: int
    computed: int = 0
    incomplete: list[str] = field(default_factory=list)  # staff codes without competencies
    frozen: int = 0  # approved earlier: left as they were
    low_performers: list[str] = field(default_factory=list)  # staff codes, new cases
    cases_opened: int = 0
    cases: list[LowPerformerCase] = field(default_factory=list)  # opened by this close


def close_round(session: Session, round_: Round, now: datetime, today: date,
                actor_staff_id: int | None = None) -> CloseSummary:
    """Compute (or recompute) every officer's result of the round; open low-performer cases.

    A handful of queries whatever the number of officers; never commits.
    """
    agency = session.get(Agency, round_.agency_id)
    assert agency is not None
    overall_score(Decimal(0), Decimal(0), agency.achievement_weight,
                  agency.competency_weight)  # refuses weights that do not sum to 100, up front
    summary = CloseSummary(round_id=round_.id)
    agreements = session.execute(
        select(KpiAgreement, Staff).join(Staff, Staff.id == KpiAgreement.officer_id)
        .where(KpiAgreement.round_id == round_.id, Staff.active.is_(True))
        .order_by(Staff.staff_code)).all()
    # Plain rows, not ORM objects: a 20,000-officer round has 100,000 KPIs and results.
    kpis_by_agreement: dict[int, list[Any]] = {}
    for kpi in session.execute(
            select(Kpi.id, Kpi.agreement_id, Kpi.number, Kpi.unit, Kpi.weight, Kpi.level1,
                   Kpi.level2, Kpi.level3, Kpi.level4, Kpi.level5)
            .join(KpiAgreement).where(KpiAgreement.round_id == round_.id)
            .order_by(Kpi.agreement_id, Kpi.number)):
        kpis_by_agreement.setdefault(kpi.agreement_id, []).append(kpi)
    confirmed: dict[int, tuple[Decimal | None, Decimal | None]] = {}
    for kpi_id, percent, value in session.execute(
            select(ProgressReport.kpi_id, ProgressReport.percent, ProgressReport.value).where(
                ProgressReport.round_id == round_.id, ProgressReport.kind == ReportKind.KPI,
                ProgressReport.status == ReportStatus.CONFIRMED, ProgressReport.kpi_id.is_not(None))
            .order_by(ProgressReport.reported_on, ProgressReport.id)):
        if kpi_id is not None:
            confirmed[kpi_id] = (percent, value)  # the latest wins
    scores: dict[int, dict[str, int]] = {}
    for officer_id, code, score in session.execute(
            select(CompetencyScore.officer_id, CompetencyScore.competency, CompetencyScore.score)
            .where(CompetencyScore.round_id == round_.id)):
        scores.setdefault(officer_id, {})[code] = score
    existing = {a.officer_id: a for a in session.scalars(
        select(Appraisal).where(Appraisal.round_id == round_.id))}

    for agreement, officer in agreements:
        appraisal = existing.get(officer.id)
        if appraisal is not None and appraisal.status in FROZEN:
            summary.frozen += 1
            continue
        levels: list[dict[str, Any]] = []
        for kpi in kpis_by_agreement.get(agreement.id, []):
            percent, value = confirmed.get(kpi.id, (None, None))
            result = result_of(kpi.unit, percent, value)
            thresholds = (kpi.level1, kpi.level2, kpi.level3, kpi.level4, kpi.level5)
            levels.append({"number": kpi.number, "weight": str(kpi.weight),
                           "result": None if result is None else str(result),
                           "level": kpi_level(thresholds, result)})
        achievement = achievement_score((Decimal(x["weight"]), x["level"]) for x in levels)
        required = [code for code, _name in competencies_for(officer)]
        given = scores.get(officer.id, {})
        competency = (competency_score(given[c] for c in required)
                      if all(c in given for c in required) else None)
        overall = (overall_score(achievement, competency, agency.achievement_weight,
                                 agency.competency_weight) if competency is not None else None)
        if appraisal is None:
            appraisal = Appraisal(officer_id=officer.id, round_id=round_.id)
            session.add(appraisal)
        appraisal.achievement, appraisal.competency, appraisal.overall = (
            achievement, competency, overall)
        appraisal.band = band_for(overall) if overall is not None else None
        appraisal.achievement_weight = agency.achievement_weight
        appraisal.competency_weight = agency.competency_weight
        appraisal.kpi_levels = levels
        appraisal.computed_at = now
        appraisal.status = (AppraisalStatus.COMPUTED if overall is not None
                            else AppraisalStatus.INCOMPLETE)
        appraisal.officer = officer
        if overall is None:
            summary.incomplete.append(officer.staff_code)
        else:
            summary.computed += 1
    session.flush()
    for appraisal in session.scalars(select(Appraisal).where(
            Appraisal.round_id == round_.id, Appraisal.status == AppraisalStatus.COMPUTED)):
        case = open_case(session, appraisal, round_, today) if appraisal.is_low else None
        if case is not None:
            summary.low_performers.append(appraisal.officer.staff_code)
            summary.cases_opened += 1
            summary.cases.append(case)
    round_.closed_at = now
    audit(session, "round.closed", actor_staff_id=actor_staff_id, subject=f"round:{round_.id}",
          computed=summary.computed, incomplete=summary.incomplete, frozen=summary.frozen,
          low_performers=summary.low_performers)
    return summary


def round_results(session: Session, round_: Round) -> list[dict[str, Any]]:
    """Per officer: staff_code, achievement, competency, overall, band (Thai), status."""
    rows = session.execute(select(Appraisal, Staff.staff_code, Staff.name_th)
                           .join(Staff, Staff.id == Appraisal.officer_id)
                           .where(Appraisal.round_id == round_.id)
                           .order_by(Staff.staff_code)).all()
    return [{"staff_code": code, "name_th": name, "achievement": a.achievement,
             "competency": a.competency, "overall": a.overall, "band": a.band,
             "status": a.status} for a, code, name in rows]


def open_case(session: Session, appraisal: Appraisal, round_: Round,
              today: date) -> LowPerformerCase | None:
    """Open the case for a result under 60 (None if it is open already), with the supervisor
    as the officer's coach and a mandatory IDP. Whoever opens it tells the people concerned."""
    if session.scalar(select(LowPerformerCase.id).where(
            LowPerformerCase.appraisal_id == appraisal.id)) is not None:
        return None
    officer = appraisal.officer
    supervisor_id = officer.supervisor_id
    if supervisor_id is None:
        found = sorted(carer_ids(session, officer.id, Role.SUPERVISOR, round_.id))
        supervisor_id = found[0] if found else None
    supervisor = session.get(Staff, supervisor_id) if supervisor_id is not None else None
    superior_id = supervisor.supervisor_id if supervisor is not None else None
    case = LowPerformerCase(appraisal_id=appraisal.id, officer_id=officer.id, round_id=round_.id,
                            supervisor_id=supervisor_id, superior_id=superior_id, opened_on=today,
                            report_due=today + timedelta(days=LP_REPORT_DAYS))
    session.add(case)
    session.flush()
    if supervisor_id is not None and session.scalar(select(RoleAssignment.id).where(
            RoleAssignment.staff_id == supervisor_id, RoleAssignment.role == Role.COACH,
            RoleAssignment.officer_id == officer.id, RoleAssignment.round_id.is_(None))) is None:
        session.add(RoleAssignment(staff_id=supervisor_id, role=Role.COACH, officer_id=officer.id))
    idp = session.scalars(select(Idp).where(Idp.officer_id == officer.id,
                                            Idp.fiscal_year == round_.fiscal_year)).first()
    if idp is None:
        idp = Idp(officer_id=officer.id, fiscal_year=round_.fiscal_year)
        session.add(idp)
    idp.mandatory, idp.case_id = True, case.id
    session.flush()
    audit(session, "lowperf.opened", subject=f"case:{case.id}", officer=officer.staff_code,
          overall=str(appraisal.overall), supervisor=supervisor_id, superior=superior_id,
          report_due=case.report_due.isoformat(), idp=idp.id)
    return case


# --- the evaluator's approval and the officer's answer ------------------------------------------

def approve(session: Session, appraisal: Appraisal, evaluator_id: int, now: datetime,
            actor_line_user_id: str | None = None) -> None:
    """The evaluator approves a computed result (the caller checked who and locked the row)."""
    appraisal.status = AppraisalStatus.APPROVED
    appraisal.approved_by_id, appraisal.approved_at = evaluator_id, now
    audit(session, "appraisal.approved", actor_staff_id=evaluator_id,
          actor_line_user_id=actor_line_user_id, subject=f"appraisal:{appraisal.id}",
          overall=str(appraisal.overall), band=appraisal.band)


def acknowledge(session: Session, appraisal: Appraisal, now: datetime,
                actor_line_user_id: str | None = None) -> None:
    """The officer acknowledges an approved result."""
    appraisal.status, appraisal.responded_at = AppraisalStatus.ACKNOWLEDGED, now
    audit(session, "appraisal.acknowledged", actor_staff_id=appraisal.officer_id,
          actor_line_user_id=actor_line_user_id, subject=f"appraisal:{appraisal.id}")


def disagree(session: Session, appraisal: Appraisal, comment: str, now: datetime,
             actor_line_user_id: str | None = None) -> None:
    """The officer disagrees with an approved result, with a comment for the evaluator."""
    appraisal.status, appraisal.responded_at = AppraisalStatus.DISAGREED, now
    appraisal.officer_comment = comment
    audit(session, "appraisal.disagreed", actor_staff_id=appraisal.officer_id,
          actor_line_user_id=actor_line_user_id, subject=f"appraisal:{appraisal.id}",
          comment=comment)


# --- the low-performer procedure -----------------------------------------------------------------

def record_case_step(session: Session, case: LowPerformerCase, step: str, done_on: date,
                     note: str, now: datetime,
                     actor_line_user_id: str | None = None) -> LowPerformerStep:
    """The supervisor records one step of the procedure (the caller checked and locked)."""
    recorded = LowPerformerStep(case_id=case.id, step=step, done_on=done_on, note=note,
                                recorded_by_id=case.supervisor_id, at=now)
    case.steps.append(recorded)
    session.flush()
    audit(session, "lowperf.step", actor_staff_id=case.supervisor_id,
          actor_line_user_id=actor_line_user_id, subject=f"case:{case.id}", step=step,
          done_on=done_on.isoformat(), note=note)
    return recorded


def report_case(session: Session, case: LowPerformerCase, summary: str, now: datetime,
                actor_line_user_id: str | None = None) -> list[int]:
    """The supervisor's report to their superior; returns who receives it (the superior, or
    without one the agency's HR administrators)."""
    case.status, case.reported_at, case.report_note = CaseStatus.REPORTED, now, summary
    audit(session, "lowperf.reported", actor_staff_id=case.supervisor_id,
          actor_line_user_id=actor_line_user_id, subject=f"case:{case.id}",
          to=case.superior_id, summary=summary, late=now.date() > case.report_due)
    return ([case.superior_id] if case.superior_id is not None
            else hr_admin_ids(session, case.officer.agency_id))


def assess_competencies(session: Session, officer: Staff, round_: Round, assessor_id: int,
                        scores: dict[str, tuple[int, str]], now: datetime,
                        actor_line_user_id: str | None = None) -> None:
    """Record an assessment (competency code → score 1–5 and comment); a later one replaces it.
    The caller checked that the assessor may assess and that the result is not approved yet."""
    existing = {s.competency: s for s in session.scalars(select(CompetencyScore).where(
        CompetencyScore.officer_id == officer.id, CompetencyScore.round_id == round_.id))}
    for code, (score, comment) in scores.items():
        row = existing.get(code)
        if row is None:
            row = CompetencyScore(officer_id=officer.id, round_id=round_.id, competency=code)
            session.add(row)
        row.score, row.comment, row.assessor_id, row.at = score, comment, assessor_id, now
    audit(session, "competency.assessed", actor_staff_id=assessor_id,
          actor_line_user_id=actor_line_user_id, subject=f"staff:{officer.id}",
          round=round_.id, scores={k: v[0] for k, v in scores.items()},
          comments={k: v[1] for k, v in scores.items() if v[1]})
