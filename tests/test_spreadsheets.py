"""The files HR opens: typed cells with Thai formats, fitted widths, a frozen header with a
filter, an ISO twin beside every date, one column per option of a multi-choice answer, and
a CSV with one charset and a BOM."""
from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import select

from bot import db, exports
from bot.fake_line import FakeLine
from handlers.spreadsheets import DATE_FORMAT, DATETIME_FORMAT, fitted_widths, text_width
from models import Form, FormResponse, ProgressReport, Round
from tests.hr_console import csrf, people, signed_in

BANGKOK = ZoneInfo("Asia/Bangkok")


def test_thai_marks_above_and_below_take_no_width() -> None:
    assert text_width("นายสมชาย ตั้งใจ") == 13  # ั and ้ sit on their consonants
    assert text_width("ปี") == 1 and text_width("abc") == 3 and text_width(None) == 0
    assert text_width("สั้น\nยาวกว่าบรรทัดแรก") == text_width("ยาวกว่าบรรทัดแรก")
    widths = fitted_widths(["ชื่อ", "ก"], [["นายสมชาย ตั้งใจ", "x" * 500]])
    assert widths == [15.0, 60.0]  # two characters of room; very long text is capped


def _round_with_a_report(app: Flask) -> tuple[dict[str, Any], Round]:
    p = people(app)
    with app.app_context(), db.sessions()() as session:
        round_ = session.scalars(select(Round)).one()
        from models import Kpi, KpiAgreement
        kpi = session.scalars(select(Kpi).join(KpiAgreement).where(
            KpiAgreement.officer_id == p["officer_id"], Kpi.number == 1)).one()
        session.add(ProgressReport(
            officer_id=p["officer_id"], round_id=round_.id, kpi_id=kpi.id, status="confirmed",
            value=Decimal("30.00"), percent=Decimal("37.5"), reported_on=date(2026, 11, 27),
            # 27 พ.ย. 01:30 in Bangkok: the day people mean is the 27th, not UTC's 26th
            decided_at=datetime(2026, 11, 26, 18, 30, tzinfo=UTC)))
        session.commit()
        session.expunge(round_)
    return p, round_


def test_the_round_xlsx_is_ready_to_use(app: Flask, client: FlaskClient,
                                        fake_line: FakeLine) -> None:
    p, _round = _round_with_a_report(app)
    signed_in(app, client, fake_line, p["hr_user"])
    response = client.get("/hr/export/round/2570/1.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    sheet = book.active
    assert sheet is not None
    header = [cell.value for cell in sheet[1]]
    assert header[0] == "รหัสบุคลากร" and all(cell.font.b for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(header)).column_letter}11"
    widths = {letter: dim.width for letter, dim in sheet.column_dimensions.items()}
    assert widths["B"] >= text_width("นางสาวพิมพ์ชนก ใจดี") and widths["A"] >= 6
    col = {name: index + 1 for index, name in enumerate(header)}
    row = next(r for r in range(2, 12) if sheet.cell(r, col["สถานะรายงาน"]).value == "รับรองแล้ว")
    value = sheet.cell(row, col["ผลล่าสุด"])
    assert value.value == 30 and value.data_type == "n" and value.number_format == "#,##0.00"
    assert sheet.cell(row, col["น้ำหนัก (%)"]).data_type == "n"
    assert sheet.cell(row, col["ตัวชี้วัดที่"]).number_format == "#,##0"
    reported = sheet.cell(row, col["วันที่รายงาน"])
    assert reported.is_date and reported.number_format == DATE_FORMAT
    assert reported.value.date() == date(2026, 11, 27)
    assert sheet.cell(row, col["วันที่รายงาน (ISO)"]).value == "2026-11-27"
    decided = sheet.cell(row, col["วันที่รับรอง/ส่งกลับ"])
    assert decided.number_format == DATETIME_FORMAT
    assert decided.value == datetime(2026, 11, 27, 1, 30)  # Bangkok time
    assert sheet.cell(row, col["วันที่รับรอง/ส่งกลับ (ISO)"]).value == "2026-11-27T01:30"
    # nobody's status is an English code
    assert {sheet.cell(r, col["สถานะรายงาน"]).value for r in range(2, 12)} == {
        "รับรองแล้ว", "ยังไม่รายงาน"}


