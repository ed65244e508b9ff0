"""Official documents as PDFs, for HR: one officer's result, a round's results and certificates
(all, or one unit with its sub-units), the certificates alone, the round's HiPPS reports and a
low-performer case report. Only the signed-in HR administrator's own agency; every download is
audited. Where the PDF engine cannot run here, the page says in Thai what is missing."""
from __future__ import annotations

import tempfile
from typing import Any
from urllib.parse import quote

from flask import Response, abort, current_app, request, send_file
from sqlalchemy import select

from bot import db
from bot.console import bp, files_bp, refuse, register_page
from bot.console.views import _audit, _me, _session
from bot.documents import render, zips
from models import Round, Staff
from models.appraisal import Appraisal, LowPerformerCase

PDF = "application/pdf"
ZIP = "application/zip"


def disposition(filename: str, fallback: str) -> str:
    """Content-Disposition with a Thai file name (RFC 5987 filename*) and an ASCII fallback."""
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"


def _tz() -> Any:
    return current_app.config["SETTINGS"].tz


def _unavailable(exc: render.PdfUnavailable) -> Response:
    return refuse(503, "สร้างไฟล์ PDF ไม่ได้", exc.th)


def _round(fiscal_year: int, round_no: int) -> Round:
    round_ = _session().scalars(select(Round).where(
        Round.agency_id == _me().agency_id, Round.fiscal_year == fiscal_year,
        Round.round_no == round_no)).first()
    if round_ is None:
        abort(404)
    return round_


