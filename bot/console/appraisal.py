"""Console pages of the appraisal round: a round's results (and closing the round), the
seed-004 development metrics, and the HiPPS reports of a round as files. The work is done by
the domain's functions (models/results.py) and the services in handlers/, the same ones the
`flask round`/`flask hr`/`flask hipps` commands use.
"""
from __future__ import annotations

import io
import zipfile
from typing import Any

from flask import Response, abort, redirect, request, url_for
from sqlalchemy import select

from bot import db
from bot.console import charts, register_page, render_page
from bot.console.data import report_timelines
from bot.console.views import _audit, _me, _now, _round_from_args, _rounds, _session, _tz
from handlers.appraisals import close_round
from handlers.hr_reports import development_metrics, hipps_export, metrics_csv, metrics_xlsx
from models import Round, Staff
from models.appraisal import BANDS
from models.numbers import is_id
from models.readiness import round_readiness
from models.results import close_preview, decide_missing
from models.results import round_results as results

SHOWN = 300  # people listed per group on the round page (the counts cover everyone)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _round_by_id(round_id: str) -> Round:
    round_ = _session().get(Round, int(round_id)) if is_id(round_id) else None
    if round_ is None or round_.agency_id != _me().agency_id:
        abort(404)
    return round_


def appraisal() -> str:
    """The round's page: before closing, who is complete and what the others lack, and each
    unit's reports over the round; after, the results by band. Charts with tables beside."""
    session, me = _session(), _me()
    round_ = _round_from_args(session, me.agency_id)
    rows = results(session, round_) if round_ is not None else []
    counted: dict[str, int] = {}
    for row in rows:
        if row["band"]:
            counted[row["band"]] = counted.get(row["band"], 0) + 1
    bands = [(band, counted.get(band, 0)) for _lower, band in BANDS]
    metrics = (development_metrics(session, me.agency_id, round_.fiscal_year)
               if round_ is not None else None)
    readiness = round_readiness(session, round_) if round_ is not None else []
    timelines = (report_timelines(session, me.agency_id, round_, _now().date())
                 if round_ is not None else [])
    return render_page("console/appraisal.html", title="ผลการประเมินและการพัฒนา",
                       rounds=_rounds(session, me.agency_id), round=round_, rows=rows,
                       bands=bands, band_chart=charts.band_bars(bands) if any(counted) else "",
                       readiness=readiness, shown=SHOWN,
                       incomplete=[r for r in readiness if not r.complete],
                       timelines=[(t, charts.timeline(t)) for t in timelines],
                       metrics=metrics, closed=request.args.get("closed"))


def appraisal_close() -> Any:
    """Closing is deliberate: the first post shows a summary (people, complete, incomplete,
    pending reports, what is missing) and asks for confirmation; before the round's end the
    confirmation needs a reason. Only the confirmed post computes (or recomputes)."""
    session, me = _session(), _me()
    round_ = _round_by_id(request.form.get("round_id", ""))
    now = _now()
    preview = close_preview(session, round_, now.date())
    reason = " ".join(request.form.get("early_reason", "").split())
    error = None
    if request.form.get("confirm") == "1":
        if preview.before_end and not reason:
            error = "รอบนี้ยังไม่สิ้นสุด กรุณาระบุเหตุผลที่ต้องปิดก่อนกำหนด"
        else:
            with db.one_writer():
                summary = close_round(session, round_, now, now.date(), actor_staff_id=me.id,
                                      early_reason=reason or None)
                _audit("console.round_closed", f"round:{round_.id}", computed=summary.computed,
                       incomplete=len(summary.incomplete), early=reason or None)
                session.commit()
            return redirect(url_for("console.appraisal",
                                    round=f"{round_.fiscal_year}-{round_.round_no}",
                                    closed=summary.computed))
    return render_page("console/appraisal_close.html", title="ยืนยันการปิดรอบ", round=round_,
                       preview=preview, error=error, reason=reason)


def appraisal_missing() -> Any:
    """HR's choice for an incomplete officer: wait, or score the missing KPIs as 0 (audited)."""
    session, me = _session(), _me()
    round_ = _round_by_id(request.form.get("round_id", ""))
    officer = session.scalars(select(Staff).where(
        Staff.agency_id == me.agency_id,
        Staff.staff_code == request.form.get("staff_code", ""))).first()
    decision = request.form.get("decision", "")
    reason = " ".join(request.form.get("reason", "").split())
    if officer is None or decision not in ("zero", "wait"):
        abort(400)
    if not reason:
        return render_page("console/appraisal_close.html", title="ยืนยันการปิดรอบ", round=round_,
                           preview=close_preview(session, round_, _now().date()),
                           error="กรุณาระบุเหตุผลของการตัดสินใจ", reason="")
    with db.one_writer():
        decide_missing(session, round_, officer, decision == "zero", reason, me.id)
        session.commit()
    return render_page("console/appraisal_close.html", title="ยืนยันการปิดรอบ", round=round_,
                       preview=close_preview(session, round_, _now().date()), error=None,
                       reason="", decided=officer.staff_code)


def appraisal_metrics(fiscal_year: int, fmt: str) -> Response:
    metrics = development_metrics(_session(), _me().agency_id, fiscal_year)
    if fmt == "csv":
        body, mimetype = metrics_csv(metrics).encode("utf-8"), "text/csv; charset=utf-8"
    elif fmt == "xlsx":
        body, mimetype = metrics_xlsx(metrics), XLSX
    else:
        abort(404)
    return _file(body, mimetype, f"idp-metrics-{fiscal_year}.{fmt}")


def appraisal_hipps(round_id: int) -> Response:
    round_ = _round_by_id(str(round_id))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in hipps_export(_session(), round_, _tz()).items():
            archive.writestr(name, data)
    return _file(buffer.getvalue(), "application/zip",
                 f"hipps-{round_.fiscal_year}-{round_.round_no}.zip")


def _file(body: bytes, mimetype: str, filename: str) -> Response:
    with db.one_writer():
        _audit("console.export", filename=filename)
        _session().commit()
    response = Response(body, content_type=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


register_page("/appraisal", "appraisal", "ผลประเมินและ IDP", appraisal)
register_page("/appraisal/close", "appraisal_close", None, appraisal_close, methods=("POST",))
register_page("/appraisal/missing", "appraisal_missing", None, appraisal_missing,
              methods=("POST",))
register_page("/appraisal/metrics/<int:fiscal_year>.<fmt>", "appraisal_metrics", None,
              appraisal_metrics)
register_page("/appraisal/hipps/<int:round_id>.zip", "appraisal_hipps", None, appraisal_hipps)
