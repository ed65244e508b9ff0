"""What each official document shows, read from the database as plain dicts for the templates:
the appraisal result (แบบสรุปการประเมินผลการปฏิบัติราชการ), the certificate (เกียรติบัตร) of
seed 001, the HiPPS round report of seed 000 and the low-performer case report. Scores are
shown as the domain shows them (`models.appraisal.shown`: two decimals, cut); dates in พ.ศ.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, tzinfo
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import ROLE_NAMES_TH, Agency, Kpi, KpiAgreement, Round, Staff, Unit
from models.appraisal import (
    COMPETENCY_NAMES,
    FROZEN,
    LP_STEP_NAMES,
    Appraisal,
    CompetencyScore,
    LowPerformerCase,
)
from models.development import ITEM_STATUS_TH
from models.hipps import HIPPS_FORM_TITLE, HippsCertification, HippsReport
from models.hipps_reports import assemble, copy_deadline
from thai import format_date
from thai.formatting import BANGKOK, BE_OFFSET, local_date
from thai.lexicon import FULL_MONTHS

RESULT_TITLE = "แบบสรุปการประเมินผลการปฏิบัติราชการ"
CERTIFICATE_BANDS = ("ดีเด่น", "ดีมาก", "ดี")  # seed 001: named openly, with a certificate
LOWPERF_TITLE = "รายงานผลการดำเนินการพัฒนาผู้มีผลสัมฤทธิ์การปฏิบัติงานต่ำ"


def two(value: Any) -> str:
    """A number with two decimals, cut as the domain cuts scores (`15.00`), or `-`."""
    if value is None or value == "":
        return "-"
    from models.appraisal import shown

    return shown(Decimal(str(value)))


def thai_date(day: date | datetime | None, tz: tzinfo = BANGKOK) -> str:
    """`10 เมษายน 2570`, or the dotted blank of a form when there is no date."""
    return "" if day is None else format_date(local_date(day, tz), full=True)


def date_parts(day: date | datetime | None, tz: tzinfo = BANGKOK) -> dict[str, str]:
    """The day, month and พ.ศ. year of a signature block's date line (blank: to be written)."""
    if day is None:
        return {"day": "", "month": "", "year": ""}
    day = local_date(day, tz)
    return {"day": str(day.day), "month": FULL_MONTHS[day.month - 1],
            "year": str(day.year + BE_OFFSET)}


def _person(staff: Staff | None, unit_names: dict[int, str]) -> dict[str, str]:
    if staff is None:
        return {"name": "", "position": "", "unit": ""}
    position = staff.position if staff.level in staff.position else " ".join(
        part for part in (staff.position, staff.level) if part)
    return {"name": staff.name_th, "position": position,
            "unit": unit_names.get(staff.unit_id, "") if staff.unit_id else ""}


def _units(session: Session, agency_id: int) -> dict[int, str]:
    return {unit.id: unit.name_th
            for unit in session.scalars(select(Unit).where(Unit.agency_id == agency_id))}


def _round_header(agency: Agency, round_: Round) -> dict[str, Any]:
    return {"agency": agency.name_th, "round_no": round_.round_no,
            "fiscal_year": round_.fiscal_year,
            "period": f"{thai_date(round_.starts_on)} ถึง {thai_date(round_.ends_on)}"}


