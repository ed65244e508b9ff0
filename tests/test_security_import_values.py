"""Importer values: names cannot hide control or text-direction characters, staff codes cannot
look like paths, and D0001 and d0001 are one code."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from handlers.importers import import_staff
from models import Staff
from tests.builders import make_agency

HEADER = ["รหัสบุคลากร", "ชื่อ-สกุล", "ตำแหน่ง", "หน่วยงาน"]


def staff_file(tmp_path: Path, rows: list[list[str]]) -> Path:
    path = tmp_path / "staff.csv"
    with path.open("w", encoding="utf-8", newline="") as file:
        csv.writer(file).writerows([HEADER, *rows])
    return path


@pytest.mark.parametrize(("row", "says"), [
    (["S1", "นายสมชาย\u202eดีใจ", "นักวิชาการ", "กองทดสอบ"], "กลับทิศทาง"),
    (["S1", "นายสมชาย\u2066ดีใจ\u2069", "นักวิชาการ", "กองทดสอบ"], "กลับทิศทาง"),
    (["S1", "นายสมชาย\x07ดีใจ", "นักวิชาการ", "กองทดสอบ"], "อักขระควบคุม"),
    (["S1/../x", "นายสมชาย ดีใจ", "นักวิชาการ", "กองทดสอบ"], "รหัสมี /"),
    (["..", "นายสมชาย ดีใจ", "นักวิชาการ", "กองทดสอบ"], "รหัสมี /"),
], ids=["rlo", "isolate", "bell", "slash", "dotdot"])
def test_hostile_values_are_refused_with_a_thai_reason(session: Session, tmp_path: Path,
                                                       row: list[str], says: str) -> None:
    agency, _unit = make_agency(session)
    report = import_staff(session, staff_file(tmp_path, [row]), agency_code=agency.code)
    assert not report.ok and any(says in problem.th for problem in report.problems)
    assert session.scalar(select(func.count()).select_from(Staff)
                          .where(Staff.agency_id == agency.id)) == 0


def test_staff_codes_differing_only_in_case_are_duplicates(session: Session,
                                                           tmp_path: Path) -> None:
    agency, _unit = make_agency(session)
    path = staff_file(tmp_path, [["D0001", "นายหนึ่ง ใจดี", "นักวิชาการ", "กองทดสอบ"],
                                 ["d0001", "นายสอง ใจดี", "นักวิชาการ", "กองทดสอบ"]])
    report = import_staff(session, path, agency_code=agency.code)
    assert not report.ok
    assert [p.th for p in report.problems] == ["รหัสบุคลากรซ้ำกับแถว 2"]
