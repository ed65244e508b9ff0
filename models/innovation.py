"""Seed 004's innovation measure: "ร้อยละของบุคลากรที่มีผลงานสะท้อนให้เห็นถึงนวัตกรรม การคิดแบบใหม่
การบูรณาการ หรือการนำเทคโนโลยีดิจิทัลมาใช้ในการทำงาน" and "จำนวนผลผลิตที่เป็นนวัตกรรม".

A KPI is marked as innovation or digital work by HR; a progress report by its officer (or HR).
Work shows it when a **confirmed** KPI report is marked, or reports on a marked KPI: a claim
nobody confirmed counts for nothing. An innovation output is one KPI with such a report (several
progress reports on one KPI are one piece of work).
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from models.audit import audit
from models.kpi import Kpi
from models.org import Staff
from models.progress import ProgressReport, ReportKind, ReportStatus
from models.rounds import Round

INNOVATION_TH = "นวัตกรรม/ดิจิทัล"


def mark_kpi(session: Session, kpi: Kpi, on: bool, *, actor_staff_id: int) -> None:
    """HR marks (or unmarks) a KPI as innovation or digital work; audited when it changes."""
    if kpi.innovation == on:
        return
    kpi.innovation = on
    audit(session, "kpi.innovation_marked" if on else "kpi.innovation_unmarked",
          actor_staff_id=actor_staff_id, subject=f"kpi:{kpi.id}")


def mark_report(session: Session, report: ProgressReport, on: bool, *, actor_staff_id: int,
                actor_line_user_id: str | None = None) -> None:
    """The officer (or HR) says a report's work is (or is not) innovation or digital work."""
    if report.innovation == on:
        return
    report.innovation = on
    audit(session, "report.innovation_marked" if on else "report.innovation_unmarked",
          actor_staff_id=actor_staff_id, actor_line_user_id=actor_line_user_id,
          subject=f"report:{report.id}")


def _shown(agency_id: int, fiscal_year: int) -> Select[int, int | None]:
    """(officer, KPI) of every confirmed KPI report of the year that shows innovation."""
    return (select(ProgressReport.officer_id, ProgressReport.kpi_id)
            .join(Kpi, Kpi.id == ProgressReport.kpi_id)
            .join(Round, Round.id == ProgressReport.round_id)
            .join(Staff, Staff.id == ProgressReport.officer_id)
            .where(Round.agency_id == agency_id, Round.fiscal_year == fiscal_year,
                   Staff.agency_id == agency_id, Staff.active.is_(True),
                   ProgressReport.kind == ReportKind.KPI,
                   ProgressReport.status == ReportStatus.CONFIRMED,
                   or_(ProgressReport.innovation.is_(True), Kpi.innovation.is_(True))))


@dataclass(frozen=True)
class InnovationFigures:
    staff_showing: int  # active staff with confirmed innovation/digital work in the year
    outputs: int  # KPIs with such work


def innovation_figures(session: Session, agency_id: int, fiscal_year: int) -> InnovationFigures:
    """One query whatever the size of the agency."""
    shown = _shown(agency_id, fiscal_year).subquery()
    staff_showing, outputs = session.execute(select(
        func.count(func.distinct(shown.c.officer_id)),
        func.count(func.distinct(shown.c.kpi_id)))).one()
    return InnovationFigures(int(staff_showing or 0), int(outputs or 0))
