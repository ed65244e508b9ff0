"""The demo round's results, from `bot/demo_data/appraisal.json`.

After `seed_demo`, this gives the demo agency what a round needs to be closed: confirmed KPI
results, competency assessments, the HiPPS officer's key project with milestones, two IDPs and
a few survey answers. Then `flask round close <FY> <ROUND>` computes the results: D0005 falls
under 60 and the low-performer case runs; D0006 (HiPPS) submits the report in the chat and the
mentor and the coach certify it. Running it again changes nothing.
"""
from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.demo import AGENCY
from models import (
    Agency,
    Confirmation,
    Kpi,
    KpiAgreement,
    ProgressReport,
    ReportKind,
    ReportStatus,
    Role,
    Staff,
    audit,
    utcnow,
)
from models.appraisal import CompetencyScore, competencies_for
from models.development import Idp, IdpItem, SurveyResponse
from models.hipps import KeyProject, Milestone, MilestoneStatus
from models.rounds import open_round, round_dates, round_of

DATA_FILE = Path(__file__).resolve().parent / "demo_data" / "appraisal.json"


def seed_appraisal_demo(session: Session, *, today: date, unreported: tuple[str, ...] = ()) -> bool:
    """Add the demo round's results (False if they are there already); never commits.

    The officers in `unreported` (staff codes) get no progress reports: `make run` leaves one
    so that the round's reminders have someone to remind."""
    data: dict[str, Any] = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    agency = session.scalars(select(Agency).where(Agency.code == AGENCY[0])).one()
    fiscal_year, round_no = round_of(today)
    round_ = open_round(session, agency.id, fiscal_year, round_no)
    if session.scalar(select(CompetencyScore.id).where(CompetencyScore.round_id == round_.id)):
        return False
    staff = {s.staff_code: s for s in session.scalars(select(Staff).where(
        Staff.agency_id == agency.id))}
    now = utcnow()
    reported_on = min(today, round_.ends_on)
    for code, result in data["results"].items():
        officer = staff[code]
        agreement = session.scalars(select(KpiAgreement).where(
            KpiAgreement.officer_id == officer.id, KpiAgreement.round_id == round_.id)).one()
        kpis = session.scalars(select(Kpi).where(Kpi.agreement_id == agreement.id)
                               .order_by(Kpi.number)).all()
        assessor = staff[result["assessor"]]
        for kpi, raw in zip(kpis, [] if code in unreported else result["kpis"],
                            strict=code not in unreported):
            value = Decimal(str(raw))
            percent = kpi.unit in ("ร้อยละ", "%")
            report = ProgressReport(officer_id=officer.id, round_id=round_.id, kind=ReportKind.KPI,
                                    kpi_id=kpi.id, status=ReportStatus.CONFIRMED,
                                    value=None if percent else value,
                                    percent=value if percent else None, work_status="done",
                                    note="ข้อมูลตัวอย่าง", reported_on=reported_on,
                                    created_at=now, submitted_at=now, decided_at=now)
            session.add(report)
            session.flush()
            session.add(Confirmation(report_id=report.id, version=1, confirmer_id=assessor.id,
                                     role=Role.MENTOR, decision="certified", at=now))
        for (competency, _name), score in zip(competencies_for(officer), result["competencies"],
                                              strict=False):
            session.add(CompetencyScore(officer_id=officer.id, round_id=round_.id,
                                        competency=competency, score=score,
                                        assessor_id=assessor.id, at=now))
    project_data = data["key_project"]
    hipps = staff[project_data["staff_code"]]
    agreement = session.scalars(select(KpiAgreement).where(
        KpiAgreement.officer_id == hipps.id, KpiAgreement.round_id == round_.id)).one()
    project = KeyProject(officer_id=hipps.id, round_id=round_.id,
                         title=agreement.key_project or "โครงการสำคัญ")
    for number, item in enumerate(project_data["milestones"], start=1):
        due = round_.starts_on + timedelta(days=item["days_from_round_start"])
        done = item["done"] and due <= today
        project.milestones.append(Milestone(
            number=number, title=item["title"], due_on=due,
            status=MilestoneStatus.DONE if done else MilestoneStatus.PLANNED,
            done_on=due if done else None))
    session.add(project)
    _, year_end = round_dates(fiscal_year, 2)
    for code, items in data["idps"].items():
        idp = Idp(officer_id=staff[code].id, fiscal_year=fiscal_year)
        for item in items:
            idp.items.append(IdpItem(topic=item["topic"], method=item["method"],
                                     target_date=year_end, status=item["status"]))
        session.add(idp)
    for code, score in data["survey"].items():
        session.add(SurveyResponse(staff_id=staff[code].id, agency_id=agency.id,
                                   fiscal_year=fiscal_year, score=score))
    audit(session, "demo.appraisal_seeded", subject=f"round:{round_.id}")
    session.flush()
    return True
