"""Console pages of the reminders: the office calendar (Thai holidays plus HR's overrides for
days the cabinet announces late) and the agency's reminder policy. The checks and the audit are in
models/calendar.py and models/reminders.py, shared with `flask calendar`.
"""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import redirect, request, url_for

from bot import db
from bot.console import register_page, render_page
from bot.console.views import _me, _now, _session
from models.calendar import describe_days, list_overrides, remove_override, set_override
from models.reminders import load_policy, set_policy
from thai import DateInputError, parse_input_date

DAYS_SHOWN = 120  # the days off ahead that the calendar page lists


def calendar() -> Any:
    session, me = _session(), _me()
    errors: list[str] = []
    if request.method == "POST":
        raw_day = request.form.get("day", "").strip()
        try:
            day = parse_input_date(raw_day)
        except DateInputError as exc:
            errors.append(str(exc))
        else:
            with db.one_writer():
                if request.form.get("action") == "remove":
                    remove_override(session, day, agency_id=me.agency_id, by_staff_id=me.id)
                else:
                    set_override(session, day, request.form.get("office_day") == "1",
                                 request.form.get("note", "").strip()[:200],
                                 agency_id=me.agency_id, by_staff_id=me.id)
                session.commit()
            return redirect(url_for("console.calendar"))
    today = _now().date()
    days_off = [(day, why) for day, office, why in
                describe_days(session, today, today + timedelta(days=DAYS_SHOWN),
                              agency_id=me.agency_id)
                if not office and day.weekday() < 5 or office and day.weekday() >= 5]
    return render_page("console/calendar.html", title="วันทำการและวันหยุด",
                       overrides=list_overrides(session, me.agency_id), days_off=days_off,
                       errors=errors, today=today)


def reminder_policy() -> Any:
    session, me = _session(), _me()
    errors: list[str] = []
    saved = False
    if request.method == "POST":
        form = request.form
        try:
            changes = {
                "before_days": sorted({int(d) for d in form.get("before_days", "").replace(
                    ",", " ").split()}, reverse=True),
                "on_the_day": form.get("on_the_day") == "1",
                "overdue_every": int(form.get("overdue_every", "")),
                "overdue_times": int(form.get("overdue_times", "")),
                "digest_to_supervisor": form.get("digest_to_supervisor") == "1",
                "waiting_days": int(form.get("waiting_days", "")),
                "office_start": form.get("office_start", "").strip(),
                "office_end": form.get("office_end", "").strip(),
                "low_quota_percent": int(form.get("low_quota_percent", "")),
            }
        except ValueError:
            errors.append("กรุณากรอกตัวเลขให้ครบทุกช่อง")
        else:
            with db.one_writer():
                try:
                    set_policy(session, me.agency_id, by_staff_id=me.id, **changes)
                except ValueError as exc:
                    session.rollback()  # nothing of a refused change is kept
                    errors.append(str(exc))
                else:
                    session.commit()
                    saved = True
    return render_page("console/reminder_policy.html", title="การเตือนกำหนดส่ง",
                       policy=load_policy(session, me.agency_id), errors=errors, saved=saved)


register_page("/calendar", "calendar", "วันหยุด", calendar, methods=("GET", "POST"))
register_page("/reminders", "reminder_policy", "การเตือน", reminder_policy,
              methods=("GET", "POST"))
