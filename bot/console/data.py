"""What the console shows: the round dashboard per unit and the drill-down lists (aggregate
queries, so 20,000 staff cost a few grouped scans rather than one query per person)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Select, and_, case, false, func, literal, or_, select
from sqlalchemy.orm import Session

from models import KpiAgreement, ProgressReport, ReportKind, ReportStatus, Round, Staff, Unit
from models.progress import SHOWN_STATUSES

PAGE_SIZE = 50
STATES = {"all": "ทุกคน", "reported": "รายงานแล้ว", "confirmed": "รับรองครบแล้ว",
          "waiting": "รอรับรอง", "not_reported": "ยังไม่รายงาน", "overdue": "เลยกำหนด"}


@dataclass
class UnitRow:
    unit_id: int | None
    name: str
    staff: int = 0
    with_kpis: int = 0
    reported: int = 0
    confirmed: int = 0
    overdue: int = 0

    @property
    def not_reported(self) -> int:
        return self.with_kpis - self.reported


@dataclass
class Dashboard:
    round: Round | None
    progress_due: date | None
    rows: list[UnitRow] = field(default_factory=list)

    @property
    def total(self) -> UnitRow:
        total = UnitRow(None, "รวมทั้งหน่วยงาน")
        for row in self.rows:
            total.staff += row.staff
            total.with_kpis += row.with_kpis
            total.reported += row.reported
            total.confirmed += row.confirmed
            total.overdue += row.overdue
        return total


def _per_officer(round_id: int) -> Any:
    """Per officer in the round: shown KPI reports, and how many of them are confirmed."""
    return (select(ProgressReport.officer_id.label("officer_id"),
                   func.count().label("reports"),
                   func.sum(case((ProgressReport.status == ReportStatus.CONFIRMED, 1),
                                 else_=0)).label("confirmed"))
            .where(ProgressReport.round_id == round_id, ProgressReport.kind == ReportKind.KPI,
                   ProgressReport.status.in_(SHOWN_STATUSES))
            .group_by(ProgressReport.officer_id).subquery())


def progress_due(round_: Round) -> date | None:
    for deadline in round_.deadlines:
        if deadline.code == "progress":
            return deadline.due_on
    return None


def dashboard(session: Session, agency_id: int, round_: Round | None, today: date) -> Dashboard:
    """Per unit: staff, those with KPIs, reported, all reports confirmed, overdue (no report
    and the round's progress deadline has passed)."""
    result = Dashboard(round_, progress_due(round_) if round_ else None)
    names: dict[int | None, str] = {uid: name for uid, name in session.execute(
        select(Unit.id, Unit.name_th).where(Unit.agency_id == agency_id))}
    rows: dict[int | None, UnitRow] = {}
    if round_ is None:
        for unit_id, count in session.execute(
                select(Staff.unit_id, func.count()).where(Staff.agency_id == agency_id,
                                                          Staff.active.is_(True))
                .group_by(Staff.unit_id)):
            rows[unit_id] = UnitRow(unit_id, names.get(unit_id, "ไม่ระบุหน่วยงาน"), staff=count)
        result.rows = sorted(rows.values(), key=lambda r: r.name)
        return result
    officer = _per_officer(round_.id)
    agreement = (select(KpiAgreement.officer_id.label("officer_id"))
                 .where(KpiAgreement.round_id == round_.id).subquery())
    overdue_now = result.progress_due is not None and today > result.progress_due
    query = (select(Staff.unit_id, func.count(Staff.id),
                    func.count(agreement.c.officer_id),
                    func.count(officer.c.officer_id),
                    func.sum(case((and_(officer.c.reports > 0,
                                        officer.c.confirmed == officer.c.reports), 1), else_=0)))
             .outerjoin(agreement, agreement.c.officer_id == Staff.id)
             .outerjoin(officer, officer.c.officer_id == Staff.id)
             .where(Staff.agency_id == agency_id, Staff.active.is_(True))
             .group_by(Staff.unit_id))
    for unit_id, staff, with_kpis, reported, confirmed in session.execute(query):
        row = UnitRow(unit_id, names.get(unit_id, "ไม่ระบุหน่วยงาน"), staff, with_kpis,
                      reported, int(confirmed or 0))
        row.overdue = row.not_reported if overdue_now else 0
        rows[unit_id] = row
    result.rows = sorted(rows.values(), key=lambda r: r.name)
    return result


def people_query(session: Session, agency_id: int, round_: Round | None, *, q: str = "",
                 unit_id: int | None = None, state: str = "all",
                 today: date | None = None) -> Select[Staff, str, int, int, bool]:
    """Staff with their round figures, filtered by search text, unit and state."""
    query: Select[Staff, str, int, int, bool]
    if round_ is None:
        query = select(Staff, Unit.name_th, literal(0), literal(0), literal(False))
        query = query.outerjoin(Unit, Unit.id == Staff.unit_id)
    else:
        officer = _per_officer(round_.id)
        agreement = (select(KpiAgreement.officer_id.label("officer_id"))
                     .where(KpiAgreement.round_id == round_.id).subquery())
        query = (select(Staff, Unit.name_th, func.coalesce(officer.c.reports, 0),
                        func.coalesce(officer.c.confirmed, 0),
                        agreement.c.officer_id.is_not(None))
                 .outerjoin(Unit, Unit.id == Staff.unit_id)
                 .outerjoin(officer, officer.c.officer_id == Staff.id)
                 .outerjoin(agreement, agreement.c.officer_id == Staff.id))
        due = progress_due(round_)
        if state == "reported":
            query = query.where(officer.c.reports > 0)
        elif state == "confirmed":
            query = query.where(officer.c.reports > 0, officer.c.confirmed == officer.c.reports)
        elif state == "waiting":
            query = query.where(officer.c.reports > officer.c.confirmed)
        elif state in ("not_reported", "overdue"):
            query = query.where(agreement.c.officer_id.is_not(None), officer.c.reports.is_(None))
            if state == "overdue" and (due is None or today is None or today <= due):
                query = query.where(false())
    query = query.where(Staff.agency_id == agency_id, Staff.active.is_(True))
    if unit_id is not None:
        query = query.where(Staff.unit_id == unit_id)
    text = q.strip()
    if text:
        like = f"%{text}%"
        query = query.where(or_(Staff.name_th.ilike(like), Staff.staff_code.ilike(like),
                                Staff.position.ilike(like)))
    return query.order_by(Staff.name_th, Staff.id)


@dataclass
class UnitTimeline:
    """A unit's share of officers (with KPIs) who had reported by each point of the round."""

    name: str
    with_kpis: int
    points: list[tuple[date, int]]  # (day, officers reported by then), week by week


def report_timelines(session: Session, agency_id: int, round_: Round,
                     today: date) -> list[UnitTimeline]:
    """Per unit, week by week from the round's start to today (or its end): how many of the
    officers with KPIs had made their first KPI report (shown statuses) by that day."""
    names: dict[int | None, str] = {uid: name for uid, name in session.execute(
        select(Unit.id, Unit.name_th).where(Unit.agency_id == agency_id))}
    first = (select(ProgressReport.officer_id.label("officer_id"),
                    func.min(ProgressReport.reported_on).label("first_on"))
             .where(ProgressReport.round_id == round_.id, ProgressReport.kind == ReportKind.KPI,
                    ProgressReport.status.in_(SHOWN_STATUSES))
             .group_by(ProgressReport.officer_id).subquery())
    firsts: dict[int | None, list[date]] = {}
    officers: dict[int | None, int] = {}
    for unit_id, first_on in session.execute(
            select(Staff.unit_id, first.c.first_on)
            .join(KpiAgreement, KpiAgreement.officer_id == Staff.id)
            .outerjoin(first, first.c.officer_id == Staff.id)
            .where(KpiAgreement.round_id == round_.id, Staff.agency_id == agency_id,
                   Staff.active.is_(True))):
        officers[unit_id] = officers.get(unit_id, 0) + 1
        if first_on is not None:
            firsts.setdefault(unit_id, []).append(first_on)
    last = max(round_.starts_on, min(today, round_.ends_on))
    days: list[date] = []
    day = round_.starts_on
    while day < last:
        days.append(day)
        day += timedelta(days=7)
    days.append(last)
    out = [UnitTimeline(names.get(unit_id, "ไม่ระบุหน่วยงาน"), count,
                        [(d, sum(1 for f in firsts.get(unit_id, []) if f <= d)) for d in days])
           for unit_id, count in officers.items()]
    return sorted(out, key=lambda t: t.name)
