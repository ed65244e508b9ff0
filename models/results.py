"""Round results as the rules compute them: each KPI's level, the officer's scores and band,
the evaluator's approval and the officer's answer, and the low-performer case the approval of a
result under 60 opens. Callable from the chat, the console, the CLI and the jobs; never commits,
never messages.

`close_round` (from `flask round close`, or the HR console) places each KPI's latest confirmed
result on its five levels (`level_input`: the same way for every kind of KPI, against the agreed
target), adds the competency assessment, mixes the two by the agency's weights and bands the
overall score (models/appraisal.py has the arithmetic). A KPI without a confirmed result is
missing, never level 0: its officer stays incomplete until it is confirmed or HR scores it 0
(`decide_missing`). Approved results whose numbers did not change are kept; a changed one goes
back to the evaluator. An appraisal's life:

```mermaid
stateDiagram-v2
    [*] --> computed: round close (every KPI confirmed, competencies assessed)
    [*] --> incomplete: round close (a KPI without a confirmed result, or no assessment)
    incomplete --> computed: round close again, once complete (or HR scores the missing as 0)
    computed --> computed: round close again (recomputed)
    computed --> approved: the evaluator approves (checked; under 60 opens the case)
    approved --> acknowledged: the officer acknowledges
    approved --> disagreed: the officer disagrees, with a comment (1-500 characters)
    approved --> computed: round close again, the result changed (a case at 60+ is closed)
```
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.appraisal import (
    FROZEN,
    HUNDRED,
    LP_DEVELOPMENT_STEPS,
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
    steps_skipped,
)
from models.audit import audit
from models.development import Idp
from models.kpi import Kpi, KpiAgreement
from models.org import Agency, Role, RoleAssignment, Staff, carer_ids, hr_admin_ids
from models.progress import ProgressReport, ReportKind, ReportStatus
from models.rounds import Round


def kpi_result(kpi: Kpi, report: ProgressReport | None) -> Decimal | None:
    """The number a KPI's levels are compared with (see `level_input`); None: no result."""
    if report is None:
        return None
    return level_input(kpi.unit, kpi.target, report.percent, report.value)


def result_of(unit: str, percent: Decimal | None, value: Decimal | None) -> Decimal | None:
    """The result without the agreed target (a percentage alone cannot become a count)."""
    return level_input(unit, None, percent, value)


def level_input(unit: str, target: Decimal | None, percent: Decimal | None,
                value: Decimal | None) -> Decimal | None:
    """The number a KPI's levels are compared with, the same way for every kind of KPI.

    A ร้อยละ KPI: the percentage (or the value said as one). A count, an amount or a level
    scale (ระดับ): the value; a percentage alone means that share of the **agreed** target
    ("100%" of 6 ครั้ง is 6). Whether lower is better is the thresholds' direction
    (`kpi_level`). None: no result, which is missing, never level 0.
    """
    if unit.strip() in PERCENT_UNITS:
        return percent if percent is not None else value
    if value is not None:
        return value
    if percent is not None and target is not None:
        return Decimal(percent) * Decimal(target) / HUNDRED
    return None


@dataclass
class CloseSummary:
    round_id: int
    computed: int = 0
    incomplete: list[str] = field(default_factory=list)  # staff codes without an overall
    missing: dict[str, list[int]] = field(default_factory=dict)  # staff code → KPI numbers
    frozen: int = 0  # approved earlier and unchanged: left as they were
    reopened: list[str] = field(default_factory=list)  # approved, but the result changed
    low_performers: list[str] = field(default_factory=list)  # staff codes, new cases
    cases_opened: int = 0
    cases: list[LowPerformerCase] = field(default_factory=list)  # opened by this close
    cases_closed: list[LowPerformerCase] = field(default_factory=list)  # lifted by this close


@dataclass
class Computed:
    """One officer's result as the rules compute it now (nothing written)."""

    levels: list[dict[str, Any]]
    missing: list[int]  # KPI numbers without a confirmed result (and not scored 0 by HR)
    achievement: Decimal | None
    competency: Decimal | None
    overall: Decimal | None

    @property
    def band(self) -> str | None:
        return band_for(self.overall) if self.overall is not None else None