def test_the_round_csv_has_one_charset_a_bom_and_thai_dates(app: Flask, client: FlaskClient,
                                                            fake_line: FakeLine) -> None:
    p, _round = _round_with_a_report(app)
    signed_in(app, client, fake_line, p["hr_user"])
    response = client.get("/hr/export/round/2570/1.csv")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    col = {name: index for index, name in enumerate(rows[0])}
    row = next(r for r in rows[1:] if r[col["สถานะรายงาน"]] == "รับรองแล้ว")
    assert row[col["วันที่รายงาน"]] == "27 พ.ย. 2569"
    assert row[col["วันที่รายงาน (ISO)"]] == "2026-11-27"
    assert row[col["วันที่รับรอง/ส่งกลับ"]] == "27 พ.ย. 2569 01:30 น."
    assert row[col["วันที่รับรอง/ส่งกลับ (ISO)"]] == "2026-11-27T01:30"
    assert row[col["ผลล่าสุด"]] == "30.00" and row[col["ร้อยละ"]] == "37.50"
    assert row[col["ลงนามข้อตกลง"]] == "15 ต.ค. 2569 07:00 น."
    metrics = client.get("/hr/appraisal/metrics/2570.csv")
    if metrics.status_code == 200:
        assert metrics.headers["Content-Type"] == "text/csv; charset=utf-8"


def test_a_multi_choice_answer_has_a_column_per_option(app: Flask, client: FlaskClient,
                                                       fake_line: FakeLine) -> None:
    p = people(app)
    signed_in(app, client, fake_line, p["hr_user"])
    token = csrf(client, "/hr/forms")
    fields = {"csrf_token": token, "title": "สำรวจ",
              "sections": "# ช่องทาง\n- บอร์ด\n- เว็บไซต์\n- อื่น ๆ (ระบุ)\n# ความเห็น",
              "due_on": "31/08/2642", "audience": "all", "action": "send"}
    assert client.post("/hr/forms", data=fields).status_code == 302
    with app.app_context(), db.sessions()() as session:
        form = session.scalars(select(Form)).one()
        assert form.due_on == date(2099, 8, 31)
        response = session.scalars(select(FormResponse).where(
            FormResponse.staff_id == p["officer_id"])).one()
        keys = [s["key"] for s in form.sections]
        response.answers = {keys[0]: {"selected": [2, 3], "other": "ไลน์กลุ่ม"},
                            keys[1]: {"text": "=1+1"}}
        response.submitted_at = datetime(2026, 11, 26, 18, 0, tzinfo=UTC)
        session.commit()
        form_id = form.id
    sheet = load_workbook(io.BytesIO(client.get(f"/hr/export/form/{form_id}.xlsx").data)).active
    assert sheet is not None
    header = [cell.value for cell in sheet[1]]
    assert header[4:] == ["วันเวลาที่ส่ง", "วันเวลาที่ส่ง (ISO)", "ช่องทาง", "ช่องทาง: บอร์ด",
                          "ช่องทาง: เว็บไซต์", "ช่องทาง: อื่น ๆ (ระบุ)", "ความเห็น"]
    rows = {sheet.cell(r, 2).value: [c.value for c in sheet[r]] for r in range(2, 4)}
    mine = rows["นายสมชาย ตั้งใจ"]
    assert mine[7:10] == [None, 1, 1]  # web site and other chosen, the board not
    assert "ไลน์กลุ่ม" in mine[6] and mine[10] == "=1+1"
    answer = next(sheet.cell(r, 11) for r in (2, 3) if sheet.cell(r, 11).value == "=1+1")
    assert answer.data_type == "s"  # typed text, never a formula
    assert mine[5] == "2026-11-27T01:00"
    assert rows["นางสาวพิมพ์ชนก ใจดี"][7:10] == [None, None, None]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:K3"


