"""The console as HR reads it: every page of the demo, after a round is closed and an
announcement and a form are sent, shows Thai words and พ.ศ. dates: no stored English code
(a status, an audit action, a holiday's English name) and no ISO date in the visible text."""
from __future__ import annotations

import re
from datetime import date, datetime
from html.parser import HTMLParser
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from bot.demo import PEOPLE, seed_demo
from bot.demo_appraisal import seed_appraisal_demo
from bot.fake_line import FakeLine
from models import Announcement, Form, Staff
from tests.hr_console import csrf, signed_in
from thai.labels import AUDIT_LABELS, STATUS_LABELS

BKK = ZoneInfo("Asia/Bangkok")
TODAY = date(2026, 11, 21)
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
# English words a Thai HR officer reads on these pages as they are: names of things, and words
# inside the demo's own data (seed 002's title "(Career path)", KPI names "eMENSCR", "SMART")
ALLOWED_WORDS = {"HR", "LINE", "CSV", "Excel", "XLSX", "HiPPS", "IDP", "KPI", "zip", "PDF",
                 "Career", "path", "eMENSCR", "SMART", "Dashboard"}
CODES = ({code for kind in ("report", "work", "decision", "appraisal", "case", "idp_item",
                            "milestone", "hipps", "send", "outbox", "change", "push", "anchor")
          for code in STATUS_LABELS[kind]} | set(AUDIT_LABELS))


