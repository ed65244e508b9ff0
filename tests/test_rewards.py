"""Seed 001's rewards of a closed round: ดีเด่น/ดีมาก/ดี announced with a certificate, ดีเด่น/ดีมาก
on the two-day study visit; per unit, exported, only for HR's agency and only once approved."""
from __future__ import annotations

import csv
import html
import io
import re
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import db
from bot.fake_line import FakeLine
from models import (
    Announcement,
    Evidence,
    OutboxMessage,
    Role,
    Round,
    SendStatus,
    Staff,
    Unit,
)
from models.appraisal import Appraisal, AppraisalStatus, band_for
from models.rewards import CERTIFICATES_ATTACHED, RewardLists, announcement_text, reward_lists
from tests.builders import make_agreement, make_officer
from tests.hr_console import csrf, signed_in
from tests.pdf_checks import letters, page_count, page_text

PAGE = "/hr/rewards/2570/1"
CLOSED = datetime(2027, 4, 2, 3, 0, tzinfo=UTC)
# name, unit (0: the HR's unit, 1: a second unit), overall, status
PEOPLE: list[tuple[str, int, str, str]] = [
    ("นางสาวดีเด่น ยอดเยี่ยม", 1, "95.5", AppraisalStatus.ACKNOWLEDGED),
    ("นายดีมาก ขยันยิ่ง", 0, "89.999", AppraisalStatus.APPROVED),  # cut, never rounded up
    ("นางดี ตั้งใจ", 0, "72.345", AppraisalStatus.DISAGREED),
    ("นายพอใช้ ธรรมดา", 0, "65", AppraisalStatus.APPROVED),
    ("นายปรับปรุง ต้องเร่ง", 1, "50", AppraisalStatus.APPROVED),
]


def appraise(session: Session, staff: Staff, round_: Round, overall: str, status: str) -> None:
    score = Decimal(overall)
    session.add(Appraisal(officer_id=staff.id, round_id=round_.id, achievement=score,
                          competency=score, overall=score, band=band_for(score),
                          achievement_weight=70, competency_weight=30, status=status))


def agency(session: Session, hr_name: str, people: list[tuple[str, int, str, str]],
           closed: bool = True) -> dict[str, Any]:
    hr, hr_user = make_officer(session, name=hr_name, roles=(Role.HR_ADMIN,))
    second = Unit(agency_id=hr.agency_id, code="U2", name_th="กลุ่มส่งเสริมการศึกษา")
    session.add(second)
    session.flush()
    agreement = make_agreement(session, hr)
    round_ = session.get(Round, agreement.round_id)
    assert round_ is not None
    for name, unit_no, overall, status in people:
        staff, _ = make_officer(session, name=name, unit=hr.unit if unit_no == 0 else second)
        appraise(session, staff, round_, overall, status)
    round_.closed_at = CLOSED if closed else None
    session.flush()
    return {"hr_user": hr_user, "round_id": round_.id}


@pytest.fixture
def offices(app: Flask) -> dict[str, Any]:
    with app.app_context(), db.sessions()() as session:
        ours = agency(session, "นางสาวพิมพ์ชนก ใจดี", PEOPLE)
        theirs = agency(session, "นายสมศักดิ์ ต่างกรม",
                        [("นายคนนอก ต่างกรม", 0, "99", AppraisalStatus.APPROVED)])
        officer, officer_user = make_officer(session, name="นายเจ้าหน้าที่ ทั่วไป")
        session.commit()
        return {"ours": ours, "theirs": theirs, "officer_user": officer_user}


def set_status(app: Flask, name: str, status: str) -> None:
    with app.app_context(), db.sessions()() as session:
        appraisal = session.scalars(select(Appraisal).join(Staff, Staff.id == Appraisal.officer_id)
                                    .where(Staff.name_th == name)).one()
        appraisal.status = status
        session.commit()


