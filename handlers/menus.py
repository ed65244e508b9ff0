"""What each person is offered, by role: quick replies, help lines and which rich menu.

Three kinds of menu, as the roles read them: every linked person is an officer; a mentor, coach
or supervisor of someone also confirms (`carer`); an HR administrator also announces and signs
in to the console (`hr`). Plain officers are never offered รออนุมัติ or ผู้อยู่ในความดูแล.
The roles are read from the database each time a context asks (never from the event).
"""
from __future__ import annotations

from enum import StrEnum
from typing import Any, NamedTuple, cast

from sqlalchemy import BindParameter, Integer, bindparam, exists, select
from sqlalchemy.orm import Session

from handlers import texts
from handlers.messages import MAX_QUICK_REPLY_ITEMS
from models import LineUser, Staff
from models.appraisal import LowPerformerCase
from models.org import Role, RoleAssignment


class MenuKind(StrEnum):
    """Which rich menu a person gets (HR before carer: HR's menu keeps รออนุมัติ too)."""

    OFFICER = "officer"
    CARER = "carer"
    HR = "hr"


CARER_ROLES = (Role.MENTOR, Role.COACH, Role.SUPERVISOR)

# Quick replies, most used first; the tail is cut to LINE's 13 with ช่วยเหลือ always last.
OFFICER_FIRST = ("ตัวชี้วัดของฉัน", "รายงานความก้าวหน้า")
CARER_ITEMS = ("รออนุมัติ", "ผู้อยู่ในความดูแล")
HR_ITEMS = ("ประกาศ", "สรุปประกาศ", "เข้าสู่ระบบ")
OFFICER_REST = ("กำหนดส่ง", "รายงานการอบรม", "ผลการประเมิน", "แผนพัฒนา", "แบบฟอร์ม")
CARER_REST = ("ประเมินสมรรถนะ",)
LAST = ("ข้อมูลของฉัน", "ช่วยเหลือ")
CARER_ONLY = frozenset(CARER_ITEMS + CARER_REST)  # commands plain officers are not offered


ROLES_KEY = "menus.roles"  # session.info: (staff id, Roles) read in this event


class Roles(NamedTuple):
    kinds: frozenset[MenuKind]  # the menu kinds
    may_confirm: bool  # some officer's report could wait for this person's decision
    holds_hr: bool  # holds the HR admin role (agency-wide or not)
    has_cases: bool  # supervises some low-performer case (its commands are in the help)


def forget_roles(session: Session) -> None:
    """Read the roles afresh from here on (the router calls this at each event's start)."""
    session.info.pop(ROLES_KEY, None)


def _roles_query() -> Any:
    staff: BindParameter[int] = bindparam("staff", type_=Integer)
    carer_role = exists().where(RoleAssignment.staff_id == staff,
                                RoleAssignment.role.in_(CARER_ROLES))
    supervises = exists().where(Staff.supervisor_id == staff, Staff.active.is_(True))
    supervises_any = exists().where(Staff.supervisor_id == staff)
    hr = exists().where(RoleAssignment.staff_id == staff, RoleAssignment.role == Role.HR_ADMIN,
                        RoleAssignment.officer_id.is_(None))
    hr_any = exists().where(RoleAssignment.staff_id == staff, RoleAssignment.role == Role.HR_ADMIN)
    cases = exists().where(LowPerformerCase.supervisor_id == staff)
    return select(carer_role, supervises, supervises_any, hr, hr_any, cases)


_ROLES = _roles_query()  # built once, run once per event


def read_roles(session: Session, staff: Staff) -> Roles:
    """The person's roles in one query, kept for the rest of the event: a carer holds a mentor,
    coach or supervisor role or is some active officer's supervisor; HR holds the agency-wide
    HR admin role; a confirmer candidate holds such a role or is anyone's supervisor
    (`models.progress.pending_for`'s candidates)."""
    cached = session.info.get(ROLES_KEY)
    if cached is not None and cached[0] == staff.id:
        return cast(Roles, cached[1])
    is_carer, is_supervisor, is_any_supervisor, is_hr, any_hr, cases = session.execute(
        _ROLES, {"staff": staff.id}).one()
    kinds = {MenuKind.OFFICER}
    if is_carer or is_supervisor:
        kinds.add(MenuKind.CARER)
    if is_hr:
        kinds.add(MenuKind.HR)
    found = Roles(frozenset(kinds), bool(is_carer or is_any_supervisor), bool(any_hr),
                  bool(cases))
    session.info[ROLES_KEY] = (staff.id, found)
    return found


def roles_of(session: Session, staff: Staff | None) -> frozenset[MenuKind]:
    """The menu kinds a person has (empty when not linked), in one query per event."""
    if staff is None or not staff.active:
        return frozenset()
    return read_roles(session, staff).kinds


def may_confirm(session: Session, staff: Staff | None) -> bool:
    """Whether some officer's report could be waiting for this person's decision (read with
    the roles, no query of its own)."""
    return staff is not None and read_roles(session, staff).may_confirm


def menu_kind(kinds: frozenset[MenuKind]) -> MenuKind:
    """The one rich menu for these roles."""
    if MenuKind.HR in kinds:
        return MenuKind.HR
    if MenuKind.CARER in kinds:
        return MenuKind.CARER
    return MenuKind.OFFICER


def quick_labels(kinds: frozenset[MenuKind]) -> list[str]:
    """The commands offered under every answer, for these roles (at most 13)."""
    if not kinds:
        return list(texts.UNLINKED_MENU)
    carer, hr = MenuKind.CARER in kinds, MenuKind.HR in kinds
    labels = [*OFFICER_FIRST, *(CARER_ITEMS if carer else ()), *(HR_ITEMS if hr else ()),
              *OFFICER_REST, *(CARER_REST if carer else ()), *LAST]
    if len(labels) > MAX_QUICK_REPLY_ITEMS:
        labels = labels[:MAX_QUICK_REPLY_ITEMS - 1] + ["ช่วยเหลือ"]
    return labels


def help_lines(kinds: frozenset[MenuKind]) -> dict[str, str]:
    """The help menu's lines (command: what it does) for these roles."""
    lines = {command: what for command, what in texts.HELP_LINES.items()
             if MenuKind.CARER in kinds or command not in CARER_ONLY}
    if MenuKind.HR in kinds:
        lines.update(texts.HR_HELP_LINES)
    return lines


def wanted_menus(session: Session) -> dict[str, MenuKind]:
    """The rich menu each linked, following LINE user should see, in three queries."""
    people = session.execute(select(LineUser.user_id, Staff.id).join(
        Staff, Staff.id == LineUser.staff_id).where(
        LineUser.following.is_(True), Staff.active.is_(True))).all()
    hr = set(session.scalars(select(RoleAssignment.staff_id).where(
        RoleAssignment.role == Role.HR_ADMIN, RoleAssignment.officer_id.is_(None))))
    carers = set(session.scalars(select(RoleAssignment.staff_id).where(
        RoleAssignment.role.in_(CARER_ROLES)))) | set(session.scalars(
        select(Staff.supervisor_id).where(Staff.supervisor_id.is_not(None),
                                          Staff.active.is_(True))))
    return {user_id: MenuKind.HR if staff_id in hr else
            MenuKind.CARER if staff_id in carers else MenuKind.OFFICER
            for user_id, staff_id in people}
