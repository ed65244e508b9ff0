"""`flask calendar …`: office days, HR's overrides, the reminder policy, items done on paper.

Thin wrappers over models.calendar and models.reminders (the web console calls the same
functions). Bad input gets a Thai message and changes nothing.
"""
from __future__ import annotations

from datetime import date
from typing import Any

import click
from flask.cli import AppGroup
from sqlalchemy import select

from bot import db
from models import Agency, Staff, audit
from models.calendar import describe_days, list_overrides, remove_override, set_override
from models.reminders import POLICY_FIELDS, DeadlineCompletion, load_policy, set_policy
from thai import DateInputError, format_date, format_weekday, parse_input_date

calendar_cli = AppGroup("calendar", help="Office days, holidays and reminder settings.")


def _day(value: str) -> date:
    """A day typed as 16/04/2570 (พ.ศ.) or ISO 2027-04-16."""
    try:
        return parse_input_date(value)
    except DateInputError as exc:
        raise click.ClickException(f"วันที่ไม่ถูกต้อง: {exc} "
                                   "(เช่น 16/04/2570 หรือ 2027-04-16)") from None


def _shown(day: date) -> str:
    """A day for people and scripts alike: ISO first (sortable), then Thai with its weekday."""
    return f"{day.isoformat()} {format_weekday(day)} {format_date(day)}"


def _agency(session, code: str | None) -> Agency:
    query = select(Agency).order_by(Agency.id)
    if code:
        query = query.where(Agency.code == code)
    agency = session.scalars(query).first()
    if agency is None:
        raise click.ClickException(f"ไม่พบหน่วยงาน {code or ''}".strip())
    return agency


@calendar_cli.command("show")
@click.option("--from", "start", required=True, help="DD/MM/พ.ศ. or YYYY-MM-DD")
@click.option("--to", "end", required=True, help="DD/MM/พ.ศ. or YYYY-MM-DD")
@click.option("--agency", "agency_code", default=None, help="agency code (default: the first)")
def show(start: str, end: str, agency_code: str | None) -> None:
    """Each day from --from to --to: office day or not, and why."""
    first, last = _day(start), _day(end)
    if last < first or (last - first).days > 400:
        raise click.ClickException("ช่วงวันที่ไม่ถูกต้อง (--to ต้องไม่ก่อน --from และไม่เกิน 400 วัน)")
    with db.session_scope() as session:
        # with no agency yet, the Thai holidays alone
        agency_id = (_agency(session, agency_code).id if agency_code
                     or session.scalar(select(Agency.id).limit(1)) is not None else None)
        for day, office, why in describe_days(session, first, last, agency_id=agency_id):
            click.echo(f"{_shown(day)} {'ทำการ' if office else 'หยุด '} {why}".rstrip())


@calendar_cli.command("set")
@click.argument("day")
@click.option("--office/--off", "office_day", required=True,
              help="--off: a day off the cabinet announced; --office: a working day after all")
@click.option("--note", default="", help="why, e.g. the cabinet resolution")
@click.option("--agency", "agency_code", default=None, help="agency code (default: the first)")
def set_day(day: str, office_day: bool, note: str, agency_code: str | None) -> None:
    """Override one day (replaces any earlier override of it)."""
    when = _day(day)
    with db.session_scope() as session:
        set_override(session, when, office_day, note.strip()[:255],
                     agency_id=_agency(session, agency_code).id)
        session.commit()
    click.echo(f"{_shown(when)}: {'วันทำการ' if office_day else 'วันหยุด'}")


@calendar_cli.command("unset")
@click.argument("day")
@click.option("--agency", "agency_code", default=None, help="agency code (default: the first)")
def unset_day(day: str, agency_code: str | None) -> None:
    """Remove HR's override of one day."""
    when = _day(day)
    with db.session_scope() as session:
        if not remove_override(session, when, agency_id=_agency(session, agency_code).id):
            raise click.ClickException(f"ไม่มีการกำหนดวันพิเศษสำหรับ {format_date(when)}")
        session.commit()
    click.echo(f"{_shown(when)}: ใช้ปฏิทินวันหยุดราชการตามปกติ")


@calendar_cli.command("overrides")
@click.option("--agency", "agency_code", default=None, help="agency code (default: the first)")
def overrides(agency_code: str | None) -> None:
    """Every day the agency's HR overrode."""
    with db.session_scope() as session:
        for row in list_overrides(session, _agency(session, agency_code).id):
            click.echo(f"{_shown(row.day)} {'ทำการ' if row.office_day else 'หยุด'} "
                       f"{row.note}".rstrip())


@calendar_cli.command("policy")
@click.option("--agency", "agency_code", default=None, help="agency code (default: the first)")
@click.option("--before", default=None, help="office days ahead, e.g. 7,3,1")
@click.option("--on-the-day/--not-on-the-day", default=None)
@click.option("--overdue-every", type=int, default=None)
@click.option("--overdue-times", type=int, default=None)
@click.option("--digest/--no-digest", "digest_to_supervisor", default=None)
@click.option("--waiting-days", type=int, default=None)
@click.option("--office-start", default=None, help="HH:MM")
@click.option("--office-end", default=None, help="HH:MM")
@click.option("--low-quota-percent", type=int, default=None)
def policy(agency_code: str | None, before: str | None, **options: Any) -> None:
    """Show the agency's reminder policy, or change the given settings."""
    changes = {k: v for k, v in options.items() if v is not None}
    if before is not None:
        try:
            changes["before_days"] = sorted({int(p) for p in before.split(",") if p.strip()},
                                            reverse=True)
        except ValueError:
            raise click.ClickException("--before ต้องเป็นตัวเลขคั่นด้วยจุลภาค เช่น 7,3,1") from None
    with db.session_scope() as session:
        agency = _agency(session, agency_code)
        if changes:
            try:
                set_policy(session, agency.id, **changes)
            except ValueError as exc:
                session.rollback()
                raise click.ClickException(str(exc)) from None
            session.commit()
        current = load_policy(session, agency.id)
    for name in POLICY_FIELDS:
        click.echo(f"{name}: {getattr(current, name)}")


@calendar_cli.command("done")
@click.argument("staff_code")
@click.argument("deadline_key")
@click.option("--agency", "agency_code", default=None)
def done(staff_code: str, deadline_key: str, agency_code: str | None) -> None:
    """Mark one person's deadline done (e.g. round:12:hipps_copy handed in on paper)."""
    with db.session_scope() as session:
        agency = _agency(session, agency_code)
        staff = session.scalars(select(Staff).where(Staff.agency_id == agency.id,
                                                    Staff.staff_code == staff_code)).first()
        if staff is None:
            raise click.ClickException(f"ไม่พบบุคลากรรหัส {staff_code}")
        if not deadline_key.strip() or len(deadline_key) > 100:
            raise click.ClickException("รหัสกำหนดส่งไม่ถูกต้อง")
        if session.scalars(select(DeadlineCompletion).where(
                DeadlineCompletion.staff_id == staff.id,
                DeadlineCompletion.deadline_key == deadline_key)).first() is None:
            session.add(DeadlineCompletion(staff_id=staff.id, deadline_key=deadline_key))
            audit(session, "deadline.marked_done", subject=f"staff:{staff.id}", key=deadline_key)
            session.commit()
    click.echo(f"{staff_code}: {deadline_key} เสร็จแล้ว จะไม่เตือนอีก")