def compute_officer(kpis: list[Any], confirmed: dict[int, tuple[Decimal | None, Decimal | None]],
                    competency: Decimal | None, agency: Agency,
                    missing_as_zero: bool = False) -> Computed:
    """Place each KPI's confirmed result on its levels; a KPI without one is missing (level
    None), never 0, unless HR chose to score the missing KPIs as 0 (marked `scored_zero`).
    Only a complete officer (every KPI and the competencies) gets an achievement and overall."""
    levels: list[dict[str, Any]] = []
    missing: list[int] = []
    for kpi in kpis:
        percent, value = confirmed.get(kpi.id, (None, None))
        result = level_input(kpi.unit, kpi.target, percent, value)
        thresholds = (kpi.level1, kpi.level2, kpi.level3, kpi.level4, kpi.level5)
        row: dict[str, Any] = {"number": kpi.number, "weight": str(kpi.weight),
                               "result": None if result is None else str(result),
                               "level": None if result is None else kpi_level(thresholds, result)}
        if result is None:
            if missing_as_zero:
                row["level"], row["scored_zero"] = 0, True
            else:
                missing.append(kpi.number)
        levels.append(row)
    achievement = None if missing or not levels else achievement_score(
        (Decimal(x["weight"]), x["level"]) for x in levels)
    overall = (overall_score(achievement, competency, agency.achievement_weight,
                             agency.competency_weight)
               if achievement is not None and competency is not None else None)
    return Computed(levels, missing, achievement, competency, overall)


