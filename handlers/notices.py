"""Pushes to people by staff record (through the outbox), and notices held for a reply or the
day's push (handlers/day_push.py): what confirmers and officers are told."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers import messages as m
from handlers.outbox import NOTICE, enqueue_push
from models import (
    ROLE_NAMES_TH,
    LineUser,
    OutboxMessage,
    ProgressReport,
    Staff,
)
from models.progress import (
    confirmers,
)


def notify_confirmers(session: Session, report: ProgressReport, officer: Staff,
                      by_role: dict[int, str] | None = None) -> list[str]:
    """The confirmers' names (and roles). Nothing is pushed now: the report waits for each of
    them in their day's digest, or on their next reply (handlers/day_push.py).

    `by_role` is `confirmers(...)` of the report when the caller has it already."""
    if by_role is None:
        by_role = confirmers(session, officer, report.round_id)
    if not by_role:
        return []
    people = session.execute(select(Staff.id, Staff.name_th).where(Staff.id.in_(by_role))).all()
    return sorted(f"{ROLE_NAMES_TH.get(by_role[staff_id], '')} {name}".strip()
                  for staff_id, name in people)


def push_to_staff(session: Session, staff_ids: list[int], messages: list[m.Message],
                  category: str = "") -> list[OutboxMessage]:
    """Push to each of these people who has a following LINE account; the outbox rows."""
    if not staff_ids:
        return []
    return [enqueue_push(session, user_id, messages, category)
            for user_id in session.scalars(select(LineUser.user_id).where(
                LineUser.staff_id.in_(staff_ids), LineUser.following.is_(True)))]


def hold_for_staff(session: Session, staff_ids: list[int], messages: list[m.Message],
                   now: datetime) -> None:
    """A notice that can wait: it rides on the person's next reply before the next office-day
    start, or else goes in their one push of that office day (handlers/day_push.py), never
    on its own. `now` (the app's) dates it."""
    for row in push_to_staff(session, staff_ids, messages, NOTICE):
        row.created_at = now
