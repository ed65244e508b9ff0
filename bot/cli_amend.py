"""`flask kpi amend FISCAL_YEAR ROUND STAFF_CODE FILE --reason "…"`: amend a signed agreement as
a whole. FILE is JSON, the amended list of KPIs in order: `[{"name", "unit", "weight",
"target", "level1", …, "level5"}, …]` (1–10 KPIs, weights summing to exactly 100, five rising
or falling levels). It is checked whole, then the evaluator gets one card over LINE to approve
or reject it."""
from __future__ import annotations

import json
from pathlib import Path

import click
from sqlalchemy import select

from bot import db
from bot.cli_staff import _agency, kpi_cli
from models import AgreementError, KpiAgreement, Round, Staff


@kpi_cli.command("amend")
@click.argument("fiscal_year", type=int)
@click.argument("round_no", metavar="ROUND", type=int)
@click.argument("staff_code")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--reason", required=True, help="why the agreement changes (seed 001)")
@click.option("--agency", "agency_code", help="agency code (needed when there are several)")
def kpi_amend(fiscal_year: int, round_no: int, staff_code: str, file: Path, reason: str,
              agency_code: str | None) -> None:
    """Request an amendment of a signed agreement as a whole (the evaluator decides)."""
    from handlers.amendments import tell_evaluator
    from models.amendments import request_amendment

    try:
        rows = json.loads(file.read_text(encoding="utf-8-sig"))
    except (ValueError, UnicodeDecodeError):
        raise click.ClickException("ไฟล์ต้องเป็น JSON (UTF-8) / the file must be UTF-8 JSON") \
            from None
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise click.ClickException("ไฟล์ต้องเป็นรายการตัวชี้วัด [{...}, ...] / "
                                   "the file must be a list of KPIs")
    with db.one_writer(), db.session_scope() as session:
        agency = _agency(session, agency_code)
        agreement = session.scalars(
            select(KpiAgreement).join(Round, Round.id == KpiAgreement.round_id)
            .join(Staff, Staff.id == KpiAgreement.officer_id)
            .where(Round.agency_id == agency.id, Round.fiscal_year == fiscal_year,
                   Round.round_no == round_no, Staff.staff_code == staff_code)).first()
        if agreement is None:
            raise click.ClickException(f"ไม่พบข้อตกลงของ {staff_code} ในรอบที่ {round_no}/"
                                       f"{fiscal_year} / no agreement of {staff_code}")
        try:
            amendment = request_amendment(session, agreement, rows, requested_by_id=None,
                                          reason=" ".join(reason.split()))
        except AgreementError as error:
            raise click.ClickException(f"{error.th} / {error.en}") from None
        told = tell_evaluator(session, amendment)
        session.commit()
    click.echo(f"ส่งคำขอแก้ไขข้อตกลงของ {staff_code} ({len(rows)} ข้อ) ให้ผู้ประเมินแล้ว "
               f"({len(told)} คน) / amendment sent to the evaluator")