def results(session: Session, round_: Round, appraisals: list[Appraisal],
            tz: tzinfo = BANGKOK) -> list[dict[str, Any]]:
    """One result document per appraisal (all of the same round), in four queries."""
    agency = session.get(Agency, round_.agency_id)
    assert agency is not None
    units = _units(session, agency.id)
    officer_ids = [a.officer_id for a in appraisals]
    staff = {s.id: s for s in session.scalars(select(Staff).where(Staff.agency_id == agency.id))}
    kpis: dict[int, dict[int, Kpi]] = defaultdict(dict)
    for officer_id, agreed in session.execute(
            select(KpiAgreement.officer_id, Kpi).join(Kpi, Kpi.agreement_id == KpiAgreement.id)
            .where(KpiAgreement.round_id == round_.id,
                   KpiAgreement.officer_id.in_(officer_ids))):
        kpis[officer_id][agreed.number] = agreed
    scores: dict[int, list[CompetencyScore]] = defaultdict(list)
    for score in session.scalars(select(CompetencyScore).where(
            CompetencyScore.round_id == round_.id, CompetencyScore.officer_id.in_(officer_ids))
            .order_by(CompetencyScore.id)):
        scores[score.officer_id].append(score)
    header = _round_header(agency, round_)
    documents = []
    for appraisal in appraisals:
        officer = staff[appraisal.officer_id]
        evaluator = staff.get(appraisal.approved_by_id or officer.supervisor_id or 0)
        rows = []
        for level in appraisal.kpi_levels:
            kpi: Kpi | None = kpis[officer.id].get(level["number"])
            weight = Decimal(level["weight"])
            reached = level.get("level")
            rows.append({
                "number": level["number"], "name": kpi.name if kpi else "",
                "unit": kpi.unit if kpi else "", "target": two(kpi.target) if kpi else "-",
                "weight": two(weight), "result": two(level.get("result")),
                "level": "-" if reached is None else str(reached),
                "score": "-" if reached is None else two(weight * reached / 5),
                "zero": bool(level.get("scored_zero"))})
        competencies = [{"name": COMPETENCY_NAMES.get(s.competency, s.competency),
                         "score": s.score} for s in scores[officer.id]]
        documents.append({
            **header, "key": str(appraisal.id), "title": RESULT_TITLE,
            "officer": {**_person(officer, units), "code": officer.staff_code},
            "evaluator": _person(evaluator, units),
            "kpis": rows, "competencies": competencies,
            "achievement": two(appraisal.achievement), "competency": two(appraisal.competency),
            "achievement_weight": appraisal.achievement_weight,
            "competency_weight": appraisal.competency_weight,
            "achievement_part": two(appraisal.achievement * appraisal.achievement_weight / 100)
            if appraisal.achievement is not None else "-",
            "competency_part": two(appraisal.competency * appraisal.competency_weight / 100)
            if appraisal.competency is not None else "-",
            "overall": two(appraisal.overall), "band": appraisal.band or "ยังไม่มีผล",
            "complete": appraisal.overall is not None,
            "approved_on": date_parts(appraisal.approved_at, tz),
            "responded_on": date_parts(appraisal.responded_at, tz),
            "officer_comment": appraisal.officer_comment,
            "status": appraisal.status})
    return documents


def certificates(session: Session, round_: Round, appraisals: list[Appraisal],
                 tz: tzinfo = BANGKOK) -> list[dict[str, Any]]:
    """One certificate per officer rated ดีเด่น / ดีมาก / ดี (seed 001), once the evaluator
    approved the result."""
    agency = session.get(Agency, round_.agency_id)
    assert agency is not None
    units = _units(session, agency.id)
    chosen = [a for a in appraisals if a.band in CERTIFICATE_BANDS and a.status in FROZEN]
    staff = {s.id: s for s in session.scalars(select(Staff).where(
        Staff.id.in_([a.officer_id for a in chosen])))} if chosen else {}
    header = _round_header(agency, round_)
    closed = round_.closed_at
    return [{**header, "key": f"cert-{a.id}", "officer": _person(staff[a.officer_id], units),
             "band": a.band, "given_on": date_parts(closed or round_.ends_on, tz)}
            for a in chosen]