def _send(body: Any, mimetype: str, filename: str, fallback: str, subject: str) -> Response:
    with db.one_writer():
        _audit("console.document", subject, filename=fallback)
        _session().commit()
    if isinstance(body, bytes):
        response = Response(body, mimetype=mimetype)
    else:  # a temporary file: sent, then gone
        response = send_file(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = disposition(filename, fallback)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def result_document(result_id: int) -> Response:
    session, me = _session(), _me()
    appraisal = session.get(Appraisal, result_id)
    round_ = session.get(Round, appraisal.round_id) if appraisal is not None else None
    if appraisal is None or round_ is None or round_.agency_id != me.agency_id:
        abort(404)
    officer = session.get(Staff, appraisal.officer_id)
    assert officer is not None
    try:
        body = zips.result_pdf(session, appraisal, _tz())
    except render.PdfUnavailable as exc:
        return _unavailable(exc)
    stem = f"{zips.safe(officer.staff_code)}-{round_.fiscal_year}-{round_.round_no}"
    return _send(body, PDF, f"ผลการประเมิน-{stem}.pdf", f"result-{stem}.pdf",
                 f"appraisal:{appraisal.id}")


def _zip_response(write: Any, filename: str, fallback: str, subject: str) -> Response:
    spool = tempfile.TemporaryFile()
    try:
        write(spool)
    except render.PdfUnavailable as exc:
        spool.close()
        return _unavailable(exc)
    spool.seek(0)
    return _send(spool, ZIP, filename, fallback, subject)


def round_documents(fiscal_year: int, round_no: int) -> Response:
    session = _session()
    round_ = _round(fiscal_year, round_no)
    unit = request.args.get("unit", "").strip() or None
    if unit is not None:
        try:
            zips.round_appraisals(session, round_, unit)
        except ValueError as exc:
            return refuse(404, "ไม่พบหน่วยงาน", str(exc))
    stem = f"{fiscal_year}-{round_no}" + (f"-{zips.safe(unit)}" if unit else "")
    return _zip_response(lambda target: zips.round_zip(session, round_, target, unit, _tz()),
                         f"ผลการประเมินและเกียรติบัตร-{stem}.zip", f"round-{stem}.zip",
                         f"round:{round_.id}")


def certificate_documents(fiscal_year: int, round_no: int) -> Response:
    session = _session()
    round_ = _round(fiscal_year, round_no)
    stem = f"{fiscal_year}-{round_no}"
    return _zip_response(lambda target: zips.round_zip(session, round_, target, tz=_tz(),
                                                       results=False),
                         f"เกียรติบัตร-{stem}.zip", f"certificates-{stem}.zip",
                         f"round:{round_.id}")


def hipps_documents(fiscal_year: int, round_no: int) -> Response:
    session = _session()
    round_ = _round(fiscal_year, round_no)
    stem = f"{fiscal_year}-{round_no}"
    return _zip_response(lambda target: zips.hipps_zip(session, round_, target, _tz()),
                         f"รายงาน-HiPPS-{stem}.zip", f"hipps-{stem}.zip", f"round:{round_.id}")


def lowperf_document(case_id: int) -> Response:
    session, me = _session(), _me()
    case = session.get(LowPerformerCase, case_id)
    if case is None or case.officer.agency_id != me.agency_id:
        abort(404)
    try:
        body = zips.lowperf_pdf(session, case, _tz())
    except render.PdfUnavailable as exc:
        return _unavailable(exc)
    stem = f"{zips.safe(case.officer.staff_code)}-{case.id}"
    return _send(body, PDF, f"รายงานผู้มีผลต่ำกว่าเกณฑ์-{stem}.pdf", f"lowperf-{stem}.pdf",
                 f"case:{case.id}")


register_page("/documents/result/<int:result_id>.pdf", "document_result", None, result_document)
register_page("/documents/round/<int:fiscal_year>/<int:round_no>.zip", "document_round", None,
              round_documents)
register_page("/documents/certificates/<int:fiscal_year>/<int:round_no>.zip",
              "document_certificates", None, certificate_documents)
register_page("/documents/hipps/<int:fiscal_year>/<int:round_no>.zip", "document_hipps", None,
              hipps_documents)
register_page("/documents/lowperf/<int:case_id>.pdf", "document_lowperf", None, lowperf_document)


def round_documents_links(round_: Round | None) -> dict[str, Any]:
    """For the appraisal page: the round's result ids by staff code, its cases, its units."""
    if round_ is None:
        return {"results": {}, "cases": [], "units": []}
    from handlers.audience import units

    session = _session()
    results = {code: appraisal_id for appraisal_id, code in session.execute(
        select(Appraisal.id, Staff.staff_code).join(Staff, Staff.id == Appraisal.officer_id)
        .where(Appraisal.round_id == round_.id))}
    cases = session.execute(select(LowPerformerCase.id, Staff.staff_code, Staff.name_th)
                            .join(Staff, Staff.id == LowPerformerCase.officer_id)
                            .where(LowPerformerCase.round_id == round_.id)
                            .order_by(Staff.staff_code)).all()
    return {"results": results, "cases": cases, "units": units(session, _me().agency_id)}


def person_documents_links(staff_id: int) -> dict[str, Any]:
    """For a person's page: their results (with the round) and their low-performer cases."""
    session = _session()
    results = session.execute(select(Appraisal.id, Round.fiscal_year, Round.round_no,
                                     Appraisal.band)
                              .join(Round, Round.id == Appraisal.round_id)
                              .where(Appraisal.officer_id == staff_id,
                                     Round.agency_id == _me().agency_id)
                              .order_by(Round.fiscal_year.desc(), Round.round_no.desc())).all()
    cases = session.execute(select(LowPerformerCase.id, Round.fiscal_year, Round.round_no)
                            .join(Round, Round.id == LowPerformerCase.round_id)
                            .where(LowPerformerCase.officer_id == staff_id,
                                   Round.agency_id == _me().agency_id)).all()
    return {"results": results, "cases": cases}


@bp.app_context_processor
def _document_links() -> dict[str, Any]:
    return {"round_documents_links": round_documents_links,
            "person_documents_links": person_documents_links}


# --- an officer's own result, from the link the chat sent them (handlers/documents.py) --------

@files_bp.get("/files/result/<token>.pdf")
def own_result(token: str) -> Response:
    from bot import clock
    from handlers import documents as links

    settings = current_app.config["SETTINGS"]
    with db.one_writer(), db.session_scope() as session:
        appraisal = links.redeem(session, token, clock.now(settings.timezone))
        session.commit()
    if appraisal is None:
        return refuse(404, "ลิงก์นี้ใช้ไม่ได้แล้ว",
                      "ลิงก์หมดอายุหรือไม่ถูกต้อง พิมพ์ ขอผลประเมิน PDF ในแชต LINE "
                      "เพื่อขอลิงก์ใหม่")
    with db.session_scope() as session:
        appraisal = session.get(Appraisal, appraisal.id)
        assert appraisal is not None
        round_ = session.get(Round, appraisal.round_id)
        officer = session.get(Staff, appraisal.officer_id)
        assert round_ is not None and officer is not None
        try:
            body = zips.result_pdf(session, appraisal, settings.tz)
        except render.PdfUnavailable as exc:
            return _unavailable(exc)
        stem = f"{zips.safe(officer.staff_code)}-{round_.fiscal_year}-{round_.round_no}"
    response = Response(body, mimetype=PDF)
    response.headers["Content-Disposition"] = disposition(f"ผลการประเมิน-{stem}.pdf",
                                                          f"result-{stem}.pdf")
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
