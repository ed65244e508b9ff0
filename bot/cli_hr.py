"""`flask hr …`: the first HR administrator, and exports from the command line."""
from __future__ import annotations

from datetime import tzinfo

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from bot import db, exports
from models import Announcement, Form, Role, RoleAssignment, Staff, audit

hr_cli = AppGroup("hr", help="HR administrators and exports.")
export_cli = AppGroup("export", help="CSV (UTF-8 with BOM) or XLSX exports with Thai headers.")
hr_cli.add_command(export_cli)


def _tz() -> tzinfo:
    return current_app.config["SETTINGS"].tz


def _agency_id(session: object, agency_code: str | None) -> int:
    from bot.cli_staff import _agency

    return _agency(session, agency_code).id  # type: ignore[arg-type]  # None: the first


@hr_cli.command("add-admin")
@click.argument("staff_code")
@click.option("--agency", "agency_code", help="agency code (needed when there are several)")
def add_admin(staff_code: str, agency_code: str | None) -> None:
    """Make STAFF_CODE an HR administrator (may sign in to the console, announce, send forms)."""
    with db.one_writer(), db.session_scope() as session:
        agency_id = _agency_id(session, agency_code)
        staff = session.scalars(select(Staff).where(Staff.agency_id == agency_id,
                                                    Staff.staff_code == staff_code)).first()
        if staff is None or not staff.active:
            raise click.ClickException(f"ไม่พบบุคลากรรหัส {staff_code} / no active staff {staff_code}")
        exists = session.scalars(select(RoleAssignment.id).where(
            RoleAssignment.staff_id == staff.id, RoleAssignment.role == Role.HR_ADMIN,
            RoleAssignment.officer_id.is_(None), RoleAssignment.round_id.is_(None))).first()
        if exists is None:
            session.add(RoleAssignment(staff_id=staff.id, role=Role.HR_ADMIN))
            audit(session, "hr.admin_added", subject=f"staff:{staff.id}", via="cli")
            session.commit()
            click.echo(f"{staff.name_th} ({staff_code}) เป็นผู้ดูแล HR แล้ว / is now an HR admin")
        else:
            click.echo(f"{staff.name_th} ({staff_code}) เป็นผู้ดูแล HR อยู่แล้ว / already an HR admin")


@hr_cli.command("confirmer")
@click.argument("who", type=click.Choice(["mentor", "supervisor"]))
@click.option("--agency", "agency_code", help="agency code (needed when there are several)")
def set_confirmer(who: str, agency_code: str | None) -> None:
    """Who confirms progress reports: `mentor` (the mentor, and the coach for HiPPS; the
    supervisor where there is none) or `supervisor` (the supervisor, for everyone)."""
    from models import Agency

    with db.one_writer(), db.session_scope() as session:
        agency = session.get(Agency, _agency_id(session, agency_code))
        assert agency is not None
        wanted = who == "supervisor"
        if agency.supervisor_confirms != wanted:
            agency.supervisor_confirms = wanted
            audit(session, "agency.confirmer_changed", subject=f"agency:{agency.id}",
                  supervisor_confirms=wanted, via="cli")
            session.commit()
    click.echo("ผู้บังคับบัญชารับรองรายงานของทุกคน / the supervisor confirms everyone's reports"
               if wanted else "พี่เลี้ยง (และผู้สอนงานสำหรับ HiPPS) รับรอง "
               "ผู้ที่ไม่มีพี่เลี้ยงให้ผู้บังคับบัญชารับรอง / mentors (and coaches) confirm; "
               "the supervisor where there is no mentor")


def _format_option(function):
    function = click.option("-o", "--output", required=True,
                            type=click.Path(dir_okay=False, writable=True))(function)
    function = click.option("--format", "fmt", type=click.Choice(["csv", "xlsx"]),
                            default="xlsx", show_default=True)(function)
    return click.option("--agency", "agency_code")(function)


@export_cli.command("round")
@click.argument("fiscal_year", type=int)
@click.argument("round_no", type=int)
@_format_option
def export_round(fiscal_year: int, round_no: int, fmt: str, output: str,
                 agency_code: str | None) -> None:
    """The round's progress and confirmations, one row per KPI."""
    with db.session_scope() as session:
        round_ = exports.find_round(session, _agency_id(session, agency_code), fiscal_year,
                                    round_no)
        if round_ is None:
            raise click.ClickException(f"ไม่พบรอบที่ {round_no}/{fiscal_year} / no such round")
        exports.write(exports.round_table(session, round_, _tz()), fmt, output)
    click.echo(f"บันทึกแล้ว / written: {output}")


@export_cli.command("announcement")
@click.argument("announcement_id", type=int)
@_format_option
def export_announcement(announcement_id: int, fmt: str, output: str,
                        agency_code: str | None) -> None:
    """Who received an announcement and who acknowledged it."""
    with db.session_scope() as session:
        item = session.get(Announcement, announcement_id)
        if item is None or item.agency_id != _agency_id(session, agency_code):
            raise click.ClickException(f"ไม่พบประกาศ #{announcement_id} / no such announcement")
        exports.write(exports.announcement_table(session, item, _tz()), fmt, output)
    click.echo(f"บันทึกแล้ว / written: {output}")


@export_cli.command("form")
@click.argument("form_id", type=int)
@_format_option
def export_form(form_id: int, fmt: str, output: str, agency_code: str | None) -> None:
    """A form's answers, one row per person."""
    with db.session_scope() as session:
        item = session.get(Form, form_id)
        if item is None or item.agency_id != _agency_id(session, agency_code):
            raise click.ClickException(f"ไม่พบแบบฟอร์ม #{form_id} / no such form")
        exports.write(exports.form_table(session, item, _tz()), fmt, output)
    click.echo(f"บันทึกแล้ว / written: {output}")
