"""Closing a round with its notices: what the console, the CLI and the jobs call.

The computing is `models.results.close_round`; this adds telling each new low-performer case's
supervisor (or, without one, the agency's HR administrators) through the outbox.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from handlers import messages as m
from handlers.appraisal_cards import case_card
from handlers.notices import push_to_staff
from models import Round
from models.appraisal import LowPerformerCase
from models.org import hr_admin_ids
from models.results import CloseSummary
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
