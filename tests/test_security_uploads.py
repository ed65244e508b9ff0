"""Hostile and large spreadsheets: limits are checked before reading, a refused file gets a Thai
message naming the limit, and a realistic 20,000-staff file still goes through."""
from __future__ import annotations

import csv
import zipfile
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot import db
from bot.fake_line import FakeLine
from handlers.importers import import_staff
from handlers.importers.reading import MAX_COLUMNS, MAX_FILE_BYTES, MAX_UNZIPPED_BYTES
from models import Staff
from tests.builders import make_agency
from tests.hr_console import csrf, people, post_file, signed_in

STAFF_HEADER = ["รหัสบุคลากร", "ชื่อ-สกุล", "ตำแหน่ง", "หน่วยงาน"]


def write_staff_csv(path: Path, count: int) -> Path:
    """A staff list as HR exports it: 100 units, supervisors, mentors, and a remarks column."""
    header = ["รหัสบุคลากร", "ชื่อ-สกุล", "ตำแหน่ง", "ระดับ", "ประเภทตำแหน่ง", "รหัสหน่วยงาน",
              "หน่วยงาน", "ประเภทหน่วยงาน", "รหัสผู้บังคับบัญชา", "รหัสพี่เลี้ยง", "HiPPS", "สถานะ",
              "หมายเหตุ"]
    units = 100
    remark = "ปฏิบัติราชการตามแผนปฏิบัติราชการประจำปี ติดตามผลทุกไตรมาส " * 4
    with path.open("w", encoding="utf-8-sig", newline="") as file:
        writer = csv.writer(file, lineterminator="\r\n")
        writer.writerow(header)
        for i in range(count):
            unit = i % units
            writer.writerow([
                f"S{i:06d}", f"นายสมชาย ใจดี{i}", "นักวิเคราะห์นโยบายและแผนชำนาญการ", "ชำนาญการ",
                "วิชาการ" if i >= units else "อำนวยการ", f"U{unit:04d}", f"กองที่ {unit + 1}", "กอง",
                "" if i < units else f"S{unit:06d}", "", "ใช่" if i % 20 == 0 else "",
                "ปฏิบัติงาน", remark])
    return path


def small_workbook(path: Path, rows: list[list[Any]]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def test_a_shared_strings_bomb_is_refused_from_the_zip_directory(session: Session,
                                                                 tmp_path: Path) -> None:
    agency, _unit = make_agency(session)
    plain = small_workbook(tmp_path / "plain.xlsx", [STAFF_HEADER, ["S1", "ก ข", "นัก", "กอง"]])
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as out:
        for member in source.infolist():
            if member.filename != "xl/sharedStrings.xml":
                out.writestr(member, source.read(member))
        with out.open("xl/sharedStrings.xml", "w") as strings:
            strings.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
            chunk = b"<si><t>" + b"A" * 1000 + b"</t></si>"
            for _ in range(MAX_UNZIPPED_BYTES // len(chunk) + 10):
                strings.write(chunk)
            strings.write(b"</sst>")
    assert bomb.stat().st_size < 2 * 1024 * 1024  # it passed the old 2 MB cap
    report = import_staff(session, bomb, agency_code=agency.code)
    assert not report.ok
    assert "ขยายแล้วใหญ่เกินกำหนด" in report.problems[0].th
    assert f"{MAX_UNZIPPED_BYTES // (1024 * 1024)} MB" in report.problems[0].th


def test_a_sheet_padded_to_column_xfd_is_refused_at_its_first_row(session: Session,
                                                                  tmp_path: Path) -> None:
    agency, _unit = make_agency(session)
    rows: list[list[Any]] = [STAFF_HEADER]
    for i in range(300):
        row: list[Any] = [f"S{i}", "นายทดสอบ ระบบดี", "นักวิชาการ", "กองทดสอบ"]
        rows.append(row + [None] * (16384 - len(row) - 1) + ["x"])
    padded = small_workbook(tmp_path / "padded.xlsx", rows)
    report = import_staff(session, padded, agency_code=agency.code)
    assert not report.ok
    assert f"เกิน {MAX_COLUMNS} คอลัมน์" in report.problems[0].th
    assert session.scalar(select(func.count()).select_from(Staff)
                          .where(Staff.agency_id == agency.id)) == 0


def test_a_realistic_20000_staff_csv_is_accepted_through_the_console(
        app: Flask, client: FlaskClient, fake_line: FakeLine, tmp_path: Path) -> None:
    p = people(app)
    signed_in(app, client, fake_line, p["hr_user"])
    path = write_staff_csv(tmp_path / "staff.csv", 20_000)
    assert 7 * 1024 * 1024 < path.stat().st_size < MAX_FILE_BYTES
    response = post_file(client, csrf(client, "/hr/import"), path.read_bytes(), "staff.csv")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="problems"' not in page
    with app.app_context(), db.session_scope() as session:
        assert session.scalar(select(func.count()).select_from(Staff)
                              .where(Staff.agency_id == p["agency_id"],
                                     Staff.staff_code.like("S0_____"))) == 20_000


def test_a_file_over_the_cap_gets_a_thai_page_not_a_raw_413(
        app: Flask, client: FlaskClient, fake_line: FakeLine) -> None:
    p = people(app)
    signed_in(app, client, fake_line, p["hr_user"])
    big = b"a" * (MAX_FILE_BYTES + 128 * 1024)
    response = post_file(client, csrf(client, "/hr/import"), big, "staff.csv")
    page = response.get_data(as_text=True)
    assert response.status_code == 413
    assert "ไฟล์ใหญ่เกินกำหนด" in page and f"{MAX_FILE_BYTES // (1024 * 1024)} MB" in page


@pytest.mark.parametrize("rows", [
    [STAFF_HEADER + ["x"] * (MAX_COLUMNS + 1)],
])
def test_too_many_columns_in_a_csv_are_refused(session: Session, tmp_path: Path,
                                               rows: list[list[str]]) -> None:
    agency, _unit = make_agency(session)
    path = tmp_path / "wide.csv"
    with path.open("w", encoding="utf-8", newline="") as file:
        csv.writer(file).writerows(rows)
    report = import_staff(session, path, agency_code=agency.code)
    assert not report.ok and f"เกิน {MAX_COLUMNS} คอลัมน์" in report.problems[0].th
