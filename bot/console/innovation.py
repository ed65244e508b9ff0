"""HR marks a KPI, or a progress report, as innovation or digital work (seed 004's measure) on
the person page; the figures appear with the development metrics (handlers/hr_reports.py)."""
from __future__ import annotations

from typing import Any

from flask import abort, redirect, request, url_for

from bot import db
from bot.console import register_page
from bot.console.views import _me, _session
from models import Kpi, ProgressReport, ReportKind, Staff
from models.innovation import mark_kpi, mark_report
from models.numbers import is_id


def innovation_mark() -> Any:
    """POST kind=kpi|report, id, on=yes|no: only for a KPI or report of HR's own agency."""
    session, me = _session(), _me()
    kind, raw, on = (request.form.get("kind", ""), request.form.get("id", ""),
                     request.form.get("on", ""))
    if kind not in ("kpi", "report") or not is_id(raw) or on not in ("yes", "no"):
        abort(400)
    item: Kpi | ProgressReport | None
    if kind == "kpi":
        item = session.get(Kpi, int(raw))
        officer_id = item.agreement.officer_id if item is not None else None
    else:
        item = session.get(ProgressReport, int(raw))
        officer_id = item.officer_id if item is not None and item.kind == ReportKind.KPI \
            else None
    officer = session.get(Staff, officer_id) if officer_id is not None else None
    if item is None or officer is None or officer.agency_id != me.agency_id:
        abort(404)
    with db.one_writer():
        if isinstance(item, Kpi):
            mark_kpi(session, item, on == "yes", actor_staff_id=me.id)
        else:
            mark_report(session, item, on == "yes", actor_staff_id=me.id)
        session.commit()
    return redirect(url_for("console.person", staff_id=officer.id))


register_page("/innovation", "innovation_mark", None, innovation_mark, methods=("POST",))
