"""Closing a round with its notices: what the console, the CLI and the jobs call.

The computing is `models.results.close_round`; this adds telling each new low-performer case's
supervisor (or, without one, the agency's HR administrators) through the outbox.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from handlers.appraisal_cards import case_card
from handlers.notices import push_to_staff
from models import Round
from models.appraisal import LowPerformerCase
from models.org import hr_admin_ids
from models.results import CloseSummary
from models.results import close_round as compute_round


def close_round(session: Session, round_: Round, now: datetime, today: date,
                actor_staff_id: int | None = None) -> CloseSummary:
    """Compute (or recompute) the round's results and tell whoever must act on a new case."""
    summary = compute_round(session, round_, now, today, actor_staff_id)
    for case in summary.cases:
        tell_case_opened(session, case)
    return summary


def tell_case_opened(session: Session, case: LowPerformerCase) -> None:
    officer = case.officer
    told = ([case.supervisor_id] if case.supervisor_id is not None
            else hr_admin_ids(session, officer.agency_id))
    push_to_staff(session, told, [case_card(session, case, intro=True)])
