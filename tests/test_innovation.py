"""Seed 004's innovation measure: KPIs and reports marked as innovation or digital work, the
share of staff whose confirmed work shows it and the count of outputs, on the console and in
its exports; marked only by the report's officer or HR of the same agency."""
from __future__ import annotations

import csv
import io
import re
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import db
from bot.fake_line import FakeLine
from handlers import texts
from handlers.hr_reports import development_metrics
from models import AuditEntry, Kpi, ProgressReport, ReportKind, ReportStatus, Role, Staff
from tests.builders import make_agreement, make_officer
from tests.chat import Chat, flat, postbacks
from tests.hr_console import csrf, signed_in


def report(session: Session, kpi: Kpi, status: str, innovation: bool = False) -> ProgressReport:
    r = ProgressReport(officer_id=kpi.agreement.officer_id, round_id=kpi.agreement.round_id,
                       kind=ReportKind.KPI, kpi_id=kpi.id, status=status, percent=Decimal(70),
                       target=kpi.target, reported_on=date(2026, 11, 20), innovation=innovation)
    session.add(r)
    session.flush()
    return r


def test_the_officer_marks_a_report_from_my_kpis(session: Session, chat: Chat) -> None:
    officer, user_id = make_officer(session)
    agreement = make_agreement(session, officer)
    mine = report(session, agreement.kpis[0], ReportStatus.CONFIRMED)
    session.expire_all()
    card = chat.say(user_id, "ตัวชี้วัดของฉัน")
    taps = postbacks(card)
    assert list(taps) == [texts.INNOVATION_OFF_LABEL]  # only the KPI with a report has one
    other, other_user = make_officer(session, unit=officer.unit)
    assert texts.STALE_BUTTON in flat(chat.tap(other_user, taps[texts.INNOVATION_OFF_LABEL]))
    session.refresh(mine)
    assert mine.innovation is False  # somebody else's tap changed nothing
    said = flat(chat.tap(user_id, taps[texts.INNOVATION_OFF_LABEL]))
    assert "รายงานตัวชี้วัดที่ 1 เป็นผลงานนวัตกรรม" in said
    session.refresh(mine)
    assert mine.innovation is True
    session.expire_all()
    again = postbacks(chat.say(user_id, "ตัวชี้วัดของฉัน"))
    assert list(again) == [texts.INNOVATION_ON_LABEL]
    chat.tap(user_id, again[texts.INNOVATION_ON_LABEL])  # and takes it back
    session.refresh(mine)
    assert mine.innovation is False
    actions = [e.action for e in session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert actions.count("report.innovation_marked") == 1
    assert "report.innovation_unmarked" in actions and "postback.refused" in actions


def test_a_kpi_hr_marked_shows_as_such(session: Session, chat: Chat) -> None:
    officer, user_id = make_officer(session)
    agreement = make_agreement(session, officer, weights=(100,))
    agreement.kpis[0].innovation = True
    report(session, agreement.kpis[0], ReportStatus.PENDING)
    session.expire_all()
    card = chat.say(user_id, "ตัวชี้วัดของฉัน")
    assert texts.INNOVATION_KPI in flat(card) and postbacks(card) == {}


def test_the_metrics_count_confirmed_work_only(session: Session) -> None:
    hr, _ = make_officer(session, roles=(Role.HR_ADMIN,))
    a, _ = make_officer(session, unit=hr.unit)
    b, _ = make_officer(session, unit=hr.unit)
    c, _ = make_officer(session, unit=hr.unit)
    gone, _ = make_officer(session, unit=hr.unit)
    ka, kb, kc, kg = (make_agreement(session, p).kpis for p in (a, b, c, gone))
    report(session, ka[0], ReportStatus.CONFIRMED, innovation=True)
    report(session, ka[1], ReportStatus.CONFIRMED, innovation=True)
    report(session, ka[1], ReportStatus.CONFIRMED, innovation=True)  # the same output again
    report(session, ka[2], ReportStatus.CONFIRMED)  # not innovation
    report(session, kb[0], ReportStatus.PENDING, innovation=True)  # nobody confirmed it yet
    report(session, kb[1], ReportStatus.SENT_BACK, innovation=True)
    kc[3].innovation = True  # HR's mark on the KPI
    report(session, kc[3], ReportStatus.CONFIRMED)
    report(session, kg[0], ReportStatus.CONFIRMED, innovation=True)
    gone.active = False  # has left: counted in neither the share nor the outputs
    outsider, _ = make_officer(session)  # another agency
    report(session, make_agreement(session, outsider).kpis[0], ReportStatus.CONFIRMED,
           innovation=True)
    other_year = make_agreement(session, a, fiscal_year=2569, round_no=2).kpis
    report(session, other_year[0], ReportStatus.CONFIRMED, innovation=True)
    session.flush()
    metrics = development_metrics(session, hr.agency_id, 2570)
    assert (metrics.staff, metrics.with_innovation, metrics.innovation_outputs) == (4, 2, 3)
    assert metrics.pct_with_innovation == Decimal("50.00")
    rows = dict(metrics.rows())
    assert rows["ร้อยละของบุคลากรที่มีผลงานสะท้อนนวัตกรรมหรือการใช้เทคโนโลยีดิจิทัล"] == "50.00"
    assert rows["จำนวนผลผลิตที่เป็นนวัตกรรม"] == "3"
    assert metrics.as_dict()["pct_with_innovation"] == "50.00"
    assert development_metrics(session, hr.agency_id, 2569).innovation_outputs == 1


@pytest.fixture
def office(app: Flask) -> dict[str, Any]:
    with app.app_context(), db.sessions()() as session:
        hr, hr_user = make_officer(session, name="นางสาวพิมพ์ชนก ใจดี", roles=(Role.HR_ADMIN,))
        officer, officer_user = make_officer(session, name="นายสมชาย ตั้งใจ", unit=hr.unit)
        kpis = make_agreement(session, officer).kpis
        confirmed = report(session, kpis[0], ReportStatus.CONFIRMED)
        outsider, _ = make_officer(session, name="นายคนนอก ต่างกรม")
        foreign = make_agreement(session, outsider).kpis[0]
        foreign_report = report(session, foreign, ReportStatus.CONFIRMED)
        session.commit()
        return {"hr_user": hr_user, "officer_user": officer_user, "officer_id": officer.id,
                "kpi": kpis[0].id, "kpi2": kpis[1].id, "report": confirmed.id,
                "foreign_kpi": foreign.id, "foreign_report": foreign_report.id}


def flags(app: Flask) -> dict[int, bool]:
    with app.app_context(), db.sessions()() as session:
        found = {k.id: k.innovation for k in session.scalars(select(Kpi))}
        found.update({-r.id: r.innovation for r in session.scalars(select(ProgressReport))})
        return found


def test_hr_marks_on_the_person_page_and_reads_the_metrics(
        app: Flask, client: FlaskClient, fake_line: FakeLine, office: dict[str, Any]) -> None:
    person = f"/hr/people/{office['officer_id']}"
    assert client.post("/hr/innovation", data={"kind": "kpi", "id": office["kpi"],
                                               "on": "yes"}).status_code == 403
    signed_in(app, client, fake_line, office["hr_user"])
    token = csrf(client, person)
    page = client.get(person).get_data(as_text=True)
    assert page.count('action="/hr/innovation"') == 5 + 1  # five KPIs, one report
    before = flags(app)
    for bad in ({"kind": "staff", "id": office["kpi"], "on": "yes"},
                {"kind": "kpi", "id": "x", "on": "yes"},
                {"kind": "kpi", "id": office["kpi"], "on": "maybe"}):
        assert client.post("/hr/innovation", data={**bad, "csrf_token": token}).status_code == 400
    for kind, key in (("kpi", "foreign_kpi"), ("report", "foreign_report")):
        assert client.post("/hr/innovation", data={"kind": kind, "id": office[key], "on": "yes",
                                                   "csrf_token": token}).status_code == 404
    assert client.post("/hr/innovation", data={"kind": "kpi", "id": office["kpi"], "on": "yes",
                                               "csrf_token": "forged"}).status_code == 400
    assert flags(app) == before  # nothing changed by any of these
    done = client.post("/hr/innovation", data={"kind": "kpi", "id": office["kpi"], "on": "yes",
                                               "csrf_token": token})
    assert done.status_code == 302 and done.headers["Location"].endswith(person)
    client.post("/hr/innovation", data={"kind": "report", "id": office["report"], "on": "yes",
                                        "csrf_token": token})
    after = flags(app)
    assert after[office["kpi"]] is True and after[-office["report"]] is True
    assert after[office["kpi2"]] is False
    assert len(re.findall(r"<b>ใช่</b>", client.get(person).get_data(as_text=True))) == 2

    page = client.get("/hr/appraisal?round=2570-1").get_data(as_text=True)
    assert "จำนวนผลผลิตที่เป็นนวัตกรรม" in page
    body = client.get("/hr/appraisal/metrics/2570.csv").get_data().decode("utf-8-sig")
    rows = dict(tuple(r) for r in csv.reader(io.StringIO(body)) if len(r) == 2)
    # HR and the officer are the agency's two staff; the officer's work shows innovation
    assert rows["จำนวนบุคลากรที่มีผลงานเป็นนวัตกรรมหรือใช้เทคโนโลยีดิจิทัล"] == "1"
    assert rows["ร้อยละของบุคลากรที่มีผลงานสะท้อนนวัตกรรมหรือการใช้เทคโนโลยีดิจิทัล"] == "50.00"
    assert rows["จำนวนผลผลิตที่เป็นนวัตกรรม"] == "1"
    sheet = load_workbook(io.BytesIO(client.get("/hr/appraisal/metrics/2570.xlsx").get_data()))
    values = {r[0]: r[1] for r in sheet.active.iter_rows(values_only=True)}  # type: ignore[union-attr]  # a new workbook has its sheet
    assert values["จำนวนผลผลิตที่เป็นนวัตกรรม"] == 1  # a number cell


def test_an_officer_cannot_mark_in_the_console(app: Flask, client: FlaskClient,
                                               fake_line: FakeLine,
                                               office: dict[str, Any]) -> None:
    from tests.hr_console import sign_in_link

    assert sign_in_link(app, client, fake_line, office["officer_user"]) is None
    assert client.post("/hr/innovation", data={"kind": "kpi", "id": office["kpi"],
                                               "on": "yes"}).status_code == 403
    with app.app_context(), db.sessions()() as session:
        assert session.get(Kpi, office["kpi"]).innovation is False  # type: ignore[union-attr]  # it exists
        assert session.scalar(select(Staff.id).where(Staff.id == office["officer_id"]))
