"""The column headers each file may use, in Thai or English, in one place.

A header matches after `header_key`: Unicode NFKC, Thai digits to Arabic, case folded, and
spaces, `_ - . ( ) % : * /` removed; so `Staff Code`, `staff_code` and `STAFF-CODE` are one,
and so are `ระดับ 1`, `ระดับ๑` and `ระดับ1`. A bilingual header (`รหัสบุคลากร (staff code)`)
matches by either part.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from thai import thai_digits_to_arabic


@dataclass(frozen=True)
class Column:
    field: str  # the name the importer uses
    th: str  # how messages name it
    en: str
    aliases: tuple[str, ...]  # besides `th`, `en` and `field`


STAFF_CODE = Column("staff_code", "รหัสบุคลากร", "staff code",
                    ("รหัสพนักงาน", "รหัสข้าราชการ", "รหัส", "staff id", "employee code",
                     "employee id", "code"))

STAFF_COLUMNS: tuple[Column, ...] = (
    STAFF_CODE,
    Column("name", "ชื่อ-สกุล", "name", ("ชื่อ-นามสกุล", "ชื่อ", "full name", "name th", "name_th")),
    Column("position", "ตำแหน่ง", "position", ("ชื่อตำแหน่ง", "position title")),
    Column("level", "ระดับ", "level", ("ระดับตำแหน่ง", "position level")),
    Column("position_type", "ประเภทตำแหน่ง", "position type", ("ประเภท", "type")),
    Column("unit_code", "รหัสหน่วยงาน", "unit code", ("รหัสสังกัด",)),
    Column("unit", "หน่วยงาน", "unit", ("ชื่อหน่วยงาน", "สังกัด", "unit name", "division")),
    Column("parent_unit_code", "รหัสหน่วยงานต้นสังกัด", "parent unit code",
           ("รหัสหน่วยงานแม่", "parent unit", "parent code")),
    Column("unit_kind", "ประเภทหน่วยงาน", "unit kind", ("unit type",)),
    Column("supervisor_code", "รหัสผู้บังคับบัญชา", "supervisor code",
           ("รหัสผู้ประเมิน", "supervisor", "evaluator code")),
    Column("mentor_code", "รหัสพี่เลี้ยง", "mentor code", ("mentor",)),
    Column("coach_code", "รหัสผู้สอนงาน", "coach code", ("coach",)),
    Column("hipps", "HiPPS", "HiPPS", ("ข้าราชการผู้มีผลสัมฤทธิ์สูง", "ผู้มีผลสัมฤทธิ์สูง", "is hipps",
                                       "high performer")),
    Column("status", "สถานะ", "status", ("สถานะการปฏิบัติงาน",)),
)
STAFF_REQUIRED = ("staff_code", "name")

KPI_COLUMNS: tuple[Column, ...] = (
    STAFF_CODE,
    Column("fiscal_year", "ปีงบประมาณ", "fiscal year", ("ปีงบ", "ปี", "year", "fy")),
    Column("round", "รอบ", "round", ("รอบที่", "รอบการประเมิน", "round no", "round_no")),
    # Not ลำดับ/No.: in Thai sheets that is usually a running row number.
    Column("kpi_no", "ตัวชี้วัดที่", "KPI no", ("ข้อ", "ข้อที่", "kpi number", "kpi #")),
    Column("kpi_name", "ชื่อตัวชี้วัด", "KPI name", ("ตัวชี้วัด", "kpi", "kpi title", "indicator")),
    Column("unit_of_measure", "หน่วยนับ", "unit of measure", ("หน่วยวัด", "หน่วย", "uom", "unit")),
    Column("weight", "น้ำหนัก", "weight", ("น้ำหนักร้อยละ",)),
    Column("target", "ค่าเป้าหมาย", "target", ("เป้าหมาย",)),
    *(Column(f"level{n}", f"ระดับ {n}", f"level {n}", (f"เกณฑ์ระดับ {n}", f"ระดับที่ {n}",
                                                        f"คะแนน {n}"))
      for n in range(1, 6)),
    Column("key_project", "โครงการสำคัญ", "key project", ("โครงการ", "key project hipps")),
    Column("allow_over_100", "เกิน100ได้", "allow over 100", ("เกินร้อยได้", "over 100")),
    Column("signed_on", "วันที่ลงนาม", "signed on", ("ลงนามวันที่", "signed date", "signed")),
)
KPI_REQUIRED = ("staff_code", "kpi_no", "kpi_name", "weight", "target",
                "level1", "level2", "level3", "level4", "level5")

_DROPPED = re.compile(r"[\s_\-.()%:*/\u200b\ufeff]+")
_SPLIT = re.compile(r"[()/\n]+")


def header_key(header: str) -> str:
    """The form headers are compared in (see the module's docstring)."""
    folded = thai_digits_to_arabic(unicodedata.normalize("NFKC", header)).casefold()
    return _DROPPED.sub("", folded)


def alias_table(columns: tuple[Column, ...]) -> dict[str, Column]:
    """header_key → column, for every accepted spelling."""
    table: dict[str, Column] = {}
    for column in columns:
        for alias in (column.field, column.th, column.en, *column.aliases):
            key = header_key(alias)
            if key in table and table[key] is not column:
                raise AssertionError(f"header {alias!r} names two columns")
            table[key] = column
    return table


def match_header(header: str, table: dict[str, Column]) -> Column | None:
    """The column a header cell names, by the whole cell or by one of its parts."""
    column = table.get(header_key(header))
    if column is not None:
        return column
    for part in _SPLIT.split(header):
        column = table.get(header_key(part))
        if column is not None:
            return column
    return None


STAFF_TABLE = alias_table(STAFF_COLUMNS)
KPI_TABLE = alias_table(KPI_COLUMNS)