def close_round(session: Session, round_: Round, now: datetime, today: date,
                actor_staff_id: int | None = None, early_reason: str | None = None
                ) -> CloseSummary:
    """Compute (or recompute) every officer's result of the round; never commits.

    A KPI without a confirmed result is missing: that officer gets no overall and no band
    until it is confirmed or HR scores it 0 (`decide_missing`). No low-performer case opens
    here: the evaluator's approval of a result under 60 opens it (`approve`). An approved
    result whose numbers changed goes back to the evaluator; a case whose new result is 60
    or more is closed (`close_case`). A handful of queries whatever the number of officers.
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
    kpis_by_agreement, confirmed, scores = _round_inputs(session, round_)
    existing = {a.officer_id: a for a in session.scalars(
        select(Appraisal).where(Appraisal.round_id == round_.id))}
    open_cases = {c.appraisal_id: c for c in session.scalars(select(LowPerformerCase).where(
        LowPerformerCase.round_id == round_.id, LowPerformerCase.status != CaseStatus.CLOSED))}

    for agreement, officer in agreements:
        appraisal = existing.get(officer.id)
        required = [code for code, _name in competencies_for(officer)]
        given = scores.get(officer.id, {})
        competency = (competency_score(given[c] for c in required)
                      if all(c in given for c in required) else None)
        result = compute_officer(kpis_by_agreement.get(agreement.id, []), confirmed, competency,
                                 agency, appraisal.missing_as_zero if appraisal else False)
        if appraisal is not None and appraisal.status in FROZEN:
            if (appraisal.overall is not None and result.overall is not None
                    and Decimal(appraisal.overall) == result.overall
                    and appraisal.kpi_levels == result.levels):
                summary.frozen += 1
                continue
            summary.reopened.append(officer.staff_code)  # the evaluator decides again
            audit(session, "appraisal.reopened", actor_staff_id=actor_staff_id,
                  subject=f"appraisal:{appraisal.id}", before=str(appraisal.overall),
                  after=str(result.overall))
            appraisal.approved_by_id = appraisal.approved_at = appraisal.responded_at = None
        if appraisal is None:
            appraisal = Appraisal(officer_id=officer.id, round_id=round_.id)
            session.add(appraisal)
        appraisal.achievement = result.achievement
        appraisal.competency, appraisal.overall = result.competency, result.overall
        appraisal.band = result.band
        appraisal.achievement_weight = agency.achievement_weight
        appraisal.competency_weight = agency.competency_weight
        appraisal.kpi_levels = result.levels
        appraisal.computed_at = now
        appraisal.status = (AppraisalStatus.COMPUTED if result.overall is not None
                            else AppraisalStatus.INCOMPLETE)
        appraisal.officer = officer
        if result.missing:
            summary.missing[officer.staff_code] = result.missing
        if result.overall is None:
            summary.incomplete.append(officer.staff_code)
        else:
            summary.computed += 1
        case = open_cases.get(appraisal.id) if appraisal.id is not None else None
        if case is not None and result.overall is not None and not appraisal.is_low:
            close_case(session, case, f"ผลการประเมินใหม่ {result.overall:.2f} ไม่ต่ำกว่าร้อยละ 60",
                       now, actor_staff_id)
            summary.cases_closed.append(case)
    session.flush()
    round_.closed_at = now
    audit(session, "round.closed", actor_staff_id=actor_staff_id, subject=f"round:{round_.id}",
          computed=summary.computed, incomplete=summary.incomplete, missing=summary.missing,
          frozen=summary.frozen, reopened=summary.reopened, early=early_reason,
          cases_closed=[c.id for c in summary.cases_closed])
    return summary


def _round_inputs(session: Session, round_: Round) -> tuple[
        dict[int, list[Any]], dict[int, tuple[Decimal | None, Decimal | None]],
        dict[int, dict[str, int]]]:
    """The round's KPIs by agreement, latest confirmed result by KPI, competency scores."""
    # Plain rows, not ORM objects: a 20,000-officer round has 100,000 KPIs and results.
    kpis_by_agreement: dict[int, list[Any]] = {}
    for kpi in session.execute(
            select(Kpi.id, Kpi.agreement_id, Kpi.number, Kpi.unit, Kpi.weight, Kpi.target,
                   Kpi.level1, Kpi.level2, Kpi.level3, Kpi.level4, Kpi.level5)
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
    return kpis_by_agreement, confirmed, scores


@dataclass
class ClosePreview:
    """What closing the round now would find: shown before HR confirms the close."""

    people: int
    complete: int
    incomplete: int
    pending_reports: int
    missing: dict[str, list[int]]  # staff code → KPI numbers without a confirmed result
    before_end: bool  # today is before the round's end date: an early close needs a reason


def close_preview(session: Session, round_: Round, today: date) -> ClosePreview:
    """Count people, complete and incomplete officers and pending reports (nothing written)."""
    agency = session.get(Agency, round_.agency_id)
    assert agency is not None
    kpis_by_agreement, confirmed, scores = _round_inputs(session, round_)
    zero = set(session.scalars(select(Appraisal.officer_id).where(
        Appraisal.round_id == round_.id, Appraisal.missing_as_zero.is_(True))))
    missing: dict[str, list[int]] = {}
    complete = 0
    agreements = session.execute(
        select(KpiAgreement.id, Staff).join(Staff, Staff.id == KpiAgreement.officer_id)
        .where(KpiAgreement.round_id == round_.id, Staff.active.is_(True))
        .order_by(Staff.staff_code)).all()
    for agreement_id, officer in agreements:
        lacking = [] if officer.id in zero else [
            k.number for k in kpis_by_agreement.get(agreement_id, []) if k.id not in confirmed]
        given = scores.get(officer.id, {})
        if lacking:
            missing[officer.staff_code] = lacking
        elif all(c in given for c, _name in competencies_for(officer)):
            complete += 1
    pending = session.scalar(select(func.count()).select_from(ProgressReport).where(
        ProgressReport.round_id == round_.id, ProgressReport.status == ReportStatus.PENDING)) or 0
    return ClosePreview(people=len(agreements), complete=complete,
                        incomplete=len(agreements) - complete, pending_reports=pending,
                        missing=missing, before_end=today < round_.ends_on)


def decide_missing(session: Session, round_: Round, officer: Staff, score_zero: bool,
                   reason: str, actor_staff_id: int | None = None) -> Appraisal:
    """HR's choice for an officer whose KPIs lack a confirmed result: wait (the default), or
    score the missing KPIs as level 0. Audited with the reason; the next close applies it."""
    appraisal = session.scalars(select(Appraisal).where(
        Appraisal.round_id == round_.id, Appraisal.officer_id == officer.id)).first()
    if appraisal is None:
        appraisal = Appraisal(officer_id=officer.id, round_id=round_.id, achievement=None,
                              achievement_weight=0, competency_weight=0,
                              status=AppraisalStatus.INCOMPLETE, kpi_levels=[])
        session.add(appraisal)
    appraisal.missing_as_zero, appraisal.missing_reason = score_zero, reason
    session.flush()
    audit(session, "appraisal.missing_decided", actor_staff_id=actor_staff_id,
          subject=f"appraisal:{appraisal.id}", officer=officer.staff_code,
          decision="zero" if score_zero else "wait", reason=reason)
    return appraisal


def close_case(session: Session, case: LowPerformerCase, note: str, now: datetime,
               actor_staff_id: int | None = None) -> None:
    """Close a case whose officer is no longer under 60: the note kept, the mandatory IDP
    flag lifted. Whoever calls it tells the officer."""
    case.status, case.closed_at, case.close_note = CaseStatus.CLOSED, now, note
    for idp in session.scalars(select(Idp).where(Idp.case_id == case.id)):
        idp.mandatory = False
    audit(session, "lowperf.closed", actor_staff_id=actor_staff_id, subject=f"case:{case.id}",
          note=note)


def round_results(session: Session, round_: Round) -> list[dict[str, Any]]:
    """Per officer: staff_code, achievement, competency, overall, band (Thai), status."""
    rows = session.execute(select(Appraisal, Staff.staff_code, Staff.name_th)
                           .join(Staff, Staff.id == Appraisal.officer_id)
                           .where(Appraisal.round_id == round_.id)
                           .order_by(Staff.staff_code)).all()
    return [{"staff_code": code, "name_th": name, "achievement": a.achievement,
             "competency": a.competency, "overall": a.overall, "band": a.band,
             "status": a.status, "complete": a.overall is not None,
             "missing": [x["number"] for x in a.kpi_levels if x.get("level") is None],
             "scored_zero": [x["number"] for x in a.kpi_levels if x.get("scored_zero")]}
            for a, code, name in rows]


def open_case(session: Session, appraisal: Appraisal, round_: Round,
              today: date) -> LowPerformerCase | None:
    """Open the case for a result under 60 (None if it is open already), with the supervisor
    as the officer's coach and a mandatory IDP. Whoever opens it tells the people concerned."""
    earlier = session.scalars(select(LowPerformerCase).where(
        LowPerformerCase.appraisal_id == appraisal.id)).first()
    if earlier is not None and earlier.status != CaseStatus.CLOSED:
        return None
    if earlier is not None:  # closed by a re-close, under 60 again on a later approval
        earlier.status, earlier.closed_at = CaseStatus.OPEN, None
        for plan in session.scalars(select(Idp).where(Idp.case_id == earlier.id)):
            plan.mandatory = True
        audit(session, "lowperf.reopened", subject=f"case:{earlier.id}",
              overall=str(appraisal.overall))
        return earlier
    officer = appraisal.officer
    supervisor_id = officer.supervisor_id
    if supervisor_id is None:
        found = sorted(carer_ids(session, officer.id, Role.SUPERVISOR, round_.id))
        supervisor_id = found[0] if found else None
    supervisor = session.get(Staff, supervisor_id) if supervisor_id is not None else None
    superior_id = supervisor.supervisor_id if supervisor is not None else None
    case = LowPerformerCase(appraisal_id=appraisal.id, officer_id=officer.id, round_id=round_.id,
                            supervisor_id=supervisor_id, superior_id=superior_id, opened_on=today,
                            report_due=None)  # due once the development steps are done
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
          idp=idp.id)
    return case


