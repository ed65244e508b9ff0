"""Importing HR's staff and KPI files: formats, bad input, all-or-nothing, idempotency, demo
data."""
from __future__ import annotations

import csv
import zipfile
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.demo import CARE, NEWCOMER, PEOPLE, UNITS, seed_demo
from handlers.importers import ImportReport, RowProblem, import_kpis, import_staff
from handlers.importers import values as v
from handlers.importers.columns import KPI_TABLE, STAFF_TABLE, match_header
from models import (
    Agency,
    AuditEntry,
    Base,
    DeadlineRule,
    Kpi,
    KpiAgreement,
    KpiChangeRequest,
    LineUser,
    Role,
    RoleAssignment,
    Round,
    Staff,
    Unit,
    utcnow,
)
from models.kpi import sign_agreement

AGENCY = "IMP"
Rows = list[list[Any]]

STAFF_TH = ["รหัสบุคลากร", "ชื่อ-สกุล", "ตำแหน่ง", "ระดับ", "ประเภทตำแหน่ง", "รหัสหน่วยงาน",
            "หน่วยงาน", "รหัสผู้บังคับบัญชา", "รหัสพี่เลี้ยง", "รหัสผู้สอนงาน", "HiPPS", "สถานะ"]
STAFF_EN = ["Staff Code", "Name", "Position", "Level", "position_type", "UNIT CODE", "unit",
            "supervisor_code", "Mentor Code", "coach code", "hipps", "Status"]
STAFF = [
    ["T001", "นายใหญ่ ดีเด่น", "ผู้อำนวยการกองทดสอบ", "สูง", "อำนวยการ", "U1", "กองทดสอบ",
     "", "", "", "", ""],
    ["T002", "นางมาลี ใจดี", "นักวิเคราะห์นโยบายและแผน", "ชำนาญการ", "วิชาการ", "U1", "กองทดสอบ",
     "T001", "", "", "ไม่ใช่", "ปฏิบัติงาน"],
    ["T003", "นายสมชาย ขยัน", "นักวิเคราะห์นโยบายและแผน", "ปฏิบัติการ", "วิชาการ", "U1",
     "กองทดสอบ", "T001", "T002", "T001", "ใช่", "ปฏิบัติงาน"],
    ["T004", "นางสาวสุดา ลาออก", "เจ้าพนักงานธุรการ", "ปฏิบัติงาน", "ทั่วไป", "U2", "ศูนย์ข้อมูล",
     "T001", "", "", "0", "ลาออก"],
]
KPI_TH = ["รหัสบุคลากร", "ปีงบประมาณ", "รอบ", "ตัวชี้วัดที่", "ชื่อตัวชี้วัด", "หน่วยนับ", "น้ำหนัก",
          "ค่าเป้าหมาย", "ระดับ 1", "ระดับ 2", "ระดับ 3", "ระดับ 4", "ระดับ 5", "โครงการสำคัญ"]
KPI_EN = ["staff_code", "Fiscal Year", "round", "KPI No", "kpi_name", "unit_of_measure", "Weight",
          "target", "level1", "Level 2", "level3", "level 4", "LEVEL5", "key_project"]
WEIGHTS = (30, 20, 20, 15, 15)


def kpis(code: str, weights: Sequence[Any] = WEIGHTS, *, year: Any = 2570, round_no: Any = 1,
         project: str = "") -> Rows:
    """One officer's agreement: a row per KPI."""
    return [[code, year, round_no, number, f"ร้อยละของงานที่ {number} แล้วเสร็จตามกำหนด", "ร้อยละ",
             weight, 80, 60, 70, 80, 90, 100, project if number == 1 else ""]
            for number, weight in enumerate(weights, start=1)]


KPIS = kpis("T002") + kpis("T003", project="โครงการระบบติดตามผล")


def write(path: Path, header: list[str] | None, rows: Rows, encoding: str = "utf-8-sig",
          delimiter: str = ",") -> Path:
    """A CSV (any encoding) or, for .xlsx, a workbook; rows as given (None for no header)."""
    all_rows = ([header] if header else []) + rows
    if path.suffix == ".xlsx":
        workbook = openpyxl.Workbook()
        for row in all_rows:
            workbook.active.append([None if cell == "" else cell for cell in row])
        workbook.save(path)
        return path
    with path.open("w", encoding=encoding, newline="") as file:
        csv.writer(file, delimiter=delimiter, lineterminator="\r\n").writerows(
            [[str(cell) for cell in row] for row in all_rows])
    return path