def test_the_lists_wait_for_the_close_and_every_approval(
        app: Flask, client: FlaskClient, fake_line: FakeLine, offices: dict[str, Any]) -> None:
    signed_in(app, client, fake_line, offices["ours"]["hr_user"])
    with app.app_context(), db.sessions()() as session:
        round_ = session.get(Round, offices["ours"]["round_id"])
        assert round_ is not None
        round_.closed_at = None
        session.commit()
    page = client.get(PAGE)
    assert page.status_code == 200
    assert "ยังไม่ได้ปิดรอบและคำนวณผลการประเมิน" in page.get_data(as_text=True)
    with app.app_context(), db.sessions()() as session:
        round_ = session.get(Round, offices["ours"]["round_id"])
        assert round_ is not None
        round_.closed_at = CLOSED
        session.commit()
    set_status(app, "นายดีมาก ขยันยิ่ง", AppraisalStatus.COMPUTED)
    set_status(app, "นายพอใช้ ธรรมดา", AppraisalStatus.INCOMPLETE)
    page = client.get(PAGE)
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "ผลของ 1 คนยังรอผู้ประเมินอนุมัติ" in text
    assert "ผลของ 1 คนยังไม่ครบ" in text
    assert "นางสาวดีเด่น ยอดเยี่ยม" not in text and 'id="announce-rewards"' not in text
    export = client.get(PAGE + ".csv")
    assert export.status_code == 409 and "attachment" not in export.headers.get(
        "Content-Disposition", "")
    set_status(app, "นายดีมาก ขยันยิ่ง", AppraisalStatus.APPROVED)
    set_status(app, "นายพอใช้ ธรรมดา", AppraisalStatus.APPROVED)
    assert client.get(PAGE).status_code == 200


