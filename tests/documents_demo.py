"""The demo agency with its round closed and its results approved (the low performer's case
opened and its development steps recorded): what the official documents are made from."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.demo import PEOPLE, seed_demo
from bot.demo_appraisal import seed_appraisal_demo
from handlers.appraisals import close_round
from models import Round
from models.appraisal import Appraisal, AppraisalStatus, LowPerformerCase
from models.results import approve, record_case_step

BKK = timezone(timedelta(hours=7))
TODAY = date(2026, 11, 21)  # fiscal year 2570, round 1
NOW = datetime(2026, 11, 21, 10, 0, tzinfo=BKK)
USER = {p.staff_code: p.line_user_id for p in PEOPLE}


def closed_demo(session: Session) -> Round:
    seed_demo(session, today=TODAY)
    seed_appraisal_demo(session, today=TODAY)
    round_ = session.scalars(select(Round)).one()
    close_round(session, round_, NOW, TODAY, early_reason="ทดสอบเอกสาร")
    for appraisal in session.scalars(select(Appraisal).where(
            Appraisal.status == AppraisalStatus.COMPUTED)):
        approve(session, appraisal, appraisal.officer.supervisor_id or appraisal.officer_id, NOW)
    case = session.scalars(select(LowPerformerCase)).one()
    record_case_step(session, case, "analysis", date(2026, 11, 23), "พูดคุยหาสาเหตุร่วมกัน", NOW)
    record_case_step(session, case, "development", date(2026, 11, 25), "อบรมการเขียนรายงาน", NOW)
    session.commit()
    return round_
