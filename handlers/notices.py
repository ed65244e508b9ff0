"""Pushes to people by staff record (through the outbox): confirmers' cards, notices to officers."""
from __future__ import annotations

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from handlers import messages as m
from handlers.outbox import enqueue_push
from handlers.report_cards import (
    confirmer_card,
)
from models import (
    ROLE_NAMES_TH,
    AuditEntry,
    LineUser,
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
    """Push the card to every confirmer (through the outbox); return their names.

    `by_role` is `confirmers(...)` of the report when the caller has it already."""
    if by_role is None:
        by_role = confirmers(session, officer, report.round_id)
    if not by_role:
        return []
    people = session.execute(select(Staff.id, Staff.name_th, LineUser.user_id)
                             .outerjoin(LineUser, and_(LineUser.staff_id == Staff.id,
                                                       LineUser.following.is_(True)))
                             .where(Staff.id.in_(by_role))).all()
    card = confirmer_card(report, officer)
    names = []
    for staff_id, name, user_id in people:
        names.append(f"{ROLE_NAMES_TH.get(by_role[staff_id], '')} {name}".strip())
        if user_id:
            enqueue_push(session, user_id, [card])
    return sorted(names)


def push_to_staff(session: Session, staff_ids: list[int], messages: list[m.Message],
                  category: str = "") -> None:
    """Push to each of these people who has a following LINE account (`category` "reminder":
    held for office hours by the delivery worker)."""
    if not staff_ids:
        return
    for user_id in session.scalars(select(LineUser.user_id).where(
            LineUser.staff_id.in_(staff_ids), LineUser.following.is_(True))):
        enqueue_push(session, user_id, messages, category)


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