# --- the evaluator's approval and the officer's answer ------------------------------------------

def approve(session: Session, appraisal: Appraisal, evaluator_id: int, now: datetime,
            actor_line_user_id: str | None = None,
            today: date | None = None) -> LowPerformerCase | None:
    """The evaluator approves a computed result (the caller checked who and locked the row).
    A result under 60 opens the low-performer case now (seed 001); returns it when it did."""
    appraisal.status = AppraisalStatus.APPROVED
    appraisal.approved_by_id, appraisal.approved_at = evaluator_id, now
    audit(session, "appraisal.approved", actor_staff_id=evaluator_id,
          actor_line_user_id=actor_line_user_id, subject=f"appraisal:{appraisal.id}",
          overall=str(appraisal.overall), band=appraisal.band)
    if not appraisal.is_low:
        return None
    round_ = session.get(Round, appraisal.round_id)
    assert round_ is not None
    return open_case(session, appraisal, round_, today or now.date())


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

class CaseRefused(ValueError):
    """A step the procedure does not allow now; `th` says why and what to do."""

    def __init__(self, th: str) -> None:
        super().__init__(th)
        self.th = th


def record_case_step(session: Session, case: LowPerformerCase, step: str, done_on: date,
                     note: str, now: datetime, actor_line_user_id: str | None = None,
                     reason: str = "") -> LowPerformerStep:
    """The supervisor records one step of the procedure (the caller checked and locked).

    Steps follow seed 001's order; a step recorded before the earlier ones needs `reason`
    (audited). Once the development steps are done, the report to the superior falls due
    7 days later. Refuses (CaseRefused) on a closed case or a missing reason."""
    if case.status == CaseStatus.CLOSED:
        raise CaseRefused("กรณีนี้ปิดแล้ว (ผลการประเมินใหม่ไม่ต่ำกว่าร้อยละ 60) "
                          "จึงบันทึกขั้นตอนไม่ได้")
    skipped = steps_skipped({s.step for s in case.steps}, step)
    if skipped and not reason.strip():
        raise CaseRefused("ขั้นตอนนี้มาก่อนลำดับ กรุณาระบุเหตุผลที่ข้าม")
    recorded = LowPerformerStep(case_id=case.id, step=step, done_on=done_on,
                                note=f"{note} (ข้ามลำดับ: {reason.strip()})".strip()
                                if skipped else note,
                                recorded_by_id=case.supervisor_id, at=now)
    case.steps.append(recorded)
    session.flush()
    if case.report_due is None:
        days = [s.done_on for s in case.steps if s.step in LP_DEVELOPMENT_STEPS]
        if {s.step for s in case.steps} >= set(LP_DEVELOPMENT_STEPS):
            case.report_due = max(days) + timedelta(days=LP_REPORT_DAYS)
    audit(session, "lowperf.step", actor_staff_id=case.supervisor_id,
          actor_line_user_id=actor_line_user_id, subject=f"case:{case.id}", step=step,
          done_on=done_on.isoformat(), note=note, skipped=skipped, reason=reason.strip(),
          report_due=case.report_due.isoformat() if case.report_due else None)
    return recorded


