"""Closing a round with its notices: what the console, the CLI and the jobs call.

The computing is `models.results.close_round`; this adds telling each new low-performer case's
supervisor (or, without one, the agency's HR administrators) and each lifted case's officer
through the outbox; and, during the round, the one warning when a complete officer's projected
result first falls under 60.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers import messages as m
from handlers.appraisal_cards import case_card
from handlers.notices import push_to_staff
from models import AuditEntry, Round, Staff, audit
from models.appraisal import LOW_PERFORMER_BELOW, LowPerformerCase, shown
from models.org import hr_admin_ids
from models.results import CloseSummary, Forecast, forecast
from models.results import close_round as compute_round


def close_round(session: Session, round_: Round, now: datetime, today: date,
                actor_staff_id: int | None = None,
                early_reason: str | None = None) -> CloseSummary:
    """Compute (or recompute) the round's results; tell the officer and supervisor of each
    low-performer case the new result lifted."""
    summary = compute_round(session, round_, now, today, actor_staff_id, early_reason)
    for case in summary.cases:
        tell_case_opened(session, case)
    for case in summary.cases_closed:
        tell_case_closed(session, case)
    return summary


def tell_case_closed(session: Session, case: LowPerformerCase) -> None:
    """The officer (and the supervisor) learn that the case is closed and the IDP optional."""
    told = [case.officer_id] + ([case.supervisor_id] if case.supervisor_id is not None else [])
    push_to_staff(session, told, [m.text(
        f"ผลการประเมินของ {case.officer.name_th} ได้คำนวณใหม่แล้ว\n{case.close_note}\n"
        "จึงปิดกรณีผู้มีผลสัมฤทธิ์ต่ำกว่าเกณฑ์ และแผนพัฒนารายบุคคลไม่เป็นภาคบังคับแล้ว")])


def tell_case_opened(session: Session, case: LowPerformerCase) -> None:
    officer = case.officer
    told = ([case.supervisor_id] if case.supervisor_id is not None
            else hr_admin_ids(session, officer.agency_id))
    push_to_staff(session, told, [case_card(session, case, intro=True)])


def forecast_line(result: Forecast) -> str:
    """`คะแนนรวมคาดการณ์ 78.40 (ดี)`, or the projected achievement while competencies wait."""
    if result.overall is not None:
        return f"คะแนนรวมคาดการณ์ {shown(result.overall)} ({result.band})"
    if result.achievement is not None:
        return (f"ผลสัมฤทธิ์ของงานคาดการณ์ {shown(result.achievement)} คะแนน "
                "(ยังไม่ได้ประเมินสมรรถนะ จึงยังไม่มีคะแนนรวม)")
    return "ยังไม่มีผลที่รับรอง จึงยังคาดการณ์ไม่ได้"


def warn_if_projected_low(session: Session, officer: Staff, round_id: int | None) -> bool:
    """The first time a complete officer's projection falls under 60 during the round, tell the
    officer and the supervisor (once, in office hours), so the procedure can start early."""
    round_ = session.get(Round, round_id) if round_id is not None else None
    if round_ is None or round_.closed_at is not None:
        return False
    result = forecast(session, officer, round_)
    if result is None or not result.complete or result.overall is None:
        return False
    if result.overall >= LOW_PERFORMER_BELOW:
        return False
    subject = f"staff:{officer.id}:round:{round_.id}"
    if session.scalar(select(AuditEntry.id).where(
            AuditEntry.action == "forecast.low", AuditEntry.subject == subject)) is not None:
        return False
    told = [officer.id] + ([officer.supervisor_id] if officer.supervisor_id else [])
    push_to_staff(session, told, [m.text(
        f"ผลการประเมินคาดการณ์ของ {officer.name_th} ({round_.title_th})\n"
        f"{forecast_line(result)} ต่ำกว่าร้อยละ 60\n"
        "ยังมีเวลาก่อนสิ้นรอบ ควรพูดคุยวางแผนพัฒนาร่วมกันตั้งแต่ตอนนี้")], category="reminder")
    audit(session, "forecast.low", subject=subject, round=round_.id, overall=str(result.overall))
    return True