def test_a_table_with_no_rows_still_fits_and_filters(tmp_path: Any) -> None:
    path = tmp_path / "e.xlsx"
    exports.write_xlsx(exports.Table("ว่าง", ["วันที่", "จำนวน"], iter([]), BANGKOK,
                                     ["date", "int"]), str(path))
    sheet = load_workbook(path)["ว่าง"]
    assert [c.value for c in sheet[1]] == ["วันที่", "วันที่ (ISO)", "จำนวน"]
    assert sheet.auto_filter.ref == "A1:C1" and sheet.freeze_panes == "A2"


def test_round_export_speaks_thai_about_every_report_status(app: Flask) -> None:
    p, round_ = _round_with_a_report(app)
    with app.app_context(), db.sessions()() as session:
        table = exports.round_table(session, session.get(Round, round_.id), BANGKOK)
        statuses = {row[13] for row in table.rows}
    assert statuses == {"รับรองแล้ว", "ยังไม่รายงาน"}


def test_the_hipps_certification_date_is_the_bangkok_day(session: Any) -> None:
    """Certified at 01:30 on 27 Nov in Bangkok (18:30 UTC on the 26th): the sheet says 27."""
    from handlers.hr_reports import hipps_export
    from models.hipps import HippsCertification, HippsReport
    from models.rounds import open_round
    from tests.builders import make_officer

    officer, _ = make_officer(session, name="นายธนากร มุ่งมั่น", is_hipps=True)
    mentor, _ = make_officer(session, name="นางมาลี รักงาน", unit=None)
    round_ = open_round(session, officer.agency_id, 2570, 1)
    content = {"officer": {"name_th": officer.name_th, "staff_code": officer.staff_code,
                           "position": officer.position},
               "round": {"round_no": 1, "fiscal_year": 2570},
               "kpis": [{"number": 1, "name": "ตัวชี้วัด", "unit": "ร้อยละ", "weight": "30",
                         "target": "80", "result": "75.5", "level": 4}],
               "projects": [], "development": {"idp": [], "trainings": []}, "competencies": []}
    report = HippsReport(officer_id=officer.id, round_id=round_.id, content=content,
                         status="certified",
                         copies_sent_at=datetime(2026, 11, 26, 18, 30, tzinfo=UTC))
    session.add(report)
    session.flush()
    session.add(HippsCertification(report_id=report.id, version=1, role="mentor",
                                   certifier_id=mentor.id,
                                   at=datetime(2026, 11, 26, 18, 30, tzinfo=UTC)))
    session.flush()
    files = hipps_export(session, round_, BANGKOK)
    sheet = load_workbook(io.BytesIO(files[f"{officer.staff_code}.xlsx"])).active
    assert sheet is not None
    signed = next(row for row in sheet.iter_rows(values_only=True) if row[0] == "พี่เลี้ยง")
    assert signed[1:3] == ("นางมาลี รักงาน", "27 พ.ย. 2569")
    summary = load_workbook(io.BytesIO(files["summary.xlsx"])).active
    assert summary is not None
    header = [c.value for c in summary[1]]
    sent = summary.cell(2, header.index("ส่งสำเนาให้ HR") + 1)
    assert sent.is_date and sent.value.date() == date(2026, 11, 27)
    assert summary.cell(2, header.index("ส่งสำเนาให้ HR (ISO)") + 1).value == "2026-11-27"
    assert summary.cell(2, header.index("สถานะ") + 1).value == "รับรองครบแล้ว"
    assert summary.freeze_panes == "A2" and summary.auto_filter.ref == "A1:K2"