def report_case(session: Session, case: LowPerformerCase, summary: str, now: datetime,
                actor_line_user_id: str | None = None) -> list[int]:
    """The supervisor's report to their superior; returns who receives it (the superior, or
    without one the agency's HR administrators)."""
    case.status, case.reported_at, case.report_note = CaseStatus.REPORTED, now, summary
    audit(session, "lowperf.reported", actor_staff_id=case.supervisor_id,
          actor_line_user_id=actor_line_user_id, subject=f"case:{case.id}",
          to=case.superior_id, summary=summary,
          late=case.report_due is not None and now.date() > case.report_due)
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


# --- a forecast while there is still time -------------------------------------------------------

@dataclass
class Forecast:
    """An officer's projected result during the round, from the confirmed results so far
    (and any what-if values): nothing is written."""

    levels: list[dict[str, Any]]
    missing: list[int]  # KPI numbers without a result (confirmed or supposed)
    achievement: Decimal | None  # exact when nothing is missing, else projected
    competency: Decimal | None  # None: not assessed yet
    overall: Decimal | None
    complete: bool  # every KPI confirmed and the competencies assessed

    @property
    def band(self) -> str | None:
        return band_for(self.overall) if self.overall is not None else None


def forecast(session: Session, officer: Staff, round_: Round,
             what_if: dict[int, Decimal] | None = None) -> Forecast | None:
    """Project the officer's overall and band: each KPI's latest confirmed result (or the value
    in `what_if`, KPI number → result) on its levels; KPIs without one are left out and the
    achievement is projected on the weight of the others ("if the rest go as these did").
    None when the officer has no KPIs in the round."""
    agency = session.get(Agency, officer.agency_id)
    assert agency is not None
    kpis = session.scalars(select(Kpi).join(KpiAgreement).where(
        KpiAgreement.officer_id == officer.id, KpiAgreement.round_id == round_.id)
        .order_by(Kpi.number)).all()
    if not kpis:
        return None
    latest: dict[int, ProgressReport] = {}
    for report in session.scalars(select(ProgressReport).where(
            ProgressReport.officer_id == officer.id, ProgressReport.round_id == round_.id,
            ProgressReport.kind == ReportKind.KPI, ProgressReport.status == ReportStatus.CONFIRMED)
            .order_by(ProgressReport.reported_on, ProgressReport.id)):
        if report.kpi_id is not None:
            latest[report.kpi_id] = report
    what_if = what_if or {}
    levels: list[dict[str, Any]] = []
    missing: list[int] = []
    known_weight, known_score = Decimal(0), Decimal(0)
    for kpi in kpis:
        supposed = what_if.get(kpi.number)
        result = supposed if supposed is not None else kpi_result(kpi, latest.get(kpi.id))
        level = None if result is None else kpi_level(kpi.levels, result)
        levels.append({"number": kpi.number, "weight": str(kpi.weight), "level": level,
                       "result": None if result is None else str(result),
                       "supposed": supposed is not None})
        if level is None:
            missing.append(kpi.number)
        else:
            known_weight += Decimal(kpi.weight)
            known_score += Decimal(kpi.weight) * level / 5
    achievement = (known_score * HUNDRED / known_weight) if known_weight else None
    given = {s.competency: s.score for s in session.scalars(select(CompetencyScore).where(
        CompetencyScore.officer_id == officer.id, CompetencyScore.round_id == round_.id))}
    required = [code for code, _name in competencies_for(officer)]
    competency = (competency_score(given[c] for c in required)
                  if all(c in given for c in required) else None)
    overall = (overall_score(achievement, competency, agency.achievement_weight,
                             agency.competency_weight)
               if achievement is not None and competency is not None else None)
    complete = not missing and competency is not None and not what_if
    return Forecast(levels, missing, achievement, competency, overall, complete)
