"""Who is complete before the round closes, and why the others are not.

The same rule as closing the round (models/results.py `close_preview`): an officer is complete
when every KPI has a confirmed result (or HR chose to score the missing ones as 0) and every
competency of the officer's group is assessed. For the others it says what is lacking, per KPI
(no report, or a report not yet confirmed / sent back) and for the competencies. Nothing is
written; the queries are grouped, so a large agency costs a few scans.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.appraisal import Appraisal, competencies_for
from models.kpi import KpiAgreement
from models.org import Staff, Unit
from models.progress import ProgressReport, ReportKind, ReportStatus
from models.results import _round_inputs
from models.rounds import Round

KPI_STATES = (("none", "ยังไม่มีรายงาน"), (ReportStatus.PENDING, "รายงานแล้ว รอรับรอง"),
              (ReportStatus.SENT_BACK, "ถูกส่งกลับให้แก้ไข"))


@dataclass
class OfficerReadiness:
    staff_id: int
    staff_code: str
    name_th: str
    unit: str
    reasons: list[str] = field(default_factory=list)  # Thai, one per thing lacking
    scored_zero: bool = False  # HR chose to score the missing KPIs as 0

    @property
    def complete(self) -> bool:
        return not self.reasons


def round_readiness(session: Session, round_: Round) -> list[OfficerReadiness]:
    """Every active officer with KPIs in the round, by staff code, with what is lacking."""
    kpis_by_agreement, confirmed, scores = _round_inputs(session, round_)
    zero = set(session.scalars(select(Appraisal.officer_id).where(
        Appraisal.round_id == round_.id, Appraisal.missing_as_zero.is_(True))))
    open_reports: dict[int, str] = {}  # KPI id → pending or sent_back (pending wins)
    for kpi_id, status in session.execute(
            select(ProgressReport.kpi_id, ProgressReport.status).where(
                ProgressReport.round_id == round_.id, ProgressReport.kind == ReportKind.KPI,
                ProgressReport.kpi_id.is_not(None),
                ProgressReport.status.in_((ReportStatus.PENDING, ReportStatus.SENT_BACK)))):
        if kpi_id is not None and open_reports.get(kpi_id) != ReportStatus.PENDING:
            open_reports[kpi_id] = status
    out: list[OfficerReadiness] = []
    for agreement_id, officer, unit_name in session.execute(
            select(KpiAgreement.id, Staff, Unit.name_th)
            .join(Staff, Staff.id == KpiAgreement.officer_id)
            .outerjoin(Unit, Unit.id == Staff.unit_id)
            .where(KpiAgreement.round_id == round_.id, Staff.active.is_(True))
            .order_by(Staff.staff_code)):
        row = OfficerReadiness(officer.id, officer.staff_code, officer.name_th,
                               unit_name or "ไม่ระบุหน่วยงาน", scored_zero=officer.id in zero)
        if not row.scored_zero:
            lacking_kpis: dict[str, list[str]] = {}
            for kpi in kpis_by_agreement.get(agreement_id, []):
                if kpi.id not in confirmed:
                    state = open_reports.get(kpi.id, "none")
                    lacking_kpis.setdefault(state, []).append(str(kpi.number))
            for state, text in KPI_STATES:
                if state in lacking_kpis:
                    row.reasons.append(f"{text}: ตัวชี้วัดข้อ {', '.join(lacking_kpis[state])}")
        required = [code for code, _name in competencies_for(officer)]
        given = scores.get(officer.id, {})
        lacking = [code for code in required if code not in given]
        if lacking and len(lacking) == len(required):
            row.reasons.append("ยังไม่ได้ประเมินสมรรถนะ")
        elif lacking:
            row.reasons.append(f"ประเมินสมรรถนะยังไม่ครบ ({len(required) - len(lacking)}"
                               f" จาก {len(required)} ด้าน)")
        out.append(row)
    return out
