"""`flask hr documents …`: the official PDFs of a round, as one zip.

    flask hr documents round FY N [--unit CODE] -o FILE.zip   every officer's result PDF and the
                                                              certificates (ดีเด่น/ดีมาก/ดี)
    flask hr documents hipps FY N -o FILE.zip                 the round's HiPPS reports
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import click
from flask import current_app
from flask.cli import AppGroup

from bot import db, exports
from bot.cli_hr import _agency_id, hr_cli
from bot.documents import render, zips
from models import audit

documents_cli = AppGroup("documents", help="Official PDFs (results, certificates, HiPPS).")
hr_cli.add_command(documents_cli)


def _options(function: Any) -> Any:  # a stack of click decorators
    function = click.option("--workers", type=click.IntRange(1, 8),
                            default=lambda: min(8, os.cpu_count() or 1),
                            show_default="the number of CPUs",
                            help="processes laying out the PDFs")(function)
    function = click.option("-o", "--output", required=True,
                            type=click.Path(dir_okay=False, writable=True))(function)
    return click.option("--agency", "agency_code")(function)


def _write(kind: str, fiscal_year: int, round_no: int, output: str, agency_code: str | None,
           workers: int, unit: str | None = None) -> None:
    tz = current_app.config["SETTINGS"].tz
    target = Path(output)
    partial = target.with_name(target.name + ".part")
    with db.session_scope() as session:
        round_ = exports.find_round(session, _agency_id(session, agency_code), fiscal_year,
                                    round_no)
        if round_ is None:
            raise click.ClickException(f"ไม่พบรอบที่ {round_no}/{fiscal_year} / no such round")
        try:
            if kind == "hipps":
                names = zips.hipps_zip(session, round_, partial, tz, workers)
            else:
                names = zips.round_zip(session, round_, partial, unit, tz, workers)
        except render.PdfUnavailable as exc:
            partial.unlink(missing_ok=True)
            raise click.ClickException(exc.th) from exc
        except ValueError as exc:  # an unknown unit code
            partial.unlink(missing_ok=True)
            raise click.ClickException(str(exc)) from exc
        partial.replace(target)
        with db.one_writer():
            audit(session, "documents.exported", subject=f"round:{round_.id}", kind=kind,
                  unit=unit, files=len(names), via="cli")
            session.commit()
    click.echo(f"บันทึกแล้ว {len(names)} ไฟล์ / written {len(names)} files: {output}")


@documents_cli.command("round")
@click.argument("fiscal_year", type=int)
@click.argument("round_no", type=int)
@click.option("--unit", help="only this unit (code) and its sub-units")
@_options
def documents_round(fiscal_year: int, round_no: int, unit: str | None, output: str,
                    agency_code: str | None, workers: int) -> None:
    """Every officer's result PDF (results/<code>.pdf) and the certificates
    (certificates/<code>.pdf) of the round, as one zip."""
    _write("round", fiscal_year, round_no, output, agency_code, workers, unit)


@documents_cli.command("hipps")
@click.argument("fiscal_year", type=int)
@click.argument("round_no", type=int)
@_options
def documents_hipps(fiscal_year: int, round_no: int, output: str, agency_code: str | None,
                    workers: int) -> None:
    """The round's HiPPS reports (hipps/<code>.pdf), as one zip."""
    _write("hipps", fiscal_year, round_no, output, agency_code, workers)
