"""`flask round …`, `flask hr …`, `flask hipps …`: HR's commands for results, metrics and HiPPS.

- `flask round close FISCAL_YEAR ROUND [--early "reason"] [--yes] [--agency CODE]`: a summary,
  a confirmation, then every officer's result (before the round's end only with --early).
- `flask round missing FISCAL_YEAR ROUND STAFF_CODE --zero|--wait --reason "…"`: HR's choice
  for an officer whose KPIs lack a confirmed result.
- `flask round results FISCAL_YEAR ROUND [--format table|json]`.
- `flask hr metrics FISCAL_YEAR [--format table|json|csv|xlsx] [-o FILE]`: seed-004 metrics.
- `flask hr survey-send`: push the development survey to every linked officer.
- `flask hipps add-project FISCAL_YEAR ROUND STAFF_CODE TITLE --milestone YYYY-MM-DD:title …`.
- `flask hipps export FISCAL_YEAR ROUND -o DIR`: one XLSX per HiPPS officer and summary.xlsx.
"""
from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import clock, db
from bot.cli_staff import _agency
from models import Round, Staff, audit
from thai import DateInputError, format_date, parse_input_date

round_cli = AppGroup("round", help="Appraisal rounds: close a round and print its results.")
hr_cli = AppGroup("hr", help="HR reports: development metrics and the survey.")
hipps_cli = AppGroup("hipps", help="HiPPS officers: key projects and the round's reports.")


def _round(session: Session, agency_code: str | None, fiscal_year: int, round_no: int) -> Round:
    agency = _agency(session, agency_code)
    round_ = session.scalars(select(Round).where(
        Round.agency_id == agency.id, Round.fiscal_year == fiscal_year,
        Round.round_no == round_no)).first()
    if round_ is None:
        raise click.ClickException(f"ไม่พบรอบที่ {round_no}/{fiscal_year} / "
                                   f"no round {round_no} of fiscal year {fiscal_year}")
    return round_


def _number(value: Decimal | None) -> Any:
    """A Decimal as a JSON number with the same digits (a float prints its shortest form, and
    these have at most 5 decimals, so 89.99 stays 89.99 and 89.998 stays 89.998)."""
    return None if value is None else float(value)


@round_cli.command("close")
@click.argument("fiscal_year", type=int)
@click.argument("round_no", metavar="ROUND", type=int)
@click.option("--agency", "agency_code", help="agency code (needed when there are several)")
@click.option("--early", "early_reason", metavar="REASON",
              help="close before the round's end date, for this reason (audited)")
@click.option("--yes", is_flag=True, help="do not ask for confirmation (for scripts)")
def round_close(fiscal_year: int, round_no: int, agency_code: str | None,
                early_reason: str | None, yes: bool) -> None:
    """Compute every officer's result of the round, after a summary and a confirmation.

    Before the round's end date it needs --early "reason". A KPI without a confirmed result
    leaves its officer incomplete (no overall, no band) until it is confirmed or HR scores it
    0 (`flask round missing`). Closing again recomputes.
    """
    from handlers.appraisals import close_round
    from models.appraisal import ScoreError
    from models.results import close_preview

    settings = current_app.config["SETTINGS"]
    now = clock.now(settings.timezone)
    reason = " ".join((early_reason or "").split()) or None
    with db.session_scope() as session:
        round_ = _round(session, agency_code, fiscal_year, round_no)
        preview = close_preview(session, round_, now.date())
        if preview.before_end and reason is None:
            raise click.ClickException(
                f"รอบนี้สิ้นสุดวันที่ {format_date(round_.ends_on)} ยังปิดก่อนกำหนดไม่ได้ "
                "หากจำเป็นต้องปิดก่อน ให้ระบุเหตุผลด้วย --early \"เหตุผล\" / the round ends on "
                f"{round_.ends_on.isoformat()}: closing it early needs --early \"reason\"")
        click.echo(f"รอบ {round_no}/{fiscal_year}: {preview.people} คน, ครบ {preview.complete} คน, "
                   f"ยังไม่ครบ {preview.incomplete} คน, รายงานรอรับรอง {preview.pending_reports} "
                   f"ฉบับ / people {preview.people}, complete {preview.complete}, incomplete "
                   f"{preview.incomplete}, pending reports {preview.pending_reports}")
        for code, numbers in preview.missing.items():
            click.echo(f"  {code}: ยังไม่มีผลที่รับรองของตัวชี้วัดที่ "
                       f"{', '.join(str(n) for n in numbers)} / missing KPI {numbers}")
        if preview.before_end:
            click.echo(f"ปิดก่อนวันสิ้นสุดรอบ ({format_date(round_.ends_on)}) เหตุผล: {reason}")
        if not yes and not click.confirm("ปิดรอบและคำนวณผล? / close the round and compute?",
                                         default=False):
            raise click.ClickException("ยกเลิก ไม่มีการเปลี่ยนแปลง / cancelled, nothing changed")
        try:
            summary = close_round(session, round_, now, now.date(), early_reason=reason)
        except ScoreError as exc:  # e.g. the agency's weights do not sum to 100
            raise click.ClickException(f"{exc.th} / {exc.en}") from None
        session.commit()
    click.echo(f"ปิดรอบ {round_no}/{fiscal_year}: คำนวณผล {summary.computed} คน, "
               f"อนุมัติแล้ว (คงเดิม) {summary.frozen} คน")
    if summary.incomplete:
        click.echo("ยังไม่ครบ ไม่คำนวณคะแนนรวม / incomplete, no overall: "
                   + ", ".join(summary.incomplete), err=True)
    if summary.reopened:
        click.echo("ผลเปลี่ยน ส่งให้ผู้ประเมินอนุมัติใหม่ / changed, back to the evaluator: "
                   + ", ".join(summary.reopened))
    if summary.cases_closed:
        click.echo("ปิดกรณีผู้มีผลต่ำกว่าเกณฑ์ (ผลใหม่ไม่ต่ำกว่า 60) / cases closed: "
                   + ", ".join(c.officer.staff_code for c in summary.cases_closed))


