"""The console's office calendar and reminder policy pages (the reminders' settings, for HR)."""
from __future__ import annotations

from datetime import date

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from bot.fake_line import FakeLine
from models import AuditEntry
from models.calendar import CalendarOverride, OfficeCalendar
from models.reminders import load_policy
from tests.hr_console import csrf, people, signed_in


def test_hr_adds_and_removes_a_day_off(app: Flask, client: FlaskClient, fake_line: FakeLine,
                                       engine: Engine) -> None:
    p = people(app)
    assert client.get("/hr/calendar").status_code == 403
    signed_in(app, client, fake_line, p["hr_user"])
    page = client.get("/hr/calendar").get_data(as_text=True)
    assert "วันที่ HR กำหนดเอง" in page and "วันหยุดราชการ" in page
    token = csrf(client, "/hr/calendar")
    # a day the cabinet adds late: Friday 5 March 2027
    added = client.post("/hr/calendar", data={"csrf_token": token, "day": "2027-03-05",
                                               "office_day": "0", "note": "วันหยุดพิเศษ ครม."})
    assert added.status_code == 302
    assert client.post("/hr/calendar", data={"csrf_token": token, "day": "ไม่ใช่วันที่",
                                              "office_day": "0"}).status_code == 200
    with Session(engine) as session:
        assert not OfficeCalendar.load(session, p["agency_id"]).is_office_day(date(2027, 3, 5))
        assert [o.note for o in session.scalars(select(CalendarOverride))] == ["วันหยุดพิเศษ ครม."]
    assert "วันหยุดพิเศษ ครม." in client.get("/hr/calendar").get_data(as_text=True)
    client.post("/hr/calendar", data={"csrf_token": token, "day": "2027-03-05",
                                      "action": "remove"})
    with Session(engine) as session:
        assert OfficeCalendar.load(session, p["agency_id"]).is_office_day(date(2027, 3, 5))
        actions = [e.action for e in session.scalars(select(AuditEntry))]
        assert {"calendar.override", "calendar.override_removed"} <= set(actions)


def test_hr_changes_the_reminder_policy_and_bad_values_change_nothing(
        app: Flask, client: FlaskClient, fake_line: FakeLine, engine: Engine) -> None:
    p = people(app)
    signed_in(app, client, fake_line, p["hr_user"])
    page = client.get("/hr/reminders").get_data(as_text=True)
    assert 'value="7 3 1"' in page and 'value="08:30"' in page
    token = csrf(client, "/hr/reminders")
    form = {"csrf_token": token, "before_days": "5 2", "on_the_day": "1", "overdue_every": "1",
            "overdue_times": "2", "digest_to_supervisor": "0", "waiting_days": "2",
            "office_start": "09:00", "office_end": "16:30", "low_quota_percent": "15"}
    assert "บันทึกแล้ว" in client.post("/hr/reminders", data=form).get_data(as_text=True)
    bad = client.post("/hr/reminders", data={**form, "office_start": "17:00"})
    assert "เวลาเริ่มต้องก่อนเวลาเลิก" in bad.get_data(as_text=True)
    assert "กรุณากรอกตัวเลข" in client.post(
        "/hr/reminders", data={**form, "overdue_times": "สาม"}).get_data(as_text=True)
    with Session(engine) as session:
        policy = load_policy(session, p["agency_id"])
        assert policy.before_days == (5, 2) and not policy.digest_to_supervisor
        assert policy.office_start.strftime("%H:%M") == "09:00"  # the refused 17:00 is not kept
        assert policy.low_quota_percent == 15
        assert session.scalars(select(AuditEntry).where(
            AuditEntry.action == "reminder_policy.changed")).one()
