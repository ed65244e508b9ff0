"""`flask staff …` and `flask kpi …`: HR's commands for people, link codes and KPI files."""
from __future__ import annotations

import json
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import clock, db
from handlers.importers import ImportReport, import_kpis, import_staff
from models import Agency, LineUser, Staff
from models.db import refresh_statistics
from models.linking import CODE_VALID_FOR, issue_code

staff_cli = AppGroup("staff", help="Staff records, imports and LINE link codes.")
kpi_cli = AppGroup("kpi", help="KPI agreements.")


def _agency(session: Session, code: str | None) -> Agency:
    """The agency by code, or the only one there is."""
    agencies = session.scalars(select(Agency).order_by(Agency.code)).all()
    if code is not None:
        for agency in agencies:
            if agency.code == code:
                return agency
        raise click.ClickException(f"ไม่พบหน่วยงานรหัส {code} / no agency with code {code}")
    if len(agencies) == 1:
        return agencies[0]
    raise click.ClickException("ระบุ --agency / give --agency (there are "
                               f"{len(agencies)} agencies: {', '.join(a.code for a in agencies)})")


@staff_cli.command("link-codes")
@click.argument("staff_codes", nargs=-1)
@click.option("--agency", "agency_code", help="agency code (needed when there are several)")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="write to this file instead of the screen")
def link_codes(staff_codes: tuple[str, ...], agency_code: str | None, fmt: str,
               output: Path | None) -> None:
    """Issue one-time LINE link codes: for the given staff codes, or everyone not yet linked.

    A new code replaces that person's earlier unused one. Codes are shown once; only their
    hashes are stored.
    """
    settings = current_app.config["SETTINGS"]
    now = clock.now(settings.timezone)
    zone = settings.tz
    with db.session_scope() as session:
        agency = _agency(session, agency_code)
        query = select(Staff).where(Staff.agency_id == agency.id, Staff.active.is_(True))
        if staff_codes:
            query = query.where(Staff.staff_code.in_(staff_codes))
        else:
            linked = select(LineUser.staff_id).where(LineUser.staff_id.is_not(None))
            query = query.where(Staff.id.not_in(linked))
        people = session.scalars(query.order_by(Staff.staff_code)).all()
        missing = sorted(set(staff_codes) - {p.staff_code for p in people})
        if missing:
            raise click.ClickException("ไม่พบรหัสบุคลากร / unknown or inactive staff codes: "
                                       + ", ".join(missing))
        rows = []
        for person in people:
            code = issue_code(session, person, now)
            rows.append({"staff_code": person.staff_code, "name": person.name_th,
                         "code": f"{code[:4]}-{code[4:]}",
                         "expires_at": (now + CODE_VALID_FOR).astimezone(zone).isoformat()})
        session.commit()
    if fmt == "json":
        text = json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    else:
        text = "".join(f"{r['staff_code']:<12} {r['code']}  {r['name']}\n" for r in rows)
        text += f"\n{len(rows)} รหัส หมดอายุ / expire {rows[0]['expires_at'][:16]}\n" if rows else (
            "ไม่มีผู้ที่ต้องออกรหัส / nobody needs a code\n")
    if output is not None:
        output.write_text(text, encoding="utf-8")
        click.echo(f"{len(rows)} รหัส → {output}")
    else:
        click.echo(text, nl=False)


def _progress(label: str):
    """Show `label: done/total rows` on stderr, rewritten in place."""
    def show(done: int, total: int | None) -> None:
        of = f"/{total:,}" if total else ""
        click.echo(f"\r{label}: {done:,}{of} แถว/rows", nl=False, err=True)
    return show


def _finish(session: Session, report: ImportReport) -> None:
    """Print the row-by-row report; commit when it is good, else change nothing and fail."""
    click.echo("", err=True)
    for line in report.lines():
        click.echo(line)
    click.echo(report.summary())
    if not report.ok:
        session.rollback()
        raise click.ClickException("ไม่ได้นำเข้าข้อมูลใด ๆ (แก้ไขแถวที่มีปัญหา หรือใช้ --skip-bad) / "
                                   "nothing was imported (fix the rows above or use --skip-bad)")
    with db.one_writer():
        session.commit()
    refresh_statistics(session)


@staff_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--agency", "agency_code", help="agency code (needed when there are several)")
@click.option("--agency-name", help="create the agency with this Thai name if it is new")
@click.option("--skip-bad", is_flag=True, help="import the good rows even if some are bad")
def import_staff_command(file: Path, agency_code: str | None, agency_name: str | None,
                         skip_bad: bool) -> None:
    """Import staff from CSV (UTF-8 or Windows-874) or XLSX, Thai or English headers."""
    if agency_name and not agency_code:
        raise click.ClickException("--agency-name ต้องใช้คู่กับ --agency (รหัสหน่วยงานใหม่)")
    with db.session_scope() as session:
        code = agency_code if agency_name and agency_code else _agency(session, agency_code).code
        report = import_staff(session, file, agency_code=code, agency_name=agency_name,
                              skip_bad=skip_bad, progress=_progress(file.name),
                              transaction=db.import_transaction(session))
        _finish(session, report)


@kpi_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--agency", "agency_code", help="agency code (needed when there are several)")
@click.option("--fiscal-year", type=int, help="fiscal year in BE, when the file has no column")
@click.option("--round", "round_no", type=click.IntRange(1, 2), help="round, likewise")
@click.option("--skip-bad", is_flag=True, help="import the good agreements even if some are bad")
def import_kpis_command(file: Path, agency_code: str | None, fiscal_year: int | None,
                        round_no: int | None, skip_bad: bool) -> None:
    """Import KPI agreements; changes to signed agreements become requests to the evaluator."""
    with db.session_scope() as session:
        code = _agency(session, agency_code).code
        report = import_kpis(session, file, agency_code=code, fiscal_year=fiscal_year,
                             round_no=round_no, skip_bad=skip_bad, progress=_progress(file.name),
                             transaction=db.import_transaction(session))
        _finish(session, report)