def dump(session: Session) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, to compare the database before and after."""
    session.flush()
    return {table.name: sorted((tuple(row) for row in session.execute(table.select())), key=repr)
            for table in Base.metadata.sorted_tables}


def count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def staff_by_code(session: Session) -> dict[str, Staff]:
    agency_id = session.scalar(select(Agency.id).where(Agency.code == AGENCY))
    return {s.staff_code: s
            for s in session.scalars(select(Staff).where(Staff.agency_id == agency_id))}


@pytest.fixture
def people(session: Session, tmp_path: Path) -> dict[str, Staff]:
    """The agency IMP with the four people of STAFF."""
    report = import_staff(session, write(tmp_path / "staff.csv", STAFF_TH, STAFF),
                          agency_code=AGENCY, agency_name="กรมทดสอบการนำเข้า")
    assert report.ok and report.created == 4, report.lines()
    return staff_by_code(session)


# --- formats ---------------------------------------------------------------------------------

FORMATS = [
    pytest.param("staff.csv", "utf-8", ",", id="utf8"),
    pytest.param("staff.csv", "utf-8-sig", ",", id="utf8-bom"),
    pytest.param("staff.csv", "cp874", ",", id="cp874"),
    pytest.param("staff.txt", "utf-16", "\t", id="utf16-tab"),
    pytest.param("staff.csv", "utf-8-sig", ";", id="semicolon"),
    pytest.param("staff.xlsx", "", "", id="xlsx"),
]


@pytest.mark.parametrize("header", [STAFF_TH, STAFF_EN], ids=["thai", "english"])
@pytest.mark.parametrize(("name", "encoding", "delimiter"), FORMATS)
def test_staff_import_reads_every_format(session: Session, tmp_path: Path, header: list[str],
                                         name: str, encoding: str, delimiter: str) -> None:
    path = write(tmp_path / name, header, STAFF, encoding, delimiter)
    report = import_staff(session, path, agency_code=AGENCY, agency_name="กรมทดสอบ")
    assert report.ok, report.lines()
    assert (report.created, report.updated, report.units_created, report.agency_created) == \
        (4, 0, 2, True)
    staff = staff_by_code(session)
    head, mentor, officer, gone = (staff[c] for c in ("T001", "T002", "T003", "T004"))
    assert officer.name_th == "นายสมชาย ขยัน" and officer.level == "ปฏิบัติการ"
    assert head.position_type == "อำนวยการ" and officer.position_type == "วิชาการ"
    assert officer.supervisor_id == head.id and head.supervisor_id is None
    assert officer.is_hipps and not mentor.is_hipps and not gone.active and officer.active
    assert (officer.unit is not None and officer.unit.code == "U1"
            and officer.unit.name_th == "กองทดสอบ")
    assert gone.unit is not None and gone.unit.name_th == "ศูนย์ข้อมูล"
    care = set(session.execute(select(RoleAssignment.staff_id, RoleAssignment.role,
                                      RoleAssignment.officer_id, RoleAssignment.round_id)).all())
    assert care == {(mentor.id, "mentor", officer.id, None), (head.id, "coach", officer.id, None)}
    agency = session.scalars(select(Agency).where(Agency.code == AGENCY)).one()
    assert session.scalar(select(func.count()).where(DeadlineRule.agency_id == agency.id)) == 5


@pytest.mark.parametrize("header", [KPI_TH, KPI_EN], ids=["thai", "english"])
@pytest.mark.parametrize(("name", "encoding", "delimiter"), FORMATS)
def test_kpi_import_reads_every_format(session: Session, people: dict[str, Staff], tmp_path: Path,
                                       header: list[str], name: str, encoding: str,
                                       delimiter: str) -> None:
    rows = [list(row) for row in KPIS]
    rows[0][6], rows[1][6], rows[2][8] = "30%", "๒๐", "1,000"  # T002: 30%, ๒๐, level 1 of KPI 3
    rows[2][9:13] = ["1,100", "1,200", "1,300", "1,400"]
    path = write(tmp_path / name.replace("staff", "kpis"), header, rows, encoding, delimiter)
    report = import_kpis(session, path, agency_code=AGENCY)
    assert report.ok, report.lines()
    assert (report.created, report.updated, report.unchanged) == (10, 0, 0)
    agreement = session.scalars(select(KpiAgreement).where(
        KpiAgreement.officer_id == people["T002"].id)).one()
    assert [k.weight for k in agreement.kpis] == [30, 20, 20, 15, 15]
    assert agreement.kpis[2].levels == (1000, 1100, 1200, 1300, 1400)
    assert agreement.signed_at is None and agreement.key_project is None
    project = session.scalar(select(KpiAgreement.key_project).where(
        KpiAgreement.officer_id == people["T003"].id))
    assert project == "โครงการระบบติดตามผล"
    round_ = session.scalars(select(Round)).one()
    assert (round_.fiscal_year, round_.round_no, len(round_.deadlines)) == (2570, 1, 4)


def test_xlsx_percent_cells_dates_and_sheet_row_numbers(session: Session, people: dict[str, Staff],
                                                        tmp_path: Path) -> None:
    path = tmp_path / "kpis.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["รายงานตัวชี้วัด"])  # a title above the table is not a header: it is refused
    workbook.save(path)
    report = import_kpis(session, path, agency_code=AGENCY)
    assert not report.ok and report.problems[0].line == 1 and "no header" in report.problems[0].en

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append([])
    sheet.append([*KPI_TH, "วันที่ลงนาม"])  # header on row 2; row 1 blank
    for row in kpis("T002"):
        sheet.append([*row, date(2026, 10, 20)])
    sheet.cell(row=3, column=7).value = 0.3  # 30% typed as a percentage cell
    sheet.cell(row=3, column=7).number_format = "0%"
    sheet.cell(row=5, column=9).value = "abc"  # sheet row 5
    workbook.save(path)
    report = import_kpis(session, path, agency_code=AGENCY)
    assert not report.ok
    assert [p.line for p in report.problems if p.column] == [5]
    assert [p.column for p in report.problems if p.line == 5] == ["ระดับ 1"]
    sheet.cell(row=5, column=9).value = 60
    workbook.save(path)
    report = import_kpis(session, path, agency_code=AGENCY)
    assert report.ok and report.created == 5, report.lines()
    agreement = session.scalars(select(KpiAgreement)).one()
    assert agreement.kpis[0].weight == 30
    assert agreement.signed_at is not None and report.agreements_signed == 1
    assert agreement.signed_at.astimezone(ZoneInfo("Asia/Bangkok")).date() == date(2026, 10, 20)


# --- bad input -------------------------------------------------------------------------------

def staff_with(*changes: tuple[int, int, str], extra: Rows | None = None) -> Rows:
    rows = [list(row) for row in STAFF]
    for index, column, value in changes:
        rows[index][column] = value
    return rows + (extra or [])


BAD_STAFF = [
    ("duplicate code", staff_with(extra=[list(STAFF[1])]), 6, "staff code repeats line 3"),
    ("unknown supervisor", staff_with((2, 7, "X999")), 4, "supervisor X999 is neither"),
    ("own supervisor", staff_with((2, 7, "T003")), 4, "their own supervisor"),
    ("unknown mentor", staff_with((2, 8, "T002, X998")), 4, "mentor X998 is neither"),
    ("empty name", staff_with((3, 1, "  ")), 5, "this cell is required"),
    ("empty code", staff_with((3, 0, "")), 5, "this cell is required"),
    ("bad hipps", staff_with((1, 10, "บางที")), 3, "must be yes or no"),
    ("bad status", staff_with((1, 11, "พักร้อน")), 3, "status must be"),
    ("bad position type", staff_with((1, 4, "พิเศษ")), 3, "position type must be"),
    ("new unit without name", staff_with((3, 5, "U9"), (3, 6, "")), 5, "unit U9 is new"),
    ("unit named twice", staff_with((2, 6, "กองอื่น")), 4, "unit U1 has a different name"),
    ("unknown unit name", staff_with((3, 5, ""), (3, 6, "กองไม่มีจริง")), 5,
     "unit กองไม่มีจริง not found"),
    ("supervisor only on a bad row", staff_with((0, 1, "")), 3, "supervisor T001 is neither"),
    ("name too long", staff_with((1, 1, "ก" * 300)), 3, "longer than 255"),
]


@pytest.mark.parametrize(("rows", "line", "reason"), [case[1:] for case in BAD_STAFF],
                         ids=[case[0] for case in BAD_STAFF])
def test_a_bad_staff_row_is_reported_and_nothing_is_written(
        session: Session, tmp_path: Path, rows: Rows, line: int, reason: str) -> None:
    before = dump(session)
    report = import_staff(session, write(tmp_path / "staff.csv", STAFF_TH, rows),
                          agency_code=AGENCY, agency_name="กรมทดสอบ")
    assert not report.ok and not report.changed
    assert any(p.line == line and reason in p.en for p in report.problems), report.lines()
    assert all(p.th and p.en for p in report.problems)
    assert dump(session) == before


def kpis_with(*changes: tuple[int, int, Any]) -> Rows:
    rows = [list(row) for row in KPIS]
    for index, column, value in changes:
        rows[index][column] = value
    return rows


BAD_KPIS = [
    ("unknown staff code", kpis_with(*((i, 0, "X404") for i in range(5))), 2,
     "unknown staff code X404"),
    ("weights not 100", kpis_with((0, 6, 35)), 2,
     "weights must sum to exactly 100 (they sum to 105)"),
    ("weight not a number", kpis_with((1, 6, "abc")), 3, 'must be a number (got "abc")'),
    ("other rows of that agreement", kpis_with((1, 6, "abc")), 2, "has a bad row (line 3)"),
    ("empty KPI name", kpis_with((2, 4, "")), 4, "this cell is required"),
    ("empty level", kpis_with((2, 10, "")), 4, "this cell needs a number"),
    ("three decimals", kpis_with((2, 7, "80.125")), 4, "at most 2 decimal places"),
    ("KPI number 11", kpis_with((4, 3, 11)), 6, "KPI number must be 1 to 10"),
    ("KPI number repeated", kpis_with((4, 3, 4)), 6, "KPI 4 of T002, round 1/2570, repeats line 5"),
    ("round 3", kpis_with((6, 2, 3)), 8, "round must be 1 or 2"),
    ("Christian-era year", kpis_with((6, 1, 2027)), 8, "Buddhist Era year"),
    ("levels not rising", kpis_with((0, 10, 95)), 2, "must all rise (or all fall)"),
    ("two key projects", kpis_with((6, 13, "อีกโครงการ")), 7, "key project differs between rows"),
]


@pytest.mark.parametrize(("rows", "line", "reason"), [case[1:] for case in BAD_KPIS],
                         ids=[case[0] for case in BAD_KPIS])
def test_a_bad_kpi_row_is_reported_and_nothing_is_written(
        session: Session, people: dict[str, Staff], tmp_path: Path, rows: Rows, line: int,
        reason: str) -> None:
    before = dump(session)
    report = import_kpis(session, write(tmp_path / "kpis.csv", KPI_TH, rows), agency_code=AGENCY)
    assert not report.ok and not report.changed
    assert any(p.line == line and reason in p.en for p in report.problems), report.lines()
    assert dump(session) == before


def test_signing_dates_outside_the_round_and_the_callers_year(
        session: Session, people: dict[str, Staff], tmp_path: Path) -> None:
    rows = [[*row, "15 เม.ย. 2570"] for row in kpis("T002")]
    path = write(tmp_path / "kpis.csv", [*KPI_TH, "วันที่ลงนาม"], rows)
    report = import_kpis(session, path, agency_code=AGENCY)
    assert not report.ok
    assert "signing date 2027-04-15 is outside round 1/2570 (2026-10-01 – 2027-03-31)" in \
        report.problems[0].en
    assert "15 เม.ย. 2570 อยู่นอกรอบที่ 1/2570" in report.problems[0].th
    report = import_kpis(session, path, agency_code=AGENCY, fiscal_year=2571)
    assert {p.line for p in report.problems} == {2, 3, 4, 5, 6}
    assert "differs from the one given to the import (2571)" in report.problems[0].en


def test_year_and_round_can_come_from_the_caller(session: Session, people: dict[str, Staff],
                                                tmp_path: Path) -> None:
    rows = [[row[0], *row[3:]] for row in kpis("T002")]
    header = [KPI_TH[0], *KPI_TH[3:]]
    path = write(tmp_path / "kpis.csv", header, rows)
    report = import_kpis(session, path, agency_code=AGENCY)
    assert not report.ok and report.problems[0].line == 1
    assert "fiscal year unknown" in report.problems[0].en
    for year, round_no, reason in ((2027, 1, "Buddhist Era year"), (2570, 3, "1 or 2 (got 3)")):
        report = import_kpis(session, path, agency_code=AGENCY, fiscal_year=year, round_no=round_no)
        assert not report.ok and report.problems[0].line is None and reason in report.problems[0].en
    report = import_kpis(session, path, agency_code=AGENCY, fiscal_year=2570, round_no=2)
    assert report.ok and report.created == 5
    assert session.scalars(select(Round)).one().title_th == "รอบที่ 2/2570"


def zip_bytes() -> bytes:
    import io

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


BAD_FILES: list[tuple[str, str, bytes, str]] = [
    ("old excel", "staff.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100,
     "old Excel (.xls)"),
    ("xls that is html", "staff.xls", b"<html><table></table></html>", "old Excel (.xls)"),
    ("pdf", "staff.pdf", b"%PDF-1.4 ...", "unsupported file type .pdf"),
    ("json", "staff.json", b"[]", "unsupported file type .json"),
    ("word file named csv", "staff.csv", zip_bytes(), "cannot read the Excel file"),
    ("text named xlsx", "staff.xlsx", "รหัสบุคลากร,ชื่อ-สกุล\n".encode(), "is not an Excel workbook"),
    ("empty", "staff.csv", b"", "the file is empty"),
    ("blank lines only", "staff.csv", b"\r\n , \r\n", "the file has no rows"),
    ("binary", "staff.csv", b"\x00\x01\x02garbage", "not a CSV text file"),
    ("neither utf-8 nor thai", "staff.csv", b"\xdb\xdc\xdd\xde\xfc",
     "neither UTF-8 nor Windows-874"),
    ("no header", "staff.csv", "D0001,นายสมชาย ขยัน\n".encode(), "no header row"),
    ("missing column", "staff.csv", "รหัสบุคลากร,ตำแหน่ง\nT1,x\n".encode(),
     "required column(s) missing: name"),
    ("column twice", "staff.csv", "รหัสบุคลากร,ชื่อ-สกุล,Name\nT1,ก,ข\n".encode(),
     "column name appears twice (B and C)"),
]


@pytest.mark.parametrize(("name", "content", "reason"), [case[1:] for case in BAD_FILES],
                         ids=[case[0] for case in BAD_FILES])
def test_a_file_that_cannot_be_read_is_refused_clearly(session: Session, tmp_path: Path, name: str,
                                                       content: bytes, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    before = dump(session)
    report = import_staff(session, path, agency_code=AGENCY, agency_name="กรมทดสอบ")
    assert not report.ok and len(report.problems) == 1
    assert reason in report.problems[0].en, report.lines()
    assert report.problems[0].th and report.lines()[0].startswith(("ไฟล์: ", "แถว "))
    assert dump(session) == before


def test_missing_file_and_agency(session: Session, tmp_path: Path) -> None:
    report = import_staff(session, tmp_path / "nope.csv", agency_code=AGENCY, agency_name="x")
    assert report.lines() == ["ไฟล์: ไม่พบไฟล์ nope.csv / file: file not found: nope.csv"]
    path = write(tmp_path / "staff.csv", STAFF_TH, STAFF)
    report = import_staff(session, path, agency_code="NOPE")
    assert not report.ok and "agency NOPE does not exist" in report.problems[0].en
    report = import_kpis(session, write(tmp_path / "k.csv", KPI_TH, KPIS), agency_code="NOPE")
    assert not report.ok and "agency NOPE does not exist" in report.problems[0].en
    assert count(session, Agency) == 0


# --- all or nothing, skip_bad, line numbers --------------------------------------------------

def test_report_lines_name_the_line_and_the_reason_in_both_languages(
        session: Session, tmp_path: Path) -> None:
    rows = [list(STAFF[0]), list(STAFF[1]), [], list(STAFF[1])]  # a blank line 4 still counts
    report = import_staff(session, write(tmp_path / "staff.csv", STAFF_TH, rows),
                          agency_code=AGENCY, agency_name="กรมทดสอบ")
    assert report.lines() == ["แถว 5: รหัสบุคลากรซ้ำกับแถว 3 / line 5: staff code repeats line 3"]
    assert RowProblem(7, "ต้องเป็นตัวเลข", "must be a number", "น้ำหนัก").text() == \
        "แถว 7 คอลัมน์ น้ำหนัก: ต้องเป็นตัวเลข / line 7, column น้ำหนัก: must be a number"
    assert "nothing was saved" in report.summary()


def test_skip_bad_writes_only_the_good_rows(session: Session, tmp_path: Path) -> None:
    rows = staff_with((3, 10, "บางที"), extra=[["T005", "นายใหม่ มาดี", "", "", "", "U1", "", "T004",
                                                "", "", "", ""]])
    path = write(tmp_path / "staff.csv", STAFF_TH, rows)
    report = import_staff(session, path, agency_code=AGENCY, agency_name="กรมทดสอบ", skip_bad=True)
    assert report.ok and (report.created, report.skipped) == (3, 2)
    # T005's supervisor is T004, whose row is bad: T005 is bad too.
    assert sorted(p.line for p in report.problems) == [5, 6]
    assert sorted(staff_by_code(session)) == ["T001", "T002", "T003"]


def test_skip_bad_kpis_skips_whole_agreements(session: Session, people: dict[str, Staff],
                                              tmp_path: Path) -> None:
    path = write(tmp_path / "kpis.csv", KPI_TH, kpis_with((7, 6, "abc")))
    report = import_kpis(session, path, agency_code=AGENCY, skip_bad=True)
    assert report.ok and (report.created, report.skipped) == (5, 5)
    officers = set(session.scalars(select(KpiAgreement.officer_id)))
    assert officers == {people["T002"].id}


def test_progress_is_reported_every_thousand_rows(session: Session, tmp_path: Path) -> None:
    rows = [[f"P{i:05d}", f"นายคนที่ {i} ทดสอบ", "", "", "", "", "", "", "", "", "", ""]
            for i in range(2500)]
    calls: list[tuple[int, int | None]] = []
    report = import_staff(session, write(tmp_path / "staff.csv", STAFF_TH, rows),
                          agency_code=AGENCY, agency_name="กรมทดสอบ",
                          progress=lambda done, total: calls.append((done, total)))
    assert report.ok and report.created == 2500
    assert calls == [(1000, 2500), (2000, 2500), (2500, 2500)]


# --- idempotency and updates -----------------------------------------------------------------

@pytest.mark.parametrize("name", ["x.csv", "x.xlsx"])
def test_importing_twice_changes_nothing(session: Session, tmp_path: Path, name: str) -> None:
    staff = write(tmp_path / ("staff" + name), STAFF_TH, STAFF)
    kpi_file = write(tmp_path / ("kpis" + name), KPI_TH, KPIS)
    assert import_staff(session, staff, agency_code=AGENCY, agency_name="กรมทดสอบ").ok
    assert import_kpis(session, kpi_file, agency_code=AGENCY).ok
    before = dump(session)
    again = import_staff(session, staff, agency_code=AGENCY, agency_name="กรมทดสอบ")
    assert (again.ok, again.created, again.updated, again.unchanged) == (True, 0, 0, 4)
    again = import_kpis(session, kpi_file, agency_code=AGENCY)
    assert (again.ok, again.created, again.updated, again.unchanged, again.removed) == \
        (True, 0, 0, 10, 0)
    assert dump(session) == before


def test_a_changed_staff_file_updates_people_and_their_carers(
        session: Session, people: dict[str, Staff], tmp_path: Path) -> None:
    rows = staff_with((2, 1, "นายสมชาย ขยันมาก"), (2, 8, "T004"), (2, 9, ""), (1, 7, ""),
                      (3, 11, "active"))
    report = import_staff(session, write(tmp_path / "staff.csv", STAFF_TH, rows),
                          agency_code=AGENCY)
    assert report.ok and (report.created, report.updated, report.unchanged) == (0, 3, 1)
    staff = staff_by_code(session)
    assert staff["T003"].name_th == "นายสมชาย ขยันมาก" and staff["T004"].active
    assert staff["T002"].supervisor_id is None
    care = set(session.execute(select(RoleAssignment.staff_id, RoleAssignment.role)).all())
    assert care == {(staff["T004"].id, "mentor")}  # T002 no longer mentors; the coach is gone
    # Without the columns, nothing about them changes, and nobody is deleted.
    report = import_staff(session, write(tmp_path / "s2.csv", ["staff_code", "name"],
                                         [["T001", "นายใหญ่ ดีเด่น"]]), agency_code=AGENCY)
    assert report.ok and report.unchanged == 1 and len(staff_by_code(session)) == 4
    entry = session.scalars(select(AuditEntry)
                            .where(AuditEntry.action == "staff.imported",
                                   AuditEntry.subject == f"staff:{staff['T003'].id}")
                            .order_by(AuditEntry.id.desc())).first()
    assert entry is not None and set(entry.details["fields"]) == {"name_th", "mentor", "coach"}


def test_an_unsigned_agreement_is_made_to_match_the_file(
        session: Session, people: dict[str, Staff], tmp_path: Path) -> None:
    assert import_kpis(session, write(tmp_path / "k1.csv", KPI_TH, KPIS), agency_code=AGENCY).ok
    rows = kpis("T002", (40, 30, 30)) + kpis("T003", project="โครงการใหม่")
    report = import_kpis(session, write(tmp_path / "k2.csv", KPI_TH, rows), agency_code=AGENCY)
    assert report.ok, report.lines()
    assert (report.created, report.updated, report.unchanged, report.removed,
            report.agreements_updated) == (0, 3, 5, 2, 1)
    assert session.scalar(select(KpiAgreement.key_project).where(
        KpiAgreement.officer_id == people["T003"].id)) == "โครงการใหม่"
    agreement = session.scalars(select(KpiAgreement).where(
        KpiAgreement.officer_id == people["T002"].id)).one()
    assert [(k.number, k.weight) for k in agreement.kpis] == [(1, 40), (2, 30), (3, 30)]


def test_a_signed_agreement_gets_change_requests_once(
        session: Session, people: dict[str, Staff], tmp_path: Path) -> None:
    assert import_kpis(session, write(tmp_path / "k1.csv", KPI_TH, KPIS), agency_code=AGENCY).ok
    agreement = session.scalars(select(KpiAgreement).where(
        KpiAgreement.officer_id == people["T002"].id)).one()
    sign_agreement(session, agreement, people["T001"].id, utcnow())
    changed = kpis("T002", (25, 25, 20, 15, 15)) + kpis("T003", project="โครงการระบบติดตามผล")
    changed[2][4] = "ร้อยละของงานที่ 3 แล้วเสร็จภายใน 30 วัน"
    path = write(tmp_path / "k2.csv", KPI_TH, changed)
    before = {k.number: (k.name, k.weight) for k in agreement.kpis}
    report = import_kpis(session, path, agency_code=AGENCY)
    assert report.ok and (report.change_requests, report.updated, report.unchanged) == (3, 0, 7)
    assert "change requests 3" in report.summary()
    requests = session.scalars(select(KpiChangeRequest).order_by(KpiChangeRequest.id)).all()
    assert [(r.kpi.number, r.changes) for r in requests] == [
        (1, {"weight": "25"}), (2, {"weight": "25"}),
        (3, {"name": "ร้อยละของงานที่ 3 แล้วเสร็จภายใน 30 วัน"})]
    assert all(r.requested_by_id is None and r.reason == "นำเข้าจากไฟล์ k2.csv" for r in requests)
    session.expire_all()
    assert {k.number: (k.name, k.weight) for k in agreement.kpis} == before  # not changed directly
    snapshot = dump(session)
    again = import_kpis(session, path, agency_code=AGENCY)
    assert again.ok and (again.change_requests, again.unchanged) == (0, 10)
    assert dump(session) == snapshot
    # Adding a KPI to a signed agreement needs the evaluator: refused.
    grown = kpis("T002", (20, 20, 20, 20, 10, 10))
    report = import_kpis(session, write(tmp_path / "k3.csv", KPI_TH, grown), agency_code=AGENCY)
    assert not report.ok and "adding or removing KPIs needs the evaluator" in report.problems[0].en
    assert {p.line for p in report.problems} == {2, 3, 4, 5, 6, 7}


# --- values and headers ----------------------------------------------------------------------

@pytest.mark.parametrize(("raw", "expected"), [
    ("25", Decimal(25)), ("25%", Decimal(25)), ("๒๕", Decimal(25)), ("1,234.5", Decimal("1234.5")),
    (" ร้อยละ 80 ", Decimal(80)), ("-3", Decimal(-3)), ("0.25", Decimal("0.25")),
])
def test_numbers(raw: str, expected: Decimal) -> None:
    assert v.decimal(raw) == expected


@pytest.mark.parametrize("raw", ["abc", "1,2", "12,34.5", "nan", "1e5", "--1", "25.125"])
def test_not_numbers(raw: str) -> None:
    with pytest.raises(v.BadValue):
        v.decimal(raw)


@pytest.mark.parametrize(("raw", "expected"), [
    ("ใช่", True), ("Yes", True), ("Y", True), ("1", True), ("✓", True), ("TRUE", True),
    ("ไม่ใช่", False), ("no", False), ("N", False), ("0", False), ("", False), ("-", False),
])
def test_yes_no(raw: str, expected: bool) -> None:
    assert v.yes_no(raw) is expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("ปฏิบัติงาน", True), ("active", True), ("", True), ("ลาออก", False), ("ย้าย", False),
    ("Left", False), ("inactive", False),
])
def test_status(raw: str, expected: bool) -> None:
    assert v.active(raw) is expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("2026-10-15", date(2026, 10, 15)), ("15/10/2569", date(2026, 10, 15)),
    ("15 ต.ค. 2569", date(2026, 10, 15)), ("๑๕ ตุลาคม ๒๕๖๙", date(2026, 10, 15)),
    ("2569-10-15", date(2026, 10, 15)),
])
def test_dates(raw: str, expected: date) -> None:
    assert v.day(raw) == expected


@pytest.mark.parametrize("raw", ["15 ต.ค.", "31/02/2570", "พรุ่งนี้", "2026-13-01"])
def test_not_dates(raw: str) -> None:
    with pytest.raises(v.BadValue):
        v.day(raw)


@pytest.mark.parametrize(("header", "table", "field"), [
    ("รหัสบุคลากร", STAFF_TABLE, "staff_code"), ("Staff_Code", STAFF_TABLE, "staff_code"),
    ("ชื่อ - สกุล", STAFF_TABLE, "name"), ("รหัสบุคลากร (Staff code)", STAFF_TABLE, "staff_code"),
    ("ระดับ ๓", KPI_TABLE, "level3"), ("Level 3", KPI_TABLE, "level3"),
    ("ระดับ3", KPI_TABLE, "level3"),
    ("น้ำหนัก (%)", KPI_TABLE, "weight"), ("เกิน 100 ได้", KPI_TABLE, "allow_over_100"),
    ("\ufeffรหัสบุคลากร", KPI_TABLE, "staff_code"),
])
def test_headers_in_thai_or_english(header: str, table: dict[str, Any], field: str) -> None:
    column = match_header(header, table)
    assert column is not None and column.field == field


# --- the demo data ---------------------------------------------------------------------------

def test_seed_demo_loads_the_sample_files_and_is_idempotent(session: Session) -> None:
    agency = seed_demo(session, today=date(2026, 11, 21))
    staff = {s.staff_code: s for s in session.scalars(select(Staff).where(
        Staff.agency_id == agency.id))}
    assert sorted(staff) == sorted([p.staff_code for p in PEOPLE] + [NEWCOMER[0]])
    assert staff[NEWCOMER[0]].name_th == NEWCOMER[1]
    units = {u.id: u for u in session.scalars(select(Unit).where(Unit.agency_id == agency.id))}
    for person in PEOPLE:
        member = staff[person.staff_code]
        assert (member.name_th, member.position, member.is_hipps) == \
            (person.name_th, person.position, person.is_hipps)
        assert member.unit_id is not None
        assert (units[member.unit_id].code, units[member.unit_id].name_th) == \
            (person.unit, UNITS[person.unit])
        line_user = session.get(LineUser, person.line_user_id)
        assert line_user is not None and line_user.staff_id == member.id
    code = {s.id: c for c, s in staff.items()}
    care = {(code[a.staff_id], a.role, code[a.officer_id]) for a in session.scalars(
        select(RoleAssignment).where(RoleAssignment.officer_id.is_not(None)))}
    care |= {(code[s.supervisor_id], Role.SUPERVISOR.value, c) for c, s in staff.items()
             if s.supervisor_id is not None}
    assert care == {(carer, str(role), officer) for carer, role, officer in CARE}
    hr = session.scalars(select(RoleAssignment).where(RoleAssignment.role == Role.HR_ADMIN)).one()
    assert hr.staff_id == staff["D0001"].id
    agreements = session.scalars(select(KpiAgreement).join(Round).where(
        Round.agency_id == agency.id, Round.fiscal_year == 2570, Round.round_no == 1)).all()
    assert {code[a.officer_id] for a in agreements} == {"D0003", "D0004", "D0005", "D0006",
                                                        NEWCOMER[0]}
    for agreement in agreements:
        assert len(agreement.kpis) == 5 and sum(k.weight for k in agreement.kpis) == 100
        assert agreement.signed_at is not None and agreement.signed_by_id == staff["D0002"].id
        assert bool(agreement.key_project) == (code[agreement.officer_id] == "D0006")
    before = dump(session)
    assert seed_demo(session, today=date(2026, 11, 21)).id == agency.id
    assert dump(session) == before
    assert count(session, Kpi) == 25  # 5 each for D0003–D0007


def test_import_report_counts_and_summary() -> None:
    report = ImportReport("kpis", created=2, unchanged=3, removed=1, skipped=1)
    assert report.changed
    assert report.summary() == ("นำเข้าตัวชี้วัด: เพิ่ม 2 แก้ไข 0 ไม่เปลี่ยน 3 ลบ 1 ข้ามแถวที่ผิด 1 / "
                                "KPIs: created 2, updated 0, unchanged 3, removed 1, "
                                "bad rows skipped 1")