@round_cli.command("missing")
@click.argument("fiscal_year", type=int)
@click.argument("round_no", metavar="ROUND", type=int)
@click.argument("staff_code")
@click.option("--zero", "decision", flag_value="zero",
              help="score the KPIs without a confirmed result as level 0")
@click.option("--wait", "decision", flag_value="wait", help="wait for the results (default)")
@click.option("--reason", required=True, help="why (kept in the audit log)")
@click.option("--agency", "agency_code", help="agency code (needed when there are several)")
def round_missing(fiscal_year: int, round_no: int, staff_code: str, decision: str | None,
                  reason: str, agency_code: str | None) -> None:
    """HR's choice for an incomplete officer: --wait, or --zero (missing KPIs scored 0)."""
    from models.results import decide_missing

    reason = " ".join(reason.split())
    if not reason:
        raise click.ClickException("กรุณาระบุเหตุผลด้วย --reason / a reason is needed")
    with db.one_writer(), db.session_scope() as session:
        round_ = _round(session, agency_code, fiscal_year, round_no)
        officer = session.scalars(select(Staff).where(Staff.agency_id == round_.agency_id,
                                                      Staff.staff_code == staff_code)).first()
        if officer is None:
            raise click.ClickException(f"ไม่พบบุคลากรรหัส {staff_code} / no staff {staff_code}")
        decide_missing(session, round_, officer, decision == "zero", reason)
        session.commit()
    click.echo(f"{staff_code}: " + ("ตัวชี้วัดที่ไม่มีผลคิดเป็นระดับ 0 (มีผลเมื่อปิดรอบอีกครั้ง)"
                                     if decision == "zero" else "รอผลที่รับรอง"))


@round_cli.command("results")
@click.argument("fiscal_year", type=int)
@click.argument("round_no", metavar="ROUND", type=int)
@click.option("--agency", "agency_code", help="agency code (needed when there are several)")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True)
def round_results(fiscal_year: int, round_no: int, agency_code: str | None, fmt: str) -> None:
    """Print each officer's achievement, competency, overall score and band."""
    from models.appraisal import shown
    from models.results import round_results as results

    with db.session_scope() as session:
        rows = results(session, _round(session, agency_code, fiscal_year, round_no))
    if fmt == "json":
        click.echo(json.dumps([{"staff_code": r["staff_code"],
                                "achievement": _number(r["achievement"]),
                                "competency": _number(r["competency"]),
                                "overall": _number(r["overall"]), "band": r["band"],
                                "complete": r["complete"], "missing": r["missing"]}
                               for r in rows], ensure_ascii=False, indent=2))
        return
    for r in rows:
        missing = (f"\tยังไม่มีผล: ข้อ {', '.join(str(n) for n in r['missing'])}"
                   if r["missing"] else "")
        click.echo(f"{r['staff_code']}\t{r['name_th']}\t{shown(r['achievement'])}\t"
                   f"{shown(r['competency'])}\t{shown(r['overall'])}\t{r['band'] or '-'}{missing}")


@hr_cli.command("metrics")
@click.argument("fiscal_year", type=int)
@click.option("--agency", "agency_code", help="agency code (needed when there are several)")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "xlsx"]),
              default="table", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="write to this file (needed for xlsx)")
def hr_metrics(fiscal_year: int, agency_code: str | None, fmt: str, output: Path | None) -> None:
    """Seed 004: % of staff with an IDP, % acting on it, satisfaction with development."""
    from handlers.hr_reports import development_metrics, metrics_csv, metrics_xlsx

    with db.session_scope() as session:
        metrics = development_metrics(session, _agency(session, agency_code).id, fiscal_year)
    if fmt == "xlsx":
        if output is None:
            raise click.ClickException("xlsx ต้องระบุ -o FILE / xlsx needs -o FILE")
        output.write_bytes(metrics_xlsx(metrics))
        click.echo(str(output))
        return
    text = (json.dumps(metrics.as_dict(), ensure_ascii=False, indent=2) if fmt == "json"
            else metrics_csv(metrics) if fmt == "csv"
            else "\n".join(f"{label}\t{value}" for label, value in metrics.rows()))
    if output is not None:
        output.write_text(text, encoding="utf-8")
        click.echo(str(output))
    else:
        click.echo(text)


