"""The console in a real headless Chromium (Debian's `chromium`, driven by Playwright for
Python; never `playwright install`): sign in through the link pushed over LINE, see the
dashboard, compose and send an announcement, download an export and read it back; a forged
CSRF token and a reused link are refused."""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from bot import db
from bot.fake_line import FakeLine
from bot.serving import BackgroundServer
from models import Announcement, OutboxMessage
from tests.builders import deliver_outbox
from tests.hr_console import people, seed_demo_round, sign_in_link


def test_hr_signs_in_announces_and_exports_in_chromium(
        app: Flask, served_app: BackgroundServer, fake_line: FakeLine, browser: Any,
        tmp_path: Path) -> None:
    client = app.test_client()
    p = people(app)
    link = sign_in_link(app, client, fake_line, p["hr_user"])
    assert link is not None
    url = served_app.url + link.split("127.0.0.1:8000", 1)[1]
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.goto(url)
    page.click("#sign-in")
    page.wait_for_url(re.compile(r"/hr/$"))
    assert page.locator("h1").inner_text() == "ภาพรวมรอบการประเมิน"
    assert page.locator("svg.chart").count() == 1
    assert page.locator("#total-reported").inner_text() == "0"

    page.click("text=ประกาศ")
    page.fill("#body", "ขอเชิญประชุมชี้แจงการประเมิน วันศุกร์ 09:00")
    page.check("input[name=audience][value=all]")
    with page.expect_navigation():
        page.click("#preview-button")
    assert page.locator("#preview-count").inner_text() == "2"
    page.click("#send-button")
    page.wait_for_url(re.compile(r"/hr/announcements/\d+$"))
    assert "ขอเชิญประชุมชี้แจงการประเมิน" in page.content()
    with app.app_context(), db.sessions()() as session:
        announcement = session.scalars(select(Announcement)).one()
        assert announcement.recipient_count == 2
        assert session.scalars(select(OutboxMessage).where(
            OutboxMessage.kind == "multicast")).one()
        deliver_outbox(db.sessions(), app.extensions["line.gateway"])

    with page.expect_download() as info:
        page.click("#export-csv")
    path = tmp_path / "ack.csv"
    info.value.save_as(path)
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:2] == ["รหัสบุคลากร", "ชื่อ-สกุล"]
    assert sorted(row[1] for row in rows[1:]) == ["นางสาวพิมพ์ชนก ใจดี", "นายสมชาย ตั้งใจ"]

    page.goto(served_app.url + "/hr/")
    with page.expect_download() as info:
        page.click("#export-xlsx")
    xlsx = tmp_path / "round.xlsx"
    info.value.save_as(xlsx)
    from openpyxl import load_workbook

    values = list(load_workbook(xlsx).active.iter_rows(values_only=True))
    assert values[0][0] == "รหัสบุคลากร" and len(values) == 11

    # a forged CSRF token: the browser's own form, with the hidden field changed
    page.goto(served_app.url + "/hr/announcements")
    page.fill("#body", "ประกาศปลอม")
    page.eval_on_selector("#compose input[name=csrf_token]", "el => el.value = 'forged'")
    with page.expect_navigation():
        page.click("#preview-button")
    assert "คำขอไม่ถูกต้อง" in page.content()
    with app.app_context(), db.sessions()() as session:
        assert len(session.scalars(select(Announcement)).all()) == 1

    # the same sign-in link in another browser: refused, and no console there
    other = browser.new_context()
    second = other.new_page()
    second.goto(url)
    with second.expect_navigation():
        second.click("#sign-in")
    assert "ลิงก์นี้ใช้ไม่ได้" in second.content()
    second.goto(served_app.url + "/hr/")
    assert "ต้องเข้าสู่ระบบด้วยบัญชี HR" in second.content()
    other.close()
    context.close()


def test_a_non_hr_officer_sees_no_console_page_in_chromium(
        app: Flask, served_app: BackgroundServer, fake_line: FakeLine, browser: Any) -> None:
    p = people(app)
    assert sign_in_link(app, app.test_client(), fake_line, p["officer_user"]) is None
    context = browser.new_context()
    page = context.new_page()
    for path in ("/hr/", "/hr/people", "/hr/announcements", "/hr/forms", "/hr/import",
                 "/hr/settings", f"/hr/people/{p['officer_id']}"):
        response = page.goto(served_app.url + path)
        assert response is not None and response.status == 403, path
        assert "ต้องเข้าสู่ระบบด้วยบัญชี HR" in page.content()
    context.close()