class _Visible(HTMLParser):
    """The text a person sees: no tags, attributes, scripts or styles."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "title"):
            self._hidden += 1
        if tag == "input" and dict(attrs).get("type", "text") in ("text", "search", "number"):
            self.parts.append(dict(attrs).get("value") or "")  # what a field shows

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "title"):
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    return " ".join(parser.parts)


def english_left(text: str) -> set[str]:
    """Stored codes, ISO dates and English words other than the few HR knows, in `text`."""
    found = set(ISO_DATE.findall(text))
    found |= {code for code in CODES if re.search(rf"(?<![\w.]){re.escape(code)}(?![\w.])", text)}
    found |= {w for w in re.findall(r"[A-Za-z][A-Za-z_.]{2,}", text) if w not in ALLOWED_WORDS}
    return found


def test_the_checker_finds_what_a_page_must_not_show() -> None:
    html = ('<table><tr><td>computed</td><td>2027-01-15</td><td>report.superseded</td>'
            '<td>Makha Bucha (in lieu)</td><td><input type="hidden" value="2027-01-15">'
            '</td></tr></table><script>var x = "2099-01-01";</script>')
    assert english_left(visible_text(html)) == {
        "computed", "2027-01-15", "report.superseded", "Makha", "Bucha", "lieu"}
    assert english_left(visible_text("<p>ส่งแล้ว 15 ม.ค. 2570 · Excel (XLSX) · HR</p>")) == set()


@pytest.fixture
def demo_console(app: Flask, client: FlaskClient, fake_line: FakeLine, engine: Engine,
                 monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """The demo agency with its round's results, HR signed in, an announcement and a form sent
    from the console, and the round closed from it."""
    monkeypatch.setattr("bot.clock.now", lambda _tz: datetime(2026, 11, 21, 10, 0, tzinfo=BKK))
    with Session(engine) as session:
        seed_demo(session, today=TODAY)
        assert seed_appraisal_demo(session, today=TODAY)
        session.commit()
    hr = next(p for p in PEOPLE if p.staff_code == "D0001")
    signed_in(app, client, fake_line, hr.line_user_id)
    token = csrf(client)
    assert client.post("/hr/announcements", data={
        "csrf_token": token, "body": "ขอเชิญประชุม", "audience": "all", "action": "send",
        "send_at": "25/12/2569 09:00"}).status_code == 302
    assert client.post("/hr/announcements", data={
        "csrf_token": token, "body": "ประกาศทันที", "audience": "all",
        "action": "send"}).status_code == 302
    assert client.post("/hr/forms", data={
        "csrf_token": token, "title": "สำรวจ", "sections": "# ช่องทาง\n- บอร์ด\n- เว็บ",
        "due_on": "31/12/2569", "audience": "all", "action": "send"}).status_code == 302
    assert client.post("/hr/calendar", data={
        "csrf_token": token, "day": "04/12/2569", "office_day": "0",
        "note": "วันหยุดพิเศษ"}).status_code == 302
    with Session(engine) as session:
        round_id = session.scalar(select(Staff.id).limit(1))
        from models import Round
        round_ = session.scalars(select(Round)).one()
        round_id = round_.id
        staff = [s.id for s in session.scalars(select(Staff))]
        announcements = [a.id for a in session.scalars(select(Announcement))]
        forms = [f.id for f in session.scalars(select(Form))]
    closed = client.post("/hr/appraisal/close", data={
        "csrf_token": token, "round_id": str(round_id), "confirm": "1",
        "early_reason": "สาธิต"})
    assert closed.status_code in (200, 302)
    return {"staff": staff, "announcements": announcements, "forms": forms,
            "round_id": round_id, "token": token}


def test_no_english_code_or_iso_date_on_any_console_page(client: FlaskClient,
                                                        demo_console: dict[str, Any]) -> None:
    pages = ["/hr/", "/hr/people", "/hr/people?state=waiting", "/hr/announcements",
             "/hr/forms", "/hr/import", "/hr/settings", "/hr/audit", "/hr/appraisal",
             "/hr/calendar", "/hr/reminders", "/hr/unknown-messages"]
    pages += [f"/hr/people/{staff_id}" for staff_id in demo_console["staff"]]
    pages += [f"/hr/announcements/{a}" for a in demo_console["announcements"]]
    pages += [f"/hr/forms/{f}" for f in demo_console["forms"]]
    problems: dict[str, set[str]] = {}
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        left = english_left(visible_text(response.get_data(as_text=True)))
        if left:
            problems[path] = left
    preview = client.post("/hr/appraisal/close", data={
        "csrf_token": demo_console["token"], "round_id": str(demo_console["round_id"])})
    left = english_left(visible_text(preview.get_data(as_text=True)))
    if left:
        problems["/hr/appraisal/close"] = left
    assert problems == {}


def test_a_bad_typed_date_says_why_and_changes_nothing(client: FlaskClient, engine: Engine,
                                                       demo_console: dict[str, Any]) -> None:
    token = demo_console["token"]
    with Session(engine) as session:
        before = (session.scalar(select(Announcement.id).order_by(Announcement.id.desc())),
                  session.scalar(select(Form.id).order_by(Form.id.desc())))
    page = client.post("/hr/announcements", data={
        "csrf_token": token, "body": "ข้อความ", "audience": "all", "action": "send",
        "send_at": "31/02/2570 09:00"}).get_data(as_text=True)
    assert "ไม่มีวันที่ 31/2/2570" in page
    page = client.post("/hr/forms", data={
        "csrf_token": token, "title": "ฟอร์ม", "sections": "# ข้อ", "due_on": "31/12/2026",
        "audience": "all", "action": "send"}).get_data(as_text=True)
    assert "กรุณากรอกปีเป็น พ.ศ." in page
    page = client.post("/hr/calendar", data={
        "csrf_token": token, "day": "พรุ่งนี้", "office_day": "0"}).get_data(as_text=True)
    assert "อ่านวันที่" in page and "15/01/2570" in page
    with Session(engine) as session:
        assert (session.scalar(select(Announcement.id).order_by(Announcement.id.desc())),
                session.scalar(select(Form.id).order_by(Form.id.desc()))) == before
    form = client.get("/hr/forms").get_data(as_text=True)
    assert 'placeholder="วว/ดด/พ.ศ. เช่น 15/01/2570"' in form and 'type="date"' not in form
    announcements = client.get("/hr/announcements").get_data(as_text=True)
    assert 'type="datetime-local"' not in announcements