@hr_cli.command("survey-send")
@click.option("--agency", "agency_code", help="agency code (needed when there are several)")
def hr_survey_send(agency_code: str | None) -> None:
    """Push the development-satisfaction survey (1–5) to every linked, active staff member."""
    from handlers.appraisal_cards import survey_message
    from handlers.outbox import enqueue_push
    from models import LineUser
    from models.development import fiscal_year

    settings = current_app.config["SETTINGS"]
    year = fiscal_year(clock.now(settings.timezone).date())
    with db.session_scope() as session:
        agency = _agency(session, agency_code)
        users = session.scalars(select(LineUser.user_id).join(Staff, Staff.id == LineUser.staff_id)
                                .where(Staff.agency_id == agency.id, Staff.active.is_(True),
                                       LineUser.following.is_(True))).all()
        for user_id in users:
            enqueue_push(session, user_id, [survey_message(year)])
        audit(session, "survey.sent", subject=f"survey:{year}", recipients=len(users))
        session.commit()
    click.echo(f"ส่งแบบสำรวจถึง {len(users)} คน")


@hipps_cli.command("add-project")
@click.argument("fiscal_year", type=int)
@click.argument("round_no", metavar="ROUND", type=int)
@click.argument("staff_code")
@click.argument("title")
@click.option("--milestone", "milestones", multiple=True, metavar="YYYY-MM-DD:TITLE",
              help="a milestone (repeat, in order)")
@click.option("--agency", "agency_code", help="agency code (needed when there are several)")
def hipps_add_project(fiscal_year: int, round_no: int, staff_code: str, title: str,
                      milestones: tuple[str, ...], agency_code: str | None) -> None:
    """Give a HiPPS officer a key project (โครงการสำคัญ) with its milestones."""
    with db.session_scope() as session:
        round_ = _round(session, agency_code, fiscal_year, round_no)
        officer = session.scalars(select(Staff).where(Staff.agency_id == round_.agency_id,
                                                      Staff.staff_code == staff_code)).first()
        if officer is None or not officer.is_hipps:
            raise click.ClickException(f"{staff_code} ไม่ใช่ข้าราชการ HiPPS / is not a HiPPS officer")
        project = add_project(session, officer, round_, title,
                              [_milestone(raw) for raw in milestones])
        session.commit()
        click.echo(f"key project {project.id}: {len(milestones)} milestones")


def _milestone(raw: str) -> tuple[date, str]:
    day, _, title = raw.partition(":")
    try:  # 30/06/2570 (พ.ศ.) or 2027-06-30
        due = parse_input_date(day.strip())
    except DateInputError:
        raise click.BadParameter(f"{raw!r}: ต้องเป็น วว/ดด/พ.ศ.:ชื่อขั้นตอน "
                                 "(หรือ YYYY-MM-DD:ชื่อขั้นตอน)") from None
    if not title.strip():
        raise click.BadParameter(f"{raw!r}: ไม่มีชื่อขั้นตอน / no milestone title")
    return due, title.strip()


def add_project(session: Session, officer: Staff, round_: Round, title: str,
                milestones: list[tuple[date, str]]) -> Any:
    from models.hipps import KeyProject, Milestone

    project = KeyProject(officer_id=officer.id, round_id=round_.id, title=title)
    for number, (due, name) in enumerate(milestones, start=1):
        project.milestones.append(Milestone(number=number, title=name, due_on=due))
    session.add(project)
    session.flush()
    audit(session, "hipps.project_added", subject=f"project:{project.id}",
          officer=officer.staff_code, milestones=len(milestones))
    return project


@hipps_cli.command("export")
@click.argument("fiscal_year", type=int)
@click.argument("round_no", metavar="ROUND", type=int)
@click.option("-o", "--output", "out_dir", required=True,
              type=click.Path(file_okay=False, path_type=Path), help="folder for the files")
@click.option("--agency", "agency_code", help="agency code (needed when there are several)")
def hipps_export_cmd(fiscal_year: int, round_no: int, out_dir: Path,
                     agency_code: str | None) -> None:
    """Every HiPPS report of the round: one XLSX per officer and summary.xlsx."""
    from handlers.hr_reports import hipps_export

    with db.session_scope() as session:
        files = hipps_export(session, _round(session, agency_code, fiscal_year, round_no),
                             current_app.config["SETTINGS"].tz)
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (out_dir / name).write_bytes(data)
    click.echo(f"{len(files) - 1} รายงาน + summary.xlsx → {out_dir}")


def init_app(app: Flask) -> None:
    """Register the groups; if another part of the bot made a group of the same name first
    (`flask round …` deadlines, `flask hr …` console), add these commands to it instead."""
    for group in (round_cli, hr_cli, hipps_cli):
        existing = app.cli.commands.get(group.name or "")
        if isinstance(existing, click.Group):
            for command in group.commands.values():
                existing.add_command(command)
        else:
            app.cli.add_command(group)
