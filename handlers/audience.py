"""Who an announcement or a form goes to: everyone, a unit with its sub-units, a role, or the
people who have not reported in the current round. Always read from the database."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, and_, exists, or_, select
from sqlalchemy.orm import Session

from models import (
    Audience,
    KpiAgreement,
    LineUser,
    ProgressReport,
    ReportKind,
    Role,
    RoleAssignment,
    Staff,
    Unit,
)
from models.numbers import is_id
from models.progress import SHOWN_STATUSES
from models.rounds import current_round

ROLE_CHOICES: dict[str, str] = {  # value → Thai label (what HR taps)
    Role.MENTOR: "พี่เลี้ยง",
    Role.COACH: "ผู้สอนงาน",
    "hipps": "ข้าราชการ HiPPS",
    Role.SUPERVISOR: "ผู้บังคับบัญชา",
}
KIND_LABELS: dict[str, str] = {
    Audience.EVERYONE: "ทุกคน",
    Audience.UNIT: "หน่วยงาน",
    Audience.ROLE: "บทบาท",
    Audience.NOT_REPORTED: "ผู้ที่ยังไม่รายงานในรอบนี้",
}


class AudienceError(ValueError):
    """The audience cannot be used; the message is Thai, for the person choosing it."""


@dataclass(frozen=True)
class Count:
    people: int  # staff in the audience
    on_line: int  # of them, linked to LINE and following: who actually gets the message


def unit_and_below(session: Session, agency_id: int, unit_id: int) -> list[int]:
    """The unit's id and every sub-unit's, however deep."""
    children: dict[int | None, list[int]] = {}
    for uid, parent in session.execute(select(Unit.id, Unit.parent_id)
                                       .where(Unit.agency_id == agency_id)):
        children.setdefault(parent, []).append(uid)
    found, todo = [], [unit_id]
    while todo:
        current = todo.pop()
        if current in found:
            continue
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def label(session: Session, agency_id: int, kind: str, value: str) -> str:
    """The audience in Thai, e.g. `หน่วยงาน: กองยุทธศาสตร์และแผนงาน (รวมหน่วยงานย่อย)`."""
    check(session, agency_id, kind, value)
    if kind == Audience.UNIT:
        unit = session.get(Unit, int(value))
        assert unit is not None
        return f"หน่วยงาน: {unit.name_th} (รวมหน่วยงานย่อย)"
    if kind == Audience.ROLE:
        return f"บทบาท: {ROLE_CHOICES[value]}"
    return KIND_LABELS[kind]


def check(session: Session, agency_id: int, kind: str, value: str) -> None:
    """Raise AudienceError unless the audience names something real in this agency."""
    if kind not in KIND_LABELS:
        raise AudienceError("ไม่รู้จักกลุ่มผู้รับนี้")
    if kind == Audience.UNIT:
        unit = session.get(Unit, int(value)) if is_id(value) else None
        if unit is None or unit.agency_id != agency_id:
            raise AudienceError("ไม่พบหน่วยงานนี้")
    if kind == Audience.ROLE and value not in ROLE_CHOICES:
        raise AudienceError("ไม่รู้จักบทบาทนี้")


def staff_query(session: Session, agency_id: int, kind: str, value: str,
                today: date) -> Select[int]:
    """SELECT of the staff ids in the audience (active staff of the agency only)."""
    check(session, agency_id, kind, value)
    query = select(Staff.id).where(Staff.agency_id == agency_id, Staff.active.is_(True))
    if kind == Audience.UNIT:
        query = query.where(Staff.unit_id.in_(unit_and_below(session, agency_id, int(value))))
    elif kind == Audience.ROLE and value == "hipps":
        query = query.where(Staff.is_hipps.is_(True))
    elif kind == Audience.ROLE:
        holds = exists().where(RoleAssignment.staff_id == Staff.id, RoleAssignment.role == value)
        if value == Role.SUPERVISOR:
            supervises = exists().where(Staff.__table__.alias("o").c.supervisor_id == Staff.id)
            query = query.where(or_(holds, supervises))
        else:
            query = query.where(holds)
    elif kind == Audience.NOT_REPORTED:
        round_ = current_round(session, agency_id, today)
        if round_ is None:
            raise AudienceError("ยังไม่ได้เปิดรอบการประเมินปัจจุบัน")
        has_kpis = exists().where(KpiAgreement.officer_id == Staff.id,
                                  KpiAgreement.round_id == round_.id)
        reported = exists().where(and_(ProgressReport.officer_id == Staff.id,
                                       ProgressReport.round_id == round_.id,
                                       ProgressReport.kind == ReportKind.KPI,
                                       ProgressReport.status.in_(SHOWN_STATUSES)))
        query = query.where(has_kpis, ~reported)
    return query.order_by(Staff.id)


def recipients(session: Session, agency_id: int, kind: str, value: str,
               today: date) -> list[tuple[int, str | None]]:
    """(staff id, LINE user id or None when not reachable) for everyone in the audience."""
    ids = staff_query(session, agency_id, kind, value, today).subquery()
    rows = session.execute(
        select(ids.c.id, LineUser.user_id)
        .outerjoin(LineUser, and_(LineUser.staff_id == ids.c.id, LineUser.following.is_(True)))
        .order_by(ids.c.id)).all()
    return [(staff_id, user_id) for staff_id, user_id in rows]


def count(session: Session, agency_id: int, kind: str, value: str, today: date) -> Count:
    people = recipients(session, agency_id, kind, value, today)
    return Count(len(people), sum(1 for _, user_id in people if user_id))


def units(session: Session, agency_id: int) -> list[Unit]:
    """The agency's units, top levels first then by name (what HR picks from)."""
    rows = session.scalars(select(Unit).where(Unit.agency_id == agency_id)).all()
    depth: dict[int, int] = {}
    parents = {unit.id: unit.parent_id for unit in rows}

    def level(uid: int) -> int:
        if uid not in depth:
            parent = parents.get(uid)
            depth[uid] = 0 if parent is None or parent not in parents else level(parent) + 1
        return depth[uid]

    return sorted(rows, key=lambda unit: (level(unit.id), unit.name_th))