def test_the_round_page_before_and_after_closing_in_chromium(
        app: Flask, served_app: BackgroundServer, fake_line: FakeLine, browser: Any,
        engine: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Before closing: who is complete, and for the others what is lacking (no report, a
    report waiting or sent back, competencies not all assessed), with links to their pages,
    as the close would count them; each unit's reports over the round as a small line chart
    with its table. After closing: the bands as a bar chart with a table beside."""
    from datetime import date, datetime, timedelta, timezone

    from sqlalchemy.orm import Session

    from bot.demo import PEOPLE
    from models import Kpi, KpiAgreement, ProgressReport, ReportStatus, Round, Staff
    from models.appraisal import CompetencyScore
    from models.results import close_preview

    today = date(2026, 11, 21)
    monkeypatch.setattr("bot.clock.now", lambda _tz: datetime(
        2026, 11, 21, 10, 0, tzinfo=timezone(timedelta(hours=7))))
    seed_demo_round(engine, today, unreported=("D0004",))
    with Session(engine) as session:
        def report(code: str, number: int) -> ProgressReport:
            return session.scalars(select(ProgressReport).join(Kpi).join(KpiAgreement).join(
                Staff, Staff.id == KpiAgreement.officer_id).where(
                Staff.staff_code == code, Kpi.number == number)).one()

        report("D0005", 1).status = ReportStatus.PENDING
        report("D0006", 2).status = ReportStatus.SENT_BACK
        d7 = session.scalars(select(Staff).where(Staff.staff_code == "D0007")).one()
        session.delete(session.scalars(select(CompetencyScore).where(
            CompetencyScore.officer_id == d7.id)).first())
        session.commit()
        preview = close_preview(session, session.scalars(select(Round)).one(), today)
    hr_user = next(p.line_user_id for p in PEOPLE if p.staff_code == "D0001")
    link = sign_in_link(app, app.test_client(), fake_line, hr_user)
    assert link is not None
    context = browser.new_context()
    page = context.new_page()
    page.goto(served_app.url + link.split("127.0.0.1:8000", 1)[1])
    page.click("#sign-in")
    page.wait_for_url(re.compile(r"/hr/$"))
    page.click("#main-nav >> text=ผลประเมินและ IDP")
    page.wait_for_url(re.compile(r"/hr/appraisal"))

    assert page.locator("#ready-people").inner_text() == str(preview.people) == "5"
    assert page.locator("#ready-complete").inner_text() == str(preview.complete) == "1"
    assert page.locator("#ready-incomplete").inner_text() == str(preview.incomplete) == "4"
    reasons = {row.locator("td").first.inner_text(): row.locator("ul").inner_text().split("\n")
               for row in page.locator("#incomplete tbody tr").all()}
    assert reasons["D0004"] == ["ยังไม่มีรายงาน: ตัวชี้วัดข้อ 1, 2, 3, 4, 5"]
    assert reasons["D0005"] == ["รายงานแล้ว รอรับรอง: ตัวชี้วัดข้อ 1"]
    assert reasons["D0006"] == ["ถูกส่งกลับให้แก้ไข: ตัวชี้วัดข้อ 2"]
    assert len(reasons["D0007"]) == 1 and reasons["D0007"][0].startswith(
        "ประเมินสมรรถนะยังไม่ครบ")
    page.click("#complete-list summary")
    assert "D0003 นางมาลี รักงาน" in page.locator("#complete-list").inner_text()

    unit = page.locator("#timelines figure").filter(has_text="กองยุทธศาสตร์และแผนงาน")
    chart = unit.locator("svg[role=img]")
    assert chart.get_attribute("aria-label") == (
        "กองยุทธศาสตร์และแผนงาน: รายงานแล้ว 4 จาก 5 คน (80%)")
    rows = unit.locator("table tbody tr")
    assert rows.count() == 9  # 1 Oct 2569 and each week after, to 19 Nov; then today
    assert rows.first.locator("td").all_inner_texts() == ["0", "0%"]
    assert rows.last.locator("th").inner_text() == "21 พ.ย. 2569"
    assert rows.last.locator("td").all_inner_texts() == ["4", "80%"]

    with page.expect_navigation():
        page.click("#incomplete >> text=นายสมชาย ตั้งใจ")
    assert re.search(r"/hr/people/\d+$", page.url) and "นายสมชาย ตั้งใจ" in page.content()

    page.go_back()
    with page.expect_navigation():
        page.click("#readiness button[type=submit]")
    page.fill("#early_reason", "ทดลองคำนวณก่อนสิ้นรอบ")
    with page.expect_navigation():
        page.click("#confirm-close")
    assert page.locator(".ok").inner_text() == "คำนวณผลแล้ว 1 คน"
    band_chart = page.locator("#results svg[role=img]")
    assert band_chart.get_attribute("aria-label") == "การกระจายระดับผลการประเมิน"
    counts = dict(zip(page.locator("#band-table tbody th").all_inner_texts(),
                      page.locator("#band-table tbody td").all_inner_texts(), strict=True))
    assert list(counts) == ["ดีเด่น", "ดีมาก", "ดี", "พอใช้", "ต้องปรับปรุง"]
    assert sum(int(n) for n in counts.values()) == 1
    context.close()
def test_hr_types_a_thai_date_in_chromium(app: Flask, served_app: BackgroundServer,
                                          fake_line: FakeLine, browser: Any) -> None:
    """The calendar's date field is a text field in dd/mm/พ.ศ.: a bad date is answered in
    Thai and nothing is saved; the right one is saved and listed in พ.ศ."""
    client = app.test_client()
    p = people(app)
    link = sign_in_link(app, client, fake_line, p["hr_user"])
    assert link is not None
    page = browser.new_context().new_page()
    page.goto(served_app.url + link.split("127.0.0.1:8000", 1)[1])
    page.click("#sign-in")
    page.wait_for_url(re.compile(r"/hr/$"))
    page.goto(served_app.url + "/hr/calendar")
    assert page.get_attribute("#day", "type") == "text"
    assert page.get_attribute("#day", "placeholder") == "วว/ดด/พ.ศ. เช่น 15/01/2570"
    page.fill("#day", "31/02/2570")
    with page.expect_navigation():
        page.click("#override button[type=submit]")
    assert "ไม่มีวันที่ 31/2/2570" in page.content()
    page.fill("#day", "05/03/2570")
    page.fill("#note", "วันหยุดพิเศษ ครม.")
    with page.expect_navigation():
        page.click("#override button[type=submit]")
    assert "5 มี.ค. 2570" in page.locator("table").first.inner_text()
