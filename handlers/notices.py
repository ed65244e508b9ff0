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
    AuditEntry,
    LineUser,
    OutboxMessage,
    ProgressReport,
    Staff,
    audit,
)
from models.org import hr_admin_ids
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
    """Push to each of these people who has a following LINE account (`category`: how the
    delivery worker treats it, handlers/outbox.py); the outbox rows."""
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


def tell_hr_no_confirmer(session: Session, officer: Staff, roles: list[str]) -> bool:
    """Tell the agency's HR administrators, once per officer and missing roles, that nobody can
    confirm this officer's reports (no mentor, no coach, and no supervisor to stand in).
    Returns whether they were told now (False: told before, or nothing is missing)."""
    if not roles:
        return False
    subject, missing = f"staff:{officer.id}", sorted(roles)
    for details in session.scalars(select(AuditEntry.details).where(
            AuditEntry.action == "confirmer.missing", AuditEntry.subject == subject)):
        if sorted(details.get("roles", [])) == missing:
            return False
    names = " และ ".join(ROLE_NAMES_TH.get(r, r) for r in roles)
    push_to_staff(session, hr_admin_ids(session, officer.agency_id), [m.text(
        f"ไม่มีผู้รับรองรายงานของ {officer.name_th} ({officer.staff_code})\n"
        f"ยังไม่มี{names} และไม่มีผู้บังคับบัญชาในระบบ\n"
        "กรุณากำหนดพี่เลี้ยงหรือผู้บังคับบัญชาให้ด้วย")])
    audit(session, "confirmer.missing", subject=subject, roles=missing, officer=officer.staff_code)
    return True
