"""The HR console's appraisal page: close the demo round, read the bands, the seed-004 metrics
and the HiPPS files, all as a signed-in HR administrator (and nobody else)."""
from __future__ import annotations

import io
import zipfile
from datetime import date, datetime, timedelta, timezone

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from bot.demo import PEOPLE, seed_demo
from bot.demo_appraisal import seed_appraisal_demo
from bot.fake_line import FakeLine
from models import AuditEntry
from models.appraisal import Appraisal, LowPerformerCase
from tests.hr_console import csrf, sign_in_link, signed_in

BKK = timezone(timedelta(hours=7))
TODAY = date(2026, 11, 21)  # fiscal year 2570, round 1
USER = {p.staff_code: p.line_user_id for p in PEOPLE}
PAGE = "/hr/appraisal?round=2570-1"


@pytest.fixture
def demo(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("bot.clock.now", lambda _tz: datetime(2026, 11, 21, 10, 0, tzinfo=BKK))
    with Session(engine) as session:
        seed_demo(session, today=TODAY)
        seed_appraisal_demo(session, today=TODAY)
        session.commit()


def test_hr_closes_the_round_and_reads_results_metrics_and_hipps_files(
        demo: None, app: Flask, client: FlaskClient, fake_line: FakeLine, engine: Engine) -> None:
    assert client.get(PAGE).status_code == 403  # not signed in
    signed_in(app, client, fake_line, USER["D0001"])  # the demo HR administrator
    page = client.get(PAGE).get_data(as_text=True)
    assert "ยังไม่ได้คำนวณผลของรอบนี้" in page and "ร้อยละของบุคลากรที่มี IDP" in page

    forged = client.post("/hr/appraisal/close", data={"round_id": "1", "csrf_token": "forged"})
    assert forged.status_code == 400
    with Session(engine) as session:
        assert session.scalars(select(Appraisal)).first() is None  # the forged post did nothing
        assert session.scalar(select(LowPerformerCase.id)) is None

    token = csrf(client, PAGE)
    page_round = client.get(PAGE).get_data(as_text=True)
    round_value = page_round.split('name="round_id" value="', 1)[1].split('"', 1)[0]
    summary = client.post("/hr/appraisal/close", data={"round_id": round_value,
                                                       "csrf_token": token})
    page = summary.get_data(as_text=True)  # a summary first: nothing is computed yet
    assert "ยืนยันปิดรอบและคำนวณผล" in page and "รายงานรอรับรอง" in page
    assert "เหตุผลที่ปิดก่อนกำหนด" in page  # 21 Nov 2026 is before the round's end
    no_reason = client.post("/hr/appraisal/close", data={
        "round_id": round_value, "csrf_token": token, "confirm": "1"})
    assert "กรุณาระบุเหตุผล" in no_reason.get_data(as_text=True)
    with Session(engine) as session:
        assert session.scalars(select(Appraisal)).first() is None
    closed = client.post("/hr/appraisal/close", data={
        "round_id": round_value, "csrf_token": token, "confirm": "1",
        "early_reason": "ทดลองคำนวณก่อนสิ้นรอบ"}, follow_redirects=True)
    shown = closed.get_data(as_text=True)
    assert closed.status_code == 200 and "คำนวณผลแล้ว 5 คน" in shown
    assert "ต้องปรับปรุง" in shown and "ดีเด่น" in shown and "46.00" in shown
    with Session(engine) as session:
        assert session.scalar(select(LowPerformerCase.id)) is None  # not before the approval
        actions = {e.action for e in session.scalars(select(AuditEntry))}
        assert {"round.closed", "console.round_closed", "console.csrf_refused"} <= actions

    metrics = client.get("/hr/appraisal/metrics/2570.csv")
    body = metrics.get_data()
    assert metrics.status_code == 200 and body.startswith("\ufeff".encode())
    assert "ร้อยละของบุคลากรที่มี IDP" in body.decode("utf-8-sig")
    assert client.get("/hr/appraisal/metrics/2570.xlsx").get_data()[:2] == b"PK"

    archive = client.get(f"/hr/appraisal/hipps/{round_value}.zip")
    assert archive.status_code == 200
    names = zipfile.ZipFile(io.BytesIO(archive.get_data())).namelist()
    assert "summary.xlsx" in names


def test_an_officer_cannot_open_the_appraisal_page(demo: None, app: Flask, client: FlaskClient,
                                                   fake_line: FakeLine) -> None:
    assert sign_in_link(app, client, fake_line, USER["D0005"]) is None  # no link for non-HR
    assert client.get(PAGE).status_code == 403
    assert client.get("/hr/appraisal/metrics/2570.csv").status_code == 403