def test_lists_per_unit_and_their_exports(app: Flask, client: FlaskClient, fake_line: FakeLine,
                                          offices: dict[str, Any]) -> None:
    signed_in(app, client, fake_line, offices["ours"]["hr_user"])
    text = client.get(PAGE).get_data(as_text=True)
    recognition = text.split("ประกาศรายชื่อและมอบเกียรติบัตร (ดีเด่น ดีมาก ดี)")[1].split(
        "ศึกษาดูงานภายในประเทศ 2 วัน (ดีเด่น ดีมาก)")[0]
    study = text.split("ศึกษาดูงานภายในประเทศ 2 วัน (ดีเด่น ดีมาก)")[1]
    for name in ("นางสาวดีเด่น ยอดเยี่ยม", "นายดีมาก ขยันยิ่ง", "นางดี ตั้งใจ"):
        assert name in recognition
    assert "นางดี ตั้งใจ" not in study
    assert "นางสาวดีเด่น ยอดเยี่ยม" in study and "นายดีมาก ขยันยิ่ง" in study
    for name in ("นายพอใช้ ธรรมดา", "นายปรับปรุง ต้องเร่ง", "นายคนนอก ต่างกรม"):
        assert name not in text
    assert "<caption>กลุ่มส่งเสริมการศึกษา (1 คน)</caption>" in recognition
    assert "<caption>กองทดสอบ (2 คน)</caption>" in recognition
    assert "89.99" in text and "90.00" not in text and "72.34" in text
    assert 'href="/hr/documents/certificates/2570/1.zip"' in text

    exported = client.get(PAGE + ".csv")
    assert exported.status_code == 200
    rows = list(csv.reader(io.StringIO(exported.get_data().decode("utf-8-sig"))))
    assert rows[0] == ["รางวัล", "หน่วยงาน", "รหัสบุคลากร", "ชื่อ-สกุล", "ตำแหน่ง",
                       "ระดับผลการประเมิน", "คะแนนรวม"]
    assert [(r[0], r[1], r[3], r[5], r[6]) for r in rows[1:]] == [
        ("ประกาศรายชื่อและมอบเกียรติบัตร", "กลุ่มส่งเสริมการศึกษา", "นางสาวดีเด่น ยอดเยี่ยม",
         "ดีเด่น", "95.5"),
        ("ประกาศรายชื่อและมอบเกียรติบัตร", "กองทดสอบ", "นายดีมาก ขยันยิ่ง", "ดีมาก", "89.99"),
        ("ประกาศรายชื่อและมอบเกียรติบัตร", "กองทดสอบ", "นางดี ตั้งใจ", "ดี", "72.34"),
        ("ศึกษาดูงานภายในประเทศ 2 วัน", "กลุ่มส่งเสริมการศึกษา", "นางสาวดีเด่น ยอดเยี่ยม",
         "ดีเด่น", "95.5"),
        ("ศึกษาดูงานภายในประเทศ 2 วัน", "กองทดสอบ", "นายดีมาก ขยันยิ่ง", "ดีมาก", "89.99")]
    xlsx = client.get(PAGE + ".xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.get_data())).active
    assert sheet is not None
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert len(values) == 6 and values[2][3] == "นายดีมาก ขยันยิ่ง" and values[2][6] == 89.99
    assert client.get(PAGE + ".pdf").status_code == 404

    # the appraisal page and the dashboard link here
    for page in ("/hr/appraisal?round=2570-1", "/hr/?round=2570-1"):
        assert 'href="/hr/rewards/2570/1"' in client.get(page).get_data(as_text=True)


def hidden_fields(page: str, form_id: str) -> dict[str, str]:
    form = page.split(f'id="{form_id}"')[1].split("</form>")[0]
    return {name: html.unescape(value) for name, value in
            re.findall(r'type="hidden" name="(\w+)" value="([^"]*)"', form)}


def test_one_tap_announces_the_names_with_the_certificates_attached(
        storage_app: Flask, fake_line: FakeLine, offices: dict[str, Any]) -> None:
    app, client = storage_app, storage_app.test_client()
    signed_in(app, client, fake_line, offices["ours"]["hr_user"])
    text = client.get(PAGE).get_data(as_text=True)
    assert 'action="/hr/rewards/2570/1/announce"' in text
    # the tap: the certificates laid out as one PDF, the form opened on its preview
    opened = client.post(PAGE + "/announce", data=hidden_fields(text, "announce-rewards"))
    page = opened.get_data(as_text=True)
    assert opened.status_code == 200 and 'id="preview-count"' in page
    assert 'id="attachment"' in page and "certificates-2570-1.pdf" in page
    fields = hidden_fields(page, "compose")
    body = html.unescape(page.split('id="body"')[1].split(">", 1)[1].split("</textarea>")[0])
    assert "ระดับดีเด่น (1 คน)\n• นางสาวดีเด่น ยอดเยี่ยม" in body
    assert "ระดับดีมาก (1 คน)\n• นายดีมาก ขยันยิ่ง" in body
    assert "ระดับดี (1 คน)\n• นางดี ตั้งใจ" in body
    assert "จะได้ศึกษาดูงานภายในประเทศ 2 วัน" in body
    assert CERTIFICATES_ATTACHED in body and "/hr/documents/" not in body  # no HR-only link
    assert "นายพอใช้" not in body
    with app.app_context(), db.sessions()() as session:
        assert session.scalar(select(Announcement.id)) is None  # nothing sent yet
        evidence = session.get(Evidence, int(fields["attachment_id"]))
        assert evidence is not None and evidence.content_type == "application/pdf"
    # HR sends it; a recipient opens the attachment through the announcement's secret link
    sent_page = client.post("/hr/announcements", data={**fields, "body": body,
                                                       "audience": "all", "action": "send"})
    assert sent_page.status_code == 302
    with app.app_context(), db.sessions()() as session:
        sent = session.scalars(select(Announcement)).one()
        assert "• นายดีมาก ขยันยิ่ง" in sent.body and sent.status == SendStatus.SENT
        assert sent.attachment_id == evidence.id and sent.attachment_token
        link = f"/files/announcement/{sent.id}/{sent.attachment_token}"
        pushed = session.scalars(select(OutboxMessage)).all()
        assert any(link in str(row.messages) for row in pushed)  # the recipients' bubble
    recipient = storage_app.test_client()  # not signed in: the link is the key
    with recipient.get(link) as served:  # a file response: closed when read
        assert served.status_code == 200 and served.data[:5] == b"%PDF-"
        assert served.headers["Content-Disposition"].endswith('.pdf')
        assert page_count(served.data) == 3  # one page per person rated ดีเด่น/ดีมาก/ดี
        # PDFium's text may break a line between a letter and its stacked marks: compare unspaced
        pages = "".join(letters(page_text(served.data, i)).replace(" ", "") for i in range(3))
        for name in ("นางสาวดีเด่น ยอดเยี่ยม", "นายดีมาก ขยันยิ่ง", "นางดี ตั้งใจ"):
            assert letters(name).replace(" ", "") in pages, (name, pages)
    assert recipient.get(f"/files/announcement/{sent.id}/wrong").status_code == 404


def test_the_attachment_stays_in_its_agency(storage_app: Flask, fake_line: FakeLine,
                                            offices: dict[str, Any]) -> None:
    app, client = storage_app, storage_app.test_client()
    signed_in(app, client, fake_line, offices["ours"]["hr_user"])
    page = client.post(PAGE + "/announce", data=hidden_fields(client.get(PAGE).get_data(
        as_text=True), "announce-rewards")).get_data(as_text=True)
    ours = hidden_fields(page, "compose")["attachment_id"]
    theirs = storage_app.test_client()
    signed_in(app, theirs, fake_line, offices["theirs"]["hr_user"])
    token = csrf(theirs)
    refused = theirs.post("/hr/announcements", data={
        "csrf_token": token, "body": "ดูไฟล์", "audience": "all", "attachment_id": ours,
        "action": "send"})
    assert refused.status_code == 200 and "ไม่พบไฟล์แนบนี้" in refused.get_data(as_text=True)
    for forged in ("x", "999999"):
        refused = client.post("/hr/announcements", data={
            "csrf_token": hidden_fields(page, "compose")["csrf_token"], "body": "ดูไฟล์",
            "audience": "all", "attachment_id": forged, "action": "send"})
        assert "ไม่พบไฟล์แนบนี้" in refused.get_data(as_text=True)
    with app.app_context(), db.sessions()() as session:
        assert session.scalar(select(Announcement.id)) is None
    # their own round's button makes their own certificates only
    page = theirs.post("/hr/rewards/2570/1/announce", data={"csrf_token": token})
    assert page.status_code == 200
    attached = hidden_fields(page.get_data(as_text=True), "compose")["attachment_id"]
    with app.app_context(), db.sessions()() as session:
        evidence = session.get(Evidence, int(attached))
        assert evidence is not None
        path = Path(app.config["SETTINGS"].storage_dir) / evidence.path
    body = path.read_bytes()
    assert page_count(body) == 1 and letters("นายคนนอก ต่างกรม") in letters(page_text(body))


def test_the_button_waits_for_every_approval(storage_app: Flask, fake_line: FakeLine,
                                             offices: dict[str, Any]) -> None:
    app, client = storage_app, storage_app.test_client()
    signed_in(app, client, fake_line, offices["ours"]["hr_user"])
    token = csrf(client)
    set_status(app, "นางดี ตั้งใจ", AppraisalStatus.COMPUTED)
    waiting = client.post(PAGE + "/announce", data={"csrf_token": token})
    assert waiting.status_code == 409 and 'id="rewards-needed"' in waiting.get_data(as_text=True)
    with app.app_context(), db.sessions()() as session:
        assert session.scalar(select(Evidence.id)) is None
    assert storage_app.test_client().post(PAGE + "/announce").status_code == 403


def test_only_hr_and_only_their_agency(app: Flask, client: FlaskClient, fake_line: FakeLine,
                                       offices: dict[str, Any]) -> None:
    assert client.get(PAGE).status_code == 403  # not signed in
    signed_in(app, client, fake_line, offices["theirs"]["hr_user"])
    text = client.get(PAGE).get_data(as_text=True)
    assert "นายคนนอก ต่างกรม" in text and "นางสาวดีเด่น ยอดเยี่ยม" not in text
    body = client.get(PAGE + ".csv").get_data().decode("utf-8-sig")
    assert "นายคนนอก ต่างกรม" in body and "ยอดเยี่ยม" not in body
    assert client.get("/hr/rewards/2569/2").status_code == 404  # no such round in their agency
    other = app.test_client()
    assert other.get(PAGE).status_code == 403
    assert other.get(PAGE + ".xlsx").status_code == 403


def test_a_long_list_fits_one_announcement() -> None:
    round_ = Round(fiscal_year=2570, round_no=1)
    from models.rewards import Awardee

    people = [Awardee(f"S{i:04d}", f"นางสาวชื่อยาวมากเป็นพิเศษ นามสกุลยาวมากเป็นพิเศษ {i}", "", "กอง",
                      ("ดีเด่น", "ดีมาก", "ดี")[i % 3], Decimal(90)) for i in range(300)]
    lists = RewardLists(round_, recognition=people,
                        study_visit=[p for p in people if p.band != "ดี"])
    url = "https://example.go.th/hr/documents/certificates/2570/1.zip"
    body = announcement_text(lists, url, 2000)
    assert len(body) <= 2000 and body.endswith(url)
    assert "ระดับดีเด่น (100 คน)" in body and "และอีก" in body
    assert "ระดับดี (100 คน)" in body  # every band is named, however long the others


def test_reward_lists_in_the_domain(app: Flask, offices: dict[str, Any]) -> None:
    with app.app_context(), db.sessions()() as session:
        round_ = session.get(Round, offices["ours"]["round_id"])
        assert round_ is not None
        lists = reward_lists(session, round_)
        assert lists.ready
        assert [a.band for a in lists.recognition] == ["ดีเด่น", "ดีมาก", "ดี"]
        assert [a.band for a in lists.study_visit] == ["ดีเด่น", "ดีมาก"]