def hipps_reports(session: Session, round_: Round, tz: tzinfo = BANGKOK) -> list[dict[str, Any]]:
    """Every HiPPS officer of the round: the submitted report (its frozen content) or, before
    submission, what it would hold now (marked as a draft), with the certification blocks."""
    agency = session.get(Agency, round_.agency_id)
    assert agency is not None
    units = _units(session, agency.id)
    officers = session.scalars(select(Staff).where(
        Staff.agency_id == agency.id, Staff.is_hipps.is_(True), Staff.active.is_(True))
        .order_by(Staff.staff_code)).all()
    reports = {r.officer_id: r for r in session.scalars(select(HippsReport).where(
        HippsReport.round_id == round_.id))}
    copy_due = copy_deadline(session, round_)
    documents = []
    for officer in officers:
        report = reports.get(officer.id)
        content = report.content if report is not None else assemble(session, officer, round_)
        certs: dict[str, tuple[str, datetime | None]] = {}
        if report is not None:
            for role, name, at in session.execute(
                    select(HippsCertification.role, Staff.name_th, HippsCertification.at)
                    .join(Staff, Staff.id == HippsCertification.certifier_id)
                    .where(HippsCertification.report_id == report.id,
                           HippsCertification.version == report.version)):
                certs[role] = (name, at)
        carers = _carers(session, officer.id)
        blocks = []
        for role in ("mentor", "coach"):
            name, when = certs.get(role, (carers.get(role, ""), None))
            blocks.append({"role": ROLE_NAMES_TH.get(role, role), "name": name,
                           "certified": role in certs, "on": date_parts(when, tz)})
        documents.append({
            **_round_header(agency, round_), "key": officer.staff_code,
            "title": HIPPS_FORM_TITLE, "officer": {**_person(officer, units),
                                                   "code": officer.staff_code},
            "draft": report is None, "version": report.version if report else None,
            "kpis": [{**k, "weight": two(k["weight"]), "target": two(k["target"]),
                      "result": two(k["result"]),
                      "level": "-" if k["level"] is None else k["level"]}
                     for k in content["kpis"]],
            "projects": [{"title": p["title"], "milestones": [
                {**ms, "due_on": thai_date(date.fromisoformat(ms["due_on"])),
                 "done_on": thai_date(date.fromisoformat(ms["done_on"])) if ms["done_on"]
                 else "", "done": ms["status"] == "done"} for ms in p["milestones"]]}
                for p in content["projects"]],
            "idp": [{**i, "target_date": thai_date(date.fromisoformat(i["target_date"])),
                     "status": ITEM_STATUS_TH.get(i["status"], i["status"])}
                    for i in content["development"]["idp"]],
            "trainings": [{**t, "finished_on": thai_date(date.fromisoformat(t["finished_on"]))}
                          for t in content["development"]["trainings"]],
            "competencies": content["competencies"], "blocks": blocks,
            "copy_due": thai_date(copy_due) if copy_due else (
                "10 เมษายน" if round_.round_no == 1 else "10 ตุลาคม")})
    return documents


def _carers(session: Session, officer_id: int) -> dict[str, str]:
    from models import RoleAssignment

    found: dict[str, str] = {}
    for role, name in session.execute(
            select(RoleAssignment.role, Staff.name_th)
            .join(Staff, Staff.id == RoleAssignment.staff_id)
            .where(RoleAssignment.officer_id == officer_id,
                   RoleAssignment.role.in_(["mentor", "coach"])).order_by(RoleAssignment.id)):
        found.setdefault(role, name)
    return found


def lowperf(session: Session, case: LowPerformerCase, tz: tzinfo = BANGKOK) -> dict[str, Any]:
    """The supervisor's report to their superior on a low performer (seed 001, within 7 days
    of the development steps)."""
    round_ = session.get(Round, case.round_id)
    assert round_ is not None
    agency = session.get(Agency, round_.agency_id)
    assert agency is not None
    units = _units(session, agency.id)
    supervisor = session.get(Staff, case.supervisor_id) if case.supervisor_id else None
    superior = session.get(Staff, case.superior_id) if case.superior_id else None
    appraisal = case.appraisal
    return {**_round_header(agency, round_), "key": f"case-{case.id}", "title": LOWPERF_TITLE,
            "officer": {**_person(case.officer, units), "code": case.officer.staff_code},
            "supervisor": _person(supervisor, units), "superior": _person(superior, units),
            "overall": two(appraisal.overall), "band": appraisal.band or "-",
            "opened_on": thai_date(case.opened_on),
            "report_due": thai_date(case.report_due) if case.report_due else "",
            "reported_on": date_parts(case.reported_at, tz), "note": case.report_note,
            "status": case.status,
            "steps": [{"name": LP_STEP_NAMES.get(s.step, s.step), "on": thai_date(s.done_on),
                       "note": s.note} for s in case.steps]}
